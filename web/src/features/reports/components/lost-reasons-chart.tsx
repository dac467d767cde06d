import type { components } from '../../../lib/api/schema';
import type { DisqualifyReason } from '../../../lib/api/types';
import { disqualifyReasons, isOneOf } from '../../../lib/api/vocabularies';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { horizontalBars, type Span } from '../utils/chart-geometry';
import type { MoneyFigure } from '../utils/report-data';
import { MoneyFigureText } from './report-card';

type LostReasons = components['schemas']['LostReasonsResponse'];

const width = 100;

/**
 * Deals lost by the workspace's managed reasons (with "other" for those lost with a note alone),
 * by their notes (most frequent first, the rest as "other"), and disqualified leads by reason.
 */
export function LostReasonsChart({ report, i18n }: { report: LostReasons; i18n: I18n }) {
  const { t, number } = i18n;
  const { lost_deals: lost, disqualified_leads: disqualified } = report;
  const rows = [
    ...lost.reasons.map((row) => ({ key: row.reason, label: row.reason, count: row.count, value: row.value })),
    ...(lost.other.count > 0 ? [{ key: '\u0000other', label: t('reports.lostReasons.otherReasons'), count: lost.other.count, value: lost.other.value }] : []),
  ];
  const managed = lost.by_reason.some((row) => row.reason_id) ? lost.by_reason : [];
  const managedBars = horizontalBars(
    managed.map((row) => row.count),
    width,
    i18n.dir,
  );
  const bars = horizontalBars(
    rows.map((row) => row.count),
    width,
    i18n.dir,
  );
  // Disqualification reasons are the leads' vocabulary, labelled by the lead screens' messages; a
  // reason of a newer server shows as it is named until it has a label.
  const reasonLabel = (reason: DisqualifyReason): string => {
    if (!isOneOf(disqualifyReasons, reason)) return reason;
    return reason === 'other' ? t('leads.reasons.otherReason') : t(`leads.reasons.${reason}`);
  };
  return (
    <div className="lost-reasons">
      {managed.length > 0 && (
        <>
          <h3 className="report__subtitle">{t('dealRules.report.byReason')}</h3>
          <ul className="bar-list">
            {managed.map((row, index) => (
              <BarListRow
                key={row.reason_id ?? '\u0000other'}
                testId="lost-reason-managed"
                label={`${row.reason_id ? row.name : t('dealRules.report.noteOnly')}${row.reason_id && !row.active ? ` (${t('dealRules.report.inactive')})` : ''}`}
                bar={managedBars[index]!}
                count={row.count}
                value={row.value}
                i18n={i18n}
              />
            ))}
          </ul>
          {rows.length > 0 && <h3 className="report__subtitle">{t('dealRules.report.byNote')}</h3>}
        </>
      )}
      {rows.length > 0 && (
        <ul className="bar-list">
          {rows.map((row, index) => (
            <BarListRow key={row.key} testId="lost-reason" label={row.label} bar={bars[index]!} count={row.count} value={row.value} i18n={i18n} />
          ))}
        </ul>
      )}
      {disqualified.count > 0 && (
        <>
          <h3 className="report__subtitle">{`${t('reports.lostReasons.disqualified')} (${number(disqualified.count)})`}</h3>
          <ul className="lost-reasons__leads">
            {disqualified.reasons.map((row) => (
              <li key={row.reason}>
                <span>{reasonLabel(row.reason)}</span>
                <span className="muted">{number(row.count)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** One reason: its name (cut short with an ellipsis when long), its bar, its deals and their value. */
function BarListRow({ testId, label, bar, count, value, i18n }: { testId: string; label: string; bar: Span; count: number; value: MoneyFigure; i18n: I18n }) {
  return (
    <li className="bar-list__row" data-testid={testId}>
      <span className="bar-list__label" dir="auto" title={label}>
        {label}
      </span>
      <svg className="bar-list__bar" viewBox={`0 0 ${width} 10`} preserveAspectRatio="none" aria-hidden="true">
        <rect x={bar.x} width={bar.width} y={0} height={10} rx={1} data-value={count} />
      </svg>
      <span className="bar-list__figure">
        {i18n.t('reports.lostReasons.deals', { count })}
        <MoneyFigureText figure={value} i18n={i18n} />
      </span>
    </li>
  );
}
