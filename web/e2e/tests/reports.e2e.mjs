import assert from 'node:assert/strict';
import { assertAccessible } from '../support/a11y.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { barProblems, chartTextProblems, overflowProblems, overlapProblems } from '../support/layout.mjs';

/** @param {import('playwright-core').Page} page */
async function funnelFigures(page) {
  const steps = page.getByTestId('report-funnel').getByTestId('funnel-step');
  return {
    counts: await steps.getByTestId('funnel-count').allTextContents(),
    rates: await steps.getByTestId('funnel-rate').allTextContents(),
  };
}

/** @param {import('playwright-core').Page} page */
async function text(page, testId) {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Every chart on the dashboard laid out as a reader needs it: no card wider than its box (nor a
 * table scrolling inside one), no label over its bar or number, no chart text over other text,
 * every bar as long as its value says, and the funnel's steps one under another.
 * @param {import('playwright-core').Page} page
 */
async function assertChartsLaidOut(page, language) {
  const problems = [
    ...(await overflowProblems(page, '.reports__grid > .report')),
    ...(await overlapProblems(page, '[data-testid="funnel-step"]', ['.funnel__label', '.funnel__bar', '.funnel__count'])),
    ...(await overlapProblems(page, '.bar-list__row', ['.bar-list__label', '.bar-list__bar', '.bar-list__figure'])),
    ...(await overlapProblems(page, '[data-testid="win-rate-value"]', ['.win-rate__currency', '.win-bar', '.win-rate__percent'])),
    ...(await chartTextProblems(page, '[data-testid="forecast-chart"]')),
    ...(await chartTextProblems(page, '[data-testid="win-rate-trend-chart"]')),
  ];
  const bars = {
    funnel: await barProblems(page, '.funnel'),
    lostReasons: await barProblems(page, '.bar-list'),
    winRate: await barProblems(page, '.win-bar'),
    forecast: await barProblems(page, '[data-testid="forecast-chart"]', { axis: 'height' }),
  };
  for (const [chart, { problems: found, measured }] of Object.entries(bars)) {
    assert.ok(measured > 0, `${language}: the ${chart} chart has bars to measure`);
    problems.push(...found);
  }
  const steps = await page.getByTestId('funnel-step').evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON()));
  assert.equal(steps.length, 5, `${language}: five funnel steps`);
  for (const [index, step] of steps.entries()) {
    if (index > 0 && step.top < steps[index - 1].bottom - 0.5) problems.push(`funnel step ${index} is not below step ${index - 1}`);
    if (step.height === 0 || step.width === 0) problems.push(`funnel step ${index} is not shown`);
  }
  assert.deepEqual(problems, [], `${language}: the charts are laid out`);
}

/** A loss note too long for its row: shown cut short, never spilling out of its card. */
const longNote = 'The buyer chose a cheaper local supplier after a long technical review of both offers';

test('the reports dashboard shows the funnel and the win rate, in English and in Persian', async ({ page, baseUrl }) => {
  const today = new Date().toISOString().slice(0, 10);
  // A pipeline in rials: one deal won, three lost (two for the same reason, one with a long note
  // that must be cut short in its row), one open expected today.
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    deals: [
      { title: 'Fleet renewal', amount_minor: 10_000_000, stage: 1 },
      { title: 'Warehouse sensors', amount_minor: 5_000_000 },
      { title: 'Cold storage', amount_minor: 8_000_000, stage: 2, expected_close_date: today },
      { title: 'Office chairs', amount_minor: 2_000_000 },
      { title: 'Cold room', amount_minor: 1_000_000 },
    ],
  });
  const [fleet, sensors, , chairs, coldRoom] = deals;
  await api.post(`/deals/${fleet.id}/win`, undefined, { 'if-match': `"${fleet.version}"` });
  await api.post(`/deals/${sensors.id}/lose`, { reason: 'Price too high', version: sensors.version });
  await api.post(`/deals/${chairs.id}/lose`, { reason: 'Price too high', version: chairs.version });
  await api.post(`/deals/${coldRoom.id}/lose`, { reason: longNote, version: coldRoom.version });
  // Two leads: one qualified into a deal of the pipeline, one left new.
  const sara = await api.post('/leads', { name: 'Sara Ahmadi', company: 'Pars Logistics' });
  await api.post(`/leads/${sara.id}/qualify`, { pipeline_id: pipeline.id, amount_minor: 3_000_000, version: sara.version });
  await api.post('/leads', { name: 'Reza Karimi' });

  // The header leads from the board to the dashboard.
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL(/\/reports$/);

  // The funnel: 2 leads → 1 qualified → 1 opportunity → 1 deal → 0 won.
  await eventually(async () => assert.deepEqual((await funnelFigures(page)).counts, ['2', '1', '1', '1', '0']));
  assert.deepEqual((await funnelFigures(page)).rates, [
    '50% of the step before',
    '100% of the step before',
    '100% of the step before',
    '0% of the step before',
  ]);
  // Win rate: 1 won and 1 lost; by value 10,000,000 of 15,000,000 rials.
  await eventually(async () => assert.equal(await text(page, 'win-rate-count'), '25%'));
  assert.match(await text(page, 'win-rate-won'), /^1 deal ?10,000,000 Rial$/);
  assert.match(await text(page, 'win-rate-lost'), /^3 deals ?8,000,000 Rial$/);
  assert.match(await text(page, 'win-rate-value'), /^Rial ?55\.6%$/);
  // The trend: six months, the current one (last) at 25%, the five before without closed deals.
  const trendValues = page.getByTestId('report-win-rate-trend').getByTestId('trend-value');
  await eventually(async () => assert.equal((await trendValues.allTextContents()).length, 6));
  assert.deepEqual(await trendValues.allTextContents(), ['No data', 'No data', 'No data', 'No data', 'No data', '25%']);
  // Lost reasons, the forecast (this month: the open deal and the win) and the leaderboard.
  const lostRows = (await page.getByTestId('lost-reason').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());
  assert.equal(lostRows.length, 2);
  assert.match(lostRows[0] ?? '', /^Price too high ?2 deals ?7,000,000 Rial$/);
  assert.match(lostRows[1] ?? '', /^The buyer chose .* ?1 deal ?1,000,000 Rial$/);
  await page.getByTestId('forecast-month').first().waitFor();
  assert.match((await page.getByTestId('report-leaderboard').getByTestId('leaderboard-row').first().textContent()) ?? '', /^Sara Ahmadi1325%10,000,000 Rial/);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  // The funnel follows the period's leads and the win rate the period's closed deals: each says so.
  assert.match(await text(page, 'funnel-scope'), /leads created in this period/);
  assert.match(await text(page, 'win-rate-scope'), /won or lost in this period, from a lead or not/);
  await assertChartsLaidOut(page, 'English');
  await captureScreenshot(page, `${artifactsDir}reports-en.png`, { fullPage: true });

  // The period filter lives in the URL; all time shows the same closed deals.
  await page.getByLabel('Period').selectOption('all');
  await page.waitForURL(/period=all/);
  await eventually(async () => assert.equal(await text(page, 'win-rate-count'), '25%'));
  await page.getByLabel('Period').selectOption('year');

  // Persian: right to left, Persian digits, tomans, Jalali months.
  await page.getByRole('button', { name: 'فارسی' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl'));
  await eventually(async () => assert.deepEqual((await funnelFigures(page)).counts, ['۲', '۱', '۱', '۱', '۰']));
  assert.equal((await funnelFigures(page)).rates[0], '۵۰٪ از مرحلهٔ قبل');
  await eventually(async () => assert.equal(await text(page, 'win-rate-count'), '۲۵٪'));
  assert.match(await text(page, 'win-rate-won'), /^۱ معامله ?۱٬۰۰۰٬۰۰۰ تومان$/);
  assert.match(await text(page, 'win-rate-value'), /^تومان ?۵۵٫۶٪$/);
  await eventually(async () => assert.equal(((await trendValues.allTextContents()).at(-1) ?? '').trim(), '۲۵٪'));
  for (const testId of ['report-funnel', 'report-win-rate', 'report-win-rate-trend', 'report-forecast', 'report-lost-reasons', 'report-leaderboard']) {
    assert.doesNotMatch(await text(page, testId), /[0-9]/, `no ASCII digits in ${testId}`);
  }
  // The workspace counts Gregorian time, whatever the language: this year runs from 1 January to
  // 31 December, in Persian words and digits, and months are Gregorian months.
  assert.match(await text(page, 'report-range'), /^۱ ژانویهٔ? ۲۰\S\S تا ۳۱ دسامبرٔ? ۲۰\S\S$/);
  const gregorianMonths = /^(ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر)ٔ?( ۲۰\S\S)?$/;
  assert.match(((await page.getByTestId('forecast-month').first().locator('text').textContent()) ?? '').trim(), gregorianMonths);
  for (const month of await page.getByTestId('trend-month').locator('.chart__label').allTextContents()) {
    assert.match(month.trim(), gregorianMonths);
  }
  // Mirrored: a funnel step's label is right of its bar; the won share of the win bar starts at the right.
  const step = page.getByTestId('funnel-step').first();
  const label = await step.locator('.funnel__label').boundingBox();
  const bar = await step.locator('.funnel__bar').boundingBox();
  assert.ok(label && bar && label.x > bar.x, 'the label is to the right of the bar');
  const winBar = await page.getByTestId('report-win-rate').locator('.win-bar').first().boundingBox();
  const won = await page.getByTestId('report-win-rate').locator('.win-bar__won').first().boundingBox();
  assert.ok(winBar && won && Math.abs(won.x + won.width - (winBar.x + winBar.width)) < 1, 'the won share ends at the right edge');
  assert.match(await text(page, 'funnel-scope'), /سرنخ‌های ساخته‌شده در این بازه/);
  assert.match(await text(page, 'win-rate-scope'), /از سرنخ یا بی سرنخ/);
  await assertChartsLaidOut(page, 'Persian');
  await captureScreenshot(page, `${artifactsDir}reports-fa.png`, { fullPage: true });
});

test('the reports dashboard says when there is nothing to show', async ({ page, baseUrl }) => {
  const { pair } = await workspaceWithPipeline(baseUrl, { currency: 'USD' });
  await openSignedIn(page, baseUrl, pair, '/reports?period=month');
  await page.getByText('No leads came in during this period.').waitFor();
  await page.getByText('No deals were won or lost in this period.').waitFor();
  await page.getByText('No deals were won or lost in the last 6 months.').waitFor();
  await page.getByText('No open deals are expected to close, and none were won, in this period.').waitFor();
  await page.getByText('No deal entered a stage of this pipeline in this period.').waitFor();
  await page.getByText('No open deal has been idle in its stage longer than the stage allows.').waitFor();
  await page.getByText('No leads came in during this period, so there are no cohorts to follow.').waitFor();
  await page.getByText('No invoice was issued and no payment made in this period.').waitFor();
  await page.getByText('No customer paid an invoice in this period.').waitFor();
});

/**
 * A deal of `organization` with one line item, invoiced and issued; `paid` is paid on it in cash.
 * @param {{ post: Function, put: Function }} api
 */
async function invoicedDeal(api, pipeline, organization, title, amount, paid) {
  const deal = await api.post('/deals', {
    pipeline_id: pipeline.id,
    stage_id: pipeline.stages[0].id,
    title,
    amount_minor: amount,
    organization_id: organization.id,
  });
  await api.put(`/deals/${deal.id}/line-items`, { items: [{ name: title, quantity: '1', unit_price_minor: amount }], version: deal.version });
  const invoice = await api.post(`/deals/${deal.id}/invoices`, {});
  await api.post(`/invoices/${invoice.id}/issue`, {});
  if (paid > 0) await api.post(`/invoices/${invoice.id}/payments`, { amount_minor: paid, method: 'cash' });
}

/** The revenue chart and the RFM table fit their cards; the chart's labels stay apart and its bars follow their values. */
async function assertLaidOut(page, language) {
  const problems = [...(await overflowProblems(page, '.reports__grid > .report')), ...(await chartTextProblems(page, '[data-testid="revenue-chart"]'))];
  const bars = await barProblems(page, '[data-testid="revenue-chart"]', { axis: 'height' });
  assert.ok(bars.measured > 0, `${language}: the revenue chart has bars to measure`);
  problems.push(...bars.problems);
  assert.deepEqual(problems, [], `${language}: the revenue and RFM cards are laid out`);
}

test('reports: revenue invoiced and paid, and customers by RFM, in English and in Persian on the Jalali calendar', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, { currency: 'IRR' });
  const pars = await api.post('/organizations', { name: 'Pars Logistics' });
  const kish = await api.post('/organizations', { name: 'Kish Foods' });
  // Pars bought twice and paid both; Kish paid one invoice and has another issued, unpaid.
  await invoicedDeal(api, pipeline, pars, 'Fleet tracking', 3_000_000, 3_000_000);
  await invoicedDeal(api, pipeline, pars, 'Cold storage', 2_000_000, 2_000_000);
  await invoicedDeal(api, pipeline, kish, 'Office chairs', 1_000_000, 1_000_000);
  await invoicedDeal(api, pipeline, kish, 'Desk lamps', 500_000, 0);
  const scored = await api.get('/reports/rfm?source=paid_invoices');
  assert.deepEqual(scored.customers.map((customer) => customer.name).sort(), ['Kish Foods', 'Pars Logistics']);

  await openSignedIn(page, baseUrl, pair, '/reports');
  const revenue = page.getByTestId('report-revenue');
  await eventually(async () => assert.match(await text(page, 'revenue-invoiced'), /^Invoiced \(4 invoices\) ?6,500,000 Rial$/));
  assert.match(await text(page, 'revenue-paid'), /^Paid \(3 payments\) ?6,000,000 Rial$/);
  assert.equal(await revenue.getByTestId('revenue-period').count(), 1);
  // The table lists the customers best first, as the API scored them, each linking to its page.
  const rows = page.getByTestId('report-rfm').getByTestId('rfm-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  const segmentNames = { champions: 'Champions', loyal: 'Loyal', new: 'New', at_risk: 'At risk', lost: 'Lost', needs_attention: 'Needs attention' };
  for (const [index, customer] of scored.customers.entries()) {
    const row = rows.nth(index);
    assert.equal(await row.getByRole('link').textContent(), customer.name);
    assert.equal(await row.getByRole('link').getAttribute('href'), `/organizations/${customer.organization_id}`);
    const scores = [await row.getByTestId('rfm-r').textContent(), await row.getByTestId('rfm-f').textContent(), await row.getByTestId('rfm-m').textContent()];
    assert.deepEqual(scores, [customer.recency_score, customer.frequency_score, customer.monetary_score].map(String));
    assert.equal(await row.getByTestId('rfm-segment-name').textContent(), segmentNames[customer.segment]);
  }
  const pars_ = scored.customers.find((customer) => customer.name === 'Pars Logistics');
  assert.equal(pars_.frequency, 2);
  assert.equal((await rows.filter({ hasText: 'Pars Logistics' }).getByTestId('rfm-spent').textContent())?.trim(), '5,000,000 Rial');
  const counted = await page
    .getByTestId('rfm-segment')
    .evaluateAll((items) => items.reduce((sum, item) => sum + Number(item.querySelector('.rfm__segment-count')?.textContent), 0));
  assert.equal(counted, 2, 'the segments count both customers');
  // Won deals as purchases: none was won.
  await page.getByRole('button', { name: 'Won deals' }).click();
  await page.getByText('No customer had a deal won in this period.').waitFor();
  await page.getByRole('button', { name: 'Paid invoices' }).click();
  await eventually(async () => assert.equal(await rows.count(), 2));
  await assertLaidOut(page, 'English');
  await assertAccessible(page, 'reports (English)');
  await captureScreenshot(page, `${artifactsDir}reports-revenue-en.png`, { fullPage: true });

  // On the Jalali calendar: the period is a Jalali month and the last purchase a Jalali date.
  await api.patch('/workspace', { calendar: 'jalali' });
  await page.reload();
  const jalaliMonths = /^(Farvardin|Ordibehesht|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand) 14\d\d$/;
  await eventually(async () => assert.match(((await revenue.getByTestId('revenue-period').locator('text').textContent()) ?? '').trim(), jalaliMonths));
  await eventually(async () => assert.match(((await rows.first().getByTestId('rfm-last').textContent()) ?? '').trim(), / 14\d\d$/));

  // Persian: right to left, Persian digits, tomans, Jalali months and dates.
  await page.getByRole('button', { name: 'فارسی' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl'));
  await eventually(async () => assert.match(await text(page, 'revenue-invoiced'), /^صورت‌حساب‌شده \(۴ صورت‌حساب\) ?۶۵۰٬۰۰۰ تومان$/));
  assert.match(await text(page, 'revenue-paid'), /^پرداخت‌شده \(۳ پرداخت\) ?۶۰۰٬۰۰۰ تومان$/);
  const persianMonths = /^(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴\S\S$/;
  assert.match(((await revenue.getByTestId('revenue-period').locator('text').textContent()) ?? '').trim(), persianMonths);
  const persianSegments = { champions: 'قهرمانان', loyal: 'وفادار', new: 'تازه', at_risk: 'در خطر', lost: 'از دست رفته', needs_attention: 'نیازمند توجه' };
  for (const [index, customer] of scored.customers.entries()) {
    assert.equal(await rows.nth(index).getByTestId('rfm-segment-name').textContent(), persianSegments[customer.segment]);
    assert.equal(
      await rows.nth(index).getByTestId('rfm-r').textContent(),
      String(customer.recency_score).replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]),
    );
  }
  assert.match(((await rows.first().getByTestId('rfm-last').textContent()) ?? '').trim(), /^\S+ \S+ ۱۴\S\S$/);
  for (const testId of ['report-revenue', 'report-rfm']) {
    assert.doesNotMatch(await text(page, testId), /[0-9]/, `no ASCII digits in ${testId}`);
  }
  await assertLaidOut(page, 'Persian');
  await assertAccessible(page, 'reports (Persian)');
  await captureScreenshot(page, `${artifactsDir}reports-revenue-fa.png`, { fullPage: true });
});
