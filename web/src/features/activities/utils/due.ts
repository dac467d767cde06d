import { formatDateTime } from '../../../lib/format/dates';
import { localizeDigits } from '../../../lib/format/digits';

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale === 'fa' ? 'fa-IR' : 'en-US', { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  return format;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * The distance from `now` to `due` in the largest fitting unit, rounded to the nearest: minutes
 * under an hour, hours under a day, days beyond (a task due in 47 hours 59 minutes is "in 2
 * days"). Negative values are in the past.
 */
export function relativeDue(due: Date, now: Date): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const diff = due.getTime() - now.getTime();
  const size = Math.abs(diff);
  const round = (ms: number) => (diff < 0 ? -Math.round(size / ms) : Math.round(size / ms));
  if (size < hour) return { value: round(minute), unit: 'minute' };
  if (size < day) return { value: round(hour), unit: 'hour' };
  return { value: round(day), unit: 'day' };
}

/**
 * How a due time reads: relative ("in 3 hours", "2 days ago") and absolute (Gregorian in English,
 * Jalali in Persian), both in the locale's digits.
 */
export function formatDue(dueAt: string, locale: string, now: Date = new Date()): { relative: string; absolute: string } {
  const due = new Date(dueAt);
  if (Number.isNaN(due.getTime())) return { relative: '', absolute: '' };
  const { value, unit } = relativeDue(due, now);
  return { relative: localizeDigits(relativeFormat(locale).format(value, unit), locale), absolute: formatDateTime(due, locale) };
}

/** Hours as a template's "due in" shows them: whole days when they divide evenly, else hours. */
export function dueInParts(hours: number): { count: number; unit: 'hours' | 'days' } {
  return hours > 0 && hours % 24 === 0 ? { count: hours / 24, unit: 'days' } : { count: hours, unit: 'hours' };
}
