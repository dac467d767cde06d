import { newDate } from 'date-fns-jalali';
import type { components } from '../../../lib/api/schema';
import { formatCalendarMonthOn } from '../../../lib/format/dates';
import { localizeDigits } from '../../../lib/format/digits';
import type { Translate } from '../../../lib/i18n/use-i18n';

export type ReportCalendar = components['schemas']['Calendar'];
export type ReportInterval = components['schemas']['ReportInterval'];

/** A period a grouped report names: `1405-10` (a month), `1405-Q4` (a quarter) or `1405` (a year). */
export type PeriodName = { kind: 'month'; year: number; month: number } | { kind: 'quarter'; year: number; quarter: number } | { kind: 'year'; year: number };

export function parsePeriodName(period: string): PeriodName | null {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const value = Number(month[2]);
    return value >= 1 && value <= 12 ? { kind: 'month', year: Number(month[1]), month: value } : null;
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return { kind: 'quarter', year: Number(quarter[1]), quarter: Number(quarter[2]) };
  const year = /^(\d{4})$/.exec(period);
  return year ? { kind: 'year', year: Number(year[1]) } : null;
}

/** The name of a Jalali month (1–12): "Dey" in English, «دی» in Persian. */
function jalaliMonthName(year: number, month: number, locale: string): string {
  // The middle of the month, so no time zone moves it into a neighbouring one.
  const day = newDate(year, month - 1, 15);
  return new Intl.DateTimeFormat(locale === 'fa' ? 'fa-u-ca-persian' : 'en-u-ca-persian', { month: 'long' }).format(day);
}

/**
 * How a report's period reads, on the report's calendar: a Jalali month as «دی ۱۴۰۵» or
 * "Dey 1405", a Jalali quarter by its season («زمستان ۱۴۰۵», "Q4 1405 (winter)"), a Gregorian
 * month by its Gregorian name in either language ("Dec 2026", «دسامبر ۲۰۲۶»: not the Jalali
 * months it spans), a year as its number. An unknown form shows as sent.
 */
export function formatReportPeriod(period: string, calendar: ReportCalendar, locale: string, t: Translate): string {
  const name = parsePeriodName(period);
  if (!name) return localizeDigits(period, locale);
  const year = localizeDigits(String(name.year), locale);
  switch (name.kind) {
    case 'month':
      return calendar === 'jalali' ? `${jalaliMonthName(name.year, name.month, locale)} ${year}` : formatCalendarMonthOn(`${period}-15`, locale, 'gregorian');
    case 'quarter':
      return calendar === 'jalali'
        ? t(`reports.quarters.jalali.q${name.quarter as 1 | 2 | 3 | 4}`, { year })
        : t('reports.quarters.gregorian', { quarter: localizeDigits(String(name.quarter), locale), year });
    case 'year':
      return year;
  }
}
