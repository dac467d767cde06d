// Quotes and invoices: made from a deal's line items in its drawer, answered, billed, issued and
// paid on their pages, listed on the documents screen; the document settings. In English and
// Persian, at desktop and phone sizes, each screen checked with axe and for boxes sticking out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { accessibilityProblems } from '../support/a11y.mjs';
import { apiClient } from '../support/api.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, overflowProblems } from '../support/layout.mjs';
import { desktop, phone } from '../support/phone-layout.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** What a document's page must be on every size: accessible, its card holding everything, the page not scrolling sideways. */
async function assertDocumentLayout(page, where) {
  await page.waitForFunction(() => !document.querySelector('.skeleton, [aria-busy="true"]') && document.fonts.status === 'loaded');
  await assertFitsWidth(page);
  const sticking = await overflowProblems(page, '[data-testid="document-sheet"]');
  assert.deepEqual(sticking, [], `${where}: nothing sticks out of the document's card`);
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], `${where}: no serious or critical accessibility violation`);
}

/** Closes the confirmations still shown, so that a screenshot shows the screen under them. @param {Page} page */
async function dismissToasts(page) {
  await page.evaluate(() => document.querySelectorAll('.toaster .toast .icon-button').forEach((close) => close instanceof HTMLElement && close.click()));
  await page.locator('.toaster .toast').first().waitFor({ state: 'detached' });
}

/** The status a document's page shows. @param {Page} page */
async function statusOf(page) {
  return page.getByTestId('document-sheet').getByTestId('document-status').first().getAttribute('data-status');
}

async function waitForStatus(page, status) {
  await eventually(async () => assert.equal(await statusOf(page), status));
}

/** A plain PNG (one colour, `width`×`height`), for the logo. */
function png(width, height, [red, green, blue]) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [red, green, blue]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

test('documents: lines → quote (revised, sent, accepted) → invoice issued, part paid, overpayment refused, paid; listed on the documents screen', async ({
  page,
  baseUrl,
}) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  const contact = await api.post('/contacts', { name: 'Sara Karimi', email: 'sara@parslogistics.example', phone: '+989121234567' });
  const deal = await api.post('/deals', {
    pipeline_id: pipeline.id,
    stage_id: pipeline.stages[1].id,
    title: 'Fleet renewal',
    amount_minor: 0,
    contact_id: contact.id,
  });
  const year = new Date().getFullYear();

  // Without lines, the drawer says why no document can be made.
  // A tab whose event stream is down, so that a change made elsewhere leaves it stale (the live
  // updates have their own test below).
  await page.route('**/api/v1/stream**', (route) => route.abort());
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deal.id}`);
  const documents = page.getByTestId('deal-documents');
  await documents.getByText('Add line items first').waitFor();
  assert.equal(await documents.getByRole('button', { name: 'Make quote' }).isDisabled(), true);
  assert.equal(await documents.getByRole('button', { name: 'Make invoice' }).isDisabled(), true);
  assert.match((await documents.getByRole('button', { name: 'Make quote' }).getAttribute('aria-describedby')) ?? '', /.+/);

  // Lines added in the drawer enable it at once.
  const lines = page.getByTestId('deal-line-items');
  await lines.getByRole('button', { name: 'Add a free line' }).click();
  const line = lines.getByTestId('line-item').first();
  await line.getByLabel('Description').fill('GPS tracker T4');
  await line.getByLabel('Quantity').fill('4');
  await line.getByLabel('Unit price (USD)').fill('250');
  await line.getByLabel('Tax (%)').fill('10');
  await lines.getByRole('button', { name: 'Save line items' }).click();
  await eventually(async () => assert.equal(await lines.getByTestId('lines-total').textContent(), '$1,100'));
  await documents.getByRole('button', { name: 'Make quote' }).click();

  // The quote editor: number, status, dates, buyer from the deal's contact, lines and totals.
  await page.waitForURL(/\/documents\/quotes\//);
  const sheet = page.getByTestId('document-sheet');
  await sheet.getByTestId('document-title').getByText(`Q-${year}-0001`).waitFor();
  await waitForStatus(page, 'draft');
  assert.equal(await sheet.getByTestId('document-total').textContent(), '$1,100');
  assert.match((await sheet.getByTestId('document-buyer').textContent()) ?? '', /Sara Karimi.*sara@parslogistics\.example/);
  assert.equal(await sheet.getByTestId('document-line').count(), 1);
  assert.match((await sheet.getByTestId('document-line').textContent()) ?? '', /GPS tracker T4.*4.*\$250.*\$100.*10%.*\$1,100/);
  await sheet.getByRole('link', { name: 'Deal: Fleet renewal' }).waitFor();

  // Revised with the buyer's codes and a last valid day: the revision keeps the number.
  await sheet.getByRole('button', { name: 'Revise' }).click();
  const revise = page.getByTestId('revise-quote-form');
  await revise.getByLabel('Valid until').fill(`${year + 1}-01-31`);
  await revise.getByLabel('Name', { exact: true }).fill('Pars Logistics Co.');
  await revise.getByLabel('Economic code').fill('411-1234-5678');
  await revise.getByRole('button', { name: 'Make revision' }).click();
  await sheet.getByTestId('document-title').getByText(`Q-${year}-0001-R2`).waitFor();
  await sheet.getByText('Revision 2').waitFor();
  assert.match((await sheet.getByTestId('document-buyer').textContent()) ?? '', /Pars Logistics Co\..*411-1234-5678/);
  assert.equal(await sheet.getByTestId('document-valid-until').textContent(), `31 Jan ${year + 1}`);
  await assertDocumentLayout(page, 'the quote (en, desktop)');
  await dismissToasts(page);
  await captureScreenshot(page, `${artifactsDir}quote-editor-en.png`, { fullPage: true });

  // Someone sends it behind the page's back (its stream is down, so it cannot know): its "Mark as
  // sent" is stale, and the refusal says so.
  const revision = (await api.get(`/quotes?deal_id=${deal.id}`)).data.find((quote) => quote.revision === 2);
  await api.post(`/quotes/${revision.id}/send`, undefined);
  await sheet.getByRole('button', { name: 'Mark as sent' }).click();
  await sheet.getByTestId('document-stale').waitFor();
  await sheet.getByRole('button', { name: 'Show the latest' }).click();
  await waitForStatus(page, 'sent');
  await sheet.getByRole('button', { name: 'Accept' }).click();
  await waitForStatus(page, 'accepted');
  await sheet.getByRole('button', { name: 'Make invoice' }).click();

  // The draft invoice: no number until issued.
  await page.waitForURL(/\/documents\/invoices\//);
  await sheet.getByTestId('document-title').getByText('Draft invoice').waitFor();
  await waitForStatus(page, 'draft');
  await sheet.getByRole('link', { name: `Bills quote Q-${year}-0001-R2` }).waitFor();
  await sheet.getByRole('button', { name: 'Issue' }).click();
  await page.getByTestId('issue-invoice-form').getByRole('button', { name: 'Issue invoice' }).click();
  await sheet.getByTestId('document-title').getByText(`INV-${year}-0001`).waitFor();
  await waitForStatus(page, 'issued');
  assert.equal(await sheet.getByTestId('document-outstanding').textContent(), '$1,100');

  // A part payment, then one above what is still owed, refused next to the amount.
  const pay = async (amount, reference) => {
    await sheet.getByRole('button', { name: 'Record payment' }).click();
    const form = page.getByTestId('payment-form');
    await form.getByLabel('Amount (USD)').fill(amount);
    await form.getByLabel('Method').selectOption({ label: 'Bank transfer' });
    if (reference) await form.getByLabel('Reference').fill(reference);
    await form.getByRole('button', { name: 'Record payment' }).click();
    return form;
  };
  const first = await pay('400', 'TR-88123');
  await first.waitFor({ state: 'detached' });
  await waitForStatus(page, 'partially_paid');
  assert.equal(await sheet.getByTestId('document-paid').textContent(), '$400');
  assert.equal(await sheet.getByTestId('document-outstanding').textContent(), '$700');
  assert.match((await sheet.getByTestId('payment-row').first().textContent()) ?? '', /Bank transfer.*TR-88123.*\$400/);

  const over = await pay('800');
  const amount = over.getByLabel('Amount (USD)');
  const refusal = over.getByText('This is more than the invoice still owes.');
  await refusal.waitFor();
  assert.equal(await amount.getAttribute('aria-invalid'), 'true');
  assert.ok((await amount.getAttribute('aria-describedby'))?.includes((await refusal.getAttribute('id')) ?? '-'), 'the refusal describes the amount field');
  const [field, message] = [await amount.boundingBox(), await refusal.boundingBox()];
  assert.ok(
    field && message && message.y >= field.y + field.height - 1 && message.y - (field.y + field.height) < 40,
    'the refusal sits right under the amount',
  );
  await captureScreenshot(page, `${artifactsDir}invoice-overpayment-en.png`);
  await amount.fill('700');
  await over.getByRole('button', { name: 'Record payment' }).click();
  await over.waitFor({ state: 'detached' });
  await waitForStatus(page, 'paid');
  assert.equal(await sheet.getByTestId('document-outstanding').textContent(), '$0');
  assert.equal(await sheet.getByTestId('payment-row').count(), 2);
  assert.equal(await sheet.getByTestId('document-actions').count(), 0, 'a paid invoice offers nothing more');
  await assertDocumentLayout(page, 'the invoice (en, desktop)');
  await dismissToasts(page);
  await captureScreenshot(page, `${artifactsDir}invoice-en.png`, { fullPage: true });
  const stored = (await api.get(`/invoices?deal_id=${deal.id}`)).data[0];
  assert.deepEqual([stored.status, stored.paid_minor, stored.payments.length], ['paid', 110_000, 2]);

  // Its PDF: previewed in a new tab (read with the token, shown from a blob), and downloaded.
  const pdf = page.getByTestId('document-pdf');
  const [tab, answer] = await Promise.all([
    page.context().waitForEvent('page'),
    page.waitForResponse((response) => /\/invoices\/[^/]+\/pdf\?locale=en$/.test(response.url())),
    pdf.getByRole('button', { name: 'Preview PDF' }).click(),
  ]);
  assert.deepEqual([answer.status(), answer.headers()['content-type']], [200, 'application/pdf'], 'the server answered a PDF');
  await eventually(async () => assert.match(tab.url(), /^blob:/));
  await tab.waitForLoadState();
  // The tab holds the browser's PDF viewer (a blob document inherits the page's policy, so its bytes are not read again here).
  assert.equal(await tab.evaluate(() => document.contentType), 'application/pdf', 'the preview shows a PDF');
  await tab.waitForTimeout(1_000);
  await captureScreenshot(tab, `${artifactsDir}invoice-pdf-preview-en.png`);
  await tab.close();
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.getByRole('button', { name: 'Download PDF' }).click()]);
  assert.equal(download.suggestedFilename(), `INV-${year}-0001.pdf`);
  const saved = await download.path();
  assert.equal((await readFile(saved)).subarray(0, 5).toString('latin1'), '%PDF-');

  // On a phone the document stacks inside its card.
  await page.setViewportSize(phone);
  await assertDocumentLayout(page, 'the invoice (en, phone)');
  await captureScreenshot(page, `${artifactsDir}invoice-en-phone.png`, { fullPage: true });
  await page.goto(`${baseUrl}/documents/quotes/${revision.id}`);
  await sheet.getByTestId('document-title').waitFor();
  await assertDocumentLayout(page, 'the quote (en, phone)');
  await captureScreenshot(page, `${artifactsDir}quote-editor-en-phone.png`, { fullPage: true });

  // The documents screen: the quotes (the first one replaced) and, in the other tab, the paid invoice.
  await page.setViewportSize(desktop);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Documents' }).click();
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  const quotes = page.getByTestId('quote-row');
  await eventually(async () => assert.equal(await quotes.count(), 2));
  assert.deepEqual(await quotes.getByTestId('document-status').evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status'))), [
    'accepted',
    'superseded',
  ]);
  await page.getByTestId('status-filter').selectOption({ label: 'Replaced' });
  await eventually(async () => assert.equal(await quotes.count(), 1));
  await page.getByRole('tab', { name: 'Invoices' }).click();
  const invoices = page.getByTestId('invoice-row');
  await invoices.first().waitFor();
  assert.match((await invoices.first().textContent()) ?? '', new RegExp(`INV-${year}-0001.*Paid.*Pars Logistics Co\\..*\\$1,100.*\\$0`));
  assert.match(page.url(), /tab=invoices/);
  await assertFitsWidth(page);
  assert.deepEqual(await accessibilityProblems(page), [], 'the documents screen passes axe');
  await invoices.first().locator('td').nth(2).click();
  await page.waitForURL(/\/documents\/invoices\//);

  // Back in the drawer: the deal's three documents, newest first.
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/deals/${deal.id}`);
  const listed = documents.getByTestId('deal-document');
  await eventually(async () => assert.equal(await listed.count(), 3));
  assert.deepEqual(await listed.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))), ['invoice', 'quote', 'quote']);
  await documents.scrollIntoViewIfNeeded();
  await captureScreenshot(page, `${artifactsDir}deal-documents-en.png`);

  // An invoice straight from the deal: issued, then voided (it keeps its number); another deleted as a draft.
  await documents.getByRole('button', { name: 'Make invoice' }).click();
  await page.waitForURL(/\/documents\/invoices\//);
  await sheet.getByRole('button', { name: 'Issue' }).click();
  await page.getByTestId('issue-invoice-form').getByRole('button', { name: 'Issue invoice' }).click();
  await sheet.getByTestId('document-title').getByText(`INV-${year}-0002`).waitFor();
  await sheet.getByRole('button', { name: 'Void' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Void invoice' }).click();
  await waitForStatus(page, 'void');
  await sheet.getByTestId('document-title').getByText(`INV-${year}-0002`).waitFor();
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/deals/${deal.id}`);
  await documents.getByRole('button', { name: 'Make invoice' }).click();
  await page.waitForURL(/\/documents\/invoices\//);
  await sheet.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/documents\?tab=invoices$/);
  await eventually(async () => assert.equal(await page.getByTestId('invoice-row').count(), 2));
  assert.deepEqual(
    (await api.get(`/invoices?deal_id=${deal.id}`)).data.map((invoice) => invoice.status),
    ['void', 'paid'],
  );
});

test('Persian: a Jalali workspace’s quote shows its number, a Jalali date and Persian digits, right to left; a Rial invoice is part paid', async ({
  page,
  baseUrl,
}) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, { currency: 'IRR' });
  await api.patch('/workspace', { calendar: 'jalali', time_zone: 'Asia/Tehran' });
  await api.patch('/workspace/documents', {
    legal_name: 'بازرگانی پارس',
    economic_code: '4111-2222-3333',
    address: 'تهران، خیابان ولیعصر، پلاک ۱۲',
    version: 0,
  });
  const organization = await api.post('/organizations', { name: 'لجستیک پارس' });
  const created = await api.post('/deals', {
    pipeline_id: pipeline.id,
    stage_id: pipeline.stages[0].id,
    title: 'تمدید ناوگان',
    amount_minor: 0,
    organization_id: organization.id,
  });
  await api.put(
    `/deals/${created.id}/line-items`,
    {
      items: [
        { name: 'ردیاب خودرو', quantity: '12', unit_price_minor: 125_000_000, discount_bp: 500, tax_rate_bp: 1000 },
        { name: 'نصب و راه‌اندازی', quantity: '1', unit_price_minor: 40_000_000, tax_rate_bp: 1000 },
      ],
    },
    { 'If-Match': `"${created.version}"` },
  );
  const jalaliYear = new Intl.DateTimeFormat('en-u-ca-persian', { year: 'numeric' }).format(new Date()).replace(/\D/g, '');

  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${created.id}`, { locale: 'fa' });
  const documents = page.getByTestId('deal-documents');
  await documents.getByRole('heading', { name: 'پیش‌فاکتورها و فاکتورها' }).waitFor();
  await documents.getByRole('button', { name: 'ساخت پیش‌فاکتور' }).click();
  await page.waitForURL(/\/documents\/quotes\//);
  const sheet = page.getByTestId('document-sheet');
  await sheet.getByTestId('document-title').getByText(`Q-${jalaliYear}-0001`).waitFor();
  const date = (await sheet.getByTestId('document-date').textContent()) ?? '';
  assert.match(date, /^[۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}$/, `a Jalali date in Persian digits: ${date}`);
  assert.ok(date.endsWith(jalaliYear.replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[digit])), 'the year the number carries');
  // 12 × 125,000,000 less 5% is 1,425,000,000, 10% VAT: 1,567,500,000; with 44,000,000 installed, 1,611,500,000 rials.
  assert.match((await sheet.getByTestId('document-total').textContent()) ?? '', /۱٬۶۱۱٬۵۰۰٬۰۰۰|۱۶۱٬۱۵۰٬۰۰۰/);
  for (const part of ['document-lines', 'document-totals', 'document-date', 'document-valid-until']) {
    assert.doesNotMatch((await sheet.getByTestId(part).textContent()) ?? '', /[0-9]/, `${part} in Persian digits`);
  }
  assert.match((await sheet.getByTestId('document-buyer').textContent()) ?? '', /لجستیک پارس/);
  assert.match((await sheet.getByTestId('document-seller').textContent()) ?? '', /بازرگانی پارس.*۴۱۱۱-۲۲۲۲-۳۳۳۳/);
  assert.equal(await sheet.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  const [titleBox, sheetBox] = [await sheet.getByTestId('document-title').boundingBox(), await sheet.boundingBox()];
  assert.ok(titleBox && sheetBox && sheetBox.x + sheetBox.width - (titleBox.x + titleBox.width) < 40, 'the title starts at the right');
  await assertDocumentLayout(page, 'the quote (fa, desktop)');
  await dismissToasts(page);
  await captureScreenshot(page, `${artifactsDir}quote-editor-fa.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertDocumentLayout(page, 'the quote (fa, phone)');
  await captureScreenshot(page, `${artifactsDir}quote-editor-fa-phone.png`, { fullPage: true });

  // Its PDF in Persian (the language shown) and, chosen, in English.
  const pdf = page.getByTestId('document-pdf');
  assert.equal(await pdf.getByLabel('زبان PDF').inputValue(), 'fa');
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.getByRole('button', { name: 'دریافت PDF' }).click()]);
  assert.equal(download.suggestedFilename(), `Q-${jalaliYear}-0001.pdf`);
  assert.equal((await readFile(await download.path())).subarray(0, 5).toString('latin1'), '%PDF-');
  // The Persian PDF page as the browser's viewer shows it, saved for review.
  const [faTab] = await Promise.all([page.context().waitForEvent('page'), pdf.getByRole('button', { name: 'پیش‌نمایش PDF' }).click()]);
  await eventually(async () => assert.match(faTab.url(), /^blob:/));
  await faTab.waitForLoadState();
  assert.equal(await faTab.evaluate(() => document.contentType), 'application/pdf', 'the Persian preview shows a PDF');
  await faTab.waitForTimeout(1_000);
  await captureScreenshot(faTab, `${artifactsDir}quote-pdf-preview-fa.png`);
  await faTab.close();
  await pdf.getByLabel('زبان PDF').selectOption('en');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), pdf.getByRole('button', { name: 'پیش‌نمایش PDF' }).click()]);
  await eventually(async () => assert.match(tab.url(), /^blob:/));
  await tab.waitForLoadState();
  assert.equal(await tab.evaluate(() => document.contentType), 'application/pdf', 'the preview shows a PDF');
  await tab.close();

  // Sent, accepted, billed, issued; a payment typed in Persian digits and tomans.
  await page.setViewportSize(desktop);
  await page.getByRole('button', { name: 'ثبت ارسال' }).click();
  await waitForStatus(page, 'sent');
  await page.getByRole('button', { name: 'پذیرش' }).click();
  await waitForStatus(page, 'accepted');
  await page.getByRole('button', { name: 'ساخت فاکتور' }).click();
  await page.waitForURL(/\/documents\/invoices\//);
  await page.getByRole('button', { name: 'صدور' }).click();
  await page.getByTestId('issue-invoice-form').getByRole('button', { name: 'صدور فاکتور' }).click();
  await sheet.getByTestId('document-title').getByText(`INV-${jalaliYear}-0001`).waitFor();
  const due = (await sheet.getByTestId('document-due').textContent()) ?? '';
  assert.match(due, /^[۰-۹]{1,2} \S+ [۰-۹]{4}$/, `the due date in Persian: ${due}`);
  await page.getByRole('button', { name: 'ثبت پرداخت' }).click();
  const form = page.getByTestId('payment-form');
  // Persian shows Iranian amounts in tomans unless the reader switches to rials.
  await form.getByLabel('مبلغ (تومان)').fill('۲۰۰۰۰۰۰۰۰');
  await form.getByRole('button', { name: 'ثبت پرداخت' }).click();
  await form.getByText('این مبلغ از مانده‌ی فاکتور بیشتر است.').waitFor();
  await captureScreenshot(page, `${artifactsDir}invoice-overpayment-fa.png`);
  await form.getByLabel('مبلغ (تومان)').fill('۵۰٬۰۰۰٬۰۰۰');
  await form.getByLabel('روش پرداخت').selectOption({ label: 'چک' });
  await form.getByRole('button', { name: 'ثبت پرداخت' }).click();
  await form.waitFor({ state: 'detached' });
  await waitForStatus(page, 'partially_paid');
  const stored = (await api.get(`/invoices?deal_id=${created.id}`)).data[0];
  assert.equal(stored.paid_minor, 500_000_000, '50,000,000 tomans are 500,000,000 rials');
  assert.match((await sheet.getByTestId('payment-row').textContent()) ?? '', /چک/);
  await assertDocumentLayout(page, 'the invoice (fa, desktop)');
  await dismissToasts(page);
  await captureScreenshot(page, `${artifactsDir}invoice-fa.png`, { fullPage: true });
  await page.setViewportSize(phone);
  await assertDocumentLayout(page, 'the invoice (fa, phone)');
  await captureScreenshot(page, `${artifactsDir}invoice-fa-phone.png`, { fullPage: true });

  // The documents screen in Persian, on a phone.
  await page.goto(`${baseUrl}/documents?tab=invoices`);
  await page.getByTestId('invoice-row').first().waitFor();
  await assertFitsWidth(page);
  assert.deepEqual(await accessibilityProblems(page), [], 'the documents screen passes axe in Persian');
  await captureScreenshot(page, `${artifactsDir}documents-fa-phone.png`, { fullPage: true });
});

test('document settings: numbering, terms and the seller saved; the logo uploaded and previewed; a member reads them', async ({ page, baseUrl }) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Document settings' }).click();
  const form = page.getByTestId('document-settings-form');
  await form.getByLabel('Quote prefix').waitFor();
  assert.equal(await form.getByLabel('Quote prefix').inputValue(), 'Q-');

  // A colour that is not one is refused before anything is sent.
  await form.getByLabel('Accent colour', { exact: true }).fill('teal');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByText('Enter a colour as #rrggbb').waitFor();

  await form.getByLabel('Accent colour', { exact: true }).fill('#0F766E');
  await form.getByLabel('Invoice prefix').fill('PT-');
  await form.getByLabel('Invoices are due after (days)').fill('14');
  await form.getByLabel('Accepting a quote wins its deal').check();
  await form.getByLabel('Iranian amounts on documents in').selectOption({ label: 'Toman' });
  const seller = form.getByTestId('seller-fields');
  await seller.getByLabel('Legal name').fill('Pars Trading Co.');
  await seller.getByLabel('Economic code').fill('4111-2222-3333');
  await seller.getByLabel('National ID').fill('10101234567');
  await seller.getByLabel('Postal code').fill('1966912345');
  await seller.getByLabel('Phone').fill('+98 21 8877 6655');
  await seller.getByLabel('Email').fill('billing@pars.example');
  await seller.getByLabel('Address').fill('12 Vali-e Asr Ave, Tehran');
  await form.getByLabel('Terms and conditions').fill('Payment within 14 days of issue.');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Document settings saved.').waitFor();
  const saved = await api.get('/workspace/documents');
  assert.deepEqual(
    [saved.invoice_prefix, saved.invoice_due_days, saved.accept_wins_deal, saved.rial_display, saved.accent_colour, saved.terms],
    ['PT-', 14, true, 'toman', '#0f766e', 'Payment within 14 days of issue.'],
  );
  assert.deepEqual(
    [saved.seller.name, saved.seller.economic_code, saved.seller.national_id, saved.seller.postal_code, saved.seller.email, saved.seller.address],
    ['Pars Trading Co.', '4111-2222-3333', '10101234567', '1966912345', 'billing@pars.example', '12 Vali-e Asr Ave, Tehran'],
  );

  // Someone else saves meanwhile: this page's next save is refused as stale, and offers theirs.
  await api.patch('/workspace/documents', { footer: 'Thank you for your business.', version: saved.version });
  await form.getByLabel('Quotes are valid for (days)').fill('45');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByTestId('document-settings-stale').waitFor();
  await form.getByRole('button', { name: 'Load their version' }).click();
  await eventually(async () => assert.equal(await form.getByLabel('Footer').inputValue(), 'Thank you for your business.'));

  // The logo: uploaded (an edit under way survives it, and saves after it), previewed through the token.
  await form.getByLabel('Quotes are valid for (days)').fill('21');
  await page.getByTestId('document-logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(180, 60, [15, 118, 110]) });
  const preview = page.getByTestId('document-logo-preview');
  await preview.waitFor();
  await eventually(async () => assert.equal(await preview.evaluate((image) => image instanceof HTMLImageElement && image.complete && image.naturalWidth), 180));
  assert.equal(await form.getByLabel('Quotes are valid for (days)').inputValue(), '21');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await eventually(async () => assert.equal((await api.get('/workspace/documents')).quote_validity_days, 21));
  const latest = await api.get('/workspace/documents');
  assert.deepEqual([latest.has_logo, latest.footer], [true, 'Thank you for your business.']);
  await page.getByTestId('document-logo-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
  await page.getByText('notes.txt is not a PNG or JPEG image.').waitFor();
  await assertFitsWidth(page);
  assert.deepEqual(await accessibilityProblems(page), [], 'the settings pass axe');
  await captureScreenshot(page, `${artifactsDir}document-settings-en.png`, { fullPage: true });

  // A member reads the settings and cannot change them.
  const email = uniqueEmail('member');
  await api.post('/users', { email, name: 'Bita Rahimi', role: 'member', password: 'another-correct-horse' });
  const login = await apiClient(baseUrl).post('/auth/login', { email, password: 'another-correct-horse' });
  // Another user now: the admin's session must not refresh itself over the member's cookie.
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/sign-in`);
  await page.waitForLoadState('networkidle');
  await openSignedIn(page, baseUrl, login, '/settings/documents', { locale: 'fa' });
  await page.getByTestId('document-settings-read-only').waitFor();
  assert.equal(await page.getByTestId('seller-fields').getByLabel('نام حقوقی').inputValue(), 'Pars Trading Co.');
  assert.equal(await page.getByTestId('seller-fields').getByLabel('نام حقوقی').isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'ذخیرهٔ تنظیمات' }).count(), 0);
  await page.getByTestId('document-logo-preview').waitFor();
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  assert.deepEqual(await accessibilityProblems(page), [], 'the settings pass axe in Persian on a phone');
  await captureScreenshot(page, `${artifactsDir}document-settings-fa-phone.png`, { fullPage: true });
});

test('documents live: the invoices list and an open invoice follow payments recorded elsewhere, without a reload', async ({ page, baseUrl }) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  const deal = await api.post('/deals', { pipeline_id: pipeline.id, stage_id: pipeline.stages[0].id, title: 'Fleet renewal', amount_minor: 0 });
  await api.put(
    `/deals/${deal.id}/line-items`,
    { items: [{ name: 'Trackers', quantity: '2', unit_price_minor: 50_000 }] },
    { 'If-Match': `"${deal.version}"` },
  );
  const draft = await api.post(`/deals/${deal.id}/invoices`, null);
  const invoice = await api.post(`/invoices/${draft.id}/issue`, null, { 'If-Match': `"${draft.version}"` });
  assert.equal(invoice.outstanding_minor, 100_000);

  // The invoices as a colleague records part of it: the row's balance follows.
  await openSignedIn(page, baseUrl, pair, '/documents?tab=invoices');
  const row = page.getByTestId('invoice-row').first();
  await eventually(async () => assert.match((await row.textContent()) ?? '', /Issued\$1,000\$1,000/));
  await page.getByTestId('live-indicator').and(page.locator('[data-status="live"]')).waitFor();
  await api.post(`/invoices/${invoice.id}/payments`, { amount_minor: 40_000, method: 'bank_transfer' });
  await eventually(async () => assert.match((await row.textContent()) ?? '', /Partly paid\$1,000\$600/));

  // The invoice open while the rest is paid: its status and balance change on screen.
  await row.locator('td').nth(2).click();
  await page.waitForURL(/\/documents\/invoices\//);
  await eventually(async () => assert.match((await page.getByTestId('document-outstanding').textContent()) ?? '', /^\$600(\.00)?$/));
  await api.post(`/invoices/${invoice.id}/payments`, { amount_minor: 60_000, method: 'cash' });
  await waitForStatus(page, 'paid');
  assert.match((await page.getByTestId('document-outstanding').textContent()) ?? '', /^\$0(\.00)?$/);
});
