import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { card, column, columnTitles, dragWithMouse, eventually, moveWithKeyboard, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { reorderColumn, workspaceWithPipeline } from '../support/fixtures.mjs';

test('dragging a card to another stage with the mouse moves the deal on the server', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [
      { title: 'Fleet renewal', amount_minor: 1_000_000 },
      { title: 'Warehouse sensors', amount_minor: 500_000 },
      { title: 'Cold storage', amount_minor: 200_000, stage: 1 },
    ],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();

  // Drop it below "Cold storage" in the Proposal column.
  await dragWithMouse(page, card(page, 'Fleet renewal').locator('.card__handle'), column(page, 1).getByTestId('column-cards'), { offsetY: 150 });

  // The board shows the move at once…
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Cold storage', 'Fleet renewal']));
  assert.deepEqual(await columnTitles(page, 0), ['Warehouse sensors']);
  // …the server has it…
  await eventually(async () => {
    const deal = await api.get(`/deals/${deals[0].id}`);
    assert.equal(deal.stage_id, pipeline.stages[1].id);
    assert.equal(deal.version, deals[0].version + 1);
  });
  const column1 = (await api.get(`/deals?stage_id=${pipeline.stages[1].id}&sort=position`)).data.map((deal) => deal.title);
  assert.deepEqual(column1, ['Cold storage', 'Fleet renewal']);
  // …and the column totals follow (Proposal is 50 %: $10,000 + $2,000, weighted $6,000).
  await eventually(async () => assert.match((await column(page, 1).locator('.column__totals').textContent()) ?? '', /\$12K.*\$6K/));
  assert.equal(await column(page, 1).getByTestId('column-count').textContent(), '2 deals');

  // The stage history in the drawer records the move.
  await card(page, 'Fleet renewal').locator('.card__handle').click();
  await page.getByTestId('stage-history').getByText('Moved from Lead to Proposal').waitFor();
});

test('keyboard drag and drop moves cards between and within stages', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Alpha' }, { title: 'Beta' }, { title: 'Gamma' }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Alpha').waitFor();

  // Within the column: Alpha goes below Gamma.
  await moveWithKeyboard(page, 'Alpha', ['ArrowDown', 'ArrowDown']);
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['Beta', 'Gamma', 'Alpha']));
  await eventually(async () => {
    const order = (await api.get(`/deals?stage_id=${pipeline.stages[0].id}&sort=position`)).data.map((deal) => deal.title);
    assert.deepEqual(order, ['Beta', 'Gamma', 'Alpha']);
  });

  // Across columns: Beta goes to the next stage (to the right in English).
  await page.waitForTimeout(300);
  await moveWithKeyboard(page, 'Beta', ['ArrowRight']);
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Beta']));
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[1].id}`)).stage_id, pipeline.stages[1].id));
});

test('a stale move rolls back and says why', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Fleet renewal', amount_minor: 1_000_000 }, { title: 'Warehouse sensors' }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();

  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();

  // Someone else changes the deal while the user drags it: the board holds still (their change
  // waits), so the move is sent with the version the user picked up, and refused.
  await dragWithMouse(page, card(page, 'Fleet renewal').locator('.card__handle'), column(page, 2).getByTestId('column-cards'), {
    whileDragging: async () => {
      await api.patch(`/deals/${deals[0].id}`, { amount_minor: 2_000_000 }, { 'If-Match': `"${deals[0].version}"` });
      // Long enough for the change to arrive on the event stream.
      await page.waitForTimeout(700);
      assert.doesNotMatch((await card(page, 'Fleet renewal').textContent()) ?? '', /\$20,000/);
    },
  });

  const toast = page.getByTestId('toast-error');
  await toast.waitFor();
  assert.match((await toast.textContent()) ?? '', /“Fleet renewal” was changed by someone else, so the move was undone/);
  // The card is back in its column, now showing the other person's amount, and nothing moved.
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['Fleet renewal', 'Warehouse sensors']));
  assert.deepEqual(await columnTitles(page, 2), []);
  await eventually(async () => assert.match((await card(page, 'Fleet renewal').textContent()) ?? '', /\$20,000/));
  const stored = await api.get(`/deals/${deals[0].id}`);
  assert.equal(stored.stage_id, pipeline.stages[0].id);
  await page.screenshot({ path: `${artifactsDir}stale-move-rolled-back-en.png` });

  // With the fresh version the same move now succeeds.
  await page.getByTestId('toast-error').getByRole('button', { name: 'Dismiss' }).click();
  await dragWithMouse(page, card(page, 'Fleet renewal').locator('.card__handle'), column(page, 2).getByTestId('column-cards'));
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, pipeline.stages[2].id));
});

test('a refused move says why by its code: the neighbours moved, or the stage is another pipeline’s', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Alpha' }, { title: 'Beta' }, { title: 'Gamma' }, { title: 'Fleet renewal', stage: 1 }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();
  // The codes of the server's refusals, to check that each toast names the cause it was given.
  /** @type {Promise<string>[]} */
  const refusals = [];
  page.on('response', (response) => {
    if (/\/deals\/[^/]+\/move$/.test(response.url()) && !response.ok()) refusals.push(response.json().then((problem) => problem.code));
  });

  // Someone else turns the first column upside down after the board was read: between any two
  // cards the board still shows, there is no place any more.
  await reorderColumn(api, pipeline.stages[0].id, [deals[2], deals[1], deals[0]]);
  assert.deepEqual(await columnTitles(page, 0), ['Alpha', 'Beta', 'Gamma']);
  await moveWithKeyboard(page, 'Fleet renewal', ['ArrowLeft', 'ArrowDown']);
  const neighbours = page.getByTestId('toast-error').filter({ hasText: 'had moved meanwhile' });
  await neighbours.waitFor();
  assert.equal(
    await neighbours.locator('.toast__message').textContent(),
    'The cards around where “Fleet renewal” was dropped had moved meanwhile, so the move was undone. The board now shows where they are; drop it again.',
  );
  assert.deepEqual(await Promise.all(refusals), ['neighbours_moved']);
  // The card is back where it was, the column shows the order the server has, nothing moved.
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['Gamma', 'Beta', 'Alpha']));
  assert.deepEqual(await columnTitles(page, 1), ['Fleet renewal']);
  assert.equal((await api.get(`/deals/${deals[3].id}`)).stage_id, pipeline.stages[1].id);
  // The toast sits at the bottom right, its dismiss button at its right end.
  const toastBox = await neighbours.boundingBox();
  const dismissBox = await neighbours.getByRole('button', { name: 'Dismiss' }).boundingBox();
  assert.ok(toastBox && dismissBox);
  assert.ok(toastBox.x + toastBox.width > 1440 - 40 && toastBox.y + toastBox.height > 900 - 40, 'the toast is at the bottom right');
  assert.ok(dismissBox.x > toastBox.x + toastBox.width / 2, 'dismiss is at the right end');
  await captureScreenshot(page, `${artifactsDir}move-refused-en.png`);
  await neighbours.getByRole('button', { name: 'Dismiss' }).click();

  // A stage of another pipeline: the request is redirected on its way there, as a board out of
  // date with the server could send it, and the server's refusal is named.
  const other = await api.post('/pipelines', { name: 'Renewals', currency: 'USD', stages: [{ name: 'Due', probability: 50 }] });
  await page.route(/\/deals\/[^/]+\/move$/, (route) =>
    route.continue({ postData: JSON.stringify({ stage_id: other.stages[0].id, before_id: null, after_id: null }) }),
  );
  await moveWithKeyboard(page, 'Fleet renewal', ['ArrowLeft']);
  const otherPipeline = page.getByTestId('toast-error').filter({ hasText: 'another pipeline' });
  await otherPipeline.waitFor();
  assert.equal(
    await otherPipeline.locator('.toast__message').textContent(),
    'That stage belongs to another pipeline than “Fleet renewal”, so the move was undone. The board has been refreshed.',
  );
  assert.deepEqual(await Promise.all(refusals), ['neighbours_moved', 'stage_in_other_pipeline']);
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Fleet renewal']));
  assert.equal((await api.get(`/deals/${deals[3].id}`)).stage_id, pipeline.stages[1].id);
});

test('win, lose with a reason and reopen from the card menu', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Fleet renewal' }, { title: 'Warehouse sensors' }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();

  await card(page, 'Fleet renewal').getByRole('button', { name: 'Actions for “Fleet renewal”' }).click();
  await page.getByRole('menuitem', { name: 'Mark as won' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Fleet renewal” marked as won' }).waitFor();
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['Warehouse sensors']));
  assert.equal((await api.get(`/deals/${deals[0].id}`)).status, 'won');

  await card(page, 'Warehouse sensors').getByRole('button', { name: 'Actions for “Warehouse sensors”' }).click();
  await page.getByRole('menuitem', { name: 'Mark as lost…' }).click();
  const form = page.getByTestId('lose-deal-form');
  await form.getByLabel('Why was it lost?').fill('Chose a competitor on price');
  await form.getByRole('button', { name: 'Mark as lost' }).click();
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), []));
  const lost = await api.get(`/deals/${deals[1].id}`);
  assert.equal(lost.status, 'lost');
  assert.equal(lost.lost_reason, 'Chose a competitor on price');

  // The "won" filter shows closed deals, which cannot be dragged; reopen brings one back.
  await page.getByRole('button', { name: 'Won', exact: true }).click();
  await page.waitForURL(/status=won/);
  await card(page, 'Fleet renewal').locator('.badge--won').waitFor();
  await card(page, 'Fleet renewal').getByRole('button', { name: 'Actions for “Fleet renewal”' }).click();
  await page.getByRole('menuitem', { name: 'Reopen' }).click();
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).status, 'open'));
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), []));
});

test('filters live in the URL and survive a reload', async ({ page, baseUrl }) => {
  const { pair, pipeline } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Alpha renewal' }, { title: 'Beta sensors' }, { title: 'Gamma storage', stage: 1 }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Gamma storage').waitFor();

  await page.getByPlaceholder('Search by title').fill('alpha');
  await page.waitForURL(/q=alpha/);
  await eventually(async () => assert.equal(await page.getByTestId('deal-card').count(), 1));
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.waitForURL(/status=all/);

  await page.reload();
  await card(page, 'Alpha renewal').waitFor();
  assert.equal(await page.getByTestId('deal-card').count(), 1);
  assert.equal(await page.getByPlaceholder('Search by title').inputValue(), 'alpha');
  assert.equal(await page.getByRole('button', { name: 'All', exact: true }).getAttribute('aria-pressed'), 'true');

  // An owner filter for someone without deals empties the board, with a way out.
  await page.getByRole('combobox').filter({ hasText: 'Everyone' }).selectOption({ label: 'Me (Sara Ahmadi)' });
  await page.waitForURL(/owner=/);
  await page.getByPlaceholder('Search by title').fill('nothing matches this');
  await page.getByRole('heading', { name: 'No deals match these filters' }).waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await eventually(async () => assert.equal(await page.getByTestId('deal-card').count(), 3));
  assert.equal(new URL(page.url()).search, '');
});

test('columns load more cards as they scroll', async ({ page, baseUrl }) => {
  const deals = Array.from({ length: 65 }, (_, index) => ({ title: `Deal ${String(index + 1).padStart(2, '0')}` }));
  const { pair, pipeline } = await workspaceWithPipeline(baseUrl, { deals });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Deal 01').waitFor();
  // The first screenful renders first, then the rest of the first page.
  await eventually(async () => assert.equal(await column(page, 0).getByTestId('deal-card').count(), 50));
  assert.equal(await column(page, 0).getByTestId('column-count').textContent(), '65 deals');
  await column(page, 0).getByText('50 of 65 shown').waitFor();

  // The board scrolls (every column together, under their sticky headers).
  await page.getByTestId('board').evaluate((board) => board.scrollTo({ top: board.scrollHeight }));
  await eventually(async () => assert.equal(await column(page, 0).getByTestId('deal-card').count(), 65));
  assert.deepEqual((await columnTitles(page, 0)).slice(-2), ['Deal 64', 'Deal 65']);
  assert.equal(await column(page, 0).getByText('shown').count(), 0);
});
