import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithLeads } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, overflowProblems, phone } from '../support/layout.mjs';

/** The field each column of the mapping step is set to. */
async function mappedFields(page) {
  const mapping = page.getByTestId('import-mapping');
  await mapping.waitFor();
  return mapping.locator('select').evaluateAll((selects) => selects.map((select) => /** @type {HTMLSelectElement} */ (select).value));
}

/** A workspace with a lead custom field for the import to fill, and one lead already in. */
async function importWorkspace(baseUrl) {
  const workspace = await workspaceWithLeads(baseUrl, { leads: [{ name: 'Reza Karimi', email: 'reza@example.com' }] });
  await workspace.api.post('/custom-fields', { entity: 'lead', key: 'fleet_size', label: 'Fleet size', kind: 'number' });
  return workspace;
}

test('leads import: upload, map columns, preview, run and download the row-numbered report, at desktop and phone sizes', async ({ page, baseUrl }) => {
  const { pair, api } = await importWorkspace(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/leads');
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import leads' });
  await dialog.getByText('Each row becomes a lead, scored at once').waitFor();
  const csv = [
    'Full name,E-mail,Organisation,Lead source,Fleet size,Favourite colour',
    'Mina Rahimi,mina@caspian.example,Caspian Foods,exhibition,12,green',
    'Bad Row,not-an-email,,website,5,red',
    'Omid Tehrani,omid@example.com,Pars Logistics,fax,7,blue',
    'Reza K.,reza@example.com,,referral,,',
  ].join('\n');
  await dialog.locator('input[type="file"]').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  // Columns are matched by their names (English synonyms, custom fields by label); the rest stay out.
  assert.deepEqual(await mappedFields(page), ['name', 'email', 'company', 'source', 'cf.fleet_size', '']);
  assert.deepEqual(await dialog.locator('.import-wizard__steps li').allTextContents(), ['1. Choose a file', '2. Match columns', '3. Check', '4. Report']);
  await dialog.getByRole('button', { name: 'Next' }).click();
  const preview = dialog.getByTestId('import-preview');
  assert.equal(await preview.locator('tbody tr').count(), 4);
  assert.deepEqual(await preview.locator('thead th').allTextContents(), ['Line', 'Name', 'Email', 'Company', 'Source (website, exhibition…)', 'Fleet size']);
  assert.deepEqual(await preview.locator('tbody tr td:first-child').allTextContents(), ['2', '3', '4', '5']);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();

  // The report: what was created, what joined an existing lead, and each bad row by its line.
  const report = dialog.getByTestId('import-report');
  await report.waitFor();
  assert.match((await report.textContent()) ?? '', /4 rows read.*1 created.*1 merged into an existing record/);
  assert.equal(await report.getByTestId('import-failed').textContent(), '2 rows failed');
  await report.getByText('Skipped columns: Favourite colour').waitFor();
  const errorRows = report.getByTestId('import-errors').locator('tbody tr');
  assert.deepEqual(await errorRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-line'))), ['3', '4']);
  assert.match((await errorRows.nth(0).textContent()) ?? '', /^3email/);
  assert.match((await errorRows.nth(1).textContent()) ?? '', /^4source/);
  const [reportFile] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Download the report (CSV)' }).click()]);
  assert.equal(reportFile.suggestedFilename(), 'lead-import-report.csv');
  assert.match(await readFile(await reportFile.path(), 'utf8'), /^\uFEFFLine,Field,Problem\r\n3,email,.*\r\n4,source,/s);
  assert.deepEqual(await overflowProblems(page, '.import-wizard .dialog__panel'), []);
  await captureScreenshot(page, `${artifactsDir}leads-import-en.png`);

  // On a phone the report (its table scrolling inside itself) stays within the screen.
  await page.setViewportSize(phone);
  const panel = await dialog.locator('.dialog__panel').boundingBox();
  assert.ok(panel && panel.x >= 0 && panel.x + panel.width <= phone.width + 1, `the dialog fits the phone: ${JSON.stringify(panel)}`);
  assert.deepEqual(await overflowProblems(page, '[data-testid="import-report"] .form__actions'), []);
  await captureScreenshot(page, `${artifactsDir}leads-import-en-phone.png`);
  await report.getByRole('button', { name: 'Done' }).click();

  // The inbox shows the new lead, with its custom field and source; Reza got a second submission.
  await page.locator('[data-testid="lead-row"]', { hasText: 'Mina Rahimi' }).waitFor();
  const mina = (await api.get('/leads?q=mina')).data[0];
  assert.deepEqual([mina.company, mina.source, mina.custom_fields], ['Caspian Foods', 'exhibition', { fleet_size: 12 }]);
  await eventually(async () => assert.equal((await api.get('/leads?q=reza')).data[0].submissions, 2));
  await assertFitsWidth(page);
});

test('leads import: in Persian on a phone, Persian headers are matched and the report speaks Persian', async ({ page, baseUrl }) => {
  const { pair, api } = await importWorkspace(baseUrl);
  await page.setViewportSize(phone);
  await openSignedIn(page, baseUrl, pair, '/leads', { locale: 'fa' });
  await page.getByRole('button', { name: 'وارد کردن CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'وارد کردن سرنخ‌ها' });
  const csv = ['نام,ایمیل,شرکت,منبع,موبایل', 'سارا احمدی,sara@pars.example,پارس,exhibition,۰۹۱۲۱۲۳۴۵۶۷', 'بی‌نام,نامعتبر,,,'].join('\n');
  await dialog.locator('input[type="file"]').setInputFiles({ name: 'سرنخ‌ها.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  assert.deepEqual(await mappedFields(page), ['name', 'email', 'company', 'source', 'phone']);
  assert.deepEqual(await dialog.getByTestId('import-mapping').locator('select').first().locator('option:checked').allTextContents(), ['نام']);
  await captureScreenshot(page, `${artifactsDir}leads-import-mapping-fa-phone.png`);
  await dialog.getByRole('button', { name: 'بعدی' }).click();
  // Line numbers in Persian digits, as the file counts them (the header is line ۱).
  assert.deepEqual(await dialog.getByTestId('import-preview').locator('tbody tr td:first-child').allTextContents(), ['۲', '۳']);
  await dialog.getByRole('button', { name: 'وارد کن' }).click();
  const report = dialog.getByTestId('import-report');
  await report.waitFor();
  assert.equal(await report.getByTestId('import-failed').textContent(), '۱ سطر ناموفق بود');
  assert.equal(await report.getByTestId('import-errors').locator('tbody tr').first().getAttribute('data-line'), '3');
  const panel = await dialog.locator('.dialog__panel').boundingBox();
  assert.ok(panel && panel.x >= 0 && panel.x + panel.width <= phone.width + 1, `the dialog fits the phone: ${JSON.stringify(panel)}`);
  await captureScreenshot(page, `${artifactsDir}leads-import-fa-phone.png`);

  await page.setViewportSize({ width: 1440, height: 900 });
  assert.deepEqual(await overflowProblems(page, '.import-wizard .dialog__panel'), []);
  await captureScreenshot(page, `${artifactsDir}leads-import-fa.png`);
  await report.getByRole('button', { name: 'پایان' }).click();
  const sara = (await api.get('/leads?q=sara')).data[0];
  assert.deepEqual([sara.name, sara.phone, sara.company], ['سارا احمدی', '+989121234567', 'پارس']);
});
