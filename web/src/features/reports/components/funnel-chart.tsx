import type { I18n } from '../../../lib/i18n/use-i18n';
import { funnelBars } from '../utils/chart-geometry';
import type { FunnelRow } from '../utils/report-data';
import { formatPercent } from './report-card';

const barWidth = 100;

/** Leads → qualified → opportunities → deals → won: a centred bar per step, with its conversion. */
export function FunnelChart({ rows, i18n }: { rows: FunnelRow[]; i18n: I18n }) {
  const { t, number } = i18n;
  const bars = funnelBars(
    rows.map((row) => row.count),
    barWidth,
  );
  return (
    <ol className="funnel">
      {rows.map((row, index) => (
        <li key={row.step} className="funnel__step" data-testid="funnel-step" data-step={row.step}>
          <span className="funnel__label">{t(`reports.funnel.steps.${row.step}`)}</span>
          <svg className="funnel__bar" viewBox={`0 0 ${barWidth} 10`} preserveAspectRatio="none" aria-hidden="true">
            <rect x={bars[index]!.x} width={bars[index]!.width} y={0} height={10} rx={1} />
          </svg>
          <span className="funnel__count" data-testid="funnel-count">
            {number(row.count)}
          </span>
          <span className="funnel__rate muted" data-testid="funnel-rate">
            {index > 0 && t('reports.funnel.ofPrevious', { percent: formatPercent(row.percentOfPrevious, i18n) })}
          </span>
        </li>
      ))}
    </ol>
  );
}
