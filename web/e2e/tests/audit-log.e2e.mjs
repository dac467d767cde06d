import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';
import { inOtherBrowser } from '../support/other-browser.mjs';

/**
 * A workspace where two people changed things: Bita (a member) adds a contact, Sara (the admin)
 * renames it and adds `leads` leads, so the log has entries by each, about several records.
 */
async function workspaceWithHistory(baseUrl, { leads = 0 } = {}) {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const email = uniqueEmail('bita');
  const bita = await api.post('/users', { email, name: 'Bita Karimi', role: 'member', password: 'long-enough-password' });
  const bitaPair = await apiClient(baseUrl).post('/auth/login', { email, password: 'long-enough-password' });
  const contact = await apiClient(baseUrl, bitaPair.access_token).post('/contacts', { name: 'Nima Rad' });
  await api.patch(`/contacts/${contact.id}`, { name: 'Nima Radmanesh' }, { 'If-Match': `"${contact.version}"` });
  for (let index = 0; index < leads; index++) await api.post('/leads', { name: `Lead ${index + 1}`, email: `lead-${index + 1}@example.com` });
  return { pair, api, bita, bitaPair, contact };
}

/** Every entry the API lists for these filters, all pages. */
async function auditEntries(api, query) {
  const entries = [];
  let cursor = null;
  do {
    const page = await api.get(`/audit?${new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) })}`);
    entries.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return entries;
}

/** The date field's value for a day `days` from today, in the browser's (and this process's) zone. */
function localDay(days) {
  const day = new Date();
  day.setDate(day.getDate() + days);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

test('audit log: filter by who, kind of record, record and days, page back, and read each change', async ({ page, baseUrl }) => {
  const { pair, api, bita, contact } = await workspaceWithHistory(baseUrl, { leads: 30 });
  await openSignedIn(page, baseUrl, pair, '/leads');
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  const rows = page.getByTestId('audit-row');
  const filters = page.getByTestId('audit-filters');

  // Who: only Bita's changes, as the API counts them.
  await filters.getByLabel('Who').selectOption({ label: 'Bita Karimi' });
  await page.locator('[data-testid="audit-row"][data-action="contact.created"]').waitFor();
  const byBita = await auditEntries(api, { actor_user_id: bita.id });
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="audit-row"]').length === count, byBita.length);
  for (const who of await rows.locator('td:nth-child(2)').allTextContents()) assert.equal(who, 'Bita Karimi');
  assert.match(page.url(), new RegExp(`actor=${bita.id}`), 'the filters are in the address, to share or come back to');

  // A record: its creation by Bita and Sara's rename, before → after.
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByLabel('Kind of record').selectOption({ label: 'Contact' });
  await filters.getByLabel('Record id').fill(contact.id);
  const renamed = page.locator('[data-testid="audit-row"][data-action="contact.updated"]');
  await renamed.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 2);
  assert.match((await renamed.textContent()) ?? '', /Sara Ahmadi.*Contact changed.*name Nima Rad → Nima Radmanesh/);
  const created = page.locator('[data-testid="audit-row"][data-action="contact.created"]');
  assert.match((await created.textContent()) ?? '', /Bita Karimi.*Contact created/);
  await created.getByText(/\d+ fields/).click();
  await created.getByText('Nima Rad', { exact: true }).waitFor();
  await created.getByRole('link').click();
  await page.waitForURL(`**/contacts/${contact.id}`);
  await page.goBack();
  await renamed.waitFor();

  // Days: nothing from tomorrow on; today's changes from today.
  await filters.getByLabel('From').fill(localDay(1));
  await page.getByRole('heading', { name: 'No changes match these filters.' }).waitFor();
  await filters.getByLabel('From').fill(localDay(0));
  await filters.getByLabel('To').fill(localDay(0));
  await renamed.waitFor();

  // Pages of 25: the leads' 30 creations take a second page.
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByLabel('Kind of record').selectOption({ label: 'Lead' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 25);
  assert.equal((await auditEntries(api, { entity_type: 'lead' })).length, 30);
  await page.getByRole('button', { name: 'Show older changes' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 30);
  await page.getByRole('button', { name: 'Show older changes' }).waitFor({ state: 'detached' });
  assert.match((await rows.last().textContent()) ?? '', /Lead created/);
  const shownIds = await rows.locator('td:nth-child(4)').allTextContents();
  assert.equal(new Set(shownIds).size, 30, 'each lead is told apart by the id shown');
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreenshot(page, `${artifactsDir}audit-log-en.png`);
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}audit-log-en-phone.png`);
});

test('audit log: in Persian, right to left, with Persian dates; members are refused', async ({ page, baseUrl }) => {
  const { pair, bitaPair, contact } = await workspaceWithHistory(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/settings/audit-log?record=${contact.id}`, { locale: 'fa' });
  await page.getByRole('heading', { name: 'گزارش تغییرات', level: 1 }).waitFor();
  const renamed = page.locator('[data-testid="audit-row"][data-action="contact.updated"]');
  await renamed.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 2);
  assert.match((await renamed.textContent()) ?? '', /Sara Ahmadi.*مخاطب تغییر کرد.*name Nima Rad → Nima Radmanesh/);
  assert.match((await renamed.locator('td').first().textContent()) ?? '', /[۰-۹]{4}/u, 'the date has Persian digits');
  assert.doesNotMatch((await renamed.locator('td').first().textContent()) ?? '', /\d/);
  // Right to left: "When" is the rightmost column.
  const table = await page.getByTestId('audit-table').boundingBox();
  const when = await renamed.locator('td').first().boundingBox();
  assert.ok(table && when && Math.abs(table.x + table.width - (when.x + when.width)) < 2, 'the first column is on the right');
  await captureScreenshot(page, `${artifactsDir}audit-log-fa.png`);
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}audit-log-fa-phone.png`);

  await inOtherBrowser(
    baseUrl,
    bitaPair,
    '/settings/audit-log',
    async (memberPage) => {
      await memberPage.getByText('فقط مدیران کل فضای کار می‌توانند گزارش تغییرات را بخوانند.').waitFor();
      assert.equal(await memberPage.getByTestId('audit-row').count(), 0);
    },
    { locale: 'fa' },
  );
});
