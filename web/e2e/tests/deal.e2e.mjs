import assert from 'node:assert/strict';
import { test } from '../support/harness.mjs';
import { card, eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

test('the deal drawer edits fields, shows the API’s field errors and the stage history', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Fleet renewal', amount_minor: 1_000_000, expected_close_date: '2026-12-15' }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').locator('.card__handle').click();
  await page.waitForURL(new RegExp(`/deals/${deals[0].id}$`));
  const drawer = page.getByTestId('deal-drawer');
  const form = drawer.getByTestId('deal-form');

  // The server refuses a blank title; its message shows under the field.
  await form.getByLabel('Title').fill('   ');
  await form.getByRole('button', { name: 'Save changes' }).click();
  const titleError = form.locator('.field--invalid', { hasText: 'Title' }).locator('.field__error');
  await titleError.waitFor();
  assert.ok(((await titleError.textContent()) ?? '').length > 0);

  // The amount keeps only what makes a number, grouped; one with more decimals than dollars have
  // is caught before sending.
  await form.getByLabel('Title').fill('Fleet renewal 2027');
  await form.getByLabel(/Amount/).fill('12,5x00');
  assert.equal(await form.getByLabel(/Amount/).inputValue(), '12,500');
  await form.getByLabel(/Amount/).fill('12.345');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.getByText('Enter an amount such as 1250 or 1250.50').waitFor();

  await form.getByLabel(/Amount/).fill('15,000.25');
  await form.getByLabel('Win probability (%)').fill('35');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Changes saved' }).waitFor();
  const saved = await api.get(`/deals/${deals[0].id}`);
  assert.equal(saved.title, 'Fleet renewal 2027');
  assert.equal(saved.amount_minor, 1_500_025);
  assert.equal(saved.custom_probability, 35);

  // Tags: a bad one is named by the server and shown under the field; good ones are saved and
  // show on the card as chips.
  await form.getByLabel('Tags').fill('vip, a"b');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.locator('.field--invalid', { hasText: 'Tags' }).locator('.field__error').waitFor();
  await form.getByLabel('Tags').fill('vip، renewal');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await eventually(async () => assert.deepEqual((await api.get(`/deals/${deals[0].id}`)).tags, ['vip', 'renewal']));
  // The server may commit before the page has read its answer.
  await eventually(async () => assert.equal(await form.getByLabel('Tags').inputValue(), 'vip, renewal'));
  await eventually(async () =>
    assert.deepEqual(await card(page, 'Fleet renewal 2027').getByTestId('card-tags').locator('.card__tag').allTextContents(), ['vip', 'renewal']),
  );

  // Moving from the drawer's stage picker adds to the history timeline.
  await drawer.getByLabel('Stage', { exact: true }).selectOption({ label: 'Negotiation' });
  await drawer.getByTestId('stage-history').getByText('Moved from Lead to Negotiation').waitFor();
  await drawer.getByTestId('stage-history').getByText('Created in Lead').waitFor();
  assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, pipeline.stages[2].id);

  // A stale edit is refused and explained, and the form keeps what was typed.
  // The change reaches the open drawer live, which says so instead of overwriting the edit.
  await form.getByLabel('Title').fill('My title');
  const current = await api.get(`/deals/${deals[0].id}`);
  await api.patch(`/deals/${deals[0].id}`, { title: 'Renamed elsewhere' }, { 'If-Match': `"${current.version}"` });
  await form.getByTestId('deal-changed-remotely').waitFor();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.getByText('Someone else changed this deal while you were editing').waitFor();
  assert.equal(await form.getByLabel('Title').inputValue(), 'My title');
  await form.getByRole('button', { name: 'Load the latest version' }).click();
  await page.getByRole('heading', { name: 'Renamed elsewhere' }).waitFor();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).title, 'My title'));

  // Escape closes the drawer and returns to the board's URL.
  await page.keyboard.press('Escape');
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}$`));
  await card(page, 'My title').waitFor();
});
