import assert from 'node:assert/strict';
import { captureScreenshot } from '../support/browser.mjs';
import { openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';

/** An entity's fields as the API lists them, by key. */
async function fieldsOf(api, entity) {
  return new Map((await api.get(`/custom-fields?entity=${entity}`)).data.map((field) => [field.key, field]));
}

test('custom fields: add fields to deals and contacts, see a taken key refused, delete one', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Custom fields' }).click();
  await page.getByRole('heading', { name: 'Deals have no custom fields yet.' }).waitFor();

  const form = page.getByTestId('field-form');
  await form.getByLabel('Label').fill('Fleet size');
  assert.equal(await form.getByLabel('Key').inputValue(), 'fleet_size', 'the key follows the label');
  await form.getByLabel('Kind', { exact: true }).selectOption({ label: 'Number' });
  await form.getByRole('button', { name: 'Add field' }).click();
  await page.locator('[data-testid="field-row"][data-key="fleet_size"]').waitFor();
  const fleet = (await fieldsOf(api, 'deal')).get('fleet_size');
  assert.equal(fleet?.label, 'Fleet size');
  assert.equal(fleet?.kind, 'number');
  assert.equal(fleet?.required, false);

  // The same key again is refused, and said so.
  await form.getByLabel('Label').fill('Fleet size');
  await form.getByRole('button', { name: 'Add field' }).click();
  await page.getByText('A custom field with this key already exists.').waitFor();
  assert.equal((await fieldsOf(api, 'deal')).size, 1);

  // Contacts: a required choice, its choices one a line.
  await page.getByRole('button', { name: 'Contacts' }).click();
  await page.getByRole('heading', { name: 'Contacts have no custom fields yet.' }).waitFor();
  assert.match(page.url(), /entity=contact/);
  await form.getByLabel('Label').fill('Preferred channel');
  await form.getByLabel('Kind', { exact: true }).selectOption({ label: 'Choice' });
  await form.getByLabel('Choices').fill('Phone\nEmail\n\nPhone');
  await form.getByRole('checkbox', { name: /^Required/ }).check();
  await form.getByRole('button', { name: 'Add field' }).click();
  const channelRow = page.locator('[data-testid="field-row"][data-key="preferred_channel"]');
  await channelRow.waitFor();
  assert.match((await channelRow.textContent()) ?? '', /Preferred channel.*preferred_channel.*Choice.*Phone, Email.*Yes/);
  const channel = (await fieldsOf(api, 'contact')).get('preferred_channel');
  assert.deepEqual(channel?.options, ['Phone', 'Email']);
  assert.equal(channel?.required, true);
  await captureScreenshot(page, `${artifactsDir}custom-fields-en.png`, { fullPage: true });

  // Delete, after saying what it costs.
  await page.getByRole('button', { name: 'Deals' }).click();
  await page.getByRole('button', { name: 'Delete Fleet size' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the field “Fleet size”?' });
  await dialog.getByText('stages that require it stop doing so').waitFor();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { name: 'Deals have no custom fields yet.' }).waitFor();
  assert.equal((await fieldsOf(api, 'deal')).size, 0);
  assert.equal((await fieldsOf(api, 'contact')).size, 1, 'the contacts’ field stays');

  await page.setViewportSize(phone);
  await page.getByRole('button', { name: 'Contacts' }).click();
  await channelRow.waitFor();
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}custom-fields-en-phone.png`, { fullPage: true });
});

test('custom fields: in Persian, a Persian label with a typed key', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/settings/custom-fields?entity=lead', { locale: 'fa' });
  await page.getByRole('heading', { name: 'سرنخ‌ها هنوز فیلد سفارشی ندارند.' }).waitFor();
  const form = page.getByTestId('field-form');
  await form.getByLabel('برچسب').fill('ناوگان دارد');
  assert.equal(await form.getByLabel('کلید').inputValue(), '', 'a Persian label suggests no key');
  await form.getByLabel('کلید').fill('has_fleet');
  await form.getByLabel('نوع', { exact: true }).selectOption({ label: 'بله/خیر' });
  await form.getByRole('button', { name: 'افزودن فیلد' }).click();
  const row = page.locator('[data-testid="field-row"][data-key="has_fleet"]');
  await row.waitFor();
  const field = (await fieldsOf(api, 'lead')).get('has_fleet');
  assert.equal(field?.label, 'ناوگان دارد');
  assert.equal(field?.kind, 'boolean');
  assert.match((await row.textContent()) ?? '', /ناوگان دارد.*has_fleet.*بله\/خیر.*خیر/);
  await captureScreenshot(page, `${artifactsDir}custom-fields-fa.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}custom-fields-fa-phone.png`, { fullPage: true });
});
