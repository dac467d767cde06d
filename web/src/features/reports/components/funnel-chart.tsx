import type { I18n } from '../../../lib/i18n/use-i18n';
import { funnelBars } from '../utils/chart-geometry';
import type { FunnelRow } from '../utils/report-data';
import { formatPercent } from './report-card';

const barWidth = 100;

/**
 * Leads → qualified → opportunities → deals → won: a centred bar per step, with its conversion.
 * A cohort of the leads created in the period, followed to today: it is not the deals closed in
 * the period (the win-rate card), so the card says what it counts.
 */
export function FunnelChart({ rows, i18n }: { rows: FunnelRow[]; i18n: I18n }) {
  const { t, number } = i18n;
  const bars = funnelBars(
    rows.map((row) => row.count),
    barWidth,
  );
  return (
    <>
      <p className="report__scope muted" data-testid="funnel-scope">
        {t('reports.funnel.scope')}
      </p>
      <ol className="funnel">
        {rows.map((row, index) => (
          <li key={row.step} className="funnel__step" data-testid="funnel-step" data-step={row.step}>
            <span className="funnel__label">
              <span className="funnel__name">{t(`reports.funnel.steps.${row.step}`)}</span>
              {index > 0 && (
                <span className="funnel__rate muted" data-testid="funnel-rate">
                  {t('reports.funnel.ofPrevious', { percent: formatPercent(row.percentOfPrevious, i18n) })}
                </span>
              )}
            </span>
            <svg className="funnel__bar" viewBox={`0 0 ${barWidth} 10`} preserveAspectRatio="none" aria-hidden="true">
              <rect x={bars[index]!.x} width={bars[index]!.width} y={0} height={10} rx={1} data-value={row.count} />
            </svg>
            <span className="funnel__count" data-testid="funnel-count">
              {number(row.count)}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
