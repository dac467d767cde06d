import type { I18n } from '../../../lib/i18n/use-i18n';
import { cohortColumns, cohortWinRate, type CohortsReport } from '../utils/report-data';
import { formatReportPeriod } from '../utils/report-periods';
import { formatPercent } from './report-card';

/**
 * Leads by the period they came in (on the report's calendar): how many, how many were won, and
 * in which month after their own the first wins came. The months after are a wrapping list in
 * the last column rather than a column each, so the table fits a phone however long the tail.
 */
export function CohortsTable({ report, i18n }: { report: CohortsReport; i18n: I18n }) {
  const { t, number, locale } = i18n;
  const { afterMonths, counts } = cohortColumns(report.cohorts);
  return (
    <>
      <p className="report__scope muted">{t('reports.cohorts.scope')}</p>
      <table className="report-table cohorts">
        <thead>
          <tr>
            <th scope="col">{t('reports.cohorts.period')}</th>
            <th scope="col">{t('reports.cohorts.leads')}</th>
            <th scope="col">{t('reports.cohorts.won')}</th>
            <th scope="col">{t('reports.cohorts.wonAfter')}</th>
          </tr>
        </thead>
        <tbody>
          {report.cohorts.map((row, rowIndex) => (
            <tr key={row.month} data-testid="cohort-row" data-month={row.month}>
              <th scope="row" data-testid="cohort-period">
                {formatReportPeriod(row.month, report.calendar, locale, t)}
              </th>
              <td data-testid="cohort-leads" data-label={t('reports.cohorts.leads')}>
                {number(row.leads)}
              </td>
              <td data-testid="cohort-won" data-label={t('reports.cohorts.won')}>
                {number(row.won)}
                <span className="muted cohorts__rate">{` (${formatPercent(cohortWinRate(row), i18n)})`}</span>
              </td>
              <td data-label={t('reports.cohorts.wonAfter')}>
                <ul className="cohorts__after" data-testid="cohort-after">
                  {afterMonths
                    .filter((after) => counts[rowIndex]![after]! > 0)
                    .map((after) => (
                      <li key={after} className="cohorts__chip">
                        {after === 0
                          ? t('reports.cohorts.sameMonth', { count: counts[rowIndex]![after]! })
                          : t('reports.cohorts.afterMonths', { months: number(after), count: counts[rowIndex]![after]! })}
                      </li>
                    ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
