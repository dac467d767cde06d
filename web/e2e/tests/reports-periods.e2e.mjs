import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { backdateStageEntry } from '../support/backdate.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { assertFits, desktop, phone } from '../support/phone-layout.mjs';

const words = {
  en: {
    from: 'From',
    to: 'To',
    period: 'Period',
    quarters: 'Quarters',
    dey: 'Dey 1405',
    // This year on the Jalali calendar, in English words.
    jalaliYear: /^1 Farvardin 14\d\d – \d\d Esfand 14\d\d$/,
    winter: 'Q4 1405 (winter)',
    idle: /^Lead: idle 20 days \(limit 7\)$/,
    noRotting: 'No open deal has been idle in its stage longer than the stage allows.',
  },
  fa: {
    from: 'از',
    to: 'تا',
    period: 'بازه',
    quarters: 'فصلی',
    dey: 'دی ۱۴۰۵',
    jalaliYear: /^۱ فروردین ۱۴\S\S تا \S\S اسفند ۱۴\S\S$/,
    winter: 'زمستان ۱۴۰۵',
    idle: /^سرنخ: ۲۰ روز بی‌حرکت \(مهلت ۷\)$/,
    noRotting: 'هیچ معاملهٔ بازی بیش از مهلت مرحله‌اش بی‌حرکت نمانده است.',
  },
};

/** Today's (or `daysAgo` earlier) date as the date fields of a Jalali workspace show it: `1405/09/15`, in Persian digits in Persian. */
function fieldDate(locale, daysAgo = 0) {
  const day = new Date(Date.now() - daysAgo * 86_400_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat(`${locale}-u-ca-persian-nu-${locale === 'fa' ? 'arabext' : 'latn'}`, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' })
      .formatToParts(day)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}/${parts.month}/${parts.day}`;
}

/** The name of this Jalali month and year, as a cohort of leads created today is labelled. */
function thisJalaliMonth(locale) {
  const format = (options) => new Intl.DateTimeFormat(`${locale}-u-ca-persian`, { ...options, timeZone: 'UTC' }).format(new Date());
  const year = format({ year: 'numeric' }).replace(/[^0-9۰-۹]/g, '');
  return `${format({ month: 'long' })} ${year}`;
}

/** @param {import('playwright-core').Page} page */
async function text(page, testId) {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const w = words[locale];
  test(`reports (${locale}): rotting deals and lead cohorts, a custom period, months and quarters of the workspace's Jalali calendar, desktop and phone`, async ({
    page,
    baseUrl,
  }) => {
    // A Jalali workspace; a stage that rots after 7 days, with a deal there for 20; an open deal
    // expected on 10 January 2027 (20 Dey 1405); two leads today, one qualified.
    const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
      currency: 'IRR',
      stages: [
        { name: locale === 'fa' ? 'سرنخ' : 'Lead', probability: 10, rotting_days: 7 },
        { name: locale === 'fa' ? 'پیشنهاد' : 'Proposal', probability: 50 },
      ],
      deals: [
        { title: 'Stale fleet', amount_minor: 4_000_000 },
        { title: 'Cold storage', amount_minor: 8_000_000, stage: 1, expected_close_date: '2027-01-10' },
      ],
    });
    await backdateStageEntry(deals[0].id, 20);
    await api.patch('/workspace', { calendar: 'jalali' });
    const sara = await api.post('/leads', { name: 'Sara Ahmadi', company: 'Pars Logistics' });
    await api.post(`/leads/${sara.id}/qualify`, { pipeline_id: pipeline.id, amount_minor: 3_000_000, version: sara.version });
    await api.post('/leads', { name: 'Reza Karimi' });

    await page.setViewportSize(desktop);
    await openSignedIn(page, baseUrl, pair, '/reports', { locale });
    await page.getByTestId('report-rotting').getByTestId('rotting-deal').first().waitFor();

    // Periods follow the workspace's Jalali calendar in either language: "this year" is the
    // Jalali year from 1 Farvardin to the end of Esfand.
    assert.match(await text(page, 'report-range'), w.jalaliYear);

    // A custom period: from 30 days ago to the end of 1405, typed on the workspace's Jalali calendar
    // in the language's digits.
    await page.getByLabel(w.period).selectOption('custom');
    await page.getByLabel(w.from, { exact: true }).fill(fieldDate(locale, 30));
    await page.getByLabel(w.to, { exact: true }).fill(locale === 'fa' ? '۱۴۰۵/۱۲/۲۹' : '1405/12/29');
    await page.waitForURL((url) => url.searchParams.get('period') === 'custom' && url.searchParams.get('to') === '2027-03-20');
    assert.equal(new URL(page.url()).searchParams.get('from'), new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));

    // Rotting: the stale deal, idle 20 days of 7 allowed, linking to its board.
    const rotting = page.getByTestId('report-rotting');
    await eventually(async () => assert.equal(await rotting.getByTestId('rotting-deal').count(), 1));
    assert.match(((await rotting.getByTestId('rotting-idle').textContent()) ?? '').trim(), w.idle);
    assert.equal(await rotting.getByRole('link', { name: 'Stale fleet' }).getAttribute('href'), `/pipelines/${pipeline.id}/deals/${deals[0].id}`);

    // Grouped on the workspace's Jalali calendar: the forecast's month is Dey 1405, the leads' this Jalali month.
    await eventually(async () => assert.equal(await page.getByTestId('forecast-month').first().getAttribute('data-period'), '1405-10'));
    assert.equal((await page.getByTestId('forecast-month').first().locator('text').textContent())?.trim(), w.dey);
    await eventually(async () => assert.equal(await text(page, 'cohort-period'), thisJalaliMonth(locale)));
    assert.equal(await text(page, 'cohort-leads'), locale === 'fa' ? '۲' : '2');
    await assertFits(page, ['.reports__grid > .report', '.reports__toolbar'], `${locale} desktop`);
    await captureScreenshot(page, `${artifactsDir}reports-periods-${locale}-desktop.png`, { fullPage: true });

    // Forecast quarters: Dey is in the fourth quarter of the Jalali year (winter); the switch is in the URL.
    await page.getByTestId('report-interval').getByRole('button', { name: w.quarters }).click();
    await page.waitForURL(/interval=quarter/);
    await eventually(async () => assert.equal(await page.getByTestId('forecast-month').first().getAttribute('data-period'), '1405-Q4'));
    assert.equal((await page.getByTestId('forecast-month').first().locator('text').textContent())?.trim(), w.winter);
    // The cohorts stay monthly.
    assert.equal(await text(page, 'cohort-period'), thisJalaliMonth(locale));

    // The period's start moved to today: the deal entered its stage before it, so nothing rots in it.
    await page.getByLabel(w.from, { exact: true }).fill(fieldDate(locale));
    await rotting.getByText(w.noRotting).waitFor();

    // A phone: nothing sticks out of a card, and the page does not scroll sideways.
    await page.setViewportSize(phone);
    await page.getByLabel(w.from, { exact: true }).fill(fieldDate(locale, 30));
    await rotting.getByTestId('rotting-deal').waitFor();
    await page.waitForTimeout(300);
    await assertFits(page, ['.reports__grid > .report', '.reports__toolbar'], `${locale} phone`);
    await captureScreenshot(page, `${artifactsDir}reports-periods-${locale}-phone.png`, { fullPage: true });
    await page.getByTestId('report-cohorts').scrollIntoViewIfNeeded();
    await captureScreenshot(page, `${artifactsDir}reports-periods-${locale}-phone-cards.png`);
    if (locale === 'fa') {
      for (const testId of ['report-rotting', 'report-cohorts', 'report-forecast']) {
        assert.doesNotMatch(await text(page, testId), /[0-9]/, `no ASCII digits in ${testId}`);
      }
    }
  });
}
