import { describe, expect, it } from 'vitest';
import { daysUntil, formatInCalendar, formatYearlyDate, nextOccurrence, yearsOn } from './calendar-dates';

const local = (year: number, month: number, day: number) => new Date(year, month - 1, day);
const iso = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

describe('important dates in their calendar', () => {
  it('writes a Jalali date in Jalali in both languages, and a Gregorian one in Gregorian', () => {
    // 21 March 2026 is 1 Farvardin 1405.
    expect(formatInCalendar('2026-03-21', 'jalali', 'en')).toBe('1 Farvardin 1405');
    expect(formatInCalendar('2026-03-21', 'jalali', 'fa')).toBe('۱ فروردین ۱۴۰۵');
    expect(formatInCalendar('2026-03-21', 'gregorian', 'en')).toBe('21 March 2026');
    expect(formatInCalendar('2026-03-21', 'gregorian', 'fa')).toBe('۲۱ مارس ۲۰۲۶');
    expect(formatInCalendar('2026-03-21', 'jalali', 'en', false)).toBe('1 Farvardin');
  });

  it('names a yearly date with its year when known, leap days included', () => {
    expect(formatYearlyDate({ calendar: 'jalali', month: 12, day: 30 }, 'en')).toBe('30 Esfand');
    expect(formatYearlyDate({ calendar: 'gregorian', month: 2, day: 29, year: 1996 }, 'en')).toBe('29 February 1996');
    expect(formatYearlyDate({ calendar: 'jalali', month: 1, day: 1, year: 1369 }, 'fa')).toBe('۱ فروردین ۱۳۶۹');
  });

  it('finds the next occurrence in the date’s own calendar', () => {
    // 1 Farvardin falls on 21 March in 2026 and 2027.
    expect(iso(nextOccurrence({ calendar: 'jalali', month: 1, day: 1 }, local(2026, 3, 1)))).toBe('2026-03-21');
    expect(iso(nextOccurrence({ calendar: 'jalali', month: 1, day: 1 }, local(2026, 3, 21)))).toBe('2026-03-21');
    expect(iso(nextOccurrence({ calendar: 'jalali', month: 1, day: 1 }, local(2026, 3, 22)))).toBe('2027-03-21');
    expect(iso(nextOccurrence({ calendar: 'gregorian', month: 12, day: 25 }, local(2026, 12, 26)))).toBe('2027-12-25');
    // 29 February in a common year falls on the 28th.
    expect(iso(nextOccurrence({ calendar: 'gregorian', month: 2, day: 29 }, local(2027, 1, 1)))).toBe('2027-02-28');
    // 30 Esfand in a common Jalali year (1404) falls on 29 Esfand, 20 March 2026.
    expect(iso(nextOccurrence({ calendar: 'jalali', month: 12, day: 30 }, local(2026, 3, 1)))).toBe('2026-03-20');
  });

  it('counts days until and the years the date marks', () => {
    expect(daysUntil('2026-03-21', local(2026, 3, 21))).toBe(0);
    expect(daysUntil('2026-03-21', local(2026, 3, 11))).toBe(10);
    expect(yearsOn({ calendar: 'jalali', month: 1, day: 1, year: 1369 }, local(2026, 3, 21))).toBe(36);
    expect(yearsOn({ calendar: 'gregorian', month: 5, day: 1 }, local(2026, 5, 1))).toBeNull();
  });
});
