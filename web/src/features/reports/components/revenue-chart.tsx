import type { I18n } from '../../../lib/i18n/use-i18n';
import { columnChart } from '../utils/chart-geometry';
import { formatReportPeriod } from '../utils/report-periods';
import { type RevenueReport, revenueSeries } from '../utils/revenue-data';

const series = ['invoiced', 'paid'] as const;
const size = { width: 1000, height: 240 };
const margin = { top: 12, bottom: 30, start: 110, end: 8 };

/**
 * What was invoiced and paid: the period's totals, then invoiced beside paid per month, quarter
 * or year (on the report's calendar), all in one currency (see `revenueSeries`).
 */
export function RevenueChart({ report, workspaceCurrency, i18n }: { report: RevenueReport; workspaceCurrency: string; i18n: I18n }) {
  const { t, dir, money, compactMoney, locale } = i18n;
  const data = revenueSeries(report, workspaceCurrency);
  const { currency, points } = data;
  const periodName = (period: string) => formatReportPeriod(period, report.calendar, locale, t);
  const layout = columnChart(
    points.map((point) => series.map((name) => point[name])),
    { ...size, direction: dir, margin, maxBarWidth: 56 },
  );
  const label = (name: (typeof series)[number]) => t(`reports.revenue.${name}`);
  const baseline = layout.plot.y + layout.plot.height;
  // Month names need room: with many periods, every other label is shown so they never collide.
  const labelEvery = points.length > 8 ? Math.ceil(points.length / 8) : 1;

  return (
    <div className="forecast revenue">
      <dl className="revenue__totals">
        <div className="revenue__total" data-testid="revenue-invoiced">
          <dt>{t('reports.revenue.invoicedTotal', { count: report.invoices })}</dt>
          <dd>{money(data.invoiced, currency)}</dd>
        </div>
        <div className="revenue__total" data-testid="revenue-paid">
          <dt>{t('reports.revenue.paidTotal', { count: report.payments })}</dt>
          <dd>{money(data.paid, currency)}</dd>
        </div>
      </dl>
      {data.converted && <p className="muted revenue__note">{t('reports.revenue.convertedNote', { currency: i18n.moneyUnit(currency) })}</p>}
      <ul className="legend">
        {series.map((name) => (
          <li key={name} className={`legend__item chart--${name}`}>
            {label(name)}
          </li>
        ))}
      </ul>
      <svg
        className="chart"
        viewBox={`0 0 ${size.width} ${size.height}`}
        role="img"
        aria-label={t('reports.revenue.chart', { currency: i18n.moneyUnit(currency) })}
        data-testid="revenue-chart"
      >
        {layout.ticks.map((tick) => (
          <g key={tick.value} className="chart__tick">
            <line x1={layout.plot.x} x2={layout.plot.x + layout.plot.width} y1={tick.y} y2={tick.y} />
            <text x={layout.tickLabel.x} y={tick.y} textAnchor={layout.tickLabel.anchor} dominantBaseline="middle">
              {compactMoney(tick.value, currency)}
            </text>
          </g>
        ))}
        {layout.groups.map((group, index) => {
          const point = points[index]!;
          return (
            <g key={point.period} data-testid="revenue-period" data-period={point.period}>
              {group.bars.map((bar, barIndex) => {
                const name = series[barIndex]!;
                return (
                  <rect key={name} className={`chart__bar chart--${name}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} data-value={point[name]}>
                    <title>{t('reports.forecast.bar', { month: periodName(point.period), series: label(name), amount: money(point[name], currency) })}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 && (
                <text className="chart__label" x={group.center} y={baseline + 20} textAnchor="middle">
                  {periodName(point.period)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
