import assert from 'node:assert/strict';
import { signUpWorkspace } from '../support/api.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';

/** The workspace's rates as the API lists them, by `currency@day`. */
async function ratesByKey(api) {
  return new Map((await api.get('/exchange-rates')).data.map((rate) => [`${rate.currency}@${rate.rate_date}`, rate]));
}

test('workspace settings: rename, set the time zone and visibility; add, edit and delete exchange rates', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Workspace' }).click();
  const form = page.getByTestId('visibility-form');
  await form.getByLabel('Name').waitFor();
  assert.equal(await form.getByRole('button', { name: 'Save' }).isDisabled(), true, 'nothing to save yet');

  // A zone the server doesn't know is refused next to its field.
  await form.getByLabel('Time zone').fill('Mars/Olympus');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Not a time zone: use a name such as Asia/Tehran or Europe/Berlin').waitFor();

  await form.getByLabel('Name').fill('Pars Trading Co');
  await form.getByLabel('Time zone').fill('Asia/Tehran');
  await form.getByLabel('Deals are visible to').selectOption({ label: 'Their owner and the managers' });
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('.header__workspace', { hasText: 'Pars Trading Co' }).waitFor();
  const workspace = await api.get('/workspace');
  assert.equal(workspace.name, 'Pars Trading Co');
  assert.equal(workspace.time_zone, 'Asia/Tehran');
  assert.equal(workspace.deal_visibility, 'owner_and_managers');
  assert.equal(workspace.lead_visibility, 'everyone');

  // Rates: two added, one changed, one deleted, each checked through the API.
  const rates = page.getByTestId('exchange-rates');
  const add = rates.getByTestId('rate-form');
  await rates.getByText('No exchange rates yet.').waitFor();
  await add.getByLabel('Currency').selectOption({ label: 'Euro (EUR)' });
  await add.getByLabel('Day').fill('2026-11-01');
  await add.getByLabel('USD per unit').fill('1.08');
  await add.getByRole('button', { name: 'Add rate' }).click();
  await rates.locator('[data-testid="rate-row"][data-currency="EUR"]').waitFor();
  await add.getByLabel('Currency').selectOption({ label: 'Iranian rial (IRR)' });
  await add.getByLabel('Day').fill('2026-11-02');
  await add.getByLabel('USD per unit').fill('0.0000238');
  await add.getByRole('button', { name: 'Add rate' }).click();
  await rates.locator('[data-testid="rate-row"][data-currency="IRR"]').waitFor();
  let stored = await ratesByKey(api);
  assert.equal(Number(stored.get('EUR@2026-11-01')?.rate), 1.08);
  assert.equal(Number(stored.get('IRR@2026-11-02')?.rate), 0.0000238);
  // Latest day first.
  assert.deepEqual(await rates.locator('[data-testid="rate-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-currency'))), ['IRR', 'EUR']);

  const euro = rates.locator('[data-testid="rate-row"][data-currency="EUR"]');
  await euro.getByRole('button', { name: 'Edit Rate of EUR on 1 Nov 2026' }).click();
  await euro.getByLabel('Rate of EUR on 1 Nov 2026').fill('1.1');
  await euro.getByRole('button', { name: 'Save' }).click();
  await euro.getByText('1.1', { exact: true }).waitFor();
  stored = await ratesByKey(api);
  assert.equal(Number(stored.get('EUR@2026-11-01')?.rate), 1.1);
  assert.equal(stored.size, 2, 'editing replaced the day’s rate');

  await rates.getByRole('button', { name: 'Delete Rate of IRR on 2 Nov 2026' }).click();
  await rates.locator('[data-testid="rate-row"][data-currency="IRR"]').waitFor({ state: 'detached' });
  stored = await ratesByKey(api);
  assert.equal(stored.has('IRR@2026-11-02'), false);
  await captureScreenshot(page, `${artifactsDir}workspace-settings-en.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}workspace-settings-en-phone.png`, { fullPage: true });
});

test('workspace settings: in Persian, a rate typed in Persian digits, shown with Jalali days', async ({ page, baseUrl }) => {
  const { pair, api } = await signUpWorkspace(baseUrl, { email: uniqueEmail(), currency: 'IRR', name: 'سارا احمدی', workspace: 'بازرگانی پارس' });
  await api.patch('/workspace', { calendar: 'jalali' });
  await openSignedIn(page, baseUrl, pair, '/settings/workspace', { locale: 'fa' });
  const form = page.getByTestId('visibility-form');
  await form.getByLabel('نام').fill('بازرگانی پارس نو');
  await form.getByLabel('سرنخ‌ها را می‌بینند').selectOption({ label: 'مسئول آن و مدیران' });
  await form.getByRole('button', { name: 'ذخیره' }).click();
  await page.locator('.header__workspace', { hasText: 'بازرگانی پارس نو' }).waitFor();
  const workspace = await api.get('/workspace');
  assert.equal(workspace.name, 'بازرگانی پارس نو');
  assert.equal(workspace.lead_visibility, 'owner_and_managers');

  const rates = page.getByTestId('exchange-rates');
  const add = rates.getByTestId('rate-form');
  await add.getByLabel('ارز').selectOption('USD');
  // The day is typed in the Jalali calendar, with Persian digits: ۱۰ آذر ۱۴۰۵ is 1 December 2026.
  await add.getByLabel('روز').fill('۱۴۰۵/۰۹/۱۰');
  await add.getByLabel('ریال برای هر واحد').fill('۱٬۰۲۰٬۰۰۰');
  await add.getByRole('button', { name: 'افزودن نرخ' }).click();
  const row = rates.locator('[data-testid="rate-row"][data-currency="USD"]');
  await row.waitFor();
  assert.equal(Number((await ratesByKey(api)).get('USD@2026-12-01')?.rate), 1020000);
  assert.equal(await row.locator('td').nth(1).textContent(), '۱۰ آذر ۱۴۰۵');
  assert.equal(await row.locator('td').nth(2).textContent(), '۱٬۰۲۰٬۰۰۰');
  await captureScreenshot(page, `${artifactsDir}workspace-settings-fa.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}workspace-settings-fa-phone.png`, { fullPage: true });
});
