import { format as formatGregorian } from 'date-fns';
import type { UpcomingDate } from '../api/customer-page';
import { daysUntil, formatInCalendar } from './calendar-dates';

/** The windows the upcoming-dates screen offers, in days after today. */
export const upcomingWindows = [7, 14, 30, 60, 90] as const;
export const defaultWindow = 30;

/** The user's today, YYYY-MM-DD in their time zone: where the window starts. */
export function localToday(now: Date = new Date()): string {
  return formatGregorian(now, 'yyyy-MM-dd');
}

/** A window from the URL: one of those offered, else the default. */
export function parseWindow(text: string | null): number {
  const days = Number(text);
  return (upcomingWindows as readonly number[]).includes(days) ? days : defaultWindow;
}

export interface UpcomingRow {
  key: string;
  date: UpcomingDate;
  /** The day it falls on, written in its own calendar (a Jalali birthday in Jalali). */
  when: string;
  /** Whole days from today: 0 today, 1 tomorrow. */
  days: number;
  /** Where the person or company's page is. */
  customer: { kind: 'contact' | 'organization'; id: string } | null;
}

/** The API's upcoming dates as the screen lists them, soonest first. */
export function upcomingRows(dates: readonly UpcomingDate[], locale: string, today: Date = new Date()): UpcomingRow[] {
  return dates.map((date, index) => ({
    key: `${date.contact_id ?? date.organization_id ?? ''}:${date.kind}:${date.label ?? ''}:${date.date}:${index}`,
    date,
    when: formatInCalendar(date.date, date.calendar, locale),
    days: daysUntil(date.date, today),
    customer: date.contact_id ? { kind: 'contact', id: date.contact_id } : date.organization_id ? { kind: 'organization', id: date.organization_id } : null,
  }));
}
