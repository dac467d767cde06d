import assert from 'node:assert/strict';
import { openSignedIn, uniqueEmail } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';

const desktop = { width: 1440, height: 900 };

/**
 * The field's error is announced with the field (aria-invalid, aria-describedby naming it), says
 * `message`, and sits under the input inside the form.
 */
async function assertErrorUnder(form, label, message) {
  const input = form.getByLabel(label, { exact: true });
  await form.locator('.field__error', { hasText: message }).waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(' ');
  const error = form.locator('.field__error', { hasText: message });
  assert.ok(describedBy.includes((await error.getAttribute('id')) ?? '-'), `the input names its error: ${describedBy}`);
  const [inputBox, errorBox, formBox] = [await input.boundingBox(), await error.boundingBox(), await form.boundingBox()];
  assert.ok(inputBox && errorBox && formBox, 'all on screen');
  assert.ok(errorBox.y >= inputBox.y + inputBox.height - 1, 'the message is under its field');
  assert.ok(errorBox.x >= formBox.x - 1 && errorBox.x + errorBox.width <= formBox.x + formBox.width + 1, 'the message stays inside the form');
}

/** A new lead whose phone the server refuses: its message, in the page's language, under Phone. */
async function refusedPhone(page, { add, submit, name, phoneLabel }) {
  await page.getByRole('button', { name: add }).click();
  const form = page.getByTestId('create-lead-form');
  await form.getByLabel(name, { exact: true }).fill('Nima Rahimi');
  await form.getByLabel(phoneLabel, { exact: true }).fill('12');
  await form.getByRole('button', { name: submit }).click();
  return form;
}

test('forms: a server-side field error shows under its field, in English', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/leads');
  const form = await refusedPhone(page, { add: 'New lead', submit: 'Add lead', name: 'Name', phoneLabel: 'Phone' });
  await assertErrorUnder(form, 'Phone', 'Enter a phone number such as 0912 345 6789 or +98 912 345 6789.');
  assert.equal((await api.get('/leads')).data.length, 0, 'nothing was made');
  await captureScreenshot(page, `${artifactsDir}forms-field-error-en.png`);
  await page.setViewportSize(phone);
  await assertErrorUnder(form, 'Phone', 'Enter a phone number such as 0912 345 6789 or +98 912 345 6789.');
  await captureScreenshot(page, `${artifactsDir}forms-field-error-en-phone.png`);
});

test('forms: a server-side field error shows under its field, in Persian', async ({ page, baseUrl }) => {
  const { pair } = await workspaceWithPipeline(baseUrl);
  await page.setViewportSize(phone);
  await openSignedIn(page, baseUrl, pair, '/leads', { locale: 'fa' });
  const form = await refusedPhone(page, { add: 'سرنخ تازه', submit: 'افزودن سرنخ', name: 'نام', phoneLabel: 'تلفن' });
  const message = 'شماره تلفنی مانند ۰۹۱۲ ۳۴۵ ۶۷۸۹ یا ‎+98 912 345 6789 وارد کنید.';
  await assertErrorUnder(form, 'تلفن', message);
  await captureScreenshot(page, `${artifactsDir}forms-field-error-fa-phone.png`);
  await page.setViewportSize(desktop);
  await assertErrorUnder(form, 'تلفن', message);
  await captureScreenshot(page, `${artifactsDir}forms-field-error-fa.png`);
});

/** The element lies within the screen's width (the board behind a drawer scrolls on its own). */
async function assertWithinScreen(page, locator) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  assert.ok(box, 'on screen');
  assert.ok(box.x >= -1 && box.x + box.width <= width + 1, `it leaves the screen: ${box.x}…${box.x + box.width} of ${width}`);
}

const activityRow = (scope, subject) => scope.locator('[data-testid="activity"]', { has: scope.page().locator('.activity__title', { hasText: subject }) });

test('forms: an activity is edited (subject, owner) and deleted in the deal drawer', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal' }] });
  const bita = await api.post('/users', { email: uniqueEmail('bita'), name: 'Bita Karimi', role: 'member', password: 'long-enough-password' });
  await api.post('/activities', { kind: 'call', subject: 'Call the buyer', deal_id: deals[0].id, due_at: new Date(Date.now() + 86_400_000).toISOString() });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const section = page.getByTestId('deal-drawer').getByTestId('activity-section');
  await section.getByRole('button', { name: 'Edit “Call the buyer”' }).click();
  const form = section.getByTestId('activity-form');
  assert.equal(await form.getByLabel('Subject').inputValue(), 'Call the buyer');
  await form.getByLabel('Subject').fill('Call the fleet buyer');
  await form.getByLabel('Owner').selectOption({ label: 'Bita Karimi' });
  await captureScreenshot(page, `${artifactsDir}forms-activity-edit-en.png`);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Call the fleet buyer” saved' }).waitFor();
  await activityRow(section, 'Call the fleet buyer').waitFor();
  const [saved] = (await api.get(`/activities?deal_id=${deals[0].id}`)).data;
  assert.equal(saved.subject, 'Call the fleet buyer');
  assert.equal(saved.owner_id, bita.id);
  assert.equal(saved.version, 2);

  await page.setViewportSize(phone);
  await assertWithinScreen(page, section);
  await assertWithinScreen(page, section.getByRole('button', { name: 'Delete “Call the fleet buyer”' }));
  await section.getByRole('button', { name: 'Delete “Call the fleet buyer”' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Call the fleet buyer”?' });
  await captureScreenshot(page, `${artifactsDir}forms-activity-delete-en-phone.png`);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Call the fleet buyer” deleted' }).waitFor();
  assert.equal((await api.get(`/activities?deal_id=${deals[0].id}`)).data.length, 0);
  assert.equal(await section.getByTestId('activity').count(), 0);
});

test('forms: in Persian, a new task goes to another member and an edit moves its due date', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'تمدید ناوگان' }] });
  const bita = await api.post('/users', { email: uniqueEmail('bita'), name: 'بیتا کریمی', role: 'member', password: 'long-enough-password' });
  await page.setViewportSize(phone);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`, { locale: 'fa' });
  const section = page.getByTestId('deal-drawer').getByTestId('activity-section');
  await section.getByRole('button', { name: '+ کار تازه' }).click();
  const form = section.getByTestId('activity-form');
  await form.getByLabel('موضوع').fill('پیگیری پیش‌فاکتور');
  await form.getByLabel('مسئول').selectOption({ label: 'بیتا کریمی' });
  await assertWithinScreen(page, form);
  await assertWithinScreen(page, form.getByLabel('مسئول'));
  await captureScreenshot(page, `${artifactsDir}forms-activity-owner-fa-phone.png`);
  await form.getByRole('button', { name: 'افزودن کار' }).click();
  await activityRow(section, 'پیگیری پیش‌فاکتور').waitFor();
  const [created] = (await api.get(`/activities?deal_id=${deals[0].id}`)).data;
  assert.equal(created.owner_id, bita.id, 'the chosen member owns it');

  await page.setViewportSize(desktop);
  await section.getByRole('button', { name: 'ویرایش «پیگیری پیش‌فاکتور»' }).click();
  const edit = section.getByTestId('activity-form');
  await edit.getByLabel('موضوع').fill('');
  await edit.getByRole('button', { name: 'ذخیرهٔ تغییرات' }).click();
  await assertErrorUnder(edit, 'موضوع', 'موضوعی با حداکثر ۲۰۰ نویسه وارد کنید.');
  await captureScreenshot(page, `${artifactsDir}forms-activity-edit-fa.png`);
  await edit.getByLabel('موضوع').fill('پیگیری پیش‌فاکتور فروردین');
  await edit.getByRole('button', { name: 'ذخیرهٔ تغییرات' }).click();
  await activityRow(section, 'پیگیری پیش‌فاکتور فروردین').waitFor();
  const [saved] = (await api.get(`/activities?deal_id=${deals[0].id}`)).data;
  assert.equal(saved.subject, 'پیگیری پیش‌فاکتور فروردین');
  assert.equal(saved.owner_id, bita.id, 'an edit that leaves the owner keeps it');
});

test('forms: a custom field is edited (label, choices, required), its kind shown but kept', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const field = await api.post('/custom-fields', { entity: 'deal', key: 'industry', label: 'Industry', kind: 'select', options: ['Logistics'] });
  await openSignedIn(page, baseUrl, pair, '/settings/custom-fields?entity=deal');
  await page.getByRole('button', { name: 'Edit Industry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit the field “Industry”' });
  await dialog.getByText('Key industry · Choice.').waitFor();
  await dialog.getByLabel('Label').fill('Sector');
  await dialog.getByLabel('Choices').fill('Logistics\nRetail');
  await dialog.getByRole('checkbox', { name: /^Required/ }).check();
  await captureScreenshot(page, `${artifactsDir}forms-custom-field-edit-en.png`);
  await dialog.getByRole('button', { name: 'Save field' }).click();
  const row = page.locator('[data-testid="field-row"][data-key="industry"]');
  await row.filter({ hasText: 'Sector' }).waitFor();
  assert.match((await row.textContent()) ?? '', /Sector.*industry.*Choice.*Logistics, Retail.*Yes/);
  const saved = (await api.get('/custom-fields?entity=deal')).data.find((candidate) => candidate.id === field.id);
  assert.deepEqual([saved.label, saved.options, saved.required], ['Sector', ['Logistics', 'Retail'], true]);
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}forms-custom-field-edit-en-phone.png`, { fullPage: true });
});

test('forms: in Persian, a custom field’s empty choices are refused under the field', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/custom-fields', { entity: 'lead', key: 'channel', label: 'کانال', kind: 'select', options: ['تلفن'] });
  await page.setViewportSize(phone);
  await openSignedIn(page, baseUrl, pair, '/settings/custom-fields?entity=lead', { locale: 'fa' });
  await page.getByRole('button', { name: 'ویرایش کانال' }).click();
  const dialog = page.getByRole('dialog', { name: 'ویرایش فیلد «کانال»' });
  await dialog.getByLabel('برچسب').fill('کانال تماس');
  await dialog.getByLabel('گزینه‌ها').fill('');
  await dialog.getByRole('button', { name: 'ذخیرهٔ فیلد' }).click();
  await assertErrorUnder(dialog.getByTestId('field-edit-form'), 'گزینه‌ها', 'این مقدار این‌جا پذیرفته نیست.');
  await captureScreenshot(page, `${artifactsDir}forms-custom-field-edit-fa-phone.png`);
  await dialog.getByLabel('گزینه‌ها').fill('تلفن\nایمیل');
  await dialog.getByRole('button', { name: 'ذخیرهٔ فیلد' }).click();
  await page.locator('[data-testid="field-row"][data-key="channel"]').filter({ hasText: 'کانال تماس' }).waitFor();
  const [saved] = (await api.get('/custom-fields?entity=lead')).data;
  assert.deepEqual([saved.label, saved.options], ['کانال تماس', ['تلفن', 'ایمیل']]);
});

/** The board's tag filter in `locale` at `size`: the deals' tags in use are its suggestions. */
async function tagSuggestions(page, baseUrl, locale, size, expected) {
  const { pair, pipeline } = await workspaceWithPipeline(baseUrl, {
    deals: [
      { title: 'Fleet renewal', tags: ['fleet', 'vip'] },
      { title: 'Cold storage', tags: ['vip'] },
      { title: 'Trailers', tags: [] },
    ],
  });
  await page.setViewportSize(size);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
  const input = page.locator('input[name="tag"]');
  const listId = await input.getAttribute('list');
  assert.ok(listId, 'the tag input has suggestions');
  const options = page.locator(`datalist[id="${listId}"] option`);
  await options.first().waitFor({ state: 'attached' });
  const values = await options.evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('value'), node.getAttribute('label')]));
  assert.deepEqual(values, expected);
  await input.fill('vip');
  await page.waitForURL(/tag=vip/);
  await assertWithinScreen(page, input);
  await captureScreenshot(page, `${artifactsDir}forms-tag-filter-${locale}${size === phone ? '-phone' : ''}.png`);
}

test('forms: the board’s tag filter suggests the tags in use, most used first', async ({ page, baseUrl }) => {
  await tagSuggestions(page, baseUrl, 'en', desktop, [
    ['vip', '2 deals'],
    ['fleet', '1 deal'],
  ]);
});

test('forms: in Persian, the tag filter’s suggestions count in Persian digits', async ({ page, baseUrl }) => {
  await tagSuggestions(page, baseUrl, 'fa', phone, [
    ['vip', '۲ معامله'],
    ['fleet', '۱ معامله'],
  ]);
});
