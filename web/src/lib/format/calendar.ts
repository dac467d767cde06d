import * as gregorian from 'date-fns';
import * as jalali from 'date-fns-jalali';
import { faIR } from 'date-fns-jalali/locale';
import { isoDateToJalaliInput, jalaliInputToIsoDate } from './dates';
import { toLatinDigits, toPersianDigits } from './digits';

/**
 * The month grid of a date picker, in the calendar of the language: Gregorian weeks from Sunday
 * in English, Jalali weeks from Saturday in Persian (date-fns-jalali does the Jalali arithmetic
 * on ordinary dates). And the text a date field shows and reads: `2027-01-10` in English, the
 * Jalali `۱۴۰۵/۱۰/۲۰` in Persian — the forms' existing formats.
 */

function calendarOf(locale: string) {
  return locale === 'fa' ? jalali : gregorian;
}

/** The date a field's text names, at local midnight, or null when it names none. */
export function parseDateText(text: string, locale: string): Date | null {
  const trimmed = toLatinDigits(text.trim());
  const iso = locale === 'fa' ? jalaliInputToIsoDate(trimmed) : /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? trimmed : null;
  if (!iso) return null;
  const date = gregorian.parseISO(iso);
  return gregorian.isValid(date) ? date : null;
}

/** The ISO date (`2027-01-10`) a date field's text means, or `null` when it is not a date. */
export function isoOfDateText(text: string, locale: string): string | null {
  const date = parseDateText(text, locale);
  return date ? gregorian.format(date, 'yyyy-MM-dd') : null;
}

/** The text a date field shows for a date. */
export function dateText(date: Date, locale: string): string {
  const iso = gregorian.format(date, 'yyyy-MM-dd');
  return locale === 'fa' ? isoDateToJalaliInput(iso) : iso;
}

export interface CalendarDay {
  date: Date;
  /** The day of the month in the language's digits. */
  label: string;
  /** Whether the day belongs to the month shown (the others fill its first and last weeks). */
  inMonth: boolean;
}

export interface MonthGrid {
  /** "January 2027", «دی ۱۴۰۵». */
  title: string;
  /** Short weekday names, the first day of the week first. */
  weekdays: string[];
  weeks: CalendarDay[][];
}

/** The first day of the month `date` falls in, in the language's calendar. */
export function startOfShownMonth(date: Date, locale: string): Date {
  return calendarOf(locale).startOfMonth(date);
}

/** The first day of the month `months` after (or before) the one `date` falls in. */
export function shiftMonth(date: Date, months: number, locale: string): Date {
  const calendar = calendarOf(locale);
  return calendar.startOfMonth(calendar.addMonths(date, months));
}

/** The weeks covering the month `date` falls in, each of seven days. */
export function monthGrid(date: Date, locale: string): MonthGrid {
  const calendar = calendarOf(locale);
  const persian = locale === 'fa';
  const options = persian ? { locale: faIR, weekStartsOn: 6 as const } : { weekStartsOn: 0 as const };
  const first = calendar.startOfMonth(date);
  const last = calendar.endOfMonth(date);
  const start = calendar.startOfWeek(first, options);
  const weeks: CalendarDay[][] = [];
  for (let day = start; day <= last || weeks.length === 0 || weeks[weeks.length - 1]!.length < 7; day = calendar.addDays(day, 1)) {
    if (weeks.length === 0 || weeks[weeks.length - 1]!.length === 7) weeks.push([]);
    const label = calendar.format(day, 'd');
    weeks[weeks.length - 1]!.push({ date: day, label: persian ? toPersianDigits(label) : label, inMonth: calendar.isSameMonth(day, first) });
  }
  const title = calendar.format(first, 'MMMM yyyy', persian ? { locale: faIR } : {});
  const weekdays = weeks[0]!.map(({ date: day }) => calendar.format(day, persian ? 'EEEEE' : 'EEEEEE', persian ? { locale: faIR } : {}));
  return { title: persian ? toPersianDigits(title) : title, weekdays, weeks };
}

/** `days` days after `date` (the same in both calendars). */
export function addDaysTo(date: Date, days: number): Date {
  return gregorian.addDays(date, days);
}
