import assert from 'node:assert/strict';
import { test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** The header's search box, typed into like a user would. */
async function searchFor(page, label, text) {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(text, { delay: 20 });
  await page.getByRole('listbox').getByRole('option').first().waitFor();
  return box;
}

/** The visible options' titles, in order. */
async function optionTitles(page) {
  return page.getByRole('listbox').locator('[role="option"] .global-search__title').allTextContents();
}

test('Search: type a query, move with the arrows and open a deal on its board', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Pars' }, { title: 'Parsian warehouse', stage: 1 }, { title: 'Unrelated' }],
  });
  await api.post('/leads', { name: 'Parsa Karimi', email: 'parsa@example.com' });
  await api.post('/contacts', { name: 'Pars contact', phone: '+98 912 123 4567' });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);

  const box = await searchFor(page, 'Search', 'pars');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  // Grouped by kind: deals, then leads, then contacts; within deals the exact title before the word that starts with it.
  assert.deepEqual(await optionTitles(page), ['Pars', 'Parsian warehouse', 'Parsa Karimi', 'Pars contact']);
  assert.equal(await page.getByRole('group', { name: 'Contacts' }).getByRole('option').getAttribute('aria-disabled'), null);

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  assert.ok(active);
  assert.equal(await page.locator(`[id="${active}"] .global-search__title`).textContent(), 'Parsian warehouse');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/pipelines\/[^/]+\/deals\/[^/]+$/);
  await eventually(async () => assert.equal(await page.getByTestId('deal-drawer').getByLabel('Title').inputValue(), 'Parsian warehouse'));

  // Escape closes the drawer, then the popup of a new search.
  await page.keyboard.press('Escape');
  await searchFor(page, 'Search', 'Parsa');
  await page.keyboard.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
});

test('Search: in Persian, Arabic letter forms find Persian names and hits show Persian digits', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'قرارداد کریم ۱۴۰۵' }] });
  await api.post('/leads', { name: 'کریم کیانی', phone: '0912 765 4321' });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });

  // Arabic yeh and kaf, as an Arabic keyboard types them.
  const box = await searchFor(page, 'جست‌وجو', 'كريم');
  assert.deepEqual(await optionTitles(page), ['قرارداد کریم ۱۴۰۵', 'کریم کیانی']);
  const lead = page.getByRole('group', { name: 'سرنخ‌ها' }).getByRole('option');
  assert.match((await lead.textContent()) ?? '', /\+۹۸۹۱۲۷۶۵۴۳۲۱/);
  assert.doesNotMatch((await page.getByRole('listbox').textContent()) ?? '', /[0-9]/, 'no ASCII digits in the Persian popup');

  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/leads\/[^/]+$/);
  assert.equal(await box.inputValue(), '');

  // The lead's drawer opens; it is modal: close it, then a phone number typed in Persian digits finds the lead.
  const drawer = page.getByRole('dialog');
  await drawer.getByRole('heading', { name: 'کریم کیانی' }).waitFor();
  await drawer.getByRole('button', { name: 'بستن' }).click();
  await page.waitForURL(/\/leads$/);
  await searchFor(page, 'جست‌وجو', '۰۹۱۲۷۶۵');
  assert.deepEqual(await optionTitles(page), ['کریم کیانی']);
});
