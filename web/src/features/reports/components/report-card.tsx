import type { FetchStatus, UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, Skeleton } from '../../../components/states';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type MoneyFigure, roundPercent } from '../utils/report-data';

/** What a card reads of its query (a combined one, like the win-rate trend's, has the same). */
export interface ReportCardQuery<T> {
  data: T | undefined;
  isPending: boolean;
  isError: boolean;
  error: UseQueryResult<T>['error'];
  isFetching: boolean;
  fetchStatus: FetchStatus;
  refetch: () => Promise<unknown>;
}

interface ReportCardProps<T> {
  title: string;
  query: ReportCardQuery<T>;
  /** Whether the report has nothing to show, which `empty` then says. */
  isEmpty: (data: T) => boolean;
  empty: string;
  i18n: I18n;
  children: (data: T) => ReactNode;
  actions?: ReactNode;
  className?: string;
  testId: string;
}

/** One report on the dashboard: its title, then a skeleton, the error, the empty message or the report. */
export function ReportCard<T>({ title, query, isEmpty, empty, i18n, children, actions, className, testId }: ReportCardProps<T>) {
  const { t } = i18n;
  const headingId = `${testId}-title`;
  return (
    <section className={`report ${className ?? ''}`} aria-labelledby={headingId} data-testid={testId} aria-busy={query.isFetching}>
      <header className="report__header">
        <h2 className="report__title" id={headingId}>
          {title}
        </h2>
        {actions}
      </header>
      {query.isPending && query.fetchStatus !== 'idle' && (
        <>
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--block" />
        </>
      )}
      {/* A report that cannot be asked for (stage conversion without a pipeline) says why. */}
      {query.isPending && query.fetchStatus === 'idle' && <p className="report__empty muted">{empty}</p>}
      {query.isError && !query.data && <ErrorState title={t('reports.loadFailed')} error={query.error} onRetry={() => void query.refetch()} />}
      {query.data !== undefined && (isEmpty(query.data) ? <p className="report__empty muted">{empty}</p> : children(query.data))}
    </section>
  );
}

/** A percentage with one decimal at most, or a dash when there is none. */
export function formatPercent(value: number | null | undefined, { t }: I18n): string {
  return value == null ? t('reports.winRate.none') : t('common.percent', { value: roundPercent(value) });
}

/** Days (a sales cycle) with one decimal at most, or a dash when there are none. */
export function formatDays(value: number | null | undefined, { t }: I18n): string {
  return value == null ? t('reports.winRate.none') : t('reports.winRate.days', { count: roundPercent(value) });
}

/** A money figure: each currency on its own (never added up), then the converted total when there is one. */
export function MoneyFigureText({ figure, i18n }: { figure: MoneyFigure; i18n: I18n }) {
  const { t, money } = i18n;
  if (figure.by_currency.length === 0) return <span className="money-figure">{t('reports.winRate.none')}</span>;
  return (
    <span className="money-figure">
      {figure.by_currency.map((entry) => (
        <span key={entry.currency} className="money-figure__amount">
          {money(entry.amount_minor, entry.currency)}
        </span>
      ))}
      {figure.converted && figure.by_currency.length > 1 && (
        <span className="money-figure__converted muted">
          {t('reports.converted', { amount: money(figure.converted.amount_minor, figure.converted.currency) })}
        </span>
      )}
    </span>
  );
}
