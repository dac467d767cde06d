import { describe, expect, it } from 'vitest';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { formatReportPeriod, parsePeriodName } from './report-periods';

const tOf =
  (locale: 'en' | 'fa'): Translate =>
  (key, params) =>
    translate(locale === 'fa' ? fa : en, locale, key, params);

describe('parsePeriodName', () => {
  it('reads months, quarters and years', () => {
    expect(parsePeriodName('1405-10')).toEqual({ kind: 'month', year: 1405, month: 10 });
    expect(parsePeriodName('1405-Q4')).toEqual({ kind: 'quarter', year: 1405, quarter: 4 });
    expect(parsePeriodName('2026')).toEqual({ kind: 'year', year: 2026 });
    expect(parsePeriodName('2026-13')).toBeNull();
    expect(parsePeriodName('later')).toBeNull();
  });
});

describe('formatReportPeriod', () => {
  it('names Jalali months by their Jalali name', () => {
    expect(formatReportPeriod('1405-10', 'jalali', 'fa', tOf('fa'))).toBe('دی ۱۴۰۵');
    expect(formatReportPeriod('1405-01', 'jalali', 'en', tOf('en'))).toBe('Farvardin 1405');
  });

  it('names Jalali quarters by their season, the year starting on 1 Farvardin', () => {
    expect(formatReportPeriod('1405-Q1', 'jalali', 'fa', tOf('fa'))).toBe('بهار ۱۴۰۵');
    expect(formatReportPeriod('1405-Q4', 'jalali', 'fa', tOf('fa'))).toBe('زمستان ۱۴۰۵');
    expect(formatReportPeriod('1405-Q4', 'jalali', 'en', tOf('en'))).toBe('Q4 1405 (winter)');
  });

  it('names Gregorian quarters and years of either calendar', () => {
    expect(formatReportPeriod('2026-Q4', 'gregorian', 'en', tOf('en'))).toBe('Q4 2026');
    expect(formatReportPeriod('2026-Q4', 'gregorian', 'fa', tOf('fa'))).toBe('سه‌ماههٔ ۴ ۲۰۲۶');
    expect(formatReportPeriod('1405', 'jalali', 'fa', tOf('fa'))).toBe('۱۴۰۵');
    expect(formatReportPeriod('2026', 'gregorian', 'en', tOf('en'))).toBe('2026');
  });

  it('names Gregorian months by their Gregorian name in either language', () => {
    expect(formatReportPeriod('2026-12', 'gregorian', 'en', tOf('en'))).toBe('Dec 2026');
    expect(formatReportPeriod('2026-12', 'gregorian', 'fa', tOf('fa'))).toBe('دسامبر ۲۰۲۶');
  });
});
