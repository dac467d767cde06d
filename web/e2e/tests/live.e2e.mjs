import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { card, column, columnTitles, dragWithMouse, eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { captureScreenshot, launchBrowser } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** @param {import('playwright-core').Page} page */
const indicator = (page) => page.getByTestId('live-indicator');

/** @param {import('playwright-core').Page} page */
async function waitLive(page) {
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
}

/** A move through the API with the deal's current version, as another client would make it. */
async function moveByApi(api, dealId, stageId) {
  const current = await api.get(`/deals/${dealId}`);
  return api.post(`/deals/${dealId}/move`, { stage_id: stageId }, { 'If-Match': `"${current.version}"` });
}

test(
  'live board: another member’s moves, new deals and edits reach an open board and drawer without a reload, also after the network drops',
  async ({ page, context, baseUrl }) => {
    const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
      deals: [
        { title: 'Fleet renewal', amount_minor: 1_000_000 },
        { title: 'Warehouse sensors', amount_minor: 500_000 },
        { title: 'Cold storage', amount_minor: 200_000, stage: 1 },
      ],
    });
    // A second member of the same workspace, signed in from another browser.
    const email = uniqueEmail('bita');
    const password = 'another-correct-horse';
    await api.post('/users', { email, name: 'Bita Rahimi', role: 'manager', password });
    const bitaPair = await apiClient(baseUrl).post('/auth/login', { email, password });
    const bitaApi = apiClient(baseUrl, bitaPair.access_token);

    const other = await launchBrowser();
    try {
      const pageB = await other.context.newPage();
      await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
      await openSignedIn(pageB, baseUrl, bitaPair, `/pipelines/${pipeline.id}`);
      await card(page, 'Fleet renewal').waitFor();
      await card(pageB, 'Fleet renewal').waitFor();
      await waitLive(page);
      await waitLive(pageB);
      assert.equal(await indicator(page).textContent(), 'Live');
      assert.equal(await indicator(page).getAttribute('aria-live'), 'polite');
      // A mark that a reload would wipe out.
      await page.evaluate(() => Object.assign(window, { __notReloaded: true }));
      assert.equal(await column(page, 0).getByTestId('column-count').textContent(), '2 deals');

      // Bita drags "Fleet renewal" to Proposal on her board; it arrives on this one, counts and all.
      await dragWithMouse(pageB, card(pageB, 'Fleet renewal').locator('.card__handle'), column(pageB, 1).getByTestId('column-cards'), { offsetY: 150 });
      await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, pipeline.stages[1].id));
      await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Cold storage', 'Fleet renewal']));
      assert.deepEqual(await columnTitles(page, 0), ['Warehouse sensors']);
      await eventually(async () => assert.equal(await column(page, 0).getByTestId('column-count').textContent(), '1 deal'));
      assert.equal(await column(page, 1).getByTestId('column-count').textContent(), '2 deals');
      // Proposal is 50 %: $10,000 + $2,000, weighted $6,000.
      await eventually(async () => assert.match((await column(page, 1).locator('.column__totals').textContent()) ?? '', /\$12K.*\$6K/));
      // The card someone else moved is highlighted for a moment.
      await card(page, 'Fleet renewal').and(page.locator('.card--remote')).waitFor();
      await page.screenshot({ path: `${artifactsDir}live-board-en.png` });
      // Her own board did not flash her own move.
      assert.equal(await card(pageB, 'Fleet renewal').and(pageB.locator('.card--remote')).count(), 0);

      // A deal created through the API appears in its place.
      await bitaApi.post('/deals', { pipeline_id: pipeline.id, stage_id: pipeline.stages[0].id, title: 'Harbour cranes', amount_minor: 300_000 });
      await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['Warehouse sensors', 'Harbour cranes']));
      assert.equal(await column(page, 0).getByTestId('column-count').textContent(), '2 deals');

      // With a deal's drawer open, an edit elsewhere shows at once and is announced.
      await card(page, 'Warehouse sensors').locator('.card__handle').click();
      const drawer = page.getByTestId('deal-drawer');
      await drawer.waitFor();
      let current = await bitaApi.get(`/deals/${deals[1].id}`);
      await bitaApi.patch(`/deals/${deals[1].id}`, { title: 'Warehouse sensors (phase 2)' }, { 'If-Match': `"${current.version}"` });
      await drawer.getByTestId('deal-updated-remotely').filter({ hasText: 'Updated by someone else just now' }).waitFor();
      await eventually(async () => assert.equal(await drawer.getByLabel('Title').inputValue(), 'Warehouse sensors (phase 2)'));
      // With unsaved edits the form is not overwritten: it says the deal changed.
      await drawer.getByLabel('Title').fill('Warehouse sensors, my title');
      current = await bitaApi.get(`/deals/${deals[1].id}`);
      await bitaApi.patch(`/deals/${deals[1].id}`, { amount_minor: 700_000 }, { 'If-Match': `"${current.version}"` });
      await drawer.getByTestId('deal-changed-remotely').filter({ hasText: 'This deal changed' }).waitFor();
      assert.equal(await drawer.getByLabel('Title').inputValue(), 'Warehouse sensors, my title');
      await drawer.getByRole('button', { name: 'reload', exact: true }).click();
      await eventually(async () => assert.equal(await drawer.getByLabel('Title').inputValue(), 'Warehouse sensors (phase 2)'));
      await page.keyboard.press('Escape');
      await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}$`));

      // The network drops: the indicator says so, and a move made meanwhile arrives once it is back
      // (the stream resumes from the last event it received).
      await context.setOffline(true);
      await page.locator('[data-testid="live-indicator"][data-status="reconnecting"]').waitFor();
      assert.equal(await indicator(page).textContent(), 'Reconnecting…');
      await moveByApi(bitaApi, deals[2].id, pipeline.stages[2].id);
      await page.waitForTimeout(1_000);
      assert.deepEqual(await columnTitles(page, 2), [], 'nothing arrives while offline');
      await context.setOffline(false);
      await waitLive(page);
      await eventually(async () => assert.deepEqual(await columnTitles(page, 2), ['Cold storage']));
      assert.deepEqual(await columnTitles(page, 1), ['Fleet renewal']);
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__notReloaded), true, 'the page was never reloaded');

      // In Persian the indicator speaks Persian, in the header, on the left of a right-to-left page's account.
      await pageB.evaluate(() => localStorage.setItem('kariz.locale', 'fa'));
      await pageB.reload();
      await pageB.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
      assert.equal(await indicator(pageB).textContent(), 'زنده');
      assert.equal(await pageB.evaluate(() => document.documentElement.dir), 'rtl');
      const header = await pageB.locator('header.header').boundingBox();
      const dot = await indicator(pageB).boundingBox();
      assert.ok(header && dot && dot.y >= header.y && dot.y + dot.height <= header.y + header.height, 'the indicator sits in the header');
      await eventually(async () => assert.deepEqual(await columnTitles(pageB, 2), ['Cold storage']));
      await captureScreenshot(pageB, `${artifactsDir}live-board-fa.png`);
    } finally {
      await other.close();
    }
  },
  { timeoutMs: 120_000 },
);
