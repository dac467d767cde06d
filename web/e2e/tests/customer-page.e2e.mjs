import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format as formatJalali } from 'date-fns-jalali';
import { enUS as enJalali } from 'date-fns-jalali/locale';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { card, eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** The header's search box: type like a user, then choose the hit with that title. */
async function openFromSearch(page, label, text) {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(text, { delay: 20 });
  await page
    .getByRole('listbox')
    .getByRole('option', { name: new RegExp(text) })
    .first()
    .click();
}

/** A file on disk, for a real upload through the file input. */
async function tempFile(name, content) {
  const dir = await mkdtemp(join(tmpdir(), 'kariz-upload-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The day `days` after today (UTC, as the server counts), as a local Date. */
function inDays(days) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 12));
}

test('Customer page: found by the header search, a file and a note land on the timeline; in Persian, right to left with Persian digits', async ({
  page,
  baseUrl,
}) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  const organization = await api.post('/organizations', { name: 'Pars Logistics', domain: 'pars-logistics.ir', city: 'Tehran', country: 'IR' });
  await api.post('/custom-fields', { entity: 'contact', key: 'fleet_size', label: 'Fleet size', kind: 'number' });
  const contact = await api.post('/contacts', {
    custom_fields: { fleet_size: 40 },
    name: 'Sara Karimi',
    email: 'sara@pars-logistics.ir',
    phone: '0912 123 4567',
    city: 'Tehran',
    country: 'IR',
    organization_id: organization.id,
    tags: ['vip', 'fleet'],
    important_dates: [{ kind: 'birthday', calendar: 'jalali', month: 1, day: 1, year: 1369 }],
  });
  const deal = await api.post('/deals', { pipeline_id: pipeline.id, title: 'Fleet renewal', amount_minor: 1_250_000, contact_id: contact.id });
  // An invoice paid in full: a purchase, and what the customer paid to date.
  await api.put(`/deals/${deal.id}/line-items`, { items: [{ name: 'Tracking service', quantity: '1', unit_price_minor: 300_000 }], version: deal.version });
  const invoice = await api.post(`/deals/${deal.id}/invoices`, {});
  await api.post(`/invoices/${invoice.id}/issue`, {});
  await api.post(`/invoices/${invoice.id}/payments`, { amount_minor: 300_000, method: 'cash' });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'Fleet renewal').waitFor();
  // The board names the card's person and company.
  assert.equal(await card(page, 'Fleet renewal').getByTestId('card-customer').textContent(), 'Sara Karimi · Pars Logistics');

  await openFromSearch(page, 'Search', 'Sara Kar');
  await page.waitForURL(new RegExp(`/contacts/${contact.id}$`));
  const profile = page.getByTestId('customer-profile');
  await profile.getByRole('heading', { name: 'Sara Karimi' }).waitFor();
  await eventually(async () => assert.equal(await profile.getByTestId('organization-link').textContent(), 'Pars Logistics'));
  assert.match((await profile.textContent()) ?? '', /sara@pars-logistics\.ir/);
  assert.match((await profile.textContent()) ?? '', /Iran/);
  // Custom fields by their label.
  await eventually(async () => assert.match((await profile.textContent()) ?? '', /Fleet size\s*40/));
  // A Jalali birthday shows in Jalali, with its next occurrence.
  const dates = profile.getByTestId('important-dates');
  assert.match((await dates.textContent()) ?? '', /1 Farvardin 1369/);
  assert.match((await dates.textContent()) ?? '', /Next: \d+ \w+ \d{4}/);
  const figures = page.getByTestId('key-figures');
  await eventually(async () => assert.match((await figures.getByTestId('figure-open').textContent()) ?? '', /1 deal.*\$12,500/));
  assert.match((await figures.getByTestId('figure-lifetime').textContent()) ?? '', /Paid to date \(1 purchase\).*\$3,000/);
  assert.equal(await figures.getByTestId('churn-risk').count(), 0, 'one purchase shows no usual interval, so no risk');

  // A real upload from a file on disk.
  const file = await tempFile('fleet-quote.txt', 'Fleet renewal quote\n');
  try {
    await page.getByTestId('attachments').getByTestId('file-input').setInputFiles(file.path);
    await page.getByTestId('toast-success').filter({ hasText: '“fleet-quote.txt” attached' }).waitFor();
  } finally {
    await file.cleanup();
  }
  await page.getByTestId('file-list').getByText('fleet-quote.txt').waitFor();

  const note = page.getByTestId('note-box');
  await note.getByLabel('Add note').fill('Prefers calls before 10\nAsked for a fleet discount');
  await note.getByRole('button', { name: 'Add note' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Note added' }).waitFor();
  assert.equal(await note.getByLabel('Add note').inputValue(), '');

  const timeline = page.getByTestId('timeline');
  await timeline.getByText('Note: Prefers calls before 10').waitFor();
  await timeline.getByText('File attached: fleet-quote.txt').waitFor();
  await timeline.getByText('Deal opened: Fleet renewal').waitFor();
  // Newest first: the note came after the file.
  const labels = await timeline.locator('[data-testid="timeline-entry"] .timeline-entry__label').allTextContents();
  assert.ok(labels.indexOf('Note: Prefers calls before 10') < labels.indexOf('File attached: fleet-quote.txt'), labels.join(' | '));
  // The file is kept with the contact.
  const files = await api.get(`/attachments?contact_id=${contact.id}`);
  assert.deepEqual(
    files.data.map((attachment) => attachment.file_name),
    ['fleet-quote.txt'],
  );
  await page.screenshot({ path: `${artifactsDir}customer-page-en.png`, fullPage: true });

  // In Persian: right to left, the profile column on the right, Persian digits in the figures.
  await page.getByRole('button', { name: 'فارسی' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl'));
  await timeline.getByText('یادداشت: Prefers calls before 10').waitFor();
  const figuresText = (await figures.textContent()) ?? '';
  assert.match(figuresText, /۱۲٬۵۰۰/);
  assert.doesNotMatch(figuresText, /[0-9]/, 'no ASCII digits in the Persian key figures');
  assert.match((await dates.textContent()) ?? '', /۱ فروردین ۱۳۶۹/);
  assert.match((await profile.textContent()) ?? '', /Fleet size\s*۴۰/);
  const profileBox = await profile.boundingBox();
  const timelineBox = await timeline.boundingBox();
  assert.ok(profileBox && timelineBox);
  assert.ok(profileBox.x > timelineBox.x + timelineBox.width - 1, 'the profile column is right of the main column');
  assert.equal(await profile.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  await captureScreenshot(page, `${artifactsDir}customer-page-fa.png`, { fullPage: true });
});

test('Customer page: a deal linked to a contact from the drawer shows on the card and on the contact’s timeline', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Warehouse sensors', amount_minor: 90_000 }] });
  const contact = await api.post('/contacts', { name: 'Reza Tehrani', email: 'reza@example.com' });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const drawer = page.getByTestId('deal-drawer');
  const picker = drawer.getByTestId('customer-picker-contact');
  await picker.getByText('None').waitFor();
  // Escape leaves the search, not the drawer.
  await picker.getByRole('button', { name: 'Choose' }).click();
  await picker.getByRole('searchbox').waitFor();
  await page.keyboard.press('Escape');
  await picker.getByRole('button', { name: 'Choose' }).waitFor();
  await page.waitForTimeout(200);
  assert.match(page.url(), new RegExp(`/deals/${deals[0].id}$`));
  assert.equal(await drawer.isVisible(), true);
  await picker.getByRole('button', { name: 'Choose' }).click();
  await picker.getByRole('searchbox').pressSequentially('Reza', { delay: 20 });
  await picker.getByRole('button', { name: /Reza Tehrani/ }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Customer updated' }).waitFor();
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).contact_id, contact.id));
  // The name is read with GET /contacts/{id} (the customer page's cache key).
  await eventually(async () => assert.equal(await picker.getByTestId('customer-link').textContent(), 'Reza Tehrani'));
  await page.screenshot({ path: `${artifactsDir}deal-customer-en.png` });

  // The card names the contact once the drawer closes.
  await page.keyboard.press('Escape');
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}$`));
  await eventually(async () => assert.equal(await card(page, 'Warehouse sensors').getByTestId('card-customer').textContent(), 'Reza Tehrani'));

  // From the drawer to the contact's page, where the deal is on the timeline and in the figures.
  await card(page, 'Warehouse sensors').locator('.card__handle').click();
  await drawer.getByTestId('customer-picker-contact').getByTestId('customer-link').click();
  await page.waitForURL(new RegExp(`/contacts/${contact.id}$`));
  const timeline = page.getByTestId('timeline');
  await timeline.getByText('Deal opened: Warehouse sensors').waitFor();
  assert.match((await page.getByTestId('figure-open').textContent()) ?? '', /1 deal.*\$900/);
  // The timeline's deal entry opens the deal's drawer on its board.
  await timeline.getByRole('link', { name: 'Deal opened: Warehouse sensors' }).click();
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}/deals/${deals[0].id}$`));
  await drawer.waitFor();

  // Removing the link clears it.
  await drawer.getByTestId('customer-picker-contact').getByRole('button', { name: 'Remove' }).click();
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).contact_id ?? null, null));
});

test('Customer page: an organization’s timeline holds its people’s notes and pages with Load more; a file over 25 MB is refused', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const organization = await api.post('/organizations', { name: 'Pars Logistics', domain: 'pars-logistics.ir' });
  const contact = await api.post('/contacts', { name: 'Sara Karimi', organization_id: organization.id });
  for (let index = 1; index <= 30; index++) {
    await api.post('/activities', { kind: 'note', subject: `Note ${index}`, contact_id: contact.id });
  }
  await openSignedIn(page, baseUrl, pair, `/contacts/${contact.id}`);
  await page.getByTestId('organization-link').click();
  await page.waitForURL(new RegExp(`/organizations/${organization.id}$`));
  const profile = page.getByTestId('customer-profile');
  await profile.getByRole('heading', { name: 'Pars Logistics' }).waitFor();
  assert.match((await profile.textContent()) ?? '', /People\s*1/);

  // The first page (25 entries, newest first), then the rest by the cursor.
  const entries = page.getByTestId('timeline').getByTestId('timeline-entry');
  await eventually(async () => assert.equal(await entries.count(), 25));
  assert.equal(await entries.first().locator('.timeline-entry__label').textContent(), 'Note: Note 30');
  await page.getByTestId('timeline').getByRole('button', { name: 'Load more' }).click();
  await eventually(async () => assert.equal(await entries.count(), 30));
  assert.equal(await entries.last().locator('.timeline-entry__label').textContent(), 'Note: Note 1');
  assert.equal(await page.getByTestId('timeline').getByRole('button', { name: 'Load more' }).count(), 0);

  // Too large a file is refused before it is sent, and said so.
  const big = await tempFile('scan.pdf', Buffer.alloc(25 * 1024 * 1024 + 1));
  try {
    await page.getByTestId('attachments').getByTestId('file-input').setInputFiles(big.path);
  } finally {
    await big.cleanup();
  }
  await page.getByTestId('attachments').getByRole('alert').getByText('“scan.pdf” is larger than 25 MB, the most a file may be.').waitFor();
  assert.deepEqual((await api.get(`/attachments?organization_id=${organization.id}`)).data, []);
});

test('Upcoming dates: each date in its calendar with the days until it; log a call and start a deal', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  const soon = inDays(3);
  const later = inDays(10);
  const jalaliLater = { month: Number(formatJalali(later, 'M')), day: Number(formatJalali(later, 'd')) };
  const sara = await api.post('/contacts', {
    name: 'Sara Karimi',
    important_dates: [{ kind: 'birthday', calendar: 'gregorian', month: soon.getUTCMonth() + 1, day: soon.getUTCDate(), year: 1990 }],
  });
  await api.post('/contacts', { name: 'Ali Rahimi', important_dates: [{ kind: 'anniversary', calendar: 'jalali', ...jalaliLater }] });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dates' }).click();
  await page.waitForURL(/\/contacts\/upcoming-dates$/);
  const rows = page.getByTestId('upcoming-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.match((await rows.nth(0).textContent()) ?? '', /Sara Karimi/);
  assert.equal(await rows.nth(0).getByTestId('upcoming-days').textContent(), 'in 3 days');
  assert.match((await rows.nth(0).textContent()) ?? '', /Birthday · turns \d+/);
  // The Jalali anniversary is written in Jalali.
  assert.equal(await rows.nth(1).getByTestId('upcoming-date').textContent(), formatJalali(later, 'd MMMM yyyy', { locale: enJalali }));
  assert.equal(await rows.nth(1).getByTestId('upcoming-days').textContent(), 'in 10 days');

  await page.screenshot({ path: `${artifactsDir}upcoming-dates-en.png` });

  // A shorter window leaves the later date out.
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'the next 7 days' });
  await eventually(async () => assert.equal(await rows.count(), 1));

  await rows.nth(0).getByRole('button', { name: 'Log a call' }).click();
  const form = page.getByTestId('log-call-form');
  assert.equal(await form.getByLabel('Subject').inputValue(), 'Birthday call with Sara Karimi');
  await form.getByRole('button', { name: 'Log call' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Call with Sara Karimi logged' }).waitFor();
  const calls = await api.get(`/activities?contact_id=${sara.id}`);
  assert.equal(calls.data.length, 1);
  assert.equal(calls.data[0].kind, 'call');
  assert.ok(calls.data[0].done_at, 'the call is logged as done');

  // "Start a deal" opens the new-deal form of the chosen pipeline with the contact filled in.
  await rows.nth(0).getByRole('button', { name: 'Start a deal' }).click();
  await page.getByTestId('start-deal-form').getByRole('button', { name: 'Open the new deal' }).click();
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}\\?`));
  const create = page.getByTestId('create-deal-form');
  await create.getByTestId('customer-picker-contact').getByText('Sara Karimi').waitFor();
  await create.getByLabel('Title').fill('Birthday upsell');
  await create.getByRole('button', { name: 'Add deal' }).click();
  await card(page, 'Birthday upsell').waitFor();
  const created = await api.get(`/deals?contact_id=${sara.id}`);
  assert.deepEqual(
    created.data.map((deal) => deal.title),
    ['Birthday upsell'],
  );
  // The form closes after the card lands, and closing drops the start-a-deal query.
  await eventually(async () => assert.equal(new URL(page.url()).search, ''));
});
