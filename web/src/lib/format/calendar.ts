import * as gregorian from 'date-fns';
import * as jalali from 'date-fns-jalali';
import { faIR } from 'date-fns-jalali/locale';
import { calendarOfLanguage, crossCalendarText, type ShownCalendar } from './dates';
import { toLatinDigits, toPersianDigits } from './digits';

/**
 * How dates are typed and picked: on the workspace's calendar (a Jalali workspace's deals close
 * on `1405/10/20`, whatever the reader's language), in the language's digits, words and first day
 * of the week. So a Persian reader of a Gregorian workspace types `۲۰۲۷-۰۱-۱۰` and picks from
 * «ژانویه ۲۰۲۷», and an English reader of a Jalali one types `1405/10/20` under "Dey 1405".
 * date-fns-jalali does the Jalali arithmetic on ordinary dates.
 */
export interface DateEntry {
  locale: string;
  calendar: ShownCalendar;
}

/** The entry of a language on its own calendar (Jalali for Persian), for where no workspace applies. */
export function dateEntryOf(locale: string, calendar: ShownCalendar = calendarOfLanguage(locale)): DateEntry {
  return { locale, calendar };
}

function arithmeticOf(calendar: ShownCalendar) {
  return calendar === 'jalali' ? jalali : gregorian;
}

function inDigitsOf(text: string, locale: string): string {
  return locale === 'fa' ? toPersianDigits(text) : text;
}

/** The typed parts, year first, in either digit set and separated by `/`, `-` or `.`. */
function typedParts(text: string): string | null {
  const normalized = toLatinDigits(text.trim()).replace(/[-.]/g, '/');
  return /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(normalized) ? normalized : null;
}

/**
 * Years below this are Jalali, the others Gregorian: the two calendars' years of any date a CRM
 * holds (1600 SH is 2221 AD) never overlap, so a date typed on the other calendar than the
 * workspace's is read as what it means rather than as a day four centuries away.
 */
const firstGregorianYear = 1600;

/** The date a field's text names, at local midnight, or null when it names none. */
export function parseDateText(text: string): Date | null {
  const typed = typedParts(text);
  if (!typed) return null;
  const calendar: ShownCalendar = Number(typed.slice(0, 4)) < firstGregorianYear ? 'jalali' : 'gregorian';
  const date = arithmeticOf(calendar).parse(typed, 'yyyy/M/d', new Date());
  return gregorian.isValid(date) ? date : null;
}

/** The ISO date (`2027-01-10`) a date field's text means, or `null` when it is not a date. */
export function isoOfDateText(text: string): string | null {
  const date = parseDateText(text);
  return date ? gregorian.format(date, 'yyyy-MM-dd') : null;
}

/** The text a date field shows for a date: `2027-01-10` on the Gregorian calendar, `1405/10/20` on the Jalali. */
export function dateText(date: Date, { locale, calendar }: DateEntry): string {
  const text = calendar === 'jalali' ? jalali.format(date, 'yyyy/MM/dd') : gregorian.format(date, 'yyyy-MM-dd');
  return inDigitsOf(text, locale);
}

/** The text a date field shows for an ISO date (`''` for none or a malformed one). */
export function isoDateText(isoDate: string | null | undefined, entry: DateEntry): string {
  if (!isoDate) return '';
  const date = gregorian.parseISO(isoDate);
  return gregorian.isValid(date) ? dateText(date, entry) : '';
}

/** What an empty date field shows as an example of the form it reads. */
export function datePlaceholder(entry: DateEntry): string {
  if (entry.locale !== 'fa' && entry.calendar === 'gregorian') return 'YYYY-MM-DD';
  return inDigitsOf(entry.calendar === 'jalali' ? '1405/01/15' : '2026-04-04', entry.locale);
}

export interface CalendarDay {
  date: Date;
  /** The day of the month in the language's digits. */
  label: string;
  /** Whether the day belongs to the month shown (the others fill its first and last weeks). */
  inMonth: boolean;
}

export interface MonthGrid {
  /** "January 2027", «دی ۱۴۰۵», "Dey 1405", «ژانویه ۲۰۲۷». */
  title: string;
  /** Short weekday names in the language, the first day of the week first. */
  weekdays: string[];
  weeks: CalendarDay[][];
}

/** The first day of the month `months` after (or before) the one `date` falls in. */
export function shiftMonth(date: Date, months: number, calendar: ShownCalendar): Date {
  const arithmetic = arithmeticOf(calendar);
  return arithmetic.startOfMonth(arithmetic.addMonths(date, months));
}

function monthTitle(first: Date, { locale, calendar }: DateEntry): string {
  if (calendar !== calendarOfLanguage(locale)) return crossCalendarText(first, locale, calendar, { month: 'long', year: 'numeric' });
  return locale === 'fa' ? toPersianDigits(jalali.format(first, 'MMMM yyyy', { locale: faIR })) : gregorian.format(first, 'MMMM yyyy');
}

/** The weeks covering the month `date` falls in, each of seven days; a week starts on Saturday in Persian, Sunday in English. */
export function monthGrid(date: Date, entry: DateEntry): MonthGrid {
  const arithmetic = arithmeticOf(entry.calendar);
  const persian = entry.locale === 'fa';
  const first = arithmetic.startOfMonth(date);
  const last = arithmetic.endOfMonth(date);
  const start = gregorian.startOfWeek(first, { weekStartsOn: persian ? 6 : 0 });
  const weeks: CalendarDay[][] = [];
  for (let day = start; day <= last || weeks.length === 0 || weeks[weeks.length - 1]!.length < 7; day = gregorian.addDays(day, 1)) {
    if (weeks.length === 0 || weeks[weeks.length - 1]!.length === 7) weeks.push([]);
    weeks[weeks.length - 1]!.push({ date: day, label: inDigitsOf(arithmetic.format(day, 'd'), entry.locale), inMonth: arithmetic.isSameMonth(day, first) });
  }
  const weekdays = weeks[0]!.map(({ date: day }) => (persian ? jalali.format(day, 'EEEEE', { locale: faIR }) : gregorian.format(day, 'EEEEEE')));
  return { title: monthTitle(first, entry), weekdays, weeks };
}

/** `days` days after `date` (the same on both calendars). */
export function addDaysTo(date: Date, days: number): Date {
  return gregorian.addDays(date, days);
}
