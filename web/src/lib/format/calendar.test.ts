import { describe, expect, it } from 'vitest';
import { dateEntryOf, datePlaceholder, dateText, isoDateText, isoOfDateText, monthGrid, parseDateText, shiftMonth } from './calendar';

const local = (year: number, month: number, day: number) => new Date(year, month - 1, day);
const english = dateEntryOf('en', 'gregorian');
const persian = dateEntryOf('fa', 'jalali');
// A reader whose language is not the workspace's calendar's.
const englishOnJalali = dateEntryOf('en', 'jalali');
const persianOnGregorian = dateEntryOf('fa', 'gregorian');

describe('monthGrid', () => {
  it('shows a Gregorian month in English, weeks from Sunday', () => {
    const grid = monthGrid(local(2027, 1, 10), english);
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
    const grid = monthGrid(local(2027, 1, 10), persian);
    expect(grid.title).toBe('دی ۱۴۰۵');
    expect(grid.weekdays).toEqual(['ش', 'ی', 'د', 'س', 'چ', 'پ', 'ج']);
    expect(grid.weeks[0]!.map((day) => day.label)).toEqual(['۲۸', '۲۹', '۳۰', '۱', '۲', '۳', '۴']);
    expect(grid.weeks[0]![3]!.date).toEqual(local(2026, 12, 22));
    expect(grid.weeks.flat().filter((day) => day.inMonth)).toHaveLength(30);
  });

  it('starts Farvardin 1405 on its Saturday, 21 March 2026', () => {
    const grid = monthGrid(local(2026, 3, 25), persian);
    expect(grid.title).toBe('فروردین ۱۴۰۵');
    expect(grid.weeks[0]![0]).toMatchObject({ label: '۱', inMonth: true, date: local(2026, 3, 21) });
  });

  it('shows a Jalali workspace’s month in English words and digits, weeks from Sunday', () => {
    const grid = monthGrid(local(2027, 1, 10), englishOnJalali);
    expect(grid.title).toBe('Dey 1405');
    expect(grid.weekdays).toEqual(['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa']);
    // 1 Dey is a Tuesday: Sunday 20 and Monday 21 December (29 and 30 Azar) come first.
    expect(grid.weeks[0]!.map((day) => [day.label, day.inMonth])).toEqual([
      ['29', false],
      ['30', false],
      ['1', true],
      ['2', true],
      ['3', true],
      ['4', true],
      ['5', true],
    ]);
    expect(grid.weeks.flat().filter((day) => day.inMonth)).toHaveLength(30);
  });

  it('shows a Gregorian workspace’s month in Persian words and digits, weeks from Saturday', () => {
    const grid = monthGrid(local(2027, 1, 10), persianOnGregorian);
    expect(grid.title).toBe('ژانویهٔ ۲۰۲۷');
    expect(grid.weekdays[0]).toBe('ش');
    // 1 January 2027 is a Friday, the seventh day of a Persian week.
    expect(grid.weeks[0]!.map((day) => day.label)).toEqual(['۲۶', '۲۷', '۲۸', '۲۹', '۳۰', '۳۱', '۱']);
    expect(grid.weeks.flat().filter((day) => day.inMonth)).toHaveLength(31);
  });
});

describe('month navigation', () => {
  it('moves by months of the calendar', () => {
    expect(shiftMonth(local(2027, 1, 10), 1, 'gregorian')).toEqual(local(2027, 2, 1));
    // From Dey to Bahman 1405: 1 Bahman is 21 January 2027.
    expect(shiftMonth(local(2027, 1, 10), 1, 'jalali')).toEqual(local(2027, 1, 21));
  });
});

describe('date text', () => {
  it('writes the calendar’s dates in the language’s digits, and reads dates in either digit set', () => {
    expect(dateText(local(2027, 1, 10), english)).toBe('2027-01-10');
    expect(dateText(local(2027, 1, 10), persian)).toBe('۱۴۰۵/۱۰/۲۰');
    expect(dateText(local(2027, 1, 10), englishOnJalali)).toBe('1405/10/20');
    expect(dateText(local(2027, 1, 10), persianOnGregorian)).toBe('۲۰۲۷-۰۱-۱۰');
    for (const typed of ['2027-01-10', '۱۴۰۵/۱۰/۲۰', '1405/10/20', '۲۰۲۷-۰۱-۱۰']) expect(parseDateText(typed)).toEqual(local(2027, 1, 10));
  });

  it('reads a date typed on the other calendar by its year, not as a day four centuries away', () => {
    // Jalali years are below 1600 (1600 SH is 2221 AD): a Jalali date typed on a Gregorian workspace.
    expect(isoOfDateText('۱۴۰۵/۱۰/۲۰')).toBe('2027-01-10');
    expect(isoOfDateText('1599/12/29')).toBe('2221-03-20');
    expect(isoOfDateText('1600-01-01')).toBe('1600-01-01');
  });

  it('reads the usual separators and unpadded parts', () => {
    expect(isoOfDateText('1405/1/1')).toBe('2026-03-21');
    expect(isoOfDateText('1405-09-03')).toBe('2026-11-24');
    expect(isoOfDateText('2027/1/9')).toBe('2027-01-09');
  });

  it('writes an ISO date as a field shows it', () => {
    expect(isoDateText('2026-03-21', persian)).toBe('۱۴۰۵/۰۱/۰۱');
    expect(isoDateText('2026-03-21', englishOnJalali)).toBe('1405/01/01');
    expect(isoDateText(null, english)).toBe('');
    expect(isoDateText('not a date', english)).toBe('');
  });

  it('reads nothing from text that names no date', () => {
    expect(parseDateText('')).toBeNull();
    expect(parseDateText('10/01/2027')).toBeNull();
    expect(parseDateText('2027-02-30')).toBeNull();
    expect(parseDateText('1405/13/01')).toBeNull();
    expect(parseDateText('1405/12/31')).toBeNull();
    expect(parseDateText('tomorrow')).toBeNull();
  });

  it('shows the form a field reads, in the language’s digits', () => {
    expect(datePlaceholder(english)).toBe('YYYY-MM-DD');
    expect(datePlaceholder(persian)).toBe('۱۴۰۵/۰۱/۱۵');
    expect(datePlaceholder(englishOnJalali)).toBe('1405/01/15');
    expect(datePlaceholder(persianOnGregorian)).toBe('۲۰۲۶-۰۴-۰۴');
  });
});
