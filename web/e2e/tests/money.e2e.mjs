// Money as the screens show it in Persian: every currency named in Persian after its number, rials
// or tomans as the switch says, and never an ISO code or a symbol the bidirectional algorithm
// would move ("۲۵ $ هزار").
import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { card, column, eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** @param {import('playwright-core').Locator} locator */
const textOf = async (locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

test('Persian money: dollars and rials named in Persian on the board, in totals and in the deal drawer', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'USD',
    deals: [{ title: 'Fleet renewal', amount_minor: 2_500_000 }],
  });
  const rials = await api.post('/pipelines', { name: 'Tehran', currency: 'IRR', stages: [{ name: 'New', probability: 50 }] });
  await api.post('/deals', { pipeline_id: rials.id, stage_id: rials.stages[0].id, title: 'Sensors', amount_minor: 125_000_000 });

  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });
  // $25,000: the card in full, the column total compact, both number first and then «دلار».
  await eventually(async () => assert.equal(await textOf(card(page, 'Fleet renewal').locator('.card__amount')), '۲۵٬۰۰۰ دلار'));
  const total = column(page, 0).locator('.column__total').first().locator('dd');
  assert.equal(await textOf(total), '۲۵ هزار دلار');
  // Read in the order it is drawn: the number is right of «هزار», which is right of «دلار».
  const order = await total.evaluate((element) => {
    const range = document.createRange();
    const text = element.firstChild;
    const at = (word) => {
      const start = (text?.textContent ?? '').indexOf(word);
      range.setStart(text, start);
      range.setEnd(text, start + word.length);
      return range.getBoundingClientRect().x;
    };
    return { number: at('۲۵'), thousand: at('هزار'), dollars: at('دلار') };
  });
  assert.ok(order.number > order.thousand && order.thousand > order.dollars, `drawn right to left: ${JSON.stringify(order)}`);
  const board = await textOf(page.locator('main'));
  assert.doesNotMatch(board, /\$|USD|IRR|[0-9]/, 'no symbol, code or Latin digit on the board');

  // The drawer: the amount's unit and the currency picker name the currency in Persian.
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const drawer = page.getByTestId('deal-drawer');
  await drawer.getByLabel('مبلغ (دلار)').waitFor();
  assert.equal(await drawer.getByLabel('مبلغ (دلار)').inputValue(), '۲۵٬۰۰۰');
  const currency = drawer.locator('select[name="currency"]');
  assert.equal(await textOf(currency.locator('option:checked')), 'دلار آمریکا');
  assert.doesNotMatch((await currency.locator('option').allTextContents()).join(' '), /IRR|USD|EUR|AED|TRY/);
  await captureScreenshot(page, `${artifactsDir}money-drawer-fa.png`);

  // Rials follow the Rial/Toman switch: 125,000,000 rials are 12,500,000 tomans.
  await page.goto(`${baseUrl}/pipelines/${rials.id}`);
  await eventually(async () => assert.equal(await textOf(card(page, 'Sensors').locator('.card__amount')), '۱۲٬۵۰۰٬۰۰۰ تومان'));
  await page.getByRole('button', { name: 'ریال', exact: true }).click();
  await eventually(async () => assert.equal(await textOf(card(page, 'Sensors').locator('.card__amount')), '۱۲۵٬۰۰۰٬۰۰۰ ریال'));
  assert.doesNotMatch(await textOf(page.locator('main')), /\$|USD|IRR|[0-9]/);
});
