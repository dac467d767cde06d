import { differenceInCalendarDays, format as formatGregorian, isValid, lastDayOfMonth, parseISO } from 'date-fns';
import { format as formatJalali } from 'date-fns-jalali';
import { faIR } from 'date-fns-jalali/locale';
import { toLatinDigits, toPersianDigits } from './digits';
import { dateTimeFormat, memoize } from './intl-cache';

/**
 * Dates show in the Gregorian calendar in English and in the Jalali (Solar Hijri) calendar in
 * Persian, always in the user's time zone. Date-only values (`expected_close_date`) are calendar
 * dates: they are parsed as local dates so that no time zone shifts them by a day.
 */
function toDate(value: string | Date): Date {
  return typeof value === 'string' ? parseISO(value) : value;
}

export function formatDate(value: string | Date, locale: string): string {
  return typeof value === 'string' ? formatDateCached(value, locale) : formatDateUncached(value, locale);
}

const formatDateCached = memoize((value: string, locale: string) => formatDateUncached(value, locale));

function formatDateUncached(value: string | Date, locale: string): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  return locale === 'fa' ? toPersianDigits(formatJalali(date, 'd MMMM yyyy', { locale: faIR })) : formatGregorian(date, 'd MMM yyyy');
}

/** Day and month, plus the year when it is not the current one (in the calendar shown). */
export function formatShortDate(value: string | Date, locale: string, now: Date = new Date()): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  if (locale === 'fa') {
    const sameYear = formatJalali(date, 'yyyy') === formatJalali(now, 'yyyy');
    return toPersianDigits(formatJalali(date, sameYear ? 'd MMMM' : 'd MMMM yyyy', { locale: faIR }));
  }
  return formatGregorian(date, date.getFullYear() === now.getFullYear() ? 'd MMM' : 'd MMM yyyy');
}

export function formatDateTime(value: string | Date, locale: string): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  return locale === 'fa' ? toPersianDigits(formatJalali(date, 'd MMMM yyyy، HH:mm', { locale: faIR })) : formatGregorian(date, 'd MMM yyyy, HH:mm');
}

/** Whole calendar days from `since` to `now` (0 on the same day). */
export function daysSince(since: string | Date, now: Date = new Date()): number {
  const date = toDate(since);
  return isValid(date) ? Math.max(0, differenceInCalendarDays(now, date)) : 0;
}

/** Whether an open deal has sat in its stage longer than the stage's rotting days. */
export function isRotting(stageEnteredAt: string, rottingDays: number | null | undefined, now: Date = new Date()): boolean {
  return rottingDays != null && daysSince(stageEnteredAt, now) > rottingDays;
}

/**
 * A calendar month `YYYY-MM` as the reports bucket them (Gregorian): "Dec 2026" in English; in
 * Persian the Jalali months it spans, "آذر–دی ۱۴۰۵" (December runs from 10 Azar to 10 Dey).
 */
export function formatMonth(month: string, locale: string): string {
  const start = parseISO(`${month}-01`);
  if (!isValid(start)) return '';
  if (locale !== 'fa') return formatGregorian(start, 'MMM yyyy');
  const end = lastDayOfMonth(start);
  const [startMonth, startYear] = [formatJalali(start, 'MMMM', { locale: faIR }), formatJalali(start, 'yyyy')];
  const [endMonth, endYear] = [formatJalali(end, 'MMMM', { locale: faIR }), formatJalali(end, 'yyyy')];
  const text = startYear === endYear ? `${startMonth}–${endMonth} ${endYear}` : `${startMonth} ${startYear}–${endMonth} ${endYear}`;
  return toPersianDigits(text);
}

/**
 * The calendar month a date falls in, in the calendar shown: "Nov 2026" in English, "آذر ۱۴۰۵"
 * in Persian; `short` leaves the year out ("Nov", "آذر").
 */
export function formatCalendarMonth(value: string | Date, locale: string, short = false): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  if (locale === 'fa') return toPersianDigits(formatJalali(date, short ? 'MMMM' : 'MMMM yyyy', { locale: faIR }));
  return formatGregorian(date, short ? 'MMM' : 'MMM yyyy');
}

/** A calendar dates can be shown in, whatever the language: the workspace's, for reports. */
export type ShownCalendar = 'gregorian' | 'jalali';

/** The calendar a language shows dates in by default. */
export function calendarOfLanguage(locale: string): ShownCalendar {
  return locale === 'fa' ? 'jalali' : 'gregorian';
}

/** The parts of `date` on the other calendar than the language's, day first ("20 Dey 1405", "۱۰ ژانویه ۲۰۲۷"). */
export function crossCalendarText(date: Date, locale: string, calendar: ShownCalendar, options: Intl.DateTimeFormatOptions): string {
  const tag = `${locale === 'fa' ? 'fa' : 'en'}-u-ca-${calendar === 'jalali' ? 'persian' : 'gregory'}`;
  const parts = dateTimeFormat(tag, options).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value;
  const text = [part('day'), part('month'), part('year')].filter(Boolean).join(' ');
  return locale === 'fa' ? toPersianDigits(text) : toLatinDigits(text);
}

/**
 * A date on `calendar`, in the language's words and digits: the reports' periods follow the
 * workspace's calendar, so a Persian reader of a Gregorian workspace sees «۱۰ ژانویه ۲۰۲۷» and an
 * English reader of a Jalali one "20 Dey 1405".
 */
export function formatDateOn(value: string | Date, locale: string, calendar: ShownCalendar): string {
  if (calendar === calendarOfLanguage(locale)) return formatDate(value, locale);
  const date = toDate(value);
  if (!isValid(date)) return '';
  return crossCalendarText(date, locale, calendar, { day: 'numeric', month: locale === 'fa' ? 'long' : 'short', year: 'numeric' });
}

/** The month a date falls in on `calendar` (see `formatDateOn`); `short` leaves the year out. */
export function formatCalendarMonthOn(value: string | Date, locale: string, calendar: ShownCalendar, short = false): string {
  if (calendar === calendarOfLanguage(locale)) return formatCalendarMonth(value, locale, short);
  const date = toDate(value);
  if (!isValid(date)) return '';
  const month = locale === 'fa' ? 'long' : 'short';
  return crossCalendarText(date, locale, calendar, short ? { month } : { month, year: 'numeric' });
}
