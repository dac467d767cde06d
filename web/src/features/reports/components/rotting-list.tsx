import { Link } from 'react-router';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import type { RottingReport } from '../utils/report-data';
import { MoneyFigureText } from './report-card';

/**
 * Open deals idle in their stage past its limit, longest idle first: each links to the deal on
 * its board. The first page only; the headline counts and values all of them.
 */
export function RottingList({ report, i18n }: { report: RottingReport; i18n: I18n }) {
  const { t, number, money } = i18n;
  return (
    <div className="rotting">
      <p className="rotting__total" data-testid="rotting-total">
        <span>{t('reports.rotting.total', { count: report.count })}</span>
        <MoneyFigureText figure={report.value} i18n={i18n} />
      </p>
      <ol className="rotting__list">
        {report.data.map((deal) => (
          <li key={deal.id} className="rotting__deal" data-testid="rotting-deal">
            <Link to={paths.deal(deal.pipeline_id, deal.id)} className="rotting__title">
              {deal.title}
            </Link>
            <span className="rotting__amount">{money(deal.amount.amount_minor, deal.amount.currency)}</span>
            <span className="muted rotting__idle" data-testid="rotting-idle">
              {t('reports.rotting.idle', { stage: deal.stage_name, count: deal.idle_days, limit: number(deal.rotting_days) })}
            </span>
          </li>
        ))}
      </ol>
      {report.count > report.data.length && <p className="muted rotting__more">{t('reports.rotting.more', { count: report.count - report.data.length })}</p>}
    </div>
  );
}
