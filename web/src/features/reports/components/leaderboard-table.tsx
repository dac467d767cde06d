import type { components } from '../../../lib/api/schema';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { formatDays, formatPercent, MoneyFigureText } from './report-card';

type LeaderboardRow = components['schemas']['LeaderboardRow'];

/** Per owner, most deals won first: won, lost, win rate, value won, average cycle, activities. */
export function LeaderboardTable({ rows, i18n }: { rows: LeaderboardRow[]; i18n: I18n }) {
  const { t, number } = i18n;
  return (
    // Focusable, so that a keyboard can scroll it on a phone; named by its card's heading.
    <div className="table-scroll" role="region" aria-labelledby="report-leaderboard-title" tabIndex={0}>
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">{t('reports.leaderboard.owner')}</th>
            <th scope="col">{t('reports.leaderboard.won')}</th>
            <th scope="col">{t('reports.leaderboard.lost')}</th>
            <th scope="col">{t('reports.leaderboard.winRate')}</th>
            <th scope="col">{t('reports.leaderboard.valueWon')}</th>
            <th scope="col">{t('reports.leaderboard.cycle')}</th>
            <th scope="col">{t('reports.leaderboard.activities')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.owner_id} data-testid="leaderboard-row">
              <th scope="row">{row.name ?? t('reports.leaderboard.formerMember')}</th>
              <td data-label={t('reports.leaderboard.won')}>{number(row.deals_won)}</td>
              <td data-label={t('reports.leaderboard.lost')}>{number(row.deals_lost)}</td>
              <td data-label={t('reports.leaderboard.winRate')}>{formatPercent(row.win_rate, i18n)}</td>
              <td data-label={t('reports.leaderboard.valueWon')}>
                <MoneyFigureText figure={row.value_won} i18n={i18n} />
              </td>
              <td data-label={t('reports.leaderboard.cycle')}>{formatDays(row.average_cycle_days, i18n)}</td>
              <td data-label={t('reports.leaderboard.activities')}>{number(row.activities)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
