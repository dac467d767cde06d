import { describe, expect, it } from 'vitest';
import {
  amountIn,
  cohortColumns,
  cohortWinRate,
  currenciesOf,
  forecastCurrencies,
  forecastSeries,
  funnelRows,
  pickCurrency,
  roundPercent,
  type ForecastReport,
} from './report-data';

const money = (entries: [string, number][]) => ({ by_currency: entries.map(([currency, amount_minor]) => ({ currency, amount_minor })) });

describe('funnelRows', () => {
  it('orders the steps and fills missing ones with zero', () => {
    const rows = funnelRows({
      steps: [
        { step: 'qualified', count: 1, percent_of_previous: 50, percent_of_leads: 50 },
        { step: 'leads', count: 2, percent_of_previous: null, percent_of_leads: 100 },
      ],
    });
    expect(rows.map((row) => [row.step, row.count])).toEqual([
      ['leads', 2],
      ['qualified', 1],
      ['opportunities', 0],
      ['deals', 0],
      ['won', 0],
    ]);
    expect(rows[1]).toEqual({ step: 'qualified', count: 1, percentOfPrevious: 50, percentOfLeads: 50 });
    expect(rows[2]!.percentOfPrevious).toBeNull();
  });
});

describe('money figures', () => {
  it('reads one currency, never a sum', () => {
    const figure = money([
      ['IRR', 7_000_000],
      ['USD', 50_000],
    ]);
    expect(amountIn(figure, 'USD')).toBe(50_000);
    expect(amountIn(figure, 'EUR')).toBe(0);
  });

  it('lists the currencies present', () => {
    expect(currenciesOf([money([['USD', 1]]), money([['IRR', 1]]), money([['USD', 2]])])).toEqual(['IRR', 'USD']);
  });

  it('prefers the pipeline’s or the workspace’s currency when it is there', () => {
    expect(pickCurrency(['IRR', 'USD'], ['USD', 'IRR'])).toBe('USD');
    expect(pickCurrency(['IRR', 'USD'], [null, 'EUR'])).toBe('IRR');
    expect(pickCurrency([], ['USD'])).toBeNull();
  });
});

describe('forecast', () => {
  const report: ForecastReport = {
    calendar: 'gregorian',
    interval: 'month',
    months: [
      { month: '2026-11', period: '2026-11', open_deals: 0, amount: money([]), weighted: money([]), won_deals: 1, won: money([['IRR', 10_000_000]]) },
      {
        month: '2026-12',
        period: '2026-12',
        open_deals: 2,
        amount: money([
          ['IRR', 8_000_000],
          ['USD', 100_00],
        ]),
        weighted: money([
          ['IRR', 4_000_000],
          ['USD', 50_00],
        ]),
        won_deals: 0,
        won: money([]),
      },
    ],
    undated: { open_deals: 1, amount: money([['EUR', 1]]), weighted: money([['EUR', 1]]) },
  };

  it('finds every currency, the undated deals’ too', () => {
    expect(forecastCurrencies(report)).toEqual(['EUR', 'IRR', 'USD']);
  });

  it('gives one currency month by month', () => {
    expect(forecastSeries(report, 'IRR')).toEqual([
      { month: '2026-11', period: '2026-11', weighted: 0, amount: 0, won: 10_000_000 },
      { month: '2026-12', period: '2026-12', weighted: 4_000_000, amount: 8_000_000, won: 0 },
    ]);
    expect(forecastSeries(report, 'USD')[1]).toEqual({ month: '2026-12', period: '2026-12', weighted: 5_000, amount: 10_000, won: 0 });
  });
});

describe('roundPercent', () => {
  it('keeps one decimal', () => {
    expect(roundPercent(66.666)).toBe(66.7);
    expect(roundPercent(50)).toBe(50);
  });
});

describe('cohortColumns', () => {
  it('gives every cohort as many months as the longest, padded with 0', () => {
    const rows = [
      { month: '1405-09', leads: 4, won: 3, won_after_months: [1, 0, 2] },
      { month: '1405-10', leads: 2, won: 1, won_after_months: [1] },
      { month: '1405-11', leads: 1, won: 0, won_after_months: [] },
    ];
    expect(cohortColumns(rows)).toEqual({
      afterMonths: [0, 1, 2],
      counts: [
        [1, 0, 2],
        [1, 0, 0],
        [0, 0, 0],
      ],
    });
    expect(cohortColumns([])).toEqual({ afterMonths: [], counts: [] });
    expect(cohortWinRate(rows[0]!)).toBe(75);
    expect(cohortWinRate({ month: '1405-12', leads: 0, won: 0, won_after_months: [] })).toBeNull();
  });
});
