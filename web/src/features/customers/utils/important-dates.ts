import type { components } from '../../../lib/api/schema';
import { getDaysInMonth as getJalaliDaysInMonth, newDate as newJalaliDate } from 'date-fns-jalali';
import { toLatinDigits } from '../../../lib/format/digits';

type ImportantDate = components['schemas']['ImportantDateResponse'];
type ImportantDateInput = components['schemas']['ImportantDateInput'];
export type DateKind = components['schemas']['DateKind'];
export type DateCalendar = components['schemas']['Calendar'];

export const dateCalendars: readonly DateCalendar[] = ['gregorian', 'jalali'];
/** The kinds a person enters: a contact's birthday, anniversaries, labelled dates (an organization's founding is its own field). */
export const contactDateKinds: readonly DateKind[] = ['birthday', 'anniversary', 'custom'];
export const organizationDateKinds: readonly DateKind[] = ['anniversary', 'custom'];

/** One important date as the form holds it: the numbers as typed (Latin or Persian digits). */
export interface DateRowValues {
  kind: DateKind;
  label: string;
  calendar: DateCalendar;
  month: string;
  day: string;
  year: string;
}

export type DateRowError = 'invalidMonth' | 'invalidDay' | 'invalidYear' | 'labelRequired';

export function emptyDateRow(kind: DateKind, calendar: DateCalendar): DateRowValues {
  return { kind, label: '', calendar, month: '', day: '', year: '' };
}

export function dateRowValues(date: ImportantDate): DateRowValues {
  return {
    kind: date.kind,
    label: date.label ?? '',
    calendar: date.calendar,
    month: String(date.month),
    day: String(date.day),
    year: date.year == null ? '' : String(date.year),
  };
}

function isGregorianLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether a Jalali year is a leap year (Esfand has 30 days). */
export function isJalaliLeap(year: number): boolean {
  return getJalaliDaysInMonth(newJalaliDate(year, 11, 1)) === 30;
}

/**
 * The days a month can have in a calendar: Jalali months 1–6 have 31, 7–11 have 30 and Esfand 29
 * (30 in a leap year); without a year the longest (a 29 February, a 30 Esfand) is allowed.
 */
export function daysInMonth(calendar: DateCalendar, month: number, year: number | null): number {
  if (calendar === 'jalali') {
    if (month <= 6) return 31;
    if (month <= 11) return 30;
    return year === null || isJalaliLeap(year) ? 30 : 29;
  }
  if (month === 2) return year === null || isGregorianLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function wholeNumber(text: string): number | null {
  const latin = toLatinDigits(text.trim());
  return /^\d{1,4}$/.test(latin) ? Number(latin) : null;
}

/**
 * The API's important dates from the form's rows, or the row fields the browser can already tell
 * are wrong, keyed like the server's (`important_dates.<index>.day`), so one map shows both.
 * Rows left entirely blank are dropped.
 */
export function importantDatesInput(
  rows: readonly DateRowValues[],
): { ok: true; value: ImportantDateInput[] } | { ok: false; errors: Record<string, DateRowError> } {
  const value: ImportantDateInput[] = [];
  const errors: Record<string, DateRowError> = {};
  rows.forEach((row, index) => {
    if (!row.month.trim() && !row.day.trim() && !row.year.trim() && !row.label.trim()) return;
    const at = (field: string) => `important_dates.${index}.${field}`;
    const month = wholeNumber(row.month);
    const day = wholeNumber(row.day);
    const year = row.year.trim() ? wholeNumber(row.year) : null;
    if (row.year.trim() && (year === null || year < 1)) errors[at('year')] = 'invalidYear';
    if (month === null || month < 1 || month > 12) errors[at('month')] = 'invalidMonth';
    else if (day === null || day < 1 || day > daysInMonth(row.calendar, month, year)) errors[at('day')] = 'invalidDay';
    if (row.kind === 'custom' && !row.label.trim()) errors[at('label')] = 'labelRequired';
    if (month !== null && day !== null) {
      value.push({ kind: row.kind, label: row.label.trim() || null, calendar: row.calendar, month, day, year });
    }
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Whether two lists of dates are the same (the API keeps them in calendar order). */
export function sameDates(a: readonly DateRowValues[], b: readonly DateRowValues[]): boolean {
  const normal = (rows: readonly DateRowValues[]) => {
    const parsed = importantDatesInput(rows);
    return parsed.ok ? JSON.stringify(parsed.value) : JSON.stringify(rows);
  };
  return normal(a) === normal(b);
}
