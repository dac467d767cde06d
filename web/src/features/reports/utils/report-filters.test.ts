import { describe, expect, it } from 'vitest';
import { defaultReportFilters, lastMonths, parseReportFilters, periodRange, reportQuery, writeReportFilters } from './report-filters';

// 26 November 2026 is 5 Azar 1405.
const today = new Date(2026, 10, 26, 10, 0);

describe('periodRange', () => {
  it('uses Gregorian months and years on the Gregorian calendar', () => {
    expect(periodRange('month', 'gregorian', today)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(periodRange('quarter', 'gregorian', today)).toEqual({ from: '2026-09-01', to: '2026-11-30' });
    expect(periodRange('year', 'gregorian', today)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('uses Jalali months and years on the Jalali calendar, whatever the language', () => {
    // Azar 1405: 22 November to 21 December 2026.
    expect(periodRange('month', 'jalali', today)).toEqual({ from: '2026-11-22', to: '2026-12-21' });
    // Mehr, Aban and Azar.
    expect(periodRange('quarter', 'jalali', today)).toEqual({ from: '2026-09-23', to: '2026-12-21' });
    // 1405: 21 March 2026 to 20 March 2027.
    expect(periodRange('year', 'jalali', today)).toEqual({ from: '2026-03-21', to: '2027-03-20' });
  });

  it('leaves both ends open for all time', () => {
    expect(periodRange('all', 'jalali', today)).toEqual({ from: null, to: null });
  });

  it('takes the days picked for a custom period, either end open', () => {
    expect(periodRange('custom', 'jalali', today, { from: '2026-12-22', to: null })).toEqual({ from: '2026-12-22', to: null });
  });
});

describe('lastMonths', () => {
  it('lists Gregorian months in English, the current one last', () => {
    expect(lastMonths(6, 'gregorian', today)).toEqual([
      { from: '2026-06-01', to: '2026-06-30' },
      { from: '2026-07-01', to: '2026-07-31' },
      { from: '2026-08-01', to: '2026-08-31' },
      { from: '2026-09-01', to: '2026-09-30' },
      { from: '2026-10-01', to: '2026-10-31' },
      { from: '2026-11-01', to: '2026-11-30' },
    ]);
  });

  it('lists Jalali months in Persian: Tir to Azar 1405', () => {
    expect(lastMonths(6, 'jalali', today)).toEqual([
      { from: '2026-06-22', to: '2026-07-22' },
      { from: '2026-07-23', to: '2026-08-22' },
      { from: '2026-08-23', to: '2026-09-22' },
      { from: '2026-09-23', to: '2026-10-22' },
      { from: '2026-10-23', to: '2026-11-21' },
      { from: '2026-11-22', to: '2026-12-21' },
    ]);
  });

  it('crosses the year boundary (Gregorian and Jalali)', () => {
    const march = new Date(2027, 2, 25, 12, 0); // 5 Farvardin 1406
    expect(lastMonths(3, 'gregorian', march).map((month) => month.from)).toEqual(['2027-01-01', '2027-02-01', '2027-03-01']);
    expect(lastMonths(2, 'jalali', march)).toEqual([
      { from: '2027-02-20', to: '2027-03-20' },
      { from: '2027-03-21', to: '2027-04-20' },
    ]);
  });
});

describe('reportQuery', () => {
  it('sends only what is chosen', () => {
    expect(reportQuery(defaultReportFilters, { from: null, to: null })).toEqual({});
    expect(reportQuery({ ...defaultReportFilters, pipelineId: 'p', period: 'month', ownerId: 'o' }, { from: '2026-11-01', to: '2026-11-30' })).toEqual({
      pipeline_id: 'p',
      owner_id: 'o',
      from: '2026-11-01',
      to: '2026-11-30',
    });
  });
});

describe('report filters in the URL', () => {
  it('reads defaults from an empty URL and ignores unknown periods', () => {
    expect(parseReportFilters(new URLSearchParams(''))).toEqual(defaultReportFilters);
    expect(parseReportFilters(new URLSearchParams('period=decade')).period).toBe('year');
  });

  it('round-trips and leaves defaults and other parameters alone', () => {
    const filters = { ...defaultReportFilters, pipelineId: 'p1', period: 'quarter' as const };
    const params = writeReportFilters(new URLSearchParams('x=1&owner=o'), filters);
    expect(params.toString()).toBe('x=1&pipeline=p1&period=quarter');
    expect(parseReportFilters(params)).toEqual(filters);
    expect(writeReportFilters(new URLSearchParams(), defaultReportFilters).toString()).toBe('');
  });
});

describe('a custom period and the interval in the URL', () => {
  it('round-trips the days picked and the interval', () => {
    const filters = { ...defaultReportFilters, period: 'custom' as const, from: '2026-12-22', to: '2027-01-20', interval: 'quarter' as const };
    const params = writeReportFilters(new URLSearchParams(), filters);
    expect(params.toString()).toBe('period=custom&from=2026-12-22&to=2027-01-20&interval=quarter');
    expect(parseReportFilters(params)).toEqual(filters);
  });

  it('reads reversed ends swapped, ignores malformed days and days without a custom period', () => {
    expect(parseReportFilters(new URLSearchParams('period=custom&from=2027-01-20&to=2026-12-22'))).toMatchObject({ from: '2026-12-22', to: '2027-01-20' });
    expect(parseReportFilters(new URLSearchParams('period=custom&from=20-12-2026'))).toMatchObject({ from: null, to: null });
    expect(parseReportFilters(new URLSearchParams('period=month&from=2026-12-22'))).toMatchObject({ from: null });
    expect(parseReportFilters(new URLSearchParams('interval=week')).interval).toBe('month');
  });
});
