import { describe, expect, it } from 'vitest';
import {
  daysSince,
  formatCalendarMonth,
  formatCalendarMonthOn,
  formatDateOn,
  formatDate,
  formatDateTime,
  formatMonth,
  formatShortDate,
  isRotting,
} from './dates';

describe('dates', () => {
  it('shows Gregorian dates in English', () => {
    expect(formatDate('2026-03-21', 'en')).toBe('21 Mar 2026');
  });

  it('shows Jalali dates with Persian month names and digits in Persian', () => {
    // Nowruz 1405 falls on 21 March 2026.
    expect(formatDate('2026-03-21', 'fa')).toBe('۱ فروردین ۱۴۰۵');
    expect(formatDate('2026-11-24', 'fa')).toBe('۳ آذر ۱۴۰۵');
  });

  it('keeps date-only values on their calendar day in any time zone', () => {
    expect(formatDate('2026-01-01', 'en')).toBe('1 Jan 2026');
  });

  it('shows times in the local zone (Tehran in these tests)', () => {
    expect(formatDateTime('2026-11-24T08:30:00Z', 'en')).toBe('24 Nov 2026, 12:00');
    expect(formatDateTime('2026-11-24T08:30:00Z', 'fa')).toBe('۳ آذر ۱۴۰۵، ۱۲:۰۰');
  });

  it('leaves the year out of short dates of the current year only', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(formatShortDate('2026-03-21', 'en', now)).toBe('21 Mar');
    expect(formatShortDate('2027-03-21', 'en', now)).toBe('21 Mar 2027');
    // 20 March 2026 is still Jalali year 1404: a different year from 3 Azar 1405.
    expect(formatShortDate('2026-03-20', 'fa', now)).toBe('۲۹ اسفند ۱۴۰۴');
    expect(formatShortDate('2026-03-21', 'fa', now)).toBe('۱ فروردین');
  });

  it('counts whole days in a stage and marks rotting past the stage limit', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(daysSince('2026-11-24T01:00:00Z', now)).toBe(0);
    expect(daysSince('2026-11-20T10:00:00Z', now)).toBe(4);
    expect(isRotting('2026-11-20T10:00:00Z', 3, now)).toBe(true);
    expect(isRotting('2026-11-20T10:00:00Z', 4, now)).toBe(false);
    expect(isRotting('2026-01-01T00:00:00Z', null, now)).toBe(false);
  });

  it('names report months: Gregorian in English, the Jalali months they span in Persian', () => {
    expect(formatMonth('2026-12', 'en')).toBe('Dec 2026');
    expect(formatMonth('2026-12', 'fa')).toBe('آذر–دی ۱۴۰۵');
    // March 2026 runs from 10 Esfand 1404 to 11 Farvardin 1405.
    expect(formatMonth('2026-03', 'fa')).toBe('اسفند ۱۴۰۴–فروردین ۱۴۰۵');
    expect(formatMonth('soon', 'en')).toBe('');
  });

  it('names the calendar month a date falls in, in the calendar shown', () => {
    expect(formatCalendarMonth('2026-11-22', 'en')).toBe('Nov 2026');
    expect(formatCalendarMonth('2026-11-22', 'en', true)).toBe('Nov');
    expect(formatCalendarMonth('2026-11-22', 'fa')).toBe('آذر ۱۴۰۵');
    expect(formatCalendarMonth('2026-11-22', 'fa', true)).toBe('آذر');
  });
  it("shows dates and months on the workspace calendar in the language's words and digits", () => {
    expect(formatDateOn('2027-01-10', 'en', 'jalali')).toBe('20 Dey 1405');
    expect(formatDateOn('2027-01-10', 'fa', 'gregorian')).toMatch(/^۱۰ ژانویه‌?ٔ? ۲۰۲۷$/);
    expect(formatDateOn('2027-01-10', 'fa', 'jalali')).toBe(formatDate('2027-01-10', 'fa'));
    expect(formatCalendarMonthOn('2026-11-22', 'en', 'jalali')).toBe('Azar 1405');
    expect(formatCalendarMonthOn('2026-11-22', 'en', 'jalali', true)).toBe('Azar');
    expect(formatCalendarMonthOn('2026-11-22', 'fa', 'gregorian')).toBe('نوامبر ۲۰۲۶');
    expect(formatCalendarMonthOn('2026-11-22', 'en', 'gregorian')).toBe('Nov 2026');
  });
});
