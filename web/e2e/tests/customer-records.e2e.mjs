// The customer lists and pages wired together by the app: Edit and Delete on a customer's page,
// an organization's people, saved views on both lists (and a contacts view's segment export),
// and the contacts list's checkboxes and bulk bar, in English and in Persian.
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

/** @param {import('playwright-core').Page} page */
function contactRow(page, name) {
  return page.locator('[data-testid="contact-row"]', { has: page.getByRole('link', { name, exact: true }) });
}

/** The CSV's second column (the name) of each data row. */
function csvNames(text) {
  return text
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(',')[1]);
}

test('customer records: a contact opened from the list is edited on its page, then deleted back to the list', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const reza = await api.post('/contacts', { name: 'Reza Karimi', phone: '+98 912 000 0000', city: 'Shiraz' });
  await api.post('/contacts', { name: 'Mina Rahimi' });
  await openSignedIn(page, baseUrl, pair, '/contacts');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Reza Karimi']));

  await contactRow(page, 'Reza Karimi').getByRole('link', { name: 'Reza Karimi' }).click();
  await page.waitForURL(new RegExp(`/contacts/${reza.id}$`));
  const profile = page.getByTestId('customer-profile');
  await profile.getByRole('heading', { name: 'Reza Karimi' }).waitFor();
  // The server keeps phone numbers in one form (E.164).
  assert.equal(reza.phone, '+989120000000');
  assert.equal(await profile.locator('a[href^="tel:"]').textContent(), reza.phone);

  // Edit: the form holds the contact; saved, the page shows the new phone without a reload.
  await profile.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByTestId('contact-form');
  assert.equal(await form.getByLabel('Name').inputValue(), 'Reza Karimi');
  assert.equal(await form.getByLabel('City').inputValue(), 'Shiraz');
  await form.getByLabel('Phone').fill('+98 912 555 1234');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.waitFor({ state: 'detached' });
  await page.getByTestId('toast-success').getByText('Reza Karimi was saved.').waitFor();
  const saved = await api.get(`/contacts/${reza.id}`);
  assert.equal(saved.phone, '+989125551234');
  assert.equal(await profile.locator('a[href^="tel:"]').textContent(), saved.phone);
  assert.equal(saved.city, 'Shiraz');
  await page.screenshot({ path: `${artifactsDir}customer-page-actions-en.png` });

  // Delete asks first; cancelled, nothing goes.
  await profile.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByTestId('delete-customer');
  await confirm.getByText('Their deals stay, without a contact.').waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await api.get(`/contacts/${reza.id}`)).name, 'Reza Karimi');
  // Confirmed, the contact goes and the list takes the page's place.
  await profile.getByRole('button', { name: 'Delete', exact: true }).click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForURL(new RegExp('/contacts$'));
  await page.getByTestId('toast-success').getByText('“Reza Karimi” was deleted.').waitFor();
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi']));
  await assert.rejects(api.get(`/contacts/${reza.id}`), /404/);
});

test('customer records: an organization’s page lists its people; renamed there, its people’s pages follow; deleted, its people stay', async ({
  page,
  baseUrl,
}) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const pars = await api.post('/organizations', { name: 'Pars Logistics', industry: 'Logistics' });
  await api.post('/contacts', { name: 'Sara Ahmadi', organization_id: pars.id, job_title: 'Fleet manager' });
  await api.post('/contacts', { name: 'Omid Tehrani', organization_id: pars.id, email: 'omid@pars.example' });
  await api.post('/contacts', { name: 'Reza Karimi' });
  await openSignedIn(page, baseUrl, pair, `/organizations/${pars.id}`);
  const people = page.getByTestId('organization-people');
  await eventually(async () =>
    assert.deepEqual(await people.getByTestId('organization-person').locator('a').allTextContents(), ['Omid Tehrani', 'Sara Ahmadi']),
  );
  assert.match((await people.getByTestId('organization-person').nth(1).textContent()) ?? '', /Fleet manager/);

  const profile = page.getByTestId('customer-profile');
  await profile.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByTestId('organization-form');
  await form.getByLabel('Name').fill('Pars Logistics Group');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.waitFor({ state: 'detached' });
  await profile.getByRole('heading', { name: 'Pars Logistics Group' }).waitFor();
  await page.screenshot({ path: `${artifactsDir}organization-page-en.png`, fullPage: true });

  await people.getByRole('link', { name: 'Sara Ahmadi' }).click();
  await page.getByTestId('customer-profile').getByRole('heading', { name: 'Sara Ahmadi' }).waitFor();
  assert.equal(await page.getByTestId('organization-link').textContent(), 'Pars Logistics Group');

  // Deleted from its page, the organization goes; its people stay, without it.
  await page.getByTestId('organization-link').click();
  await profile.getByRole('heading', { name: 'Pars Logistics Group' }).waitFor();
  await profile.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByTestId('delete-customer');
  await confirm.getByText('Its people and deals stay, without an organization.').waitFor();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForURL(new RegExp('/organizations$'));
  await eventually(async () => assert.deepEqual(await page.locator('[data-testid="organization-row"] .leads-table__name a').allTextContents(), []));
  const [sara] = (await api.get('/contacts?q=sara')).data;
  assert.equal(sara.organization_id ?? null, null);
});

test('customer records: a contacts view with a tag filter is saved, applied again after clearing, and exported as a segment', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/contacts', { name: 'Sara Ahmadi', tags: ['vip'] });
  await api.post('/contacts', { name: 'Reza Karimi' });
  await api.post('/contacts', { name: 'Mina Rahimi', tags: ['vip', 'fleet'] });
  await openSignedIn(page, baseUrl, pair, '/contacts');
  await eventually(async () => assert.equal((await contactNames(page)).length, 3));

  await page.getByRole('textbox', { name: 'Tag' }).fill('vip');
  await page.getByRole('textbox', { name: 'Tag' }).press('Enter');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Sara Ahmadi']));
  await page.getByLabel('Sort').selectOption('name');
  await page.getByTestId('saved-views').getByRole('button', { name: 'Save view…' }).click();
  const form = page.getByTestId('view-form');
  await form.getByLabel('Name').fill('VIP customers');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const picker = page.getByLabel('Saved view');
  await eventually(async () => assert.equal(await picker.locator('option:checked').textContent(), 'VIP customers'));
  const [saved] = (await api.get('/views?entity=contacts')).data;
  assert.deepEqual([saved.name, saved.filters, saved.sort], ['VIP customers', { tag: 'vip' }, 'name']);

  // Cleared (sort too) and reloaded, the list shows everyone; the view brings the filter and sort back.
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByLabel('Sort').selectOption('-created_at');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Reza Karimi', 'Sara Ahmadi']));
  await page.reload();
  await eventually(async () => assert.equal((await contactNames(page)).length, 3));
  assert.equal(await picker.inputValue(), '');
  await picker.selectOption({ label: 'VIP customers' });
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Sara Ahmadi']));
  assert.match(page.url(), /\?tag=vip&sort=name$/);
  assert.equal(await page.getByRole('textbox', { name: 'Tag' }).inputValue(), 'vip');

  // The view's menu downloads its segment: the contacts the view selects, in its sort.
  await api.post('/contacts', { name: 'Ali Moradi', tags: ['vip'] });
  await page.getByRole('button', { name: 'Saved view actions' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export these contacts (CSV)' }).click()]);
  assert.equal(download.suggestedFilename(), 'contacts - VIP customers.csv');
  const exported = await readFile(await download.path(), 'utf8');
  assert.ok(exported.startsWith('\uFEFFid,name,'));
  assert.deepEqual(csvNames(exported), ['Ali Moradi', 'Mina Rahimi', 'Sara Ahmadi']);
  await page.screenshot({ path: `${artifactsDir}contacts-view-en.png` });
});

test('customer records: an organizations view with an industry filter is saved and applied again', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/organizations', { name: 'Pars Logistics', industry: 'Logistics' });
  await api.post('/organizations', { name: 'Caspian Foods', industry: 'Food' });
  await openSignedIn(page, baseUrl, pair, '/organizations');
  const names = () => page.locator('[data-testid="organization-row"] .leads-table__name a').allTextContents();
  await eventually(async () => assert.deepEqual(await names(), ['Caspian Foods', 'Pars Logistics']));
  assert.equal(await page.getByRole('checkbox').count(), 0, 'organizations have no bulk actions, so no checkboxes');
  await page.getByLabel('Industry').fill('food');
  await eventually(async () => assert.deepEqual(await names(), ['Caspian Foods']));
  await page.getByTestId('saved-views').getByRole('button', { name: 'Save view…' }).click();
  const form = page.getByTestId('view-form');
  await form.getByLabel('Name').fill('Food');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const [saved] = (await api.get('/views?entity=organizations')).data;
  assert.deepEqual(saved.filters, { industry: 'food' });

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await eventually(async () => assert.equal((await names()).length, 2));
  await page.getByLabel('Saved view').selectOption({ label: 'Food' });
  await eventually(async () => assert.deepEqual(await names(), ['Caspian Foods']));
  assert.match(page.url(), /\?industry=food$/);
  // An organizations view has no segment to export.
  await page.getByRole('button', { name: 'Saved view actions' }).click();
  assert.equal(await page.getByRole('menuitem', { name: 'Export these contacts (CSV)' }).count(), 0);
});

test('customer records: two contacts picked with a shift-click range are tagged in bulk; the summary and the rows say so', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/contacts', { name: 'Reza Karimi' });
  await api.post('/contacts', { name: 'Sara Ahmadi', tags: ['fleet'] });
  await api.post('/contacts', { name: 'Mina Rahimi' });
  await openSignedIn(page, baseUrl, pair, '/contacts');
  await eventually(async () => assert.deepEqual(await contactNames(page), ['Mina Rahimi', 'Sara Ahmadi', 'Reza Karimi']));

  // The first row's checkbox, then shift and the second's; a click on a checkbox does not open the contact.
  await contactRow(page, 'Mina Rahimi').getByRole('checkbox', { name: 'Select “Mina Rahimi”' }).click();
  await contactRow(page, 'Sara Ahmadi')
    .getByRole('checkbox', { name: 'Select “Sara Ahmadi”' })
    .click({ modifiers: ['Shift'] });
  assert.match(page.url(), /\/contacts$/);
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByText('2 selected').waitFor();
  assert.equal(await contactRow(page, 'Reza Karimi').getByRole('checkbox').isChecked(), false);
  // Every member can be assigned.
  await bar.getByLabel('Action').selectOption({ label: 'Assign to…' });
  assert.deepEqual(await bar.getByLabel('New owner').locator('option').allTextContents(), ['Choose a member…', 'Sara Ahmadi']);

  await bar.getByLabel('Action').selectOption({ label: 'Add a tag…' });
  await bar.getByLabel('Tag').fill('priority');
  await page.screenshot({ path: `${artifactsDir}contacts-bulk-en.png` });
  await bar.getByRole('button', { name: 'Apply' }).click();
  await bar.getByTestId('bulk-summary').getByText('2 done').waitFor();
  await eventually(async () => {
    assert.deepEqual(await contactRow(page, 'Mina Rahimi').locator('.tag').allTextContents(), ['priority']);
    assert.deepEqual(await contactRow(page, 'Sara Ahmadi').locator('.tag').allTextContents(), ['fleet', 'priority']);
    assert.deepEqual(await contactRow(page, 'Reza Karimi').locator('.tag').allTextContents(), []);
  });
  const tagged = (await api.get('/contacts?tag=priority&sort=name')).data.map((contact) => contact.name);
  assert.deepEqual(tagged, ['Mina Rahimi', 'Sara Ahmadi']);
  // Everything changed, so nothing stays selected; select all shown picks the three.
  await bar.getByText('2 selected').waitFor({ state: 'detached' });
  await page.getByRole('checkbox', { name: 'Select all shown' }).click();
  await bar.getByText('3 selected').waitFor();
});

test('customer records: Persian: the contacts list’s checkboxes sit at the right, and an organization’s page shows its people', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const pars = await api.post('/organizations', { name: 'پارس لجستیک', industry: 'حمل و نقل' });
  await api.post('/contacts', { name: 'سارا احمدی', organization_id: pars.id, tags: ['ویژه'] });
  await api.post('/contacts', { name: 'رضا کریمی', organization_id: pars.id, phone: '+98 912 000 0000' });
  await openSignedIn(page, baseUrl, pair, '/contacts', { locale: 'fa' });
  const table = page.getByTestId('contacts-table');
  const row = contactRow(page, 'سارا احمدی');
  await row.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');

  await row.getByRole('checkbox', { name: 'انتخاب «سارا احمدی»' }).click();
  const bar = page.getByRole('region', { name: 'کارهای گروهی' });
  await bar.getByText('۱ مورد انتخاب شده').waitFor();
  await page.getByRole('checkbox', { name: 'انتخاب همهٔ موارد نمایش‌داده‌شده' }).click();
  await bar.getByText('۲ مورد انتخاب شده').waitFor();

  // Right to left: the checkbox column is the rightmost, against the table's right edge, the name to its left.
  const checkbox = await row.getByRole('checkbox').boundingBox();
  const name = await row.getByRole('link', { name: 'سارا احمدی' }).boundingBox();
  const tableBox = await table.boundingBox();
  const selectCell = await table.locator('thead .leads-table__select').boundingBox();
  assert.ok(checkbox && name && tableBox && selectCell);
  assert.ok(checkbox.x > name.x + name.width, 'the checkbox is to the right of the name');
  assert.ok(tableBox.x + tableBox.width - (selectCell.x + selectCell.width) < 4, 'the checkbox column touches the right edge');
  assert.equal(await bar.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  assert.ok(await page.getByTestId('saved-views').isVisible());
  // Phone numbers too are in Persian digits.
  assert.match((await contactRow(page, 'رضا کریمی').textContent()) ?? '', /\+۹۸۹۱۲۰۰۰۰۰۰۰/);
  assert.doesNotMatch((await table.textContent()) ?? '', /[0-9]/, 'no ASCII digits in the Persian table');
  await captureScreenshot(page, `${artifactsDir}contacts-bulk-fa.png`);

  // The organization's page: its people, and "Edit" beside the name, in Persian.
  await page.goto(`${baseUrl}/organizations/${pars.id}`);
  const people = page.getByTestId('organization-people');
  await eventually(async () => assert.equal(await people.getByTestId('organization-person').count(), 2));
  await people.getByRole('heading', { name: 'افراد' }).waitFor();
  assert.doesNotMatch((await people.textContent()) ?? '', /[0-9]/, 'no ASCII digits among the people');
  const profile = page.getByTestId('customer-profile');
  await profile.getByRole('button', { name: 'ویرایش', exact: true }).waitFor();
  const profileBox = await profile.boundingBox();
  const peopleBox = await people.boundingBox();
  assert.ok(profileBox && peopleBox && profileBox.x > peopleBox.x + peopleBox.width - 1, 'the profile is right of the people');
  await captureScreenshot(page, `${artifactsDir}organization-page-fa.png`, { fullPage: true });
});
