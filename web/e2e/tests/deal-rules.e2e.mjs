import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { card, column, columnTitles, dragWithMouse, eventually, moveWithKeyboard, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** A pipeline whose Proposal stage requires an expected close date and the deal field "Fleet size". */
async function pipelineWithRules(baseUrl, deals, currency = 'USD') {
  // An Iranian team's workspace counts on the Jalali calendar.
  const fixture = await workspaceWithPipeline(baseUrl, { currency, deals, calendar: currency === 'IRR' ? 'jalali' : 'gregorian' });
  const { api, pipeline } = fixture;
  await api.post('/custom-fields', { entity: 'deal', key: 'fleet_size', label: currency === 'IRR' ? 'تعداد ناوگان' : 'Fleet size', kind: 'number' });
  await api.patch(`/stages/${pipeline.stages[1].id}`, { required_fields: ['expected_close_date', 'fleet_size'] });
  return fixture;
}

test('a drag into a stage with required fields asks for them, then moves the card', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await pipelineWithRules(baseUrl, [
    { title: 'Fleet renewal', amount_minor: 1_000_000 },
    { title: 'Warehouse sensors', amount_minor: 500_000 },
  ]);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();

  // Cancelled: the card stays where it was and nothing is written.
  await dragWithMouse(page, card(page, 'Warehouse sensors').locator('.card__handle'), column(page, 1).getByTestId('column-cards'));
  const form = page.getByTestId('required-fields-form');
  await form.waitFor();
  await page.getByRole('button', { name: 'Cancel the move' }).click();
  await form.waitFor({ state: 'detached' });
  assert.deepEqual(await columnTitles(page, 0), ['Fleet renewal', 'Warehouse sensors']);
  assert.equal((await api.get(`/deals/${deals[1].id}`)).version, deals[1].version);

  // Filled in: saved, then moved.
  await dragWithMouse(page, card(page, 'Fleet renewal').locator('.card__handle'), column(page, 1).getByTestId('column-cards'));
  await form.waitFor();
  assert.match((await form.textContent()) ?? '', /Expected close date/);
  await form.locator('input[name="expected_close_date"]').fill('2027-01-31');
  await form.locator('input[name="custom_fields.fleet_size"]').fill('40');
  await captureScreenshot(page, `${artifactsDir}deal-rules-required-en.png`);
  await page.getByTestId('required-fields-submit').click();
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Fleet renewal']));
  await eventually(async () => {
    const deal = await api.get(`/deals/${deals[0].id}`);
    assert.equal(deal.stage_id, pipeline.stages[1].id);
    assert.equal(deal.expected_close_date, '2027-01-31');
    assert.deepEqual(deal.custom_fields, { fleet_size: 40 });
  });

  // The drawer shows the deal's fields by their kind.
  await card(page, 'Fleet renewal').locator('.card__handle').click();
  const fields = page.getByTestId('deal-custom-fields');
  await fields.waitFor();
  assert.equal(await fields.locator('input[name="custom_fields.fleet_size"]').inputValue(), '40');
});

test('a deal is lost for a managed reason picked in the lose dialog', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal', amount_minor: 1_000_000 }] });
  const price = await api.post('/lost-reasons', { name: 'Price' });
  const retired = await api.post('/lost-reasons', { name: 'Retired reason' });
  await api.patch(`/lost-reasons/${retired.id}`, { active: false }, { 'If-Match': `"${retired.version}"` });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  await page.getByTestId('deal-drawer').waitFor();
  await page.getByRole('button', { name: 'Lost…' }).click();
  const form = page.getByTestId('lose-deal-form');
  await form.waitFor();
  // Only active reasons are offered.
  const offered = await form.locator('select[name="reason_id"] option').allTextContents();
  assert.deepEqual(offered.slice(1), ['Price']);
  await form.locator('select[name="reason_id"]').selectOption(price.id);
  await form.locator('input[name="reason"]').fill('20% above the competitor');
  await captureScreenshot(page, `${artifactsDir}deal-rules-lose-en.png`);
  await form.getByRole('button', { name: 'Mark as lost' }).click();
  await eventually(async () => {
    const deal = await api.get(`/deals/${deals[0].id}`);
    assert.equal(deal.status, 'lost');
    assert.equal(deal.lost_reason_id, price.id);
    assert.equal(deal.lost_reason, '20% above the competitor');
  });
  await page.getByTestId('deal-lost-reason').getByText('Lost for: Price').waitFor();

  // The settings screen lists them, the inactive one marked.
  await page.goto(`${baseUrl}/settings/lost-reasons`);
  const rows = page.getByTestId('lost-reason-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.equal(await rows.nth(1).getAttribute('data-active'), 'false');
  await page.getByTestId('lost-reason-form').locator('input').fill('Timing');
  await page.getByRole('button', { name: 'Add reason' }).click();
  await eventually(async () => assert.equal(await rows.count(), 3));
  await captureScreenshot(page, `${artifactsDir}deal-rules-lost-reasons-en.png`, { fullPage: true });
  assert.deepEqual(
    (await api.get('/lost-reasons')).data.map((reason) => reason.name),
    ['Price', 'Retired reason', 'Timing'],
  );
});

test('Persian: the required-fields dialog and the lost reasons, right to left', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await pipelineWithRules(baseUrl, [{ title: 'تمدید ناوگان', amount_minor: 5_000_000 }], 'IRR');
  await api.post('/lost-reasons', { name: 'قیمت' });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });
  await card(page, 'تمدید ناوگان').waitFor();
  // The first stage is on the right: the next one is to its left.
  await moveWithKeyboard(page, 'تمدید ناوگان', ['ArrowLeft']);
  const form = page.getByTestId('required-fields-form');
  await form.waitFor();
  assert.match((await form.textContent()) ?? '', /این مرحله ابتدا چند اطلاعات/);
  await form.locator('input[name="expected_close_date"]').fill('۱۴۰۵/۱۱/۱۱');
  await form.locator('input[name="custom_fields.fleet_size"]').fill('۱۲');
  assert.equal(await form.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  await captureScreenshot(page, `${artifactsDir}deal-rules-required-fa.png`);
  await page.getByTestId('required-fields-submit').click();
  await eventually(async () => {
    const deal = await api.get(`/deals/${deals[0].id}`);
    assert.equal(deal.stage_id, pipeline.stages[1].id);
    assert.equal(deal.expected_close_date, '2027-01-31');
    assert.deepEqual(deal.custom_fields, { fleet_size: 12 });
  });

  await page.goto(`${baseUrl}/settings/lost-reasons`);
  await page.getByTestId('lost-reason-row').first().waitFor();
  await page.getByRole('heading', { name: 'دلایل از دست رفتن' }).waitFor();
  await captureScreenshot(page, `${artifactsDir}deal-rules-lost-reasons-fa.png`, { fullPage: true });
});

test('pipeline settings define a deal field and set a stage’s required fields', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/settings`);
  const fieldForm = page.getByTestId('deal-field-form');
  await fieldForm.waitFor();
  await fieldForm.getByLabel('Label').fill('Fleet size');
  await fieldForm.getByLabel('Key').fill('fleet_size');
  await fieldForm.getByLabel('Kind').selectOption('number');
  await fieldForm.getByRole('button', { name: 'Add field' }).click();
  await page.getByTestId('deal-fields-section').getByText('fleet_size').waitFor();

  // A stage's entry rules and follow-ups are folded under its row.
  await page.getByTestId('stage-row').nth(1).getByTestId('stage-rules').locator('summary').click();
  const proposal = page.getByTestId('stage-row').nth(1).getByTestId('required-fields-editor');
  await proposal.getByLabel('Amount').check();
  await proposal.getByLabel('Fleet size').check();
  await proposal.getByRole('button', { name: 'Save required fields' }).click();
  await eventually(async () => {
    const stored = await api.get(`/pipelines/${pipeline.id}`);
    assert.deepEqual(stored.stages[1].required_fields, ['amount', 'fleet_size']);
  });
  await captureScreenshot(page, `${artifactsDir}deal-rules-pipeline-settings-en.png`, { fullPage: true });
});
