import type { components } from '../../../lib/api/schema';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { stackedBar } from '../utils/chart-geometry';
import { amountIn } from '../utils/report-data';
import { formatDays, formatPercent, MoneyFigureText } from './report-card';

type WinRate = components['schemas']['WinRateResponse'];

const width = 100;

/** A bar split into the won share (first, from the inline start) and the lost share. */
function WonLostBar({ won, lost, i18n }: { won: number; lost: number; i18n: I18n }) {
  const [wonSpan, lostSpan] = stackedBar([won, lost], width, i18n.dir);
  return (
    <svg className="win-bar" viewBox={`0 0 ${width} 8`} preserveAspectRatio="none" aria-hidden="true">
      <rect className="win-bar__won" x={wonSpan!.x} width={wonSpan!.width} y={0} height={8} data-value={won} />
      <rect className="win-bar__lost" x={lostSpan!.x} width={lostSpan!.width} y={0} height={8} data-value={lost} />
    </svg>
  );
}

/** Win rate by count and by value (per currency), deals won and lost, and the sales cycle. */
export function WinRatePanel({ report, i18n }: { report: WinRate; i18n: I18n }) {
  const { t } = i18n;
  return (
    <div className="win-rate">
      <p className="report__scope muted" data-testid="win-rate-scope">
        {t('reports.winRate.scope')}
      </p>
      <div className="win-rate__headline">
        <span className="win-rate__figure" data-testid="win-rate-count">
          {formatPercent(report.win_rate_by_count, i18n)}
        </span>
        <span className="muted">{t('reports.winRate.byCount')}</span>
        <WonLostBar won={report.won.count} lost={report.lost.count} i18n={i18n} />
      </div>
      <dl className="figures">
        <div>
          <dt>{t('reports.winRate.won')}</dt>
          <dd data-testid="win-rate-won">
            {t('reports.winRate.deals', { count: report.won.count })}
            <MoneyFigureText figure={report.won.value} i18n={i18n} />
          </dd>
        </div>
        <div>
          <dt>{t('reports.winRate.lost')}</dt>
          <dd data-testid="win-rate-lost">
            {t('reports.winRate.deals', { count: report.lost.count })}
            <MoneyFigureText figure={report.lost.value} i18n={i18n} />
          </dd>
        </div>
        <div>
          <dt>{t('reports.winRate.averageCycle')}</dt>
          <dd data-testid="win-rate-average-cycle">{formatDays(report.average_cycle_days, i18n)}</dd>
        </div>
        <div>
          <dt>{t('reports.winRate.medianCycle')}</dt>
          <dd data-testid="win-rate-median-cycle">{formatDays(report.median_cycle_days, i18n)}</dd>
        </div>
      </dl>
      {report.win_rate_by_value.length > 0 && (
        <div className="win-rate__values">
          <h3 className="report__subtitle">{t('reports.winRate.byValue')}</h3>
          <ul className="win-rate__currencies">
            {report.win_rate_by_value.map((entry) => (
              <li key={entry.currency} data-testid="win-rate-value" data-currency={entry.currency}>
                <span className="win-rate__currency">{i18n.moneyUnit(entry.currency)}</span>
                <WonLostBar won={amountIn(report.won.value, entry.currency)} lost={amountIn(report.lost.value, entry.currency)} i18n={i18n} />
                <span className="win-rate__percent">{formatPercent(entry.percent, i18n)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
