import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { captureScreenshot, launchBrowser } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** @param {import('playwright-core').Page} page */
async function waitLive(page) {
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
}

/** @param {import('playwright-core').Page} page */
const count = (page) => page.getByTestId('notification-count');

test('notifications: a task one member gives another rings the other’s bell without a reload, worded in English and in Persian', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const me = await api.get('/me');
  const email = uniqueEmail('bita');
  const password = 'another-correct-horse';
  const bita = await api.post('/users', { email, name: 'Bita Rahimi', role: 'member', password });
  const bitaPair = await apiClient(baseUrl).post('/auth/login', { email, password });
  const bitaApi = apiClient(baseUrl, bitaPair.access_token);
  const lead = await api.post('/leads', { name: 'Pars Logistics' });

  const other = await launchBrowser();
  try {
    const pageB = await other.context.newPage();
    await openSignedIn(page, baseUrl, pair, '/agenda');
    await openSignedIn(pageB, baseUrl, bitaPair, '/agenda', { locale: 'fa' });
    await waitLive(page);
    await waitLive(pageB);
    await page.evaluate(() => Object.assign(window, { __notReloaded: true }));
    await pageB.evaluate(() => Object.assign(window, { __notReloaded: true }));
    assert.equal(await count(pageB).count(), 0, 'nothing unread yet');

    // Sara gives Bita a task: Bita's bell (in Persian) rings.
    await api.post('/activities', {
      kind: 'task',
      subject: 'Call back about the fleet quote',
      lead_id: lead.id,
      owner_id: bita.id,
      due_at: '2031-03-04T09:30:00Z',
    });
    await eventually(async () => assert.equal(await count(pageB).textContent(), '۱'));
    await pageB.getByTestId('notification-bell').click();
    const panelB = pageB.getByTestId('notification-panel');
    await panelB.waitFor();
    const itemB = panelB.getByTestId('notification-item').first();
    assert.match((await itemB.textContent()) ?? '', /Sara Ahmadi کاری به شما سپرد: «Call back about the fleet quote»/);
    // The due date in the Jalali calendar with Persian digits: 4 March 2031 is 13 Esfand 1409.
    assert.match((await itemB.textContent()) ?? '', /۱۳ اسفند ۱۴۰۹/);
    assert.equal(await pageB.evaluate(() => document.documentElement.dir), 'rtl');
    await captureScreenshot(pageB, `${artifactsDir}notifications-fa.png`);
    // Sara's own bell stays quiet: the notification is Bita's alone.
    assert.equal(await count(page).count(), 0);

    // Bita hands a task to Sara, and mentions her: Sara's bell (in English) counts both.
    await bitaApi.post('/activities', { kind: 'task', subject: 'Send the revised quote', lead_id: lead.id, owner_id: me.user.id });
    await bitaApi.post('/activities', { kind: 'note', subject: 'Visit notes', body: `@[Sara](${me.user.id}) they want 80 trucks`, lead_id: lead.id });
    await eventually(async () => assert.equal(await count(page).textContent(), '2'));
    await page.getByTestId('notification-bell').click();
    const panel = page.getByTestId('notification-panel');
    const items = panel.getByTestId('notification-item');
    await eventually(async () => assert.equal(await items.count(), 2));
    assert.match((await items.nth(0).textContent()) ?? '', /Bita Rahimi mentioned you in “Visit notes”.*@Sara they want 80 trucks/);
    assert.match((await items.nth(1).textContent()) ?? '', /Bita Rahimi gave you a task: “Send the revised quote”/);
    await page.screenshot({ path: `${artifactsDir}notifications-en.png` });

    // Marking one read lowers the count; "Mark all read" clears it.
    await items.nth(1).getByRole('button', { name: 'Mark read' }).click();
    await eventually(async () => assert.equal(await count(page).textContent(), '1'));
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await eventually(async () => assert.equal(await count(page).count(), 0));
    assert.equal((await api.get('/notifications')).unread_count, 0);
    // Opening Bita's notification marks it read and goes to the lead.
    await itemB.locator('.bell__open').click();
    await pageB.waitForURL(new RegExp(`/leads/${lead.id}$`));
    await eventually(async () => assert.equal(await count(pageB).count(), 0));

    for (const p of [page, pageB]) {
      assert.equal(await p.evaluate(() => /** @type {any} */ (window).__notReloaded), true, 'the page was never reloaded');
    }
  } finally {
    await other.close();
  }
});

test('notifications: the account screen saves preferences, the time zone and makes the calendar address', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/account/notifications');
  const preferences = page.getByTestId('notification-preferences');
  await preferences.getByLabel('A daily digest at 08:00: unread notifications and the day’s tasks').check();
  await preferences.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.equal((await api.get('/me/notification-preferences')).daily_digest, true));

  const zone = page.getByTestId('time-zone-form');
  await zone.getByLabel('Your time zone').fill('Asia/Tehran');
  await zone.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.equal((await api.get('/me')).time_zone, 'Asia/Tehran'));

  const calendar = page.getByTestId('calendar-feed');
  await calendar.getByRole('button', { name: 'Create a calendar address' }).click();
  const address = calendar.getByLabel('Calendar address');
  await address.waitFor();
  const url = await address.inputValue();
  assert.match(url, /\/api\/v1\/calendar\/[\w-]{43}\.ics$/);
  const feed = await fetch(url);
  assert.equal(feed.status, 200);
  assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
  await page.screenshot({ path: `${artifactsDir}notification-settings-en.png`, fullPage: true });
  await calendar.getByRole('button', { name: 'Turn the feed off' }).click();
  await calendar.getByRole('button', { name: 'Create a calendar address' }).waitFor();
  assert.equal((await fetch(url)).status, 404);
});
