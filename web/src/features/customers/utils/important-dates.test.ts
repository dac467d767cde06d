import { describe, expect, it } from 'vitest';
import { daysInMonth, emptyDateRow, importantDatesInput, isJalaliLeap, sameDates } from './important-dates';

const birthday = { ...emptyDateRow('birthday', 'jalali'), month: '7', day: '۱۲', year: '۱۳۶۹' };

describe('important date rows', () => {
  it('parses a Jalali birthday typed in Persian digits', () => {
    expect(importantDatesInput([birthday])).toEqual({
      ok: true,
      value: [{ kind: 'birthday', label: null, calendar: 'jalali', month: 7, day: 12, year: 1369 }],
    });
  });

  it('keeps the year optional and drops blank rows', () => {
    const row = { ...emptyDateRow('anniversary', 'gregorian'), month: '2', day: '29' };
    expect(importantDatesInput([row, emptyDateRow('custom', 'jalali')])).toEqual({
      ok: true,
      value: [{ kind: 'anniversary', label: null, calendar: 'gregorian', month: 2, day: 29, year: null }],
    });
  });

  it('names the wrong field of the wrong row, keyed like the server', () => {
    const rows = [
      birthday,
      { ...emptyDateRow('custom', 'jalali'), month: '8', day: '31' },
      { ...emptyDateRow('anniversary', 'gregorian'), month: '', day: '3', label: 'x' },
      { ...emptyDateRow('anniversary', 'gregorian'), month: '2', day: '29', year: '2023' },
      { ...emptyDateRow('anniversary', 'gregorian'), month: '1', day: '1', year: 'soon' },
    ];
    expect(importantDatesInput(rows)).toEqual({
      ok: false,
      errors: {
        'important_dates.1.day': 'invalidDay',
        'important_dates.1.label': 'labelRequired',
        'important_dates.2.month': 'invalidMonth',
        'important_dates.3.day': 'invalidDay',
        'important_dates.4.year': 'invalidYear',
      },
    });
  });

  it('knows the length of Jalali and Gregorian months', () => {
    expect(daysInMonth('jalali', 6, 1403)).toBe(31);
    expect(daysInMonth('jalali', 7, 1403)).toBe(30);
    expect(daysInMonth('jalali', 12, 1403)).toBe(30);
    expect(daysInMonth('jalali', 12, 1404)).toBe(29);
    expect(daysInMonth('jalali', 12, null)).toBe(30);
    expect(daysInMonth('gregorian', 2, 2024)).toBe(29);
    expect(daysInMonth('gregorian', 2, 1900)).toBe(28);
    expect(daysInMonth('gregorian', 4, null)).toBe(30);
    expect([1399, 1403, 1408].every(isJalaliLeap)).toBe(true);
    expect([1400, 1404, 1405].some(isJalaliLeap)).toBe(false);
  });

  it('compares lists by their values, not their spelling', () => {
    expect(sameDates([birthday], [{ ...birthday, day: '12', year: '1369' }])).toBe(true);
    expect(sameDates([birthday], [{ ...birthday, calendar: 'gregorian' }])).toBe(false);
  });
});
