import { useState } from 'react';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { columnChart } from '../utils/chart-geometry';
import { amountIn, type ForecastReport, forecastCurrencies, forecastSeries, pickCurrency } from '../utils/report-data';
import { formatReportPeriod } from '../utils/report-periods';

const series = ['weighted', 'amount', 'won'] as const;
const size = { width: 1000, height: 260 };
const margin = { top: 12, bottom: 30, start: 110, end: 8 };

/**
 * The weighted forecast by expected close month: weighted, unweighted and won bars per month, one
 * currency at a time (a switch when there are several; the pipeline's or the workspace's first).
 */
export function ForecastChart({
  report,
  preferredCurrencies,
  i18n,
}: {
  report: ForecastReport;
  preferredCurrencies: (string | null | undefined)[];
  i18n: I18n;
}) {
  const { t, dir, money, compactMoney, locale } = i18n;
  // Months, quarters or years, on the calendar the report was grouped in.
  const periodName = (period: string) => formatReportPeriod(period, report.calendar, locale, t);
  const currencies = forecastCurrencies(report);
  const [chosen, setChosen] = useState<string | null>(null);
  const currency = chosen && currencies.includes(chosen) ? chosen : pickCurrency(currencies, preferredCurrencies);
  if (!currency) return null;
  const points = forecastSeries(report, currency);
  const layout = columnChart(
    points.map((point) => series.map((name) => point[name])),
    { ...size, direction: dir, margin, maxBarWidth: 56 },
  );
  const label = (name: (typeof series)[number]) => t(`reports.forecast.${name}`);
  const baseline = layout.plot.y + layout.plot.height;

  return (
    <div className="forecast">
      <div className="forecast__controls">
        <ul className="legend">
          {series.map((name) => (
            <li key={name} className={`legend__item chart--${name}`}>
              {label(name)}
            </li>
          ))}
        </ul>
        {currencies.length > 1 && (
          <div className="segmented" role="group" aria-label={t('reports.forecast.currency')}>
            {currencies.map((code) => (
              <button key={code} type="button" className="segmented__option" aria-pressed={code === currency} onClick={() => setChosen(code)}>
                {i18n.moneyUnit(code)}
              </button>
            ))}
          </div>
        )}
      </div>
      <svg
        className="chart"
        viewBox={`0 0 ${size.width} ${size.height}`}
        role="img"
        aria-label={t('reports.forecast.chart', { currency: i18n.moneyUnit(currency) })}
        data-testid="forecast-chart"
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
            <g key={point.period} data-testid="forecast-month" data-month={point.month} data-period={point.period}>
              {group.bars.map((bar, barIndex) => {
                const name = series[barIndex]!;
                return (
                  <rect key={name} className={`chart__bar chart--${name}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} data-value={point[name]}>
                    <title>{t('reports.forecast.bar', { month: periodName(point.period), series: label(name), amount: money(point[name], currency) })}</title>
                  </rect>
                );
              })}
              <text className="chart__label" x={group.center} y={baseline + 20} textAnchor="middle">
                {periodName(point.period)}
              </text>
            </g>
          );
        })}
      </svg>
      {report.undated && report.undated.open_deals > 0 && (
        <p className="muted forecast__undated">
          {t('reports.forecast.undated', {
            count: report.undated.open_deals,
            amount: money(amountIn(report.undated.amount, currency), currency),
            weighted: money(amountIn(report.undated.weighted, currency), currency),
          })}
        </p>
      )}
    </div>
  );
}
