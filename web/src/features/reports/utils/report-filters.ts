import { endOfMonth, endOfYear, format as formatGregorian, startOfMonth, startOfYear, subMonths } from 'date-fns';
import { reportIntervals } from '../../../lib/api/vocabularies';
import type { ReportCalendar, ReportInterval } from './report-periods';
import {
  endOfMonth as endOfJalaliMonth,
  endOfYear as endOfJalaliYear,
  startOfMonth as startOfJalaliMonth,
  startOfYear as startOfJalaliYear,
  subMonths as subJalaliMonths,
} from 'date-fns-jalali';

/**
 * The periods offered: this month, the last three months (this one included), this year, all
 * time, or days the user picks (`custom`, with `from` and `to`).
 */
export const periodPresets = ['month', 'quarter', 'year', 'all', 'custom'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export function isPeriodPreset(value: unknown): value is PeriodPreset {
  return (periodPresets as readonly unknown[]).includes(value);
}

function isReportInterval(value: unknown): value is ReportInterval {
  return (reportIntervals as readonly unknown[]).includes(value);
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export interface ReportFilters {
  /** null: every pipeline. */
  pipelineId: string | null;
  period: PeriodPreset;
  /** null: every owner. */
  ownerId: string | null;
  /** The days of a `custom` period, YYYY-MM-DD, both included; null leaves that end open. */
  from: string | null;
  to: string | null;
  interval: ReportInterval;
}

export const defaultReportFilters: ReportFilters = { pipelineId: null, period: 'year', ownerId: null, from: null, to: null, interval: 'month' };

/** Both ends included, as YYYY-MM-DD; null leaves that end open. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

const iso = (date: Date) => formatGregorian(date, 'yyyy-MM-dd');

/**
 * The days a period covers, on the workspace's calendar (whatever the language): Gregorian months
 * and years, or Jalali ones ("this month" on the Jalali calendar is Azar, 22 November to 21
 * December; "this year" starts on 1 Farvardin). A period runs to the end of its month or year, so
 * the forecast sees the rest of it.
 */
export function periodRange(preset: PeriodPreset, calendar: ReportCalendar, today: Date = new Date(), custom: DateRange = { from: null, to: null }): DateRange {
  const jalali = calendar === 'jalali';
  const monthStart = jalali ? startOfJalaliMonth : startOfMonth;
  const monthEnd = jalali ? endOfJalaliMonth : endOfMonth;
  switch (preset) {
    case 'month':
      return { from: iso(monthStart(today)), to: iso(monthEnd(today)) };
    case 'quarter':
      return { from: iso(monthStart((jalali ? subJalaliMonths : subMonths)(today, 2))), to: iso(monthEnd(today)) };
    case 'year':
      return { from: iso((jalali ? startOfJalaliYear : startOfYear)(today)), to: iso((jalali ? endOfJalaliYear : endOfYear)(today)) };
    case 'all':
      return { from: null, to: null };
    case 'custom':
      return custom;
  }
}

/** A whole calendar month: its first and last days, as YYYY-MM-DD. */
export interface MonthRange {
  from: string;
  to: string;
}

/**
 * The last `count` calendar months, the current one last, on the workspace's calendar, the way
 * `periodRange` counts a month.
 */
export function lastMonths(count: number, calendar: ReportCalendar, today: Date = new Date()): MonthRange[] {
  const sub = calendar === 'jalali' ? subJalaliMonths : subMonths;
  return Array.from({ length: count }, (_, index) => {
    const range = periodRange('month', calendar, sub(today, count - 1 - index));
    return { from: range.from!, to: range.to! };
  });
}

/** The query every report takes; what is not chosen is left out. */
export interface ReportQuery {
  pipeline_id?: string;
  owner_id?: string;
  from?: string;
  to?: string;
}

/** What the reports grouped by month take: the calendar of the months (the workspace's). */
export interface CalendarReportQuery extends ReportQuery {
  calendar: ReportCalendar;
}

/** What the forecast also takes: how long its periods are. */
export interface GroupedReportQuery extends CalendarReportQuery {
  interval: ReportInterval;
}

export function reportQuery(filters: ReportFilters, range: DateRange): ReportQuery {
  const query: ReportQuery = {};
  if (filters.pipelineId) query.pipeline_id = filters.pipelineId;
  if (filters.ownerId) query.owner_id = filters.ownerId;
  if (range.from) query.from = range.from;
  if (range.to) query.to = range.to;
  return query;
}

/**
 * Reads the filters from the URL (`?pipeline=…&period=…&owner=…&from=…&to=…&interval=…`);
 * defaults are left out of it. A custom period with its ends reversed is read with them swapped.
 */
export function parseReportFilters(params: URLSearchParams): ReportFilters {
  const period = params.get('period');
  const interval = params.get('interval');
  const day = (name: string) => {
    const value = params.get(name);
    return value && isoDay.test(value) ? value : null;
  };
  let [from, to] = [day('from'), day('to')];
  if (from && to && from > to) [from, to] = [to, from];
  const custom = period === 'custom';
  return {
    pipelineId: params.get('pipeline') || null,
    period: isPeriodPreset(period) ? period : defaultReportFilters.period,
    ownerId: params.get('owner') || null,
    from: custom ? from : null,
    to: custom ? to : null,
    interval: isReportInterval(interval) ? interval : defaultReportFilters.interval,
  };
}

export function writeReportFilters(params: URLSearchParams, filters: ReportFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  set('pipeline', filters.pipelineId);
  set('period', filters.period === defaultReportFilters.period ? null : filters.period);
  set('owner', filters.ownerId);
  const custom = filters.period === 'custom';
  set('from', custom ? filters.from : null);
  set('to', custom ? filters.to : null);
  set('interval', filters.interval === defaultReportFilters.interval ? null : filters.interval);
  return next;
}
