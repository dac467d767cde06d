import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

// The suite's server has no SMTP server (KARIZ_SMTP_URL unset): its sender marks every queued
// email not sent, and the log says why. Delivery over SMTP is covered by tests/it/emails.rs.
test('emails: the log explains an unsent email; a template is checked, saved and previewed', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  const contact = await api.post('/contacts', { name: 'Reza Karimi', email: 'reza@example.test' });
  const queued = await api.post(`/contacts/${contact.id}/emails`, { subject: 'Your quote, {{contact.first_name}}', body: 'See you soon.' });
  assert.equal(queued.status, 'queued');

  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Emails' }).click();
  await page.getByRole('heading', { name: 'Emails', exact: true }).waitFor();

  // The sender marks it not sent within a second or so; the log refreshes while it is queued.
  const row = page.getByTestId('email-log').locator('[data-testid="email-row"][data-status="not_sent"]');
  await row.waitFor({ timeout: 20_000 });
  assert.match((await row.textContent()) ?? '', /Your quote, Reza.*Not sent/);
  assert.match((await row.getByTestId('email-reason').textContent()) ?? '', /no mail server is set up/);

  // A template with a misspelt placeholder is refused, naming it next to the field.
  const form = page.getByTestId('email-template-form');
  await form.getByLabel('Name').fill('Quote follow-up');
  await form.getByLabel('Subject').fill('About {{deal.titel}}');
  await form.getByLabel('Body').fill('Hi {{contact.first_name}},\nyour quote is {{deal.amount}}.');
  await form.getByRole('button', { name: 'Save and preview' }).click();
  await form.locator('.field--invalid .field__error').filter({ hasText: 'deal.titel' }).waitFor();

  // Fixed, it is saved and previewed with sample values.
  await form.getByLabel('Subject').fill('About {{deal.title}}');
  await form.getByRole('button', { name: 'Save and preview' }).click();
  const preview = page.getByTestId('email-preview');
  await preview.waitFor();
  assert.match((await preview.textContent()) ?? '', /About Fleet renewal/);
  assert.equal(await page.getByTestId('email-preview-text').textContent(), 'Hi Sara,\nyour quote is 250,000,000 Rial.');
  await eventually(async () => assert.equal((await api.get('/email-templates')).data.length, 1));
  await page.screenshot({ path: `${artifactsDir}emails-en.png`, fullPage: true });

  // From the contact's page: an email from the template, on their timeline at once.
  await page.goto(`${baseUrl}/contacts/${contact.id}`);
  await page.getByRole('button', { name: 'Send email' }).click();
  const dialog = page.getByTestId('send-email-form');
  await dialog.getByLabel('Template').selectOption({ label: 'Quote follow-up' });
  await dialog.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Email to reza@example.test queued' }).waitFor();
  const entry = page.locator('[data-testid="timeline-entry"][data-kind="email"]').filter({ hasText: 'About' });
  await entry.waitFor();
  await eventually(async () => assert.equal((await api.get(`/emails?contact_id=${contact.id}`)).data.length, 2));

  // In Persian, right to left, with the reason in Persian.
  await page.goto(`${baseUrl}/settings/emails`);
  await page.evaluate(() => localStorage.setItem('kariz.locale', 'fa'));
  await page.reload();
  await page.getByRole('heading', { name: 'ایمیل‌ها', exact: true }).waitFor();
  const persianRow = page.locator('[data-testid="email-row"][data-status="not_sent"]').filter({ hasText: 'Your quote, Reza' });
  assert.match((await persianRow.getByTestId('email-reason').textContent()) ?? '', /سرور ایمیل تنظیم نشده است/);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.screenshot({ path: `${artifactsDir}emails-fa.png`, fullPage: true });
});
