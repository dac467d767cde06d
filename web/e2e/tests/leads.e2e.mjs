import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { artifactsDir, test } from '../support/harness.mjs';
import { card, eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithLeads } from '../support/fixtures.mjs';

const rules = [
  { name: 'Decision maker', condition: { kind: 'field_contains', field: 'job_title', value: 'CEO' }, points: 30 },
  { name: 'Met at an exhibition', condition: { kind: 'source_in', sources: ['exhibition'] }, points: 20 },
  { name: 'Reachable by phone', condition: { kind: 'field_present', field: 'phone' }, points: 10 },
];

/** @param {import('playwright-core').Page} page */
function leadRow(page, name) {
  return page.locator('[data-testid="lead-row"]', { has: page.getByRole('link', { name, exact: true }) });
}

/** @param {import('playwright-core').Page} page */
async function rowNames(page) {
  return page.locator('[data-testid="lead-row"] .leads-table__name a').allTextContents();
}

test('the lead inbox lists open leads best score first, explains a score and exports what it shows', async ({ page, baseUrl }) => {
  const { pair, pipeline } = await workspaceWithLeads(baseUrl, {
    rules,
    leads: [
      { name: 'Reza Karimi', phone: '0912 123 4567', source: 'website', tags: ['fleet'] },
      { name: 'Sara Ahmadi', job_title: 'CEO', phone: '+98 912 765 4321', source: 'exhibition', company: 'Pars Logistics', tags: ['fleet', 'vip'] },
      { name: 'Omid Tehrani', job_title: 'CEO', email: 'omid@example.com', status: 'working' },
      { name: 'Mina Rahimi', source: 'exhibition', company: 'Caspian Foods' },
      { name: 'Dropped Lead', job_title: 'CEO', phone: '0912 000 0000', source: 'exhibition', status: 'disqualified' },
    ],
  });
  // The header leads from the board to the inbox.
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
  await page.waitForURL(/\/leads$/);

  // Open leads (new and working, in one list), best score first; the disqualified one is not here.
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Sara Ahmadi', 'Omid Tehrani', 'Mina Rahimi', 'Reza Karimi']));
  const sara = leadRow(page, 'Sara Ahmadi');
  assert.equal(await sara.getByTestId('lead-score').textContent(), '60');
  assert.match((await sara.textContent()) ?? '', /Pars Logistics.*Exhibition.*New.*fleet.*vip.*0d.*\+989127654321/);
  assert.match((await leadRow(page, 'Omid Tehrani').textContent()) ?? '', /Working.*omid@example\.com/);
  assert.equal(await page.getByTestId('leads-count').textContent(), '4 leads shown');
  await page.screenshot({ path: `${artifactsDir}leads-en.png` });

  // The drawer explains the score rule by rule.
  await sara.getByRole('link', { name: 'Sara Ahmadi' }).click();
  await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
  const rulesList = page.getByTestId('lead-drawer').getByTestId('score-rules');
  await rulesList.waitFor();
  assert.deepEqual(
    (await rulesList.locator('li').allTextContents()).map((text) => text.replace(/\s+/g, ' ')),
    ['Decision maker+30', 'Met at an exhibition+20', 'Reachable by phone+10', 'Total60'],
  );
  await page.keyboard.press('Escape');
  await page.waitForURL(/\/leads$/);

  // Filters: a tag (clicked in a row), then text, then every status; they live in the URL.
  await sara.getByRole('button', { name: 'vip' }).click();
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Sara Ahmadi']));
  assert.match(page.url(), /tag=vip/);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByRole('searchbox', { name: 'Search leads' }).fill('caspian');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Mina Rahimi']));
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByLabel('Status').selectOption('all');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Dropped Lead', 'Sara Ahmadi', 'Omid Tehrani', 'Mina Rahimi', 'Reza Karimi']));
  await page.getByLabel('Source').selectOption('exhibition');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Dropped Lead', 'Sara Ahmadi', 'Mina Rahimi']));
  await page.goBack();
  await eventually(async () => assert.equal(await page.getByLabel('Source').inputValue(), ''));

  // The export downloads the open leads as one CSV, in the inbox's order.
  await page.getByLabel('Status').selectOption('open');
  await eventually(async () => assert.equal((await rowNames(page)).length, 4));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'leads.csv');
  const csv = await readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFid,name,'), 'a byte-order mark, then one header');
  const names = csv
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(',')[1]);
  assert.deepEqual(names, ['Sara Ahmadi', 'Omid Tehrani', 'Mina Rahimi', 'Reza Karimi']);
});

test('load more brings the next page of the open inbox, new and working leads best score first', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithLeads(baseUrl, {
    rules,
    leads: [
      { name: 'Working CEO', job_title: 'CEO', status: 'working' },
      { name: 'Working phone', phone: '0935 000 0001', status: 'working' },
      { name: 'Working plain', status: 'working' },
    ],
  });
  // 55 new leads in one CSV import: every other one has a phone (10 points), the rest score 0.
  const rows = Array.from(
    { length: 55 },
    (_, index) => `Lead ${String(index + 1).padStart(2, '0')},${index % 2 ? `0912 000 ${String(index).padStart(4, '0')}` : ''}`,
  );
  const imported = await fetch(`${baseUrl}/api/v1/leads/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${pair.access_token}`, 'content-type': 'text/csv' },
    body: ['name,phone', ...rows].join('\r\n'),
  });
  assert.equal((await imported.json()).created, 55);
  // Best score first, then the larger id, across new and working leads alike.
  const byApi = async (status) => (await api.get(`/leads?status=${status}&limit=200`)).data;
  const expected = [...(await byApi('new')), ...(await byApi('working'))].sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1)).map((lead) => lead.name);

  await openSignedIn(page, baseUrl, pair, '/leads');
  // The first page: 50 leads, working ones among the new where their score puts them.
  await eventually(async () => assert.deepEqual(await rowNames(page), expected.slice(0, 50)));
  assert.equal(await page.getByTestId('leads-count').textContent(), '50 leads shown');
  await page.getByRole('button', { name: 'Load more leads' }).click();
  await eventually(async () => assert.deepEqual(await rowNames(page), expected));
  assert.equal(await page.getByTestId('leads-count').textContent(), '58 leads shown');
  assert.equal(await page.getByRole('button', { name: 'Load more leads' }).count(), 0);
});

test('qualifying a lead from the drawer opens a deal on the board', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, leads } = await workspaceWithLeads(baseUrl, {
    rules,
    leads: [{ name: 'Sara Ahmadi', job_title: 'CEO', company: 'Pars Logistics', email: 'sara@pars.example', source: 'exhibition' }],
  });
  await openSignedIn(page, baseUrl, pair, `/leads/${leads[0].id}`);
  const drawer = page.getByTestId('lead-drawer');
  await drawer.getByRole('button', { name: 'Qualify…', exact: true }).click();
  const form = page.getByTestId('qualify-lead-form');
  // The first pipeline is chosen and a deal will be opened unless unticked.
  assert.equal(await form.getByLabel('Pipeline', { exact: true }).inputValue(), pipeline.id);
  assert.equal(await form.getByLabel('Open a deal in this pipeline').isChecked(), true);
  await form.getByLabel('Need').fill('Fleet tracking for 40 trucks');
  // The budget field keeps only what makes an amount, grouped as it is typed.
  await form.getByLabel(/Budget/).fill('12x500');
  assert.equal(await form.getByLabel(/Budget/).inputValue(), '12,500');
  await form.getByLabel('Timeline').fill('Before Nowruz');
  // The deal is named after the company and the person unless renamed, in the pipeline's first stage.
  assert.equal(await form.getByLabel('Deal title').inputValue(), 'Pars Logistics — Sara Ahmadi');
  assert.equal(await form.getByLabel('Stage').inputValue(), pipeline.stages[0].id);
  await form.getByLabel('Deal title').fill('Pars Logistics');
  await form.getByRole('button', { name: 'Qualify' }).click();

  await page.getByTestId('toast-success').filter({ hasText: '“Sara Ahmadi” qualified; the deal “Pars Logistics” is on the board' }).waitFor();
  await eventually(async () => assert.equal(await drawer.getAttribute('data-status'), 'qualified'));
  const qualified = await api.get(`/leads/${leads[0].id}`);
  assert.equal(qualified.status, 'qualified');
  const opportunity = await api.get(`/opportunities/${qualified.opportunity_id}`);
  assert.equal(opportunity.need, 'Fleet tracking for 40 trucks');
  assert.equal(opportunity.budget_minor, 1_250_000);
  assert.equal(opportunity.deals.length, 1);
  assert.equal(opportunity.deals[0].pipeline_id, pipeline.id);

  // The drawer links to the deal, which is on the board in the first stage.
  await drawer.getByRole('link', { name: 'Open “Pars Logistics” on the board' }).click();
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}/deals/${opportunity.deals[0].id}$`));
  await page.getByTestId('deal-drawer').waitFor();
  await page.keyboard.press('Escape');
  await card(page, 'Pars Logistics').waitFor();
  assert.equal(await page.locator('[data-testid="board-column"]').first().locator('.card__title', { hasText: 'Pars Logistics' }).count(), 1);

  // Back in the inbox, the lead has left the open list.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
  await page.getByText('No open leads').waitFor();
});

test('disqualifying needs a reason, takes the lead out of the open list, and reopening brings it back', async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, {
    leads: [{ name: 'Reza Karimi' }, { name: 'Mina Rahimi' }],
  });
  await openSignedIn(page, baseUrl, pair, '/leads');
  await leadRow(page, 'Reza Karimi').getByRole('link', { name: 'Reza Karimi' }).click();
  const drawer = page.getByTestId('lead-drawer');
  await drawer.getByRole('button', { name: 'Disqualify…' }).click();
  const form = page.getByTestId('disqualify-lead-form');

  // No reason: the API's 422 names the field, and the message shows under it.
  await form.getByRole('button', { name: 'Disqualify' }).click();
  const reasonError = form.locator('.field--invalid', { hasText: 'Reason' }).locator('.field__error');
  await reasonError.waitFor();
  assert.equal(await reasonError.textContent(), 'Fill this in.');
  assert.equal((await api.get(`/leads/${leads[0].id}`)).status, 'new');

  // Someone else edits the lead meanwhile: the version the drawer read is refused, the drawer
  // reads the new one, and the next try goes through.
  const current = await api.get(`/leads/${leads[0].id}`);
  await api.patch(`/leads/${leads[0].id}`, { notes: 'Called twice, no answer', version: current.version });
  await form.getByLabel('Reason').selectOption({ label: 'No budget' });
  await form.getByLabel('Note').fill('Back next year');
  await form.getByRole('button', { name: 'Disqualify' }).click();
  await form.getByText('Someone else changed this since you opened it').waitFor();
  await drawer.getByText('Called twice, no answer').waitFor();
  await form.getByRole('button', { name: 'Disqualify' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Reza Karimi” disqualified' }).waitFor();
  await drawer.getByTestId('disqualify-reason').filter({ hasText: 'Reason: No budget' }).waitFor();
  const dropped = await api.get(`/leads/${leads[0].id}`);
  assert.equal(dropped.status, 'disqualified');
  assert.equal(dropped.disqualify_reason, 'no_budget');
  assert.equal(dropped.disqualify_note, 'Back next year');

  await page.keyboard.press('Escape');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Mina Rahimi']));

  // Among the disqualified, it can be reopened; it is then worked again.
  await page.getByLabel('Status').selectOption('disqualified');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Reza Karimi']));
  await leadRow(page, 'Reza Karimi').getByRole('link', { name: 'Reza Karimi' }).click();
  await drawer.getByRole('button', { name: 'Reopen' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Reza Karimi” reopened' }).waitFor();
  assert.equal((await api.get(`/leads/${leads[0].id}`)).status, 'working');
  await page.keyboard.press('Escape');
  await page.getByText('No leads match these filters').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await eventually(async () => assert.deepEqual((await rowNames(page)).sort(), ['Mina Rahimi', 'Reza Karimi']));
});

test('the new-lead dialog shows the API’s field errors next to the fields', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithLeads(baseUrl, { rules, leads: [] });
  await openSignedIn(page, baseUrl, pair, '/leads');
  await page.getByText('No open leads').waitFor();
  await page.getByRole('button', { name: '+ New lead' }).click();
  const form = page.getByTestId('create-lead-form');
  // A field by its label alone: an error message may name another field ("name@example.com").
  const fieldError = (label) =>
    form.locator('.field--invalid', { has: page.locator('.field__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.field__error');
  // The server checks lengths first (a blank name), then the formats (an email that is none).
  await form.getByRole('button', { name: 'Add lead' }).click();
  await fieldError('Name').waitFor();
  await form.getByLabel('Name').fill('Sara Ahmadi');
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByRole('button', { name: 'Add lead' }).click();
  await fieldError('Email').waitFor();
  assert.equal(await fieldError('Name').count(), 0);

  await form.getByLabel('Name').fill('Sara Ahmadi');
  await form.getByLabel('Email').fill('sara@pars.example');
  await form.getByLabel('Phone').fill('۰۹۱۲ ۱۲۳ ۴۵۶۷');
  await form.getByLabel('Job title').fill('CEO');
  await form.getByLabel('Source').selectOption({ label: 'Exhibition' });
  await form.getByRole('button', { name: 'Add lead' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Sara Ahmadi” added to the inbox' }).waitFor();
  await eventually(async () => assert.equal(await leadRow(page, 'Sara Ahmadi').getByTestId('lead-score').textContent(), '60'));
  const stored = (await api.get('/leads')).data[0];
  assert.equal(stored.phone, '+989121234567');
  assert.equal(stored.source, 'exhibition');
});

test('editing a lead in the drawer: a field error, a stale save, and the score the API recomputes', async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, {
    rules,
    leads: [{ name: 'Reza Karimi', email: 'reza@example.com', source: 'website', tags: ['fleet'] }],
  });
  const id = leads[0].id;
  await openSignedIn(page, baseUrl, pair, `/leads/${id}`);
  const drawer = page.getByTestId('lead-drawer');
  const score = drawer.locator('.lead-summary').getByTestId('lead-score');
  assert.equal(await score.textContent(), '0');
  await drawer.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = drawer.getByTestId('lead-edit-form');
  assert.equal(await form.getByLabel('Tags').inputValue(), 'fleet');

  // The server refuses an email that is none; its message shows under the field and nothing is saved.
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByRole('button', { name: 'Save changes' }).click();
  const emailError = form.locator('.field--invalid', { hasText: 'Email' }).locator('.field__error');
  await emailError.waitFor();
  assert.ok(((await emailError.textContent()) ?? '').length > 0);
  assert.equal((await api.get(`/leads/${id}`)).email, 'reza@example.com');

  await form.getByLabel('Email').fill('reza@pars.example');
  await form.getByLabel('Phone').fill('۰۹۱۲ ۱۱۱ ۲۲۳۳');
  await form.getByLabel('Job title').fill('CEO');
  await form.getByLabel('Source').selectOption({ label: 'Exhibition' });
  await form.getByLabel('Tags').fill('fleet, vip');
  await form.getByLabel('Notes').fill('Wants a demo\nCall after 4 pm');

  // Someone else sets the campaign meanwhile: the save is refused, the drawer reloads the lead, and
  // the form takes their campaign while keeping every edit made here.
  const current = await api.get(`/leads/${id}`);
  await api.patch(`/leads/${id}`, { campaign: 'spring-offer' }, { 'If-Match': `"${current.version}"` });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.getByText('Someone else changed this lead while you were editing').waitFor();
  await eventually(async () => assert.equal(await form.getByLabel('Campaign').inputValue(), 'spring-offer'));
  assert.equal(await form.getByLabel('Job title').inputValue(), 'CEO');
  await page.screenshot({ path: `${artifactsDir}lead-edit-en.png` });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Changes to “Reza Karimi” saved' }).waitFor();

  // Back to the fields, with the score the API recomputed (CEO 30, exhibition 20, phone 10) and explained.
  await drawer.getByTestId('lead-fields').waitFor();
  await eventually(async () => assert.equal(await score.textContent(), '60'));
  await drawer.getByTestId('score-rules').getByText('Decision maker').waitFor();
  assert.match((await drawer.getByTestId('lead-fields').textContent()) ?? '', /CEO.*Exhibition.*spring-offer.*fleet, vip.*Wants a demo/s);
  const saved = await api.get(`/leads/${id}`);
  assert.equal(saved.email, 'reza@pars.example');
  assert.equal(saved.phone, '+989121112233');
  assert.equal(saved.job_title, 'CEO');
  assert.equal(saved.source, 'exhibition');
  assert.equal(saved.campaign, 'spring-offer');
  assert.deepEqual(saved.tags, ['fleet', 'vip']);
  assert.equal(saved.notes, 'Wants a demo\nCall after 4 pm');
  assert.equal(saved.score, 60);
  assert.equal(saved.status, 'working', 'editing a new lead means it is being worked');

  // The inbox shows the new score.
  await page.keyboard.press('Escape');
  await page.waitForURL(/\/leads$/);
  await eventually(async () => assert.equal(await leadRow(page, 'Reza Karimi').getByTestId('lead-score').textContent(), '60'));
});

test('a duplicate lead is merged into the drawer’s lead after a preview', async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, {
    rules,
    leads: [
      { name: 'Sara Ahmadi', phone: '0912 123 4567', company: 'Pars Logistics', source: 'exhibition', tags: ['fleet'] },
      { name: 'S. Ahmadi', phone: '+98 912 123 4567', email: 'sara@pars.example', job_title: 'CEO', source: 'website', tags: ['vip'] },
      { name: 'Reza Karimi', phone: '0935 000 0001' },
    ],
  });
  const [kept, other] = leads;
  await api.post('/contacts', { name: 'Sara Ahmadi (customer)', phone: '09121234567' });
  await openSignedIn(page, baseUrl, pair, `/leads/${kept.id}`);
  const drawer = page.getByTestId('lead-drawer');

  // The same phone, however it was written: the other lead and the contact, each with what matched.
  const duplicates = drawer.getByTestId('lead-duplicates');
  const duplicate = duplicates.getByTestId('duplicate-lead');
  await duplicate.waitFor();
  assert.equal(await duplicate.count(), 1);
  assert.match((await duplicate.textContent()) ?? '', /S\. Ahmadi.*New.*\+989121234567.*sara@pars\.example.*Same phone/);
  assert.match((await duplicates.getByTestId('duplicate-contact').textContent()) ?? '', /Sara Ahmadi \(customer\).*Same phone/);

  // The preview is the API's dry run: this lead's values win, its blanks are filled, tags are
  // combined and submissions added up; nothing has changed yet.
  await duplicate.getByRole('button', { name: 'Merge into this lead…' }).click();
  const dialog = page.getByTestId('merge-lead-dialog');
  const preview = dialog.getByTestId('merge-preview');
  await preview.waitFor();
  const row = (field) => preview.locator(`[data-field="${field}"]`);
  assert.equal(await row('name').locator('dd').textContent(), 'Sara Ahmadi');
  assert.equal(await row('email').locator('dd').textContent(), 'sara@pars.example' + 'changes');
  assert.equal(await row('phone').locator('dd').textContent(), '+989121234567');
  assert.equal(await row('tags').locator('dd').textContent(), 'fleet, vip' + 'changes');
  assert.equal(await row('submissions').locator('dd').textContent(), '2' + 'changes');
  assert.equal(await row('score').locator('dd').textContent(), '60' + 'changes');
  assert.equal((await api.get(`/leads/${other.id}`)).name, 'S. Ahmadi');
  assert.equal((await api.get(`/leads/${kept.id}`)).submissions, 1);
  await page.screenshot({ path: `${artifactsDir}lead-merge-en.png` });

  // Someone else edits this lead meanwhile: the merge is refused, the preview follows the newer
  // version, and merging again goes through.
  const current = await api.get(`/leads/${kept.id}`);
  await api.patch(`/leads/${kept.id}`, { notes: 'Called back' }, { 'If-Match': `"${current.version}"` });
  await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
  await dialog.getByText('Someone else changed “Sara Ahmadi” meanwhile').waitFor();
  await drawer.getByTestId('lead-fields').getByText('Called back').waitFor();
  await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“S. Ahmadi” merged into “Sara Ahmadi”' }).waitFor();

  const merged = await api.get(`/leads/${kept.id}`);
  assert.equal(merged.email, 'sara@pars.example');
  assert.equal(merged.job_title, 'CEO');
  assert.deepEqual(merged.tags, ['fleet', 'vip']);
  assert.equal(merged.submissions, 2);
  assert.equal(merged.notes, 'Called back');
  await assert.rejects(api.get(`/leads/${other.id}`), /404/);
  // The drawer shows the merged lead; only the contact is left as a possible duplicate.
  await eventually(async () => assert.equal(await drawer.locator('.lead-summary').getByTestId('lead-score').textContent(), '60'));
  await eventually(async () => assert.equal(await duplicates.getByTestId('duplicate-lead').count(), 0));
  await duplicates.getByTestId('duplicate-contact').waitFor();
  await page.keyboard.press('Escape');
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Sara Ahmadi', 'Reza Karimi']));
});

test('Persian: the inbox runs right to left, with Persian digits and Jalali dates', async ({ page, baseUrl }) => {
  const { pair } = await workspaceWithLeads(baseUrl, {
    currency: 'IRR',
    rules,
    leads: [
      { name: 'سارا احمدی', job_title: 'CEO', phone: '۰۹۱۲ ۷۶۵ ۴۳۲۱', source: 'exhibition', company: 'پارس لجستیک', tags: ['نمایشگاه'] },
      { name: 'رضا کریمی', source: 'website' },
    ],
  });
  await openSignedIn(page, baseUrl, pair, '/leads', { locale: 'fa' });
  await page.getByRole('heading', { name: 'سرنخ‌ها' }).waitFor();
  await eventually(async () => assert.deepEqual(await rowNames(page), ['سارا احمدی', 'رضا کریمی']));
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');

  const sara = leadRow(page, 'سارا احمدی');
  assert.equal(await sara.getByTestId('lead-score').textContent(), '۶۰');
  assert.match((await sara.textContent()) ?? '', /نمایشگاه.*تازه.*۰ روز.*\+۹۸۹۱۲۷۶۵۴۳۲۱/);
  assert.equal(await page.getByTestId('leads-count').textContent(), '۲ سرنخ نمایش داده شده');
  assert.doesNotMatch((await page.getByTestId('leads-table').textContent()) ?? '', /[0-9]/, 'no ASCII digits in the Persian inbox');
  // Jalali dates: the age's tooltip names the day in the Persian calendar.
  assert.match(
    (await sara.locator('time').getAttribute('title')) ?? '',
    /[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}/,
  );

  // Columns run right to left: the name is the rightmost.
  const name = await page.getByRole('columnheader', { name: 'نام' }).boundingBox();
  const company = await page.getByRole('columnheader', { name: 'شرکت' }).boundingBox();
  assert.ok(name && company && name.x > company.x, 'the name column is to the right of the company');
  await page.screenshot({ path: `${artifactsDir}leads-fa.png` });

  // The drawer docks on the left, with the score explained in Persian digits.
  await sara.getByRole('link', { name: 'سارا احمدی' }).click();
  const rulesList = page.getByTestId('lead-drawer').getByTestId('score-rules');
  await rulesList.waitFor();
  assert.match((await rulesList.textContent()) ?? '', /\+۳۰.*\+۲۰.*\+۱۰.*جمع۶۰/);
  const box = await page.locator('dialog.dialog--drawer').boundingBox();
  assert.ok(box && box.x < 5, 'the drawer is docked on the left');
  await page.screenshot({ path: `${artifactsDir}lead-drawer-fa.png` });
});

test("a lead's personal data downloads as JSON, and an admin erases it after typing its name", async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, {
    leads: [{ name: 'Roxana Tehrani', email: 'roxana@privacy.example', phone: '0912 555 0101' }, { name: 'Mina Rahimi' }],
  });
  const [roxana] = leads;
  await openSignedIn(page, baseUrl, pair, `/leads/${roxana.id}`);
  const drawer = page.getByTestId('lead-drawer');

  // The export is a file named by the id, holding the lead as the API keeps it.
  const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('button', { name: 'Export data' }).click()]);
  assert.equal(download.suggestedFilename(), `lead-${roxana.id}-personal-data.json`);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.lead.email, 'roxana@privacy.example');
  assert.ok(exported.events.some((event) => event.event_type === 'lead.created'));

  // Erasing waits for the name to be typed, then removes the lead and closes the drawer.
  await drawer.getByRole('button', { name: 'Erase personal data' }).click();
  const form = page.getByTestId('erase-lead-form');
  const erase = form.getByRole('button', { name: 'Erase for good' });
  assert.equal(await erase.isDisabled(), true);
  await form.getByLabel('Type the name to confirm').fill('Roxana');
  assert.equal(await erase.isDisabled(), true);
  await form.getByLabel('Type the name to confirm').fill('roxana tehrani');
  await erase.click();
  await page.getByTestId('toast-success').filter({ hasText: 'The personal data of “Roxana Tehrani” was erased' }).waitFor();
  await page.waitForURL(/\/leads$/);
  await eventually(async () => assert.deepEqual(await rowNames(page), ['Mina Rahimi']));
  await assert.rejects(api.get(`/leads/${roxana.id}`), /404/);
  const log = await api.get(`/audit?action=lead.erased&entity_id=${roxana.id}`);
  assert.deepEqual(log.data[0].changes, { erased: true });
});
