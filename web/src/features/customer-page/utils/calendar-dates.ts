import { differenceInCalendarDays, format as formatGregorian, getDaysInMonth as gregorianDaysInMonth, isValid, parseISO } from 'date-fns';
import { faIR as faGregorian } from 'date-fns/locale';
import { format as formatJalali, getDaysInMonth as jalaliDaysInMonth, newDate as newJalaliDate } from 'date-fns-jalali';
import { enUS as enJalali, faIR as faJalali } from 'date-fns-jalali/locale';
import type { components } from '../../../lib/api/schema';
import { localizeDigits } from '../../../lib/format/digits';

type Calendar = components['schemas']['Calendar'];

/** A yearly date as the API keeps it: month and day in its calendar, and the year when known. */
export interface YearlyDate {
  calendar: Calendar;
  month: number;
  day: number;
  year?: number | null;
}

function toDate(value: string | Date): Date {
  return typeof value === 'string' ? parseISO(value) : value;
}

/**
 * A day in the given calendar, whatever the page's language: a Jalali birthday reads "1 Farvardin"
 * in English and "۱ فروردین" in Persian; a Gregorian one "21 March" and "۲۱ مارس".
 */
export function formatInCalendar(value: string | Date, calendar: Calendar, locale: string, withYear = true): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  const pattern = withYear ? 'd MMMM yyyy' : 'd MMMM';
  const text =
    calendar === 'jalali'
      ? formatJalali(date, pattern, { locale: locale === 'fa' ? faJalali : enJalali })
      : formatGregorian(date, pattern, locale === 'fa' ? { locale: faGregorian } : {});
  return localizeDigits(text, locale);
}

/** The day of a yearly date in a given year of its calendar; 29 Feb and 30 Esfand fall back a day in common years. */
function inYear(date: YearlyDate, year: number): Date {
  if (date.calendar === 'jalali') {
    const days = jalaliDaysInMonth(newJalaliDate(year, date.month - 1, 1));
    return newJalaliDate(year, date.month - 1, Math.min(date.day, days));
  }
  const days = gregorianDaysInMonth(new Date(year, date.month - 1, 1));
  return new Date(year, date.month - 1, Math.min(date.day, days));
}

/** The yearly date's next occurrence on or after `today` (a local date), found in its own calendar. */
export function nextOccurrence(date: YearlyDate, today: Date = new Date()): Date {
  const year = date.calendar === 'jalali' ? Number(formatJalali(today, 'yyyy')) : today.getFullYear();
  const thisYear = inYear(date, year);
  return differenceInCalendarDays(thisYear, today) >= 0 ? thisYear : inYear(date, year + 1);
}

/**
 * The yearly date in its calendar: "1 Farvardin 1369" when the year is known, "21 March" when
 * it is not. The month and day are written through a leap year of the calendar, so that 30 Esfand
 * and 29 February can be named.
 */
export function formatYearlyDate(date: YearlyDate, locale: string): string {
  const leapYear = date.calendar === 'jalali' ? 1403 : 2024;
  const text = formatInCalendar(inYear(date, leapYear), date.calendar, locale, false);
  return date.year ? `${text} ${localizeDigits(String(date.year), locale)}` : text;
}

/** Whole calendar days from `today` to a date (0 today, 1 tomorrow). */
export function daysUntil(value: string | Date, today: Date = new Date()): number {
  const date = toDate(value);
  return isValid(date) ? differenceInCalendarDays(date, today) : 0;
}

/** The age (or years married, in business) the date marks on its next occurrence, when its year is known. */
export function yearsOn(date: YearlyDate, occurrence: Date): number | null {
  if (!date.year) return null;
  const year = date.calendar === 'jalali' ? Number(formatJalali(occurrence, 'yyyy')) : occurrence.getFullYear();
  return year - date.year;
}
