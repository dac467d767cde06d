import assert from 'node:assert/strict';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithLeads } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, overflowProblems, phone } from '../support/layout.mjs';

const desktop = { width: 1440, height: 900 };

/**
 * Two leads named alike who share a phone (the second owned by another member), a lead custom
 * field, and the member; the workspace's admin is also called Sara Ahmadi.
 */
async function twoSaras(baseUrl, names) {
  const workspace = await workspaceWithLeads(baseUrl, { leads: [] });
  const { api } = workspace;
  const bita = await api.post('/users', { email: uniqueEmail('bita'), name: names.member, role: 'member', password: 'long-enough-password' });
  await api.post('/custom-fields', { entity: 'lead', key: 'fleet_size', label: names.fleet, kind: 'number' });
  const kept = await api.post('/leads', { name: names.lead, company: names.keptCompany, email: 'sara@pars.example', phone: '0912 123 4567' });
  const other = await api.post('/leads', {
    name: names.lead,
    company: names.otherCompany,
    email: 'sara@caspian.example',
    phone: '+98 912 123 4567',
    owner_id: bita.id,
  });
  return { ...workspace, bita, kept, other };
}

/** The ids of the leads the inbox lists, in its order. */
function rowIds(page) {
  return page
    .locator('[data-testid="lead-row"]')
    .evaluateAll((rows) => rows.map((row) => row.querySelector('a')?.getAttribute('href')?.split('?')[0]?.split('/').pop()));
}

/**
 * Every step the issue asks of the inbox, with `labels` in the language under test: the owner
 * filter, a new lead warned about its duplicates (saved anyway, then the existing one opened),
 * the merge dialog telling two same-name leads apart, the owner and a custom field edited, and
 * qualifying with a deal title and a stage.
 */
async function walkTheInbox(page, baseUrl, labels, size) {
  const { pair, api, pipeline, bita, kept, other } = await twoSaras(baseUrl, labels.names);
  await page.setViewportSize(size);
  await openSignedIn(page, baseUrl, pair, '/leads', { locale: labels.locale });
  await eventually(async () => assert.deepEqual((await rowIds(page)).sort(), [kept.id, other.id].sort()));

  // The owner filter: Bita's leads only, kept in the URL, then everyone's again.
  const owner = page.getByRole('search').getByLabel(labels.owner);
  await owner.selectOption({ label: labels.names.member });
  await eventually(async () => assert.deepEqual(await rowIds(page), [other.id]));
  assert.match(page.url(), new RegExp(`owner=${bita.id}`));
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}leads-owner-filter-${labels.shot}.png`);
  await owner.selectOption({ label: labels.anyOwner });
  await eventually(async () => assert.equal((await rowIds(page)).length, 2));

  // A new lead with Sara's phone is warned about both Saras before it is saved; it is added anyway.
  await page.getByRole('button', { name: labels.add }).click();
  const form = page.getByTestId('create-lead-form');
  await form.getByLabel(labels.name).fill(labels.names.newLead);
  await form.getByLabel(labels.phone).fill('۰۹۱۲۱۲۳۴۵۶۷');
  await form.getByRole('button', { name: labels.addLead }).click();
  const warning = form.getByTestId('duplicate-warning');
  await warning.waitFor();
  assert.deepEqual(
    (await warning.getByTestId('duplicate-lead').evaluateAll((items) => items.map((item) => item.getAttribute('data-lead-id')))).sort(),
    [kept.id, other.id].sort(),
  );
  await warning.getByText(labels.samePhone).first().waitFor();
  assert.equal((await api.get('/leads')).data.length, 2, 'nothing is saved before the user decides');
  assert.deepEqual(await overflowProblems(page, '[data-testid="create-lead-form"]'), []);
  await captureScreenshot(page, `${artifactsDir}leads-duplicate-warning-${labels.shot}.png`);
  await form.getByRole('button', { name: labels.addAnyway }).click();
  await page.getByTestId('toast-success').filter({ hasText: labels.names.newLead }).waitFor();
  await eventually(async () => assert.equal((await api.get('/leads')).data.length, 3));

  // Again with Sara's email: this time the existing lead is opened instead.
  await page.getByRole('button', { name: labels.add }).click();
  await form.getByLabel(labels.name).fill(labels.names.lead);
  await form.getByLabel(labels.email).fill('sara@pars.example');
  await form.getByRole('button', { name: labels.addLead }).click();
  await warning.locator(`[data-lead-id="${kept.id}"] .duplicate__head a`).click();
  await page.waitForURL(new RegExp(`/leads/${kept.id}$`));
  assert.equal(await form.count(), 0, 'the dialog closed');
  assert.equal((await api.get('/leads')).data.length, 3);

  // The merge dialog shows which Sara is which: email, phone, company, when each came in, owner.
  const drawer = page.getByTestId('lead-drawer');
  await drawer.locator(`[data-testid="duplicate-lead"][data-lead-id="${other.id}"]`).getByRole('button', { name: labels.merge }).click();
  const comparison = page.getByTestId('merge-comparison');
  await comparison.waitFor();
  const cell = (field, lead) => comparison.locator(`tr[data-field="${field}"] td[data-lead-id="${lead.id}"]`).textContent();
  assert.equal(await cell('email', kept), 'sara@pars.example');
  assert.equal(await cell('email', other), 'sara@caspian.example');
  assert.equal(await cell('company', kept), labels.names.keptCompany);
  assert.equal(await cell('company', other), labels.names.otherCompany);
  assert.equal(await cell('owner', kept), 'Sara Ahmadi');
  assert.equal(await cell('owner', other), labels.names.member);
  assert.match((await cell('created', other)) ?? '', labels.datePattern);
  assert.equal(await cell('phone', other), labels.phoneShown);
  assert.deepEqual(await overflowProblems(page, '[data-testid="merge-comparison"]'), []);
  await captureScreenshot(page, `${artifactsDir}leads-merge-compare-${labels.shot}.png`);
  await page.getByTestId('merge-lead-dialog').getByRole('button', { name: labels.cancel }).click();

  // The edit form changes the owner and a custom field.
  await drawer.getByRole('button', { name: labels.edit, exact: true }).click();
  const edit = drawer.getByTestId('lead-edit-form');
  await edit.getByLabel(labels.owner, { exact: true }).selectOption({ label: labels.names.member });
  await edit.getByLabel(new RegExp(labels.names.fleet)).fill(labels.fleetTyped);
  await captureScreenshot(page, `${artifactsDir}leads-edit-owner-${labels.shot}.png`);
  await edit.getByRole('button', { name: labels.save }).click();
  await eventually(async () => {
    const saved = await api.get(`/leads/${kept.id}`);
    assert.equal(saved.owner_id, bita.id);
    assert.deepEqual(saved.custom_fields, { fleet_size: 40 });
  });
  await drawer.getByTestId('lead-fields').getByText(labels.fleetShown, { exact: true }).waitFor();

  // Qualifying names the deal (the company and the person, edited) and opens it in a chosen stage.
  await drawer.getByRole('button', { name: labels.qualify, exact: true }).click();
  const qualify = page.getByTestId('qualify-lead-form');
  assert.equal(await qualify.getByLabel(labels.dealTitle).inputValue(), `${labels.names.keptCompany} — ${labels.names.lead}`);
  assert.deepEqual(await qualify.getByLabel(labels.stage).locator('option').allTextContents(), ['Lead', 'Proposal', 'Negotiation']);
  await qualify.getByLabel(labels.stage).selectOption({ label: 'Proposal' });
  await qualify.getByLabel(labels.dealTitle).fill(labels.dealTitleTyped);
  assert.deepEqual(await overflowProblems(page, '[data-testid="qualify-lead-form"]'), []);
  await captureScreenshot(page, `${artifactsDir}leads-qualify-${labels.shot}.png`);
  await qualify.getByRole('button', { name: labels.qualifySubmit }).click();
  await eventually(async () => assert.equal((await api.get(`/leads/${kept.id}`)).status, 'qualified'));
  const opportunity = await api.get(`/opportunities/${(await api.get(`/leads/${kept.id}`)).opportunity_id}`);
  assert.deepEqual([opportunity.deals[0].title, opportunity.deals[0].stage_id], [labels.dealTitleTyped, pipeline.stages[1].id]);
  // The qualified lead's own new contact is not offered as its duplicate.
  await eventually(async () => assert.equal(await drawer.getByTestId('duplicate-contact').count(), 0));
  await drawer.locator(`[data-testid="duplicate-lead"][data-lead-id="${other.id}"]`).waitFor();
}

test('leads in English: owner filter, duplicate warning, merge comparison, owner and custom field edits, qualify with title and stage (desktop)', async ({
  page,
  baseUrl,
}) => {
  await walkTheInbox(page, baseUrl, english, desktop);
});

test('leads in English on a phone', async ({ page, baseUrl }) => {
  await walkTheInbox(page, baseUrl, { ...english, shot: 'en-phone' }, phone);
});

test('leads in Persian on a phone: the same steps, Persian digits and Jalali dates', async ({ page, baseUrl }) => {
  await walkTheInbox(page, baseUrl, persian, phone);
});

test('leads in Persian at desktop size', async ({ page, baseUrl }) => {
  await walkTheInbox(page, baseUrl, { ...persian, shot: 'fa' }, desktop);
});

const english = {
  locale: 'en',
  shot: 'en',
  names: {
    lead: 'Sara Ahmadi',
    newLead: 'S. Ahmadi',
    member: 'Bita Karimi',
    keptCompany: 'Pars Logistics',
    otherCompany: 'Caspian Foods',
    fleet: 'Fleet size',
  },
  owner: 'Owner',
  anyOwner: 'Anyone’s',
  add: '+ New lead',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  addLead: 'Add lead',
  addAnyway: 'Add anyway',
  samePhone: 'Same phone',
  merge: 'Merge into this lead…',
  cancel: 'Cancel',
  edit: 'Edit',
  save: 'Save changes',
  fleetTyped: '40',
  fleetShown: '40',
  qualify: 'Qualify…',
  qualifySubmit: 'Qualify',
  dealTitle: 'Deal title',
  dealTitleTyped: 'Pars Logistics — 40 trackers',
  stage: 'Stage',
  phoneShown: '+989121234567',
  datePattern: /\d{4}/,
};

const persian = {
  locale: 'fa',
  shot: 'fa-phone',
  names: {
    lead: 'سارا احمدی',
    newLead: 'س. احمدی',
    member: 'بیتا کریمی',
    keptCompany: 'پارس لجستیک',
    otherCompany: 'غذای خزر',
    fleet: 'اندازهٔ ناوگان',
  },
  owner: 'مسئول',
  anyOwner: 'همهٔ مسئولان',
  add: '+ سرنخ تازه',
  name: 'نام',
  email: 'ایمیل',
  phone: 'تلفن',
  addLead: 'افزودن سرنخ',
  addAnyway: 'با این حال افزوده شود',
  samePhone: 'تلفن یکسان',
  merge: 'ادغام در این سرنخ…',
  cancel: 'انصراف',
  edit: 'ویرایش',
  save: 'ذخیرهٔ تغییرات',
  fleetTyped: '۴۰',
  fleetShown: '۴۰',
  qualify: 'واجد شرایط کردن…',
  qualifySubmit: 'واجد شرایط است',
  dealTitle: 'عنوان معامله',
  dealTitleTyped: 'پارس لجستیک — ۴۰ ردیاب',
  stage: 'مرحله',
  phoneShown: '+۹۸۹۱۲۱۲۳۴۵۶۷',
  // A Jalali date in Persian digits, e.g. «۱۵ آذر ۱۴۰۵».
  datePattern: /^[۰-۹]+ [^\d]+ [۰-۹]{4}$/u,
};
