import type { components } from '../../../lib/api/schema';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { roundPercent } from '../utils/report-data';
import { formatPercent } from './report-card';

type StageRow = components['schemas']['StageConversionRow'];

const counts = ['entered', 'moved_on', 'moved_back', 'won', 'lost', 'still_open'] as const;
const headings = { entered: 'entered', moved_on: 'movedOn', moved_back: 'movedBack', won: 'won', lost: 'lost', still_open: 'stillOpen' } as const;

/** The visits to each stage in the period, in column order, and how they ended. */
export function StageConversionTable({ rows, i18n }: { rows: StageRow[]; i18n: I18n }) {
  const { t, number } = i18n;
  return (
    // Focusable, so that a keyboard can scroll it on a phone; named by its card's heading.
    <div className="table-scroll" role="region" aria-labelledby="report-stages-title" tabIndex={0}>
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">{t('reports.stages.stage')}</th>
            {counts.map((column) => (
              <th key={column} scope="col">
                {t(`reports.stages.${headings[column]}`)}
              </th>
            ))}
            <th scope="col">{t('reports.stages.conversion')}</th>
            <th scope="col">{t('reports.stages.averageDays')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.stage_id} data-testid="stage-row">
              <th scope="row">{row.name}</th>
              {counts.map((column) => (
                <td key={column} data-label={t(`reports.stages.${headings[column]}`)}>
                  {number(row[column])}
                </td>
              ))}
              <td data-label={t('reports.stages.conversion')}>{formatPercent(row.moved_on_percent, i18n)}</td>
              <td data-label={t('reports.stages.averageDays')}>
                {row.average_days_in_stage == null ? t('reports.winRate.none') : number(roundPercent(row.average_days_in_stage))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
