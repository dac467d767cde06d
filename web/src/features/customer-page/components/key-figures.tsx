import { ErrorState, Skeleton } from '../../../components/states';
import { daysSince } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type CustomerKind, useSummary } from '../api/customer-page';

/** The figures a customer's page leads with, from `GET …/summary`. */
export function KeyFigures({ kind, id, i18n }: { kind: CustomerKind; id: string; i18n: I18n }) {
  const { t } = i18n;
  const summary = useSummary(kind, id);
  if (summary.isPending) return <Skeleton className="skeleton--block" />;
  if (summary.isError) return <ErrorState title={t('customerPage.figures.loadFailed')} error={summary.error} onRetry={() => void summary.refetch()} />;
  const figures = summary.data;
  const money = (amounts: typeof figures.open_value) =>
    amounts.length === 0 ? (
      <span className="key-figure__value">{i18n.number(0)}</span>
    ) : (
      amounts.map((amount) => (
        <span key={amount.currency} className="key-figure__value">
          {i18n.money(amount.amount_minor, amount.currency)}
        </span>
      ))
    );
  return (
    <section className="key-figures" aria-label={t('customerPage.figures.title')} data-testid="key-figures">
      <div className="key-figure" data-testid="figure-open">
        <span className="key-figure__label">{t('customerPage.figures.open', { count: figures.open_deals })}</span>
        {money(figures.open_value)}
      </div>
      <div className="key-figure" data-testid="figure-won">
        <span className="key-figure__label">{t('customerPage.figures.won', { count: figures.won_deals })}</span>
        {money(figures.won_value)}
      </div>
      <div className="key-figure" data-testid="figure-lifetime">
        <span className="key-figure__label">{t('customerPage.figures.lifetime', { count: figures.purchases })}</span>
        {money(figures.lifetime_value)}
        {figures.churn_risk && figures.usual_interval_days !== null && figures.usual_interval_days !== undefined && (
          <span className="key-figure__flag" data-testid="churn-risk">
            {t('customerPage.figures.churnRisk', { count: figures.usual_interval_days })}
          </span>
        )}
      </div>
      <div className="key-figure" data-testid="figure-last-activity">
        <span className="key-figure__label">{t('customerPage.figures.lastActivity')}</span>
        <span className="key-figure__value key-figure__value--text">
          {figures.last_activity_at ? i18n.date(figures.last_activity_at) : t('customerPage.figures.none')}
        </span>
      </div>
      <div className="key-figure" data-testid="figure-next-activity">
        <span className="key-figure__label">{t('customerPage.figures.nextActivity')}</span>
        <span className="key-figure__value key-figure__value--text">
          {figures.next_activity_at ? i18n.dateTime(figures.next_activity_at) : t('customerPage.figures.none')}
        </span>
      </div>
      <div className="key-figure" data-testid="figure-last-contact">
        <span className="key-figure__label">{t('customerPage.figures.sinceContact')}</span>
        <span className="key-figure__value key-figure__value--text">
          {figures.last_contacted_at ? t('customerPage.figures.days', { count: daysSince(figures.last_contacted_at) }) : t('customerPage.figures.never')}
        </span>
      </div>
    </section>
  );
}
