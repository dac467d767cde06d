import { describe, expect, it } from 'vitest';
import { revenueIsEmpty, type RevenueReport, revenueSeries } from './revenue-data';

const figure = (amounts: Record<string, number>, converted: number | null = null) => ({
  by_currency: Object.entries(amounts).map(([currency, amount_minor]) => ({ currency, amount_minor })),
  converted: converted === null ? null : { currency: 'IRR', amount_minor: converted, rates: [], unconverted: [] },
});

function report(converted: boolean): RevenueReport {
  return {
    calendar: 'jalali',
    interval: 'month',
    periods: [
      {
        month: '1405-08',
        period: '1405-08',
        invoices: 1,
        invoiced: figure({ IRR: 500, USD: 2 }, converted ? 900 : null),
        payments: 0,
        paid: figure({}, converted ? 0 : null),
      },
      {
        month: '1405-09',
        period: '1405-09',
        invoices: 0,
        invoiced: figure({}, converted ? 0 : null),
        payments: 1,
        paid: figure({ IRR: 300 }, converted ? 300 : null),
      },
    ],
    invoices: 1,
    invoiced: figure({ IRR: 500, USD: 2 }, converted ? 900 : null),
    payments: 1,
    paid: figure({ IRR: 300 }, converted ? 300 : null),
  } as RevenueReport;
}

describe('revenueSeries', () => {
  it('uses the converted totals when the API converted', () => {
    const series = revenueSeries(report(true), 'IRR');
    expect(series).toMatchObject({ currency: 'IRR', converted: true, invoiced: 900, paid: 300 });
    expect(series.points).toEqual([
      { month: '1405-08', period: '1405-08', invoiced: 900, paid: 0 },
      { month: '1405-09', period: '1405-09', invoiced: 0, paid: 300 },
    ]);
  });

  it('falls back to the workspace currency’s own amounts, never adding other currencies', () => {
    const series = revenueSeries(report(false), 'IRR');
    expect(series).toMatchObject({ currency: 'IRR', converted: false, invoiced: 500, paid: 300 });
    expect(series.points.map((point) => point.invoiced)).toEqual([500, 0]);
  });

  it('is empty with neither invoices nor payments', () => {
    expect(revenueIsEmpty({ ...report(false), invoices: 0, payments: 0 })).toBe(true);
    expect(revenueIsEmpty(report(false))).toBe(false);
  });
});
