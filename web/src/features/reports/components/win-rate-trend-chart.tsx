import type { components } from '../../../lib/api/schema';
import { formatCalendarMonthOn } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { ReportCalendar } from '../utils/report-periods';
import { lineChart } from '../utils/chart-geometry';
import type { MonthRange } from '../utils/report-filters';
import { formatPercent } from './report-card';

type WinRate = components['schemas']['WinRateResponse'];

/** A month's win rate by count, or null when no deal was won or lost in it (a gap, not 0%). */
export function monthWinRate(report: WinRate): number | null {
  return report.won.count + report.lost.count === 0 ? null : (report.win_rate_by_count ?? null);
}

const size = { width: 600, height: 200 };
const margin = { top: 24, bottom: 28, start: 48, end: 12 };
const ticks = [0, 25, 50, 75, 100];

/**
 * The win rate by count month by month (the current month last, at the inline end): a line with
 * a dot and its percentage per month; a month without closed deals is a gap marked "no data".
 */
export function WinRateTrendChart({ months, reports, calendar, i18n }: { months: MonthRange[]; reports: WinRate[]; calendar: ReportCalendar; i18n: I18n }) {
  const { t, dir, locale } = i18n;
  // The months are the workspace calendar's, named in the language.
  const calendarMonth = (day: string, short?: boolean) => formatCalendarMonthOn(day, locale, calendar, short);
  const rates = reports.map(monthWinRate);
  const layout = lineChart(rates, { ...size, direction: dir, margin, max: 100, ticks });
  const baseline = layout.plot.y + layout.plot.height;
  return (
    <svg
      className="chart trend"
      viewBox={`0 0 ${size.width} ${size.height}`}
      role="img"
      aria-label={t('reports.winRateTrend.chart')}
      data-testid="win-rate-trend-chart"
    >
      {layout.ticks.map((tick) => (
        <g key={tick.value} className="chart__tick">
          <line x1={layout.plot.x} x2={layout.plot.x + layout.plot.width} y1={tick.y} y2={tick.y} />
          <text x={layout.tickLabel.x} y={tick.y} textAnchor={layout.tickLabel.anchor} dominantBaseline="middle">
            {t('common.percent', { value: tick.value })}
          </text>
        </g>
      ))}
      {layout.segments.map((segment, index) => (
        <polyline key={index} className="trend__line" points={segment.map((point) => `${point.x},${point.y}`).join(' ')} />
      ))}
      {layout.slots.map((slot, index) => {
        const month = months[index]!;
        const rate = rates[index] ?? null;
        const value = rate == null ? t('reports.winRateTrend.noData') : formatPercent(rate, i18n);
        return (
          <g key={month.from} data-testid="trend-month" data-from={month.from}>
            <title>{t('reports.winRateTrend.point', { month: calendarMonth(month.from), value })}</title>
            {slot.point && <circle className="trend__dot" cx={slot.point.x} cy={slot.point.y} r={4} />}
            <text
              className={`trend__value${rate == null ? ' muted' : ''}`}
              x={slot.center}
              y={slot.point ? slot.point.y - 10 : baseline - 8}
              textAnchor="middle"
              data-testid="trend-value"
            >
              {value}
            </text>
            <text className="chart__label" x={slot.center} y={baseline + 20} textAnchor="middle">
              {calendarMonth(month.from, true)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
