import { describe, expect, it } from 'vitest';
import { dateText, monthGrid, parseDateText, shiftMonth, startOfShownMonth } from './calendar';

const local = (year: number, month: number, day: number) => new Date(year, month - 1, day);

describe('monthGrid', () => {
  it('shows a Gregorian month in English, weeks from Sunday', () => {
    const grid = monthGrid(local(2027, 1, 10), 'en');
    expect(grid.title).toBe('January 2027');
    expect(grid.weekdays).toEqual(['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa']);
    // 1 January 2027 is a Friday: five days of December come first.
    expect(grid.weeks[0]!.map((day) => [day.label, day.inMonth])).toEqual([
      ['27', false],
      ['28', false],
      ['29', false],
      ['30', false],
      ['31', false],
      ['1', true],
      ['2', true],
    ]);
    expect(grid.weeks.flat().filter((day) => day.inMonth)).toHaveLength(31);
    expect(grid.weeks.every((week) => week.length === 7)).toBe(true);
  });

  it('shows a Jalali month in Persian, weeks from Saturday, in Persian digits', () => {
    // 10 January 2027 is 20 Dey 1405; 1 Dey 1405 is Tuesday 22 December 2026.
    const grid = monthGrid(local(2027, 1, 10), 'fa');
    expect(grid.title).toBe('دی ۱۴۰۵');
    expect(grid.weekdays).toEqual(['ش', 'ی', 'د', 'س', 'چ', 'پ', 'ج']);
    expect(grid.weeks[0]!.map((day) => day.label)).toEqual(['۲۸', '۲۹', '۳۰', '۱', '۲', '۳', '۴']);
    expect(grid.weeks[0]![3]!.date).toEqual(local(2026, 12, 22));
    expect(grid.weeks.flat().filter((day) => day.inMonth)).toHaveLength(30);
  });

  it('starts Farvardin 1405 on its Saturday, 21 March 2026', () => {
    const grid = monthGrid(local(2026, 3, 25), 'fa');
    expect(grid.title).toBe('فروردین ۱۴۰۵');
    expect(grid.weeks[0]![0]).toMatchObject({ label: '۱', inMonth: true, date: local(2026, 3, 21) });
  });
});

describe('month navigation', () => {
  it('moves by calendar months of the language', () => {
    expect(shiftMonth(local(2027, 1, 10), 1, 'en')).toEqual(local(2027, 2, 1));
    // From Dey to Bahman 1405: 1 Bahman is 21 January 2027.
    expect(shiftMonth(local(2027, 1, 10), 1, 'fa')).toEqual(local(2027, 1, 21));
    expect(startOfShownMonth(local(2027, 1, 10), 'fa')).toEqual(local(2026, 12, 22));
  });
});

describe('date text', () => {
  it('writes and reads ISO dates in English and Jalali dates in Persian', () => {
    expect(dateText(local(2027, 1, 10), 'en')).toBe('2027-01-10');
    expect(dateText(local(2027, 1, 10), 'fa')).toBe('۱۴۰۵/۱۰/۲۰');
    expect(parseDateText('2027-01-10', 'en')).toEqual(local(2027, 1, 10));
    expect(parseDateText('۱۴۰۵/۱۰/۲۰', 'fa')).toEqual(local(2027, 1, 10));
    expect(parseDateText('1405/10/20', 'fa')).toEqual(local(2027, 1, 10));
  });

  it('reads nothing from text that names no date', () => {
    expect(parseDateText('', 'en')).toBeNull();
    expect(parseDateText('10/01/2027', 'en')).toBeNull();
    expect(parseDateText('1405/13/01', 'fa')).toBeNull();
  });
});
