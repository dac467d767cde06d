import assert from 'node:assert/strict';
import { assertAccessible } from '../support/a11y.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithLeads } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertApart, assertFitsWidth, phone } from '../support/layout.mjs';

const leads = [
  { name: 'Sara Ahmadi', email: 'sara@pars.example', source: 'website' },
  { name: 'Reza Karimi', source: 'exhibition', tags: ['fleet'] },
  { name: 'Mina Rahimi', source: 'referral' },
];
const rules = [{ name: 'Has email', condition: { kind: 'field_present', field: 'email' }, points: 10 }];

/** A lead's row in the inbox, by the lead's name. @param {import('playwright-core').Page} page */
function leadRow(page, name) {
  return page.locator('[data-testid="lead-row"]', { has: page.getByRole('link', { name, exact: true }) });
}

/** The preview's row for a lead: its name, score now, after saving, and the change. @param {import('playwright-core').Page} page */
async function previewRow(page, id) {
  const cells = await page.locator(`[data-testid="preview-row"][data-lead-id="${id}"] td`).allTextContents();
  return cells.map((cell) => cell.trim());
}

/** No rule's parts overlap and the screen fits; axe finds nothing serious. @param {import('playwright-core').Page} page */
async function assertLaidOut(page, where) {
  await assertFitsWidth(page);
  const rule = page.getByTestId('scoring-rule').first();
  await assertApart(rule.getByTestId('rule-effect'), rule.locator('.scoring-rule__tools'));
  await assertApart(rule.locator('.scoring-rule__name'), rule.locator('.scoring-rule__points'));
  await assertAccessible(page, where);
}

test('scoring rules: build a rule with pickers, see its effect on the inbox, save, and the inbox re-scores', async ({ page, baseUrl }) => {
  const {
    pair,
    api,
    pipeline,
    leads: [sara, reza],
  } = await workspaceWithLeads(baseUrl, { rules, leads });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Lead scoring' }).click();
  await page.waitForURL(/\/settings\/scoring$/);

  // The saved rule shows what it does now.
  const first = page.getByTestId('scoring-rule').first();
  await first.getByText('Matches 1 lead now · +10 points').waitFor();
  await page.getByTestId('preview-summary').getByText('Of 3 leads, 0 would get a new score.').waitFor();

  // A new rule from pickers: leads met at an exhibition are worth 25.
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const added = page.getByTestId('scoring-rule').nth(1);
  await added.getByLabel('Rule name').fill('Met at a fair');
  await added.getByLabel('Points').fill('25');
  await added.getByLabel('When the lead…').selectOption({ label: 'came from one of these sources' });
  await added.getByRole('checkbox', { name: 'Exhibition' }).check();
  await added.getByText('Matches 1 lead now · +25 points').waitFor();
  await page.getByText('Of 3 leads, 1 would get a new score.').waitFor();
  await eventually(async () => assert.deepEqual(await previewRow(page, reza.id), ['Reza Karimi', '0', '25', '+25']));
  assert.deepEqual(await previewRow(page, sara.id), ['Sara Ahmadi', '10', '10', 'same']);

  // The server's checks show next to the field they concern; the form's own (a number) too.
  await added.getByLabel('Points').fill('5000');
  await added.getByText('points must be between -1000 and 1000').waitFor();
  await added.getByLabel('Points').fill('lots');
  await added.getByText('Enter a whole number').waitFor();
  await added.getByLabel('Points').fill('25');
  await added.getByLabel('When the lead…').selectOption({ label: 'carries a tag' });
  await added.getByLabel('Tag').fill('fleet');
  await added.getByText('Matches 1 lead now · +25 points').waitFor();

  // Every other kind of condition has its pickers.
  const kinds = await added.getByLabel('When the lead…').locator('option').allTextContents();
  assert.equal(kinds.length, 8, 'every condition kind the API knows is offered');
  await added.getByLabel('When the lead…').selectOption({ label: 'has at least this many activities' });
  await added.getByLabel('Kind of activity').selectOption({ label: 'Call' });
  await added.getByText('Matches 0 leads now · +25 points').waitFor();
  await added.getByLabel('When the lead…').selectOption({ label: 'carries a tag' });
  assert.equal(await added.getByLabel('Tag').inputValue(), 'fleet', 'switching kinds keeps what was typed');

  // Reordered first, it keeps its effect.
  await page.getByRole('button', { name: 'Move “Met at a fair” up' }).click();
  await page.getByTestId('scoring-rule').first().getByText('Matches 1 lead now · +25 points').waitFor();
  await assertLaidOut(page, 'scoring rules, English');
  await captureScreenshot(page, `${artifactsDir}scoring-en.png`, { fullPage: true });

  await page.getByRole('button', { name: 'Save and re-score' }).click();
  await page.getByText('Rules saved: 1 lead has a new score.').waitFor();
  const saved = (await api.get('/scoring-rules')).data;
  assert.deepEqual(
    saved.map((rule) => [rule.name, rule.points, rule.condition]),
    [
      ['Met at a fair', 25, { kind: 'has_tag', tag: 'fleet' }],
      ['Has email', 10, { kind: 'field_present', field: 'email' }],
    ],
  );

  await page.setViewportSize(phone);
  await assertLaidOut(page, 'scoring rules, English phone');
  await captureScreenshot(page, `${artifactsDir}scoring-en-phone.png`, { fullPage: true });

  // The inbox shows the new scores, best first.
  await page.goto(`${baseUrl}/leads`);
  await eventually(async () => assert.equal(await leadRow(page, 'Reza Karimi').getByTestId('lead-score').textContent(), '25'));
  assert.equal(await leadRow(page, 'Sara Ahmadi').getByTestId('lead-score').textContent(), '10');
});

test('scoring rules: in Persian, a rule typed with Persian digits, its effect, saved, on a phone', async ({ page, baseUrl }) => {
  const {
    pair,
    api,
    leads: [, reza],
  } = await workspaceWithLeads(baseUrl, { rules, leads });
  await page.setViewportSize(phone);
  await openSignedIn(page, baseUrl, pair, '/settings/scoring', { locale: 'fa' });
  await page.getByRole('heading', { name: 'امتیازدهی سرنخ‌ها' }).waitFor();
  await page.getByTestId('scoring-rule').first().getByText('اکنون با ۱ سرنخ جور است · \u200e+۱۰ امتیاز').waitFor();
  assert.equal(await page.getByTestId('scoring-rule').first().getByLabel('امتیاز').inputValue(), '۱۰', 'points in Persian digits');

  await page.getByRole('button', { name: 'افزودن قاعده' }).click();
  const added = page.getByTestId('scoring-rule').nth(1);
  await added.getByLabel('نام قاعده').fill('دیدار در نمایشگاه');
  await added.getByLabel('امتیاز').fill('۱۵');
  await added.getByLabel('وقتی سرنخ…').selectOption({ label: 'از یکی از این منبع‌ها آمده' });
  await added.getByRole('checkbox', { name: 'نمایشگاه' }).check();
  await added.getByText('اکنون با ۱ سرنخ جور است · \u200e+۱۵ امتیاز').waitFor();
  await page.getByText('از ۳ سرنخ، امتیاز ۱ سرنخ تغییر می‌کند.').waitFor();
  await eventually(async () => assert.deepEqual(await previewRow(page, reza.id), ['Reza Karimi', '۰', '۱۵', '\u200e+۱۵'], 'the sign stays before the digits'));
  await assertLaidOut(page, 'scoring rules, Persian phone');
  await captureScreenshot(page, `${artifactsDir}scoring-fa-phone.png`, { fullPage: true });

  await page.setViewportSize({ width: 1440, height: 900 });
  await assertLaidOut(page, 'scoring rules, Persian');
  await captureScreenshot(page, `${artifactsDir}scoring-fa.png`, { fullPage: true });

  await page.getByRole('button', { name: 'ذخیره و امتیازدهی دوباره' }).click();
  await page.getByText('قاعده‌ها ذخیره شدند: امتیاز ۱ سرنخ تغییر کرد.').waitFor();
  assert.equal((await api.get(`/leads/${reza.id}`)).score, 15);
  await page.goto(`${baseUrl}/leads`);
  await eventually(async () => assert.equal(await leadRow(page, 'Reza Karimi').getByTestId('lead-score').textContent(), '۱۵'));
});

test('scoring rules: in Persian, a rule the server refuses shows why under the rule, in Persian', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithLeads(baseUrl, { rules, leads });
  await openSignedIn(page, baseUrl, pair, '/settings/scoring', { locale: 'fa' });
  await page.getByRole('heading', { name: 'امتیازدهی سرنخ‌ها' }).waitFor();
  await page.getByRole('button', { name: 'افزودن قاعده' }).click();
  const added = page.getByTestId('scoring-rule').nth(1);
  await added.getByLabel('نام قاعده').fill('بی‌منبع');
  await added.getByLabel('امتیاز').fill('۵');
  // "Came from one of these sources" with no source: the server's `condition` code.
  await added.getByLabel('وقتی سرنخ…').selectOption({ label: 'از یکی از این منبع‌ها آمده' });
  await page.getByRole('button', { name: 'ذخیره و امتیازدهی دوباره' }).click();
  const message = added.getByText('این شرط با فیلدش جور نیست', { exact: false });
  await message.waitFor();
  assert.doesNotMatch((await added.textContent()) ?? '', /[A-Za-z]{3,}/, 'no English text in the refused rule');
  assert.equal((await api.get('/scoring-rules')).data.length, 1, 'nothing was saved');
});
