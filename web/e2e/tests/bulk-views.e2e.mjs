// Bulk actions and saved views: the inbox's row checkboxes and bulk bar, its saved views (kept
// on the server, so they survive a reload), the board's select mode, and the bar in Persian.
import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { card, column, columnTitles, dragWithMouse, eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithLeads, workspaceWithPipeline } from '../support/fixtures.mjs';

/** @param {import('playwright-core').Page} page */
function leadRow(page, name) {
  return page.locator('[data-testid="lead-row"]', { has: page.getByRole('link', { name, exact: true }) });
}

/** @param {import('playwright-core').Page} page */
async function rowNames(page) {
  return page.locator('[data-testid="lead-row"] .leads-table__name a').allTextContents();
}

test('bulk and views: two leads picked with a shift-click range are tagged at once, and the summary says so', async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, {
    leads: [{ name: 'Reza Karimi' }, { name: 'Sara Ahmadi', tags: ['fleet'] }, { name: 'Mina Rahimi' }],
  });
  await openSignedIn(page, baseUrl, pair, '/leads');
  await eventually(async () => assert.equal((await rowNames(page)).length, 3));
  const [first, second, third] = await rowNames(page);

  // The first row, then shift and the second: both are selected, the third is not.
  await leadRow(page, first)
    .getByRole('checkbox', { name: `Select “${first}”` })
    .click();
  await leadRow(page, second)
    .getByRole('checkbox', { name: `Select “${second}”` })
    .click({ modifiers: ['Shift'] });
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByText('2 selected').waitFor();
  assert.equal(await leadRow(page, third).getByRole('checkbox').isChecked(), false);

  await bar.getByLabel('Action').selectOption({ label: 'Add a tag…' });
  await bar.getByLabel('Tag').fill('vip');
  await bar.getByRole('button', { name: 'Apply' }).click();
  await bar.getByTestId('bulk-summary').getByText('2 done').waitFor();

  // The inbox is refetched: both rows show the tag, and the server has it.
  await eventually(async () => {
    for (const name of [first, second]) assert.equal(await leadRow(page, name).getByRole('button', { name: 'vip', exact: true }).count(), 1);
  });
  assert.equal(await leadRow(page, third).getByRole('button', { name: 'vip', exact: true }).count(), 0);
  const byName = Object.fromEntries(leads.map((lead) => [lead.name, lead.id]));
  for (const name of [first, second]) assert.ok((await api.get(`/leads/${byName[name]}`)).tags.includes('vip'), `${name} is tagged`);
  assert.ok(!(await api.get(`/leads/${byName[third]}`)).tags.includes('vip'));
  // Everything was done, so nothing stays selected.
  assert.equal(await page.locator('[data-testid="lead-row"] input[type="checkbox"]:checked').count(), 0);
});

test('bulk and views: the inbox filter saved as a view comes back after a reload, and a stale rename is refused', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithLeads(baseUrl, {
    leads: [{ name: 'Reza Karimi' }, { name: 'Sara Ahmadi', tags: ['vip'] }, { name: 'Mina Rahimi', tags: ['vip'] }],
  });
  await openSignedIn(page, baseUrl, pair, '/leads');
  await eventually(async () => assert.equal((await rowNames(page)).length, 3));
  await page.getByRole('searchbox', { name: 'Tag' }).fill('vip');
  await page.getByRole('searchbox', { name: 'Tag' }).press('Enter');
  await eventually(async () => assert.deepEqual((await rowNames(page)).sort(), ['Mina Rahimi', 'Sara Ahmadi']));

  await page.getByTestId('saved-views').getByRole('button', { name: 'Save view…' }).click();
  const form = page.getByTestId('view-form');
  await form.getByLabel('Name').fill('VIP leads');
  await form.getByLabel('Share with everyone in the workspace').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const picker = page.getByLabel('Saved view');
  await eventually(async () => assert.equal(await picker.locator('option:checked').textContent(), 'VIP leads'));
  const [saved] = (await api.get('/views?entity=leads')).data;
  assert.equal(saved.name, 'VIP leads');
  assert.equal(saved.shared, true);
  assert.deepEqual(saved.filters, { status: 'open', tag: 'vip' });

  // Cleared and reloaded, the view is still there; choosing it brings the filter back.
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await eventually(async () => assert.equal((await rowNames(page)).length, 3));
  await page.reload();
  await eventually(async () => assert.equal((await rowNames(page)).length, 3));
  assert.equal(await picker.inputValue(), '');
  await picker.selectOption({ label: 'VIP leads' });
  await eventually(async () => assert.deepEqual((await rowNames(page)).sort(), ['Mina Rahimi', 'Sara Ahmadi']));
  assert.match(page.url(), /tag=vip/);

  // Someone renames the view meanwhile: the rename sent with the older version is refused, the
  // newer version is read, and saving again goes through.
  await api.patch(`/views/${saved.id}`, { name: 'VIP (team)' }, { 'If-Match': `"${saved.version}"` });
  await page.getByRole('button', { name: 'Saved view actions' }).click();
  await page.getByRole('menuitem', { name: /^Rename or share/ }).click();
  await form.getByLabel('Name').fill('VIP open leads');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Someone else changed this view meanwhile').waitFor();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await eventually(async () => assert.equal((await api.get(`/views/${saved.id}`)).name, 'VIP open leads'));
  await eventually(async () => assert.equal(await picker.locator('option:checked').textContent(), 'VIP open leads'));
});

test('bulk and views: in select mode two cards move to another stage together; off, cards drag again', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, {
    deals: [
      { title: 'Fleet renewal', amount_minor: 250_000 },
      { title: 'Warehouse sensors', amount_minor: 120_000 },
      { title: 'Cold storage', amount_minor: 80_000 },
    ],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'Select “Fleet renewal”' }).count(), 0, 'no checkboxes outside select mode');

  const selectMode = page.getByTestId('select-mode');
  await selectMode.click();
  assert.equal(await selectMode.getAttribute('aria-pressed'), 'true');
  // One by its checkbox (with the keyboard), one by a click on the card.
  await page.getByRole('checkbox', { name: 'Select “Fleet renewal”' }).focus();
  await page.keyboard.press('Space');
  await card(page, 'Warehouse sensors').locator('.card__handle').click();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByText('2 selected').waitFor();
  assert.equal(page.url().endsWith(`/pipelines/${pipeline.id}`), true, 'a click in select mode does not open the deal');
  await page.screenshot({ path: `${artifactsDir}board-select-en.png` });

  await bar.getByLabel('Action').selectOption({ label: 'Move to stage…' });
  await bar.getByLabel('Stage').selectOption({ label: 'Negotiation' });
  await bar.getByRole('button', { name: 'Apply' }).click();
  await bar.getByTestId('bulk-summary').getByText('2 done').waitFor();
  await eventually(async () => assert.deepEqual((await columnTitles(page, 2)).sort(), ['Fleet renewal', 'Warehouse sensors']));
  assert.deepEqual(await columnTitles(page, 0), ['Cold storage']);
  const negotiation = pipeline.stages[2].id;
  const moved = (await api.get(`/deals?pipeline_id=${pipeline.id}&stage_id=${negotiation}`)).data.map((deal) => deal.title).sort();
  assert.deepEqual(moved, ['Fleet renewal', 'Warehouse sensors']);

  // Select mode off: no checkboxes, and a card drags to another stage as before.
  await selectMode.click();
  assert.equal(await page.getByRole('checkbox', { name: 'Select “Cold storage”' }).count(), 0);
  await dragWithMouse(page, card(page, 'Cold storage').locator('.card__handle'), column(page, 1).getByTestId('column-cards'));
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Cold storage']));
});

test('bulk and views: in select mode two cards are tagged at once, show the tag as a chip, and the board filters by it', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [
      { title: 'Fleet renewal', amount_minor: 250_000, tags: ['fleet', 'north', 'renewal'] },
      { title: 'Warehouse sensors', amount_minor: 120_000 },
      { title: 'Cold storage', amount_minor: 80_000 },
    ],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();
  // A card shows its first two tags and counts the others.
  const fleetChips = card(page, 'Fleet renewal').getByTestId('card-tags');
  assert.deepEqual(await fleetChips.locator('.card__tag').allTextContents(), ['fleet', 'north', '+1']);
  assert.equal(await card(page, 'Warehouse sensors').getByTestId('card-tags').count(), 0, 'no chips without tags');

  await page.getByTestId('select-mode').click();
  await card(page, 'Fleet renewal').locator('.card__handle').click();
  await card(page, 'Warehouse sensors').locator('.card__handle').click();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByText('2 selected').waitFor();
  await bar.getByLabel('Action').selectOption({ label: 'Add a tag…' });
  await bar.getByLabel('Tag').fill('vip');
  await bar.getByRole('button', { name: 'Apply' }).click();
  await bar.getByTestId('bulk-summary').getByText('2 done').waitFor();

  // The board is refetched: the new tag shows on the card that had none, and the server has it.
  await eventually(async () =>
    assert.deepEqual(await card(page, 'Warehouse sensors').getByTestId('card-tags').locator('.card__tag').allTextContents(), ['vip']),
  );
  await eventually(async () => assert.deepEqual(await fleetChips.locator('.card__tag').allTextContents(), ['fleet', 'north', '+2']));
  assert.match((await fleetChips.getAttribute('title')) ?? '', /vip/);
  const byTitle = Object.fromEntries(deals.map((deal) => [deal.title, deal.id]));
  assert.deepEqual((await api.get(`/deals/${byTitle['Warehouse sensors']}`)).tags, ['vip']);
  assert.deepEqual((await api.get(`/deals/${byTitle['Fleet renewal']}`)).tags, ['fleet', 'north', 'renewal', 'vip']);
  assert.deepEqual((await api.get(`/deals/${byTitle['Cold storage']}`)).tags, []);

  // The board's tag filter, whatever the case: two cards, the column's count follows, and the
  // filter is in the URL.
  await page.getByTestId('select-mode').click();
  // The tag input offers the tags in use (a datalist), so it is a combobox.
  const tagFilter = page.getByRole('combobox', { name: 'Tag' });
  await tagFilter.fill('VIP');
  await tagFilter.press('Enter');
  await eventually(async () => assert.deepEqual((await columnTitles(page, 0)).sort(), ['Fleet renewal', 'Warehouse sensors']));
  assert.match(page.url(), /tag=VIP/);
  await page.reload();
  await eventually(async () => assert.deepEqual((await columnTitles(page, 0)).sort(), ['Fleet renewal', 'Warehouse sensors']));
  assert.equal(await page.getByRole('combobox', { name: 'Tag' }).inputValue(), 'VIP');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await eventually(async () => assert.equal((await columnTitles(page, 0)).length, 3));
});

test('bulk and views: Persian: the bar counts in Persian digits and the checkboxes sit at the right', async ({ page, baseUrl }) => {
  const { pair } = await workspaceWithLeads(baseUrl, { leads: [{ name: 'سارا احمدی' }, { name: 'رضا کریمی' }] });
  await openSignedIn(page, baseUrl, pair, '/leads', { locale: 'fa' });
  const row = leadRow(page, 'سارا احمدی');
  await row.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');

  await row.getByRole('checkbox', { name: 'انتخاب «سارا احمدی»' }).click();
  const bar = page.getByRole('region', { name: 'کارهای گروهی' });
  await bar.getByText('۱ مورد انتخاب شده').waitFor();
  await page.getByRole('checkbox', { name: 'انتخاب همهٔ موارد نمایش‌داده‌شده' }).click();
  await bar.getByText('۲ مورد انتخاب شده').waitFor();

  // Right to left: the checkbox column is the rightmost, the name to its left; the bar's count
  // starts at its right edge.
  const checkbox = await row.getByRole('checkbox').boundingBox();
  const name = await row.getByRole('link', { name: 'سارا احمدی' }).boundingBox();
  assert.ok(checkbox && name && checkbox.x > name.x + name.width, 'the checkbox is to the right of the name');
  const barBox = await bar.boundingBox();
  const count = await bar.getByText('۲ مورد انتخاب شده').boundingBox();
  const action = await bar.getByLabel('کار', { exact: true }).boundingBox();
  assert.ok(barBox && count && action && count.x > action.x, 'the count comes first, on the right');
  assert.ok(barBox.x + barBox.width - (count.x + count.width) < 40, 'the count sits against the right edge');
  await captureScreenshot(page, `${artifactsDir}bulk-bar-fa.png`);
});

test('bulk and views: Persian: tag chips sit inside their card from the right, counted in Persian digits', async ({ page, baseUrl }) => {
  const { pair, pipeline } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'تمدید ناوگان', amount_minor: 250_000, tags: ['نمایشگاه', 'شمال', 'تمدید قرارداد سالانه'] }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });
  const tagged = card(page, 'تمدید ناوگان');
  await tagged.waitFor();
  const chips = tagged.getByTestId('card-tags').locator('.card__tag');
  assert.deepEqual(await chips.allTextContents(), ['نمایشگاه', 'شمال', '+۱']);
  const cardBox = await tagged.boundingBox();
  const boxes = await Promise.all([0, 1, 2].map((index) => chips.nth(index).boundingBox()));
  for (const box of boxes) {
    assert.ok(cardBox && box && box.x >= cardBox.x && box.x + box.width <= cardBox.x + cardBox.width, 'each chip inside its card');
  }
  const [first, second] = boxes;
  assert.ok(first && second && first.x > second.x, 'the first tag on the right, the next to its left');
  assert.ok(await page.getByRole('combobox', { name: 'برچسب' }).isVisible(), 'the tag filter is in the filter bar');
  await captureScreenshot(page, `${artifactsDir}board-tags-fa.png`);
});
