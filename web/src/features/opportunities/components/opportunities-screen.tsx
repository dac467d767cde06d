import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import type { Opportunity } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOpportunities } from '../api/opportunities';
import './opportunities.css';

/**
 * The opportunities, newest first: each with its status (derived from its deals), owner, deals
 * and budget, linking to its page; a page at a time.
 */
export function OpportunitiesScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('opportunities.title'));
  const list = useOpportunities();
  const opportunities = list.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <main className="page page--narrow opportunities" id="main" data-testid="opportunities-screen">
      <h1 className="page__title">{t('opportunities.title')}</h1>
      <p className="page__intro">{t('opportunities.intro')}</p>
      {list.isPending && <Skeleton className="skeleton--block" />}
      {list.isError && <ErrorState title={t('opportunities.loadFailed')} error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && opportunities.length === 0 && <EmptyState title={t('opportunities.empty')} body={t('opportunities.emptyBody')} />}
      {opportunities.length > 0 && (
        <ul className="opportunity-list">
          {opportunities.map((opportunity) => (
            <OpportunityItem key={opportunity.id} opportunity={opportunity} i18n={i18n} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
          {t('opportunities.loadMore')}
        </Button>
      )}
    </main>
  );
}

function OpportunityItem({ opportunity, i18n }: { opportunity: Opportunity; i18n: I18n }) {
  const { t, money, date } = i18n;
  const { byId } = useMembers();
  const deals = opportunity.deals ?? [];
  return (
    <li className="opportunity-item" data-testid="opportunity-item">
      <div className="opportunity-item__head">
        <Link to={paths.opportunity(opportunity.id)} className="opportunity-item__title" dir="auto">
          {opportunity.title}
        </Link>
        <OpportunityStatus status={opportunity.status} i18n={i18n} />
      </div>
      <p className="opportunity-item__facts muted">
        <span>{byId.get(opportunity.owner_id)?.name ?? t('opportunities.unknownOwner')}</span>
        <span data-testid="opportunity-deal-count">{t('opportunities.dealCount', { count: deals.length })}</span>
        {opportunity.budget_minor != null && opportunity.budget_currency && (
          <span>{t('opportunities.budgetOf', { amount: money(opportunity.budget_minor, opportunity.budget_currency) })}</span>
        )}
        <span>{date(opportunity.created_at)}</span>
      </p>
    </li>
  );
}

/** Open, won or lost: won when any deal is won, lost when every deal is lost. */
export function OpportunityStatus({ status, i18n }: { status: Opportunity['status']; i18n: I18n }) {
  return (
    <span className={`badge badge--${status}`} data-testid="opportunity-status">
      {i18n.t(`opportunities.status.${status}`)}
    </span>
  );
}
