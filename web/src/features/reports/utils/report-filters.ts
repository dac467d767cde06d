import { endOfMonth, endOfYear, format as formatGregorian, startOfMonth, startOfYear, subMonths } from 'date-fns';
import {
  endOfMonth as endOfJalaliMonth,
  endOfYear as endOfJalaliYear,
  startOfMonth as startOfJalaliMonth,
  startOfYear as startOfJalaliYear,
  subMonths as subJalaliMonths,
} from 'date-fns-jalali';

/** The periods offered: this month, the last three months (this one included), this year, all time. */
export const periodPresets = ['month', 'quarter', 'year', 'all'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export function isPeriodPreset(value: unknown): value is PeriodPreset {
  return (periodPresets as readonly unknown[]).includes(value);
}

export interface ReportFilters {
  /** null: every pipeline. */
  pipelineId: string | null;
  period: PeriodPreset;
  /** null: every owner. */
  ownerId: string | null;
}

export const defaultReportFilters: ReportFilters = { pipelineId: null, period: 'year', ownerId: null };

/** Both ends included, as YYYY-MM-DD; null leaves that end open. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

const iso = (date: Date) => formatGregorian(date, 'yyyy-MM-dd');

/**
 * The days a period covers, in the calendar the user reads: Gregorian months and years in
 * English, Jalali ones in Persian ("this month" in Persian is Azar, 22 November to 21 December).
 * A period runs to the end of its month or year, so the forecast sees the rest of it.
 */
export function periodRange(preset: PeriodPreset, locale: string, today: Date = new Date()): DateRange {
  const jalali = locale === 'fa';
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
  }
}

/** A whole calendar month: its first and last days, as YYYY-MM-DD. */
export interface MonthRange {
  from: string;
  to: string;
}

/**
 * The last `count` calendar months, the current one last, in the calendar the user reads
 * (Gregorian in English, Jalali in Persian), the way `periodRange` counts a month.
 */
export function lastMonths(count: number, locale: string, today: Date = new Date()): MonthRange[] {
  const sub = locale === 'fa' ? subJalaliMonths : subMonths;
  return Array.from({ length: count }, (_, index) => {
    const range = periodRange('month', locale, sub(today, count - 1 - index));
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

export function reportQuery(filters: ReportFilters, range: DateRange): ReportQuery {
  const query: ReportQuery = {};
  if (filters.pipelineId) query.pipeline_id = filters.pipelineId;
  if (filters.ownerId) query.owner_id = filters.ownerId;
  if (range.from) query.from = range.from;
  if (range.to) query.to = range.to;
  return query;
}

/** Reads the filters from the URL (`?pipeline=…&period=…&owner=…`); defaults are left out of it. */
export function parseReportFilters(params: URLSearchParams): ReportFilters {
  const period = params.get('period');
  return {
    pipelineId: params.get('pipeline') || null,
    period: isPeriodPreset(period) ? period : defaultReportFilters.period,
    ownerId: params.get('owner') || null,
  };
}

export function writeReportFilters(params: URLSearchParams, filters: ReportFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  set('pipeline', filters.pipelineId);
  set('period', filters.period === defaultReportFilters.period ? null : filters.period);
  set('owner', filters.ownerId);
  return next;
}
