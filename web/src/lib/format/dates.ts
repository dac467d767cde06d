import { differenceInCalendarDays, format as formatGregorian, isValid, lastDayOfMonth, parseISO } from 'date-fns';
import { format as formatJalali, parse as parseJalali } from 'date-fns-jalali';
import { faIR } from 'date-fns-jalali/locale';
import { toLatinDigits, toPersianDigits } from './digits';
import { memoize } from './intl-cache';

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

/** The Jalali text (`1405/01/01`, Persian digits) a date field shows for a YYYY-MM-DD value. */
export function isoDateToJalaliInput(isoDate: string): string {
  const date = parseISO(isoDate);
  return isValid(date) ? toPersianDigits(formatJalali(date, 'yyyy/MM/dd')) : '';
}

/** Parses a typed Jalali date (`1405/1/1`, `۱۴۰۵-۰۱-۰۱`) into YYYY-MM-DD, or null. */
export function jalaliInputToIsoDate(text: string): string | null {
  const normalized = toLatinDigits(text.trim()).replace(/[-.]/g, '/');
  if (!/^\d{4}\/\d{1,2}\/\d{1,2}$/.test(normalized)) return null;
  const date = parseJalali(normalized, 'yyyy/M/d', new Date());
  return isValid(date) ? formatGregorian(date, 'yyyy-MM-dd') : null;
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
