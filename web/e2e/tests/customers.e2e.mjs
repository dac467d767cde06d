import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** @param {import('playwright-core').Page} page */
async function contactNames(page) {
  return page.locator('[data-testid="contact-row"] .leads-table__name a').allTextContents();
}

async function customersWorkspace(baseUrl) {
  // A pipeline too, so that the header shows everything it can.
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/custom-fields', { entity: 'contact', key: 'fleet_size', label: 'Fleet size', kind: 'number' });
  const organization = await api.post('/organizations', { name: 'Pars Logistics', industry: 'Logistics', city: 'Tehran', country: 'IR' });
  return { pair, api, organization };
}

test('contacts: create one with a Jalali birthday and a custom field, search, import a CSV with a bad row, export', async ({ page, baseUrl }) => {
  const { pair, api, organization } = await customersWorkspace(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/contacts');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).waitFor();
  await page.getByRole('heading', { name: 'No contacts yet' }).waitFor();

  // The form: every field, a custom field, and a birthday in the Jalali calendar.
  await page.getByRole('button', { name: '+ New contact' }).first().click();
  const form = page.getByTestId('contact-form');
  await form.getByLabel('Name').fill('Sara Ahmadi');
  await form.getByLabel('Email').fill('sara@pars.example');
  await form.getByLabel('Organization').selectOption({ label: 'Pars Logistics' });
  await form.getByLabel('Tags').fill('vip, fleet');
  await form.getByLabel(/Fleet size/).fill('80x');
  await form.getByRole('button', { name: '+ Add a date' }).click();
  const date = form.getByTestId('important-date').first();
  assert.equal(await date.getByLabel('Kind').inputValue(), 'birthday');
  await date.getByLabel('Calendar').selectOption('jalali');
  // Jalali months by their Persian names, in English too.
  assert.ok((await date.getByLabel('Month').locator('option').allTextContents()).includes('7. Mehr (مهر)'));
  await date.getByLabel('Month').selectOption('7');
  await date.getByLabel('Day').fill('31');
  await date.getByLabel(/Year/).fill('1369');
  await form.getByRole('button', { name: 'Add contact' }).click();
  // What the browser can tell is wrong shows under the fields: Mehr has 30 days, 80x is no number.
  await form.getByText('This month has no such day').waitFor();
  await form.getByText('Enter a number such as 12 or 12.5').waitFor();
  await page.screenshot({ path: `${artifactsDir}contact-form-en.png` });
  await date.getByLabel('Day').fill('12');
  await form.getByLabel(/Fleet size/).fill('80');
  await form.getByRole('button', { name: 'Add contact' }).click();
  await page.getByTestId('toast-success').waitFor();
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Sara Ahmadi']));
  const [sara] = (await api.get('/contacts?q=sara')).data;
  assert.equal(sara.organization_id, organization.id);
  assert.deepEqual(sara.tags, ['vip', 'fleet']);
  assert.deepEqual(sara.custom_fields, { fleet_size: 80 });
  assert.deepEqual(sara.important_dates, [{ kind: 'birthday', label: null, calendar: 'jalali', month: 7, day: 12, year: 1369 }]);
  const row = page.locator('[data-testid="contact-row"]', { hasText: 'Sara Ahmadi' });
  assert.match((await row.textContent()) ?? '', /Pars Logistics.*sara@pars\.example.*vip.*fleet.*Sara Ahmadi/);

  // The search finds her (debounced, into the URL); the row leads to her page.
  await api.post('/contacts', { name: 'Reza Karimi', email: 'reza@example.com', city: 'Shiraz' });
  await page.reload();
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Reza Karimi', 'Sara Ahmadi']));
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('ahmadi');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Sara Ahmadi']));
  assert.match(page.url(), /\?q=ahmadi$/);
  assert.equal(await row.getByRole('link', { name: 'Sara Ahmadi' }).getAttribute('href'), `/contacts/${sara.id}`);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  // The next change starts from the cleared URL: wait for the list to have taken it in.
  await eventually(async () => assert.equal(await page.getByRole('searchbox', { name: 'Search contacts' }).inputValue(), ''));
  await eventually(async () => assert.doesNotMatch(page.url(), /q=/));
  await page.getByLabel('Sort').selectOption('name');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Reza Karimi', 'Sara Ahmadi']));
  assert.match(page.url(), /sort=name/);

  // The import wizard: choose a file, check the guessed columns, preview, run, read the report.
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const csv = [
    'Full Name,E-mail,Company,Fleet size,Favourite colour,City',
    'Mina Rahimi,mina@caspian.example,Caspian Foods,12,green,Rasht',
    'Bad Row,not-an-email,,5,red,Tabriz',
    'Omid Tehrani,omid@example.com,Pars Logistics,7,blue,Tehran',
  ].join('\n');
  await page.locator('input[type="file"]').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const mapping = page.getByTestId('import-mapping');
  await mapping.waitFor();
  const guessed = await mapping.locator('select').evaluateAll((selects) => selects.map((select) => /** @type {HTMLSelectElement} */ (select).value));
  assert.deepEqual(guessed, ['name', 'email', 'organization', 'cf.fleet_size', '', 'city']);
  await page.screenshot({ path: `${artifactsDir}customers-mapping-en.png` });
  // A column left out stays out, even one named like a field.
  await mapping.getByLabel('Field for column “City”').selectOption('');
  await page.getByRole('button', { name: 'Next' }).click();
  const preview = page.getByTestId('import-preview');
  assert.equal(await preview.locator('tbody tr').count(), 3);
  assert.deepEqual(await preview.locator('thead th').allTextContents(), ['Line', 'Name', 'Email', 'Organization (by name)', 'Fleet size']);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  assert.equal(await report.getByTestId('import-failed').textContent(), '1 row failed');
  assert.match((await report.textContent()) ?? '', /3 rows read.*2 created/);
  await report.getByText('Skipped columns: Favourite colour, City').waitFor();
  const errorRows = report.getByTestId('import-errors').locator('tbody tr');
  assert.equal(await errorRows.count(), 1);
  assert.equal(await errorRows.first().getAttribute('data-line'), '3');
  assert.match((await errorRows.first().textContent()) ?? '', /^3email/);
  const [reportFile] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Download the report (CSV)' }).click()]);
  assert.equal(reportFile.suggestedFilename(), 'contact-import-report.csv');
  assert.match(await readFile(await reportFile.path(), 'utf8'), /^\uFEFFLine,Field,Problem\r\n3,email,/);
  await page.screenshot({ path: `${artifactsDir}customers-import-en.png` });
  await report.getByRole('button', { name: 'Done' }).click();
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Omid Tehrani', 'Reza Karimi', 'Sara Ahmadi']));
  assert.equal(await page.getByTestId('contacts-count').textContent(), '4 contacts shown');
  const [mina] = (await api.get('/contacts?q=mina')).data;
  assert.deepEqual([mina.city, mina.custom_fields], [null, { fleet_size: 12 }]);

  // The export downloads what the filters select.
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('example.com');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Omid Tehrani', 'Reza Karimi']));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'contacts.csv');
  const exported = await readFile(await download.path(), 'utf8');
  assert.ok(exported.startsWith('\uFEFFid,name,'));
  assert.deepEqual(
    exported
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[1]),
    ['Omid Tehrani', 'Reza Karimi'],
  );
  await page.screenshot({ path: `${artifactsDir}contacts-en.png` });
});

test('organizations: list, filter by industry, create through the form', async ({ page, baseUrl }) => {
  const { pair, api } = await customersWorkspace(baseUrl);
  await api.post('/organizations', { name: 'Caspian Foods', industry: 'Food', city: 'Rasht', country: 'IR' });
  await openSignedIn(page, baseUrl, pair, '/organizations');
  const names = () => page.locator('[data-testid="organization-row"] .leads-table__name a').allTextContents();
  await eventually(async () => assert.deepEqual(await names(), ['Caspian Foods', 'Pars Logistics']));
  await page.getByLabel('Industry').fill('logistics');
  await eventually(async () => assert.deepEqual(await names(), ['Pars Logistics']));
  assert.match(page.url(), /industry=logistics/);
  await page.getByRole('button', { name: '+ New organization' }).click();
  const form = page.getByTestId('organization-form');
  await form.getByLabel('Name').fill('Alborz Steel');
  await form.getByLabel('Industry').fill('Logistics');
  await form.getByLabel('Founded on').fill('2006-03-21');
  await form.getByRole('button', { name: 'Add organization' }).click();
  await page.getByTestId('toast-success').waitFor();
  await eventually(async () => assert.deepEqual(await names(), ['Alborz Steel', 'Pars Logistics']));
  const [alborz] = (await api.get('/organizations?q=alborz')).data;
  assert.equal(alborz.founded_on, '2006-03-21');
});

test('Persian: the contacts list runs right to left with Persian digits and Jalali months', async ({ page, baseUrl }) => {
  const { pair, api, organization } = await customersWorkspace(baseUrl);
  await api.post('/contacts', { name: 'سارا احمدی', organization_id: organization.id, city: 'تهران', tags: ['ویژه'] });
  await api.post('/contacts', { name: 'رضا کریمی', city: 'شیراز' });
  await openSignedIn(page, baseUrl, pair, '/contacts', { locale: 'fa' });
  const table = page.getByTestId('contacts-table');
  await table.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await page.getByRole('navigation', { name: 'اصلی' }).getByRole('link', { name: 'مخاطبان' }).waitFor();
  await page.getByRole('heading', { name: 'مخاطبان' }).waitFor();
  assert.equal(await page.getByTestId('contacts-count').textContent(), '۲ مخاطب');

  // The first columns (the row checkboxes, then the name) are the rightmost.
  const headers = table.locator('thead th');
  const first = await headers.nth(0).boundingBox();
  const second = await headers.nth(1).boundingBox();
  const select = await table.locator('thead .leads-table__select').boundingBox();
  const tableBox = await table.boundingBox();
  assert.ok(first && second && select && tableBox);
  assert.ok(first.x > second.x, 'the name column is right of the organization column');
  assert.ok(tableBox.x + tableBox.width - (select.x + select.width) < 4, 'the checkbox column touches the right edge');
  assert.ok(Math.abs(select.x - (first.x + first.width)) < 2, 'the name column comes next, at the checkboxes’ left');
  assert.equal(await headers.nth(0).textContent(), 'نام');
  // Persian digits everywhere in the table (the dates it was added on).
  assert.doesNotMatch((await table.textContent()) ?? '', /[0-9]/, 'no ASCII digits in the Persian table');
  assert.match((await table.locator('time').first().textContent()) ?? '', /[۰-۹]/);
  await captureScreenshot(page, `${artifactsDir}contacts-fa.png`);

  // The form offers the Jalali calendar first, its months by name.
  await page.getByRole('button', { name: '+ مخاطب تازه' }).first().click();
  const form = page.getByTestId('contact-form');
  await form.getByRole('button', { name: '+ افزودن تاریخ' }).click();
  const date = form.getByTestId('important-date').first();
  assert.equal(await date.getByLabel('تقویم').inputValue(), 'jalali');
  assert.ok((await date.getByLabel('ماه').locator('option').allTextContents()).includes('مهر (۷)'));
  await form.getByLabel('نام', { exact: true }).fill('مینا رحیمی');
  await date.getByLabel('ماه').selectOption('7');
  await date.getByLabel('روز').fill('۱۲');
  await captureScreenshot(page, `${artifactsDir}contact-form-fa.png`);
  await form.getByRole('button', { name: 'افزودن مخاطب' }).click();
  await page.getByTestId('toast-success').waitFor();
  const [mina] = (await api.get(`/contacts?q=${encodeURIComponent('مینا')}`)).data;
  assert.deepEqual(mina.important_dates, [{ kind: 'birthday', label: null, calendar: 'jalali', month: 7, day: 12, year: null }]);

  // The organizations list too: the people each has, in Persian digits.
  await page.getByRole('navigation', { name: 'اصلی' }).getByRole('link', { name: 'سازمان‌ها' }).click();
  const organizations = page.getByTestId('organizations-table');
  await organizations.waitFor();
  const pars = organizations.locator('[data-testid="organization-row"]', { hasText: 'Pars Logistics' });
  assert.equal(await pars.locator('.customers-table__count').textContent(), '۱');
  assert.doesNotMatch((await organizations.textContent()) ?? '', /[0-9]/, 'no ASCII digits in the Persian table');
  await captureScreenshot(page, `${artifactsDir}organizations-fa.png`);
});
