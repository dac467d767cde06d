import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { assertFitsWidth } from '../support/layout.mjs';
import { desktop, phone } from '../support/phone-layout.mjs';

test('the product catalogue: add, archive, and price a deal line by line that its amount follows', async ({ page, baseUrl }) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal', amount_minor: 1_000_000 }] });
  const retired = await api.post('/products', { name: 'Old relay', sku: 'RLY-0', unit_price_minor: 500 });

  await openSignedIn(page, baseUrl, pair, '/settings/products');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.getByRole('button', { name: 'Add a product' }).click();
  const form = page.getByTestId('product-form');
  await form.getByLabel('Name').fill('GPS tracker T4');
  await form.getByLabel('SKU').fill('GPS-T4');
  await form.getByLabel('Unit', { exact: true }).fill('pcs');
  await form.getByLabel('Unit price (USD)').fill('125.50');
  await form.getByLabel('Tax (%)').fill('9');
  await form.getByRole('button', { name: 'Add a product' }).click();
  await form.waitFor({ state: 'detached' });
  const rows = page.getByTestId('product-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.match((await rows.first().textContent()) ?? '', /GPS tracker T4.*GPS-T4.*\$125\.50.*9%/);
  await rows.filter({ hasText: 'Old relay' }).getByRole('button', { name: 'Archive' }).click();
  await eventually(async () => assert.equal(await rows.filter({ hasText: 'Old relay' }).getAttribute('data-active'), 'false'));
  const [tracker] = (await api.get('/products?q=GPS-T4')).data;
  assert.deepEqual([tracker.unit_price_minor, tracker.tax_rate_bp, tracker.unit, tracker.currency], [12550, 900, 'pcs', 'USD']);
  // A duplicate SKU is refused with its field named.
  await page.getByRole('button', { name: 'Add a product' }).click();
  await form.getByLabel('Name').fill('Copy');
  await form.getByLabel('SKU').fill('gps-t4');
  await form.getByLabel('Unit price (USD)').fill('1');
  await form.getByRole('button', { name: 'Add a product' }).click();
  await form.getByText('Another product already has this SKU.').waitFor();
  await captureScreenshot(page, `${artifactsDir}products-en.png`, { fullPage: true });
  await form.getByRole('button', { name: 'Cancel' }).click();

  // The deal drawer: the amount follows the lines; a product line and a free line.
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const section = page.getByTestId('deal-line-items');
  await section.waitFor();
  await section.getByText('No line items yet').waitFor();
  await section.getByTestId('amount-follows-lines').click(); // checked once the server agrees
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).amount_from_lines, true));
  await page.waitForTimeout(1_500);
  assert.equal(await page.getByTestId('deal-updated-remotely').count(), 0, 'no "someone else updated it" after one’s own toggle');
  const offered = await section.getByTestId('add-product').locator('option').allTextContents();
  assert.equal(offered.length, 2, `only active products are offered: ${offered}`);
  await section.getByTestId('add-product').selectOption(tracker.id);
  const lines = section.getByTestId('line-item');
  await lines.first().getByLabel('Quantity').fill('3');
  await lines.first().getByLabel('Discount (%)').fill('5');
  await section.getByRole('button', { name: 'Add a free line' }).click();
  await lines.nth(1).getByLabel('Description').fill('Installation');
  await lines.nth(1).getByLabel('Quantity').fill('1.5');
  await lines.nth(1).getByLabel('Unit price (USD)').fill('20');
  await section.getByRole('button', { name: 'Save line items' }).click();
  // 3 × 125.50 = 376.50, 5% off (18.83), 9% tax on 357.67 (32.19): 389.86; 1.5 × 20 = 30.
  await eventually(async () => assert.equal(await section.getByTestId('lines-total').textContent(), '$419.86'));
  const saved = await api.get(`/deals/${deals[0].id}/line-items`);
  assert.deepEqual(
    saved.data.map((line) => [line.quantity, line.subtotal_minor, line.discount_minor, line.tax_minor, line.total_minor]),
    [
      ['3', 37650, 1883, 3219, 38986],
      ['1.5', 3000, 0, 0, 3000],
    ],
  );
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).amount_minor, 41986));
  await page.locator('.deal-summary__amount').getByText('$419.86').waitFor();
  // The stream's echo of the user's own save is not announced as someone else's change.
  await page.waitForTimeout(1_500);
  assert.equal(await page.getByTestId('deal-updated-remotely').count(), 0, 'no "someone else updated it" after one’s own save');
  const totals = await lines.first().getByTestId('line-total').boundingBox();
  const remove = await lines.first().getByRole('button', { name: 'Remove line 1' }).boundingBox();
  assert.ok(totals && remove && totals.x + totals.width <= remove.x + 1, 'the line total sits before its remove button');
  await captureScreenshot(page, `${artifactsDir}line-items-en.png`, { fullPage: true });

  // On a phone the lines stack and nothing leaves the screen.
  await page.setViewportSize(phone);
  await section.scrollIntoViewIfNeeded();
  const quantity = await lines.first().getByLabel('Quantity').boundingBox();
  assert.ok(quantity && quantity.x >= 0 && quantity.x + quantity.width <= phone.width, 'the quantity fits the phone');
  await captureScreenshot(page, `${artifactsDir}line-items-en-phone.png`, { fullPage: true });
  await page.goto(`${baseUrl}/settings/products`);
  await rows.first().waitFor();
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}products-en-phone.png`, { fullPage: true });
  assert.equal((await api.get(`/products/${retired.id}`)).active, false);
});

test('Persian: the catalogue and a deal’s lines in rials, Persian digits, right to left', async ({ page, baseUrl }) => {
  await page.setViewportSize(desktop);
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    deals: [{ title: 'تمدید ناوگان', amount_minor: 0, amount_from_lines: true }],
  });
  const tracker = await api.post('/products', { name: 'ردیاب خودرو', sku: 'TRK-1', unit: 'عدد', unit_price_minor: 125_000_000, tax_rate_bp: 1000 });
  await openSignedIn(page, baseUrl, pair, '/settings/products', { locale: 'fa' });
  await page.getByRole('heading', { name: 'کالاها و خدمات' }).waitFor();
  const row = page.getByTestId('product-row').first();
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /ردیاب خودرو.*۱۰٪/);
  assert.equal(await page.locator('main').evaluate((element) => getComputedStyle(element).direction), 'rtl');
  await captureScreenshot(page, `${artifactsDir}products-fa.png`, { fullPage: true });

  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const section = page.getByTestId('deal-line-items');
  await section.waitFor();
  await section.getByTestId('add-product').selectOption(tracker.id);
  const line = section.getByTestId('line-item').first();
  await line.getByLabel('تعداد').fill('۱٫۵');
  await section.getByRole('button', { name: 'ذخیرهٔ اقلام' }).click();
  // 1.5 × 125,000,000 = 187,500,000 rials and 10% VAT: 206,250,000 rials, shown in Persian digits.
  await eventually(async () => assert.match((await section.getByTestId('lines-total').textContent()) ?? '', /۲۰۶٬۲۵۰٬۰۰۰|۲۰٬۶۲۵٬۰۰۰/));
  const saved = await api.get(`/deals/${deals[0].id}/line-items`);
  assert.deepEqual([saved.data[0].quantity, saved.totals.total_minor, saved.amount_minor], ['1.5', 206_250_000, 206_250_000]);
  assert.equal(await section.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  await captureScreenshot(page, `${artifactsDir}line-items-fa.png`, { fullPage: true });

  await page.setViewportSize(phone);
  await section.scrollIntoViewIfNeeded();
  const box = await line.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= phone.width + 1, 'the line fits the phone');
  await captureScreenshot(page, `${artifactsDir}line-items-fa-phone.png`, { fullPage: true });
  await page.goto(`${baseUrl}/settings/products`);
  await page.getByTestId('product-row').first().waitFor();
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}products-fa-phone.png`, { fullPage: true });
});

test('products from and to CSV: a known SKU changes its product, a new one adds one, a bad row is reported', async ({ page, baseUrl }) => {
  await page.setViewportSize(desktop);
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await api.post('/products', { name: 'GPS tracker T4', sku: 'GPS-T4', unit_price_minor: 12_550, tax_rate_bp: 900 });
  await openSignedIn(page, baseUrl, pair, '/settings/products');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  const rows = page.getByTestId('product-row');
  await eventually(async () => assert.equal(await rows.count(), 1));
  // CSV: a row with a known SKU changes that product, a new one adds one, a bad row is reported.
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const csv = ['SKU,Name,unit_price_minor,tax_rate_bp', 'gps-t4,GPS tracker T4 (2027),13000,900', 'SVC-1,Installation,2000,0', 'BAD 1,,x,0'].join('\n');
  await page.locator('input[type="file"]').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const mapping = page.getByTestId('import-mapping');
  await mapping.waitFor();
  const guessed = await mapping.locator('select').evaluateAll((selects) => selects.map((select) => /** @type {HTMLSelectElement} */ (select).value));
  assert.deepEqual(guessed, ['sku', 'name', 'unit_price_minor', 'tax_rate_bp']);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  assert.match((await report.textContent()) ?? '', /3 rows read.*1 created/);
  assert.equal(await report.getByTestId('import-errors').locator('tbody tr').first().getAttribute('data-line'), '4');
  await report.getByRole('button', { name: 'Done' }).click();
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.match((await rows.filter({ hasText: 'GPS-T4' }).textContent()) ?? '', /GPS tracker T4 \(2027\)GPS-T4\$130(\.00)?9%/);
  const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(exported.suggestedFilename(), 'products.csv');
  const text = await readFile(await exported.path(), 'utf8');
  assert.match(text, /^\uFEFFid,name,sku,unit,unit_price_minor,currency,tax_rate_bp,active,created_at/);
  assert.match(text, /Installation,SVC-1,,2000,USD,0,true/);
  await captureScreenshot(page, `${artifactsDir}products-import-en.png`, { fullPage: true });
});
