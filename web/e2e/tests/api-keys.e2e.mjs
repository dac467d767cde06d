import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';
import { inOtherBrowser } from '../support/other-browser.mjs';

const day = 24 * 60 * 60 * 1000;

/** Whether the key opens the deals list. */
async function keyWorks(baseUrl, key) {
  try {
    await apiClient(baseUrl, key).get('/deals');
    return true;
  } catch (error) {
    assert.match(String(error), /→ 401/);
    return false;
  }
}

/**
 * Makes a key through the form, takes the secret from the dialog (copying it with its button),
 * then revokes it, checking each step through the API; `labels` are the screen's words.
 */
async function makeUseAndRevoke(page, context, baseUrl, api, labels) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const form = page.getByTestId('api-key-form');
  await form.getByLabel(labels.name, { exact: true }).fill(labels.keyName);
  await form.getByLabel(labels.lifetime).selectOption({ label: labels.in30Days });
  await form.getByRole('checkbox', { name: labels.read }).uncheck();
  await form.getByRole('checkbox', { name: labels.write }).check();
  const asked = Date.now();
  await form.getByRole('button', { name: labels.make }).click();

  const secret = await page.getByTestId('api-key-secret').inputValue();
  assert.match(secret, /^kz_/);
  await page.getByRole('dialog').getByRole('button', { name: labels.copy }).click();
  await page.getByRole('dialog').getByRole('button', { name: labels.copied }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await page.getByRole('button', { name: labels.stored }).click();
  await page.getByTestId('api-key-secret').waitFor({ state: 'detached' });

  const [stored] = (await api.get('/api-keys')).data;
  assert.equal(stored.name, labels.keyName);
  assert.deepEqual(stored.scopes, ['write']);
  assert.ok(secret.startsWith(stored.prefix), 'the list names the key by its first characters');
  const lifetime = new Date(stored.expires_at).getTime() - asked;
  assert.ok(Math.abs(lifetime - 30 * day) < 60_000, `it stops working in 30 days, not ${lifetime / day}`);
  assert.equal(await keyWorks(baseUrl, secret), true, 'the key shown is the key made');

  const row = page.locator(`[data-testid="api-key-row"][data-prefix="${stored.prefix}"]`);
  assert.equal(await row.getAttribute('data-state'), 'active');
  assert.equal(await row.locator('td').nth(1).textContent(), labels.scopeWrite);
  await row.getByRole('button', { name: labels.revoke }).click();
  await page.locator(`[data-testid="api-key-row"][data-prefix="${stored.prefix}"][data-state="revoked"]`).waitFor();
  assert.ok((await api.get('/api-keys')).data[0].revoked_at, 'the API lists it as revoked');
  assert.equal(await keyWorks(baseUrl, secret), false, 'a revoked key is refused');
  assert.equal(await row.getByRole('button').count(), 0, 'a revoked key offers nothing more');
}

test('api keys: an admin makes a key with scopes and an end, copies it once, and revokes it', async ({ page, context, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'No API keys yet.' }).waitFor();
  await makeUseAndRevoke(page, context, baseUrl, api, {
    name: 'Name',
    keyName: 'Accounting sync',
    lifetime: 'Stops working',
    in30Days: 'In 30 days',
    read: 'Read reads everything its maker can read.',
    write: 'Write also changes records.',
    scopeWrite: 'Write',
    make: 'Make key',
    copy: 'Copy',
    copied: 'Copied',
    stored: 'I have stored it',
    revoke: 'Revoke Accounting sync',
  });
  await captureScreenshot(page, `${artifactsDir}api-keys-en.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}api-keys-en-phone.png`, { fullPage: true });
});

test('api keys: the same in Persian, and a member is told the keys are for admins', async ({ page, context, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/settings/api-keys', { locale: 'fa' });
  await page.getByRole('heading', { name: 'هنوز کلید API ندارید.' }).waitFor();
  await makeUseAndRevoke(page, context, baseUrl, api, {
    name: 'نام',
    keyName: 'همگام‌سازی حسابداری',
    lifetime: 'از کار افتادن',
    in30Days: '۳۰ روز دیگر',
    read: 'خواندن هر چه سازنده‌اش می‌بیند می‌خواند.',
    write: 'نوشتن رکوردها را تغییر هم می‌دهد.',
    scopeWrite: 'نوشتن',
    make: 'ساخت کلید',
    copy: 'کپی',
    copied: 'کپی شد',
    stored: 'ذخیره‌اش کردم',
    revoke: 'باطل کردن همگام‌سازی حسابداری',
  });
  // Dates in the table are Jalali with Persian digits.
  const made = await page.locator('[data-testid="api-key-row"] td').nth(2).textContent();
  assert.match(made ?? '', /^[۰-۹]+ [^\d]+ [۰-۹]{4}$/u);
  await captureScreenshot(page, `${artifactsDir}api-keys-fa.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}api-keys-fa-phone.png`, { fullPage: true });

  const email = `member-${Date.now()}@example.com`;
  await api.post('/users', { email, name: 'Bita', role: 'member', password: 'long-enough-password' });
  const memberPair = await apiClient(baseUrl).post('/auth/login', { email, password: 'long-enough-password' });
  await inOtherBrowser(
    baseUrl,
    memberPair,
    '/settings/api-keys',
    async (memberPage) => {
      await memberPage.getByText('فقط مدیران کل فضای کار می‌توانند کلیدهای API را ببینند و بسازند.').waitFor();
      assert.equal(await memberPage.getByTestId('api-key-form').count(), 0);
    },
    { locale: 'fa' },
  );
});
