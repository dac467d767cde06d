import assert from 'node:assert/strict';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';

/**
 * Puts the snippet on a page of the server's own address, as a website serving it there would,
 * and sends the form like a visitor. Only that page is made up: its request reaches the server.
 */
async function submitOnWebsite(context, baseUrl, snippet, fields, thanks) {
  const website = await context.newPage();
  const pageUrl = `${baseUrl}/website/contact-us`;
  await website.route(pageUrl, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html><head><meta charset="utf-8"><title>Contact us</title></head><body>${snippet}</body></html>`,
    }),
  );
  await website.goto(pageUrl);
  for (const [label, value] of Object.entries(fields)) await website.getByLabel(label).fill(value);
  await website.getByRole('button').click();
  await website.getByRole('status').getByText(thanks).waitFor();
  await website.close();
}

/** Makes a form key on the screen and returns the snippet it wrote the key into. */
async function makeKeyAndTakeSnippet(page, context, baseUrl, api, labels) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  await page.getByText(labels.noKeys).waitFor();
  await page.getByTestId('form-key-form').getByRole('button', { name: labels.make }).click();
  const row = page.getByTestId('api-key-row');
  await row.waitFor();
  const [key] = (await api.get('/api-keys')).data;
  assert.deepEqual(key.scopes, ['intake']);
  assert.equal(key.name, labels.keyName);
  assert.equal(key.expires_at, null);

  const snippetBox = page.getByTestId('web-form-snippet');
  const snippet = await snippetBox.inputValue();
  const written = /Bearer (kz_[^"]+)"/.exec(snippet);
  assert.ok(written && written[1].startsWith(key.prefix), 'the new key is written into the form');
  assert.ok(snippet.includes(`"${baseUrl}/api/v1/intake/leads"`), 'the form posts to this server');
  await page
    .getByRole('region', { name: labels.section })
    .or(page.locator('section[aria-labelledby="web-form"]'))
    .getByRole('button', { name: labels.copy })
    .click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  return snippet;
}

test('website form: make a form key, copy the form, and a visitor’s submission lands in the inbox', async ({ page, context, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Website form' }).click();
  await page.getByRole('heading', { name: 'Website form', level: 1 }).waitFor();
  const snippet = await makeKeyAndTakeSnippet(page, context, baseUrl, api, {
    noKeys: 'No form keys yet.',
    make: 'Make a form key',
    keyName: 'Website form',
    section: 'The form',
    copy: 'Copy',
  });
  assert.match(snippet, /<label>Email <input name="email"/);
  await page.getByTestId('web-form-snippet').scrollIntoViewIfNeeded();
  await captureScreenshot(page, `${artifactsDir}website-form-en.png`);

  const email = uniqueEmail('visitor');
  await submitOnWebsite(
    context,
    baseUrl,
    snippet,
    { Name: 'Parisa Nouri', Email: email, Company: 'Nouri Freight', Message: 'Three trucks, from March.' },
    'Thank you! We will be in touch soon.',
  );
  const lead = await eventually(async () => {
    const found = (await api.get('/leads')).data.find((candidate) => candidate.email === email);
    assert.ok(found, 'the submission is a lead');
    return found;
  });
  assert.equal(lead.name, 'Parisa Nouri');
  assert.equal(lead.company, 'Nouri Freight');
  assert.equal(lead.source, 'website');
  assert.equal(lead.campaign, '/website/contact-us');
  assert.equal(lead.notes, 'Three trucks, from March.');

  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}website-form-en-phone.png`, { fullPage: true });
});

test('website form: in Persian, a right-to-left form in Persian whose submission lands in the inbox', async ({ page, context, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/settings/website-form', { locale: 'fa' });
  await page.getByRole('heading', { name: 'فرم وب‌سایت', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('زبان فرم').inputValue(), 'fa', 'the form speaks the admin’s language to begin with');
  const snippet = await makeKeyAndTakeSnippet(page, context, baseUrl, api, {
    noKeys: 'هنوز کلید فرمی ندارید.',
    make: 'ساخت کلید فرم',
    keyName: 'فرم وب‌سایت',
    section: 'فرم',
    copy: 'کپی',
  });
  assert.match(snippet, /<form id="kariz-lead-form" dir="rtl">/);
  // The snippet is code: it reads left to right inside the Persian page.
  assert.equal(await page.getByTestId('web-form-snippet').getAttribute('dir'), 'ltr');
  await page.getByTestId('web-form-snippet').scrollIntoViewIfNeeded();
  await captureScreenshot(page, `${artifactsDir}website-form-fa.png`);
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}website-form-fa-phone.png`, { fullPage: true });

  await submitOnWebsite(context, baseUrl, snippet, { نام: 'پریسا نوری', تلفن: '۰۹۱۲ ۱۲۳ ۴۵۶۷' }, 'سپاس! به‌زودی با شما تماس می‌گیریم.');
  const lead = await eventually(async () => {
    const found = (await api.get('/leads')).data.find((candidate) => candidate.name === 'پریسا نوری');
    assert.ok(found, 'the submission is a lead');
    return found;
  });
  assert.equal(lead.phone, '+989121234567');
  assert.equal(lead.source, 'website');
});
