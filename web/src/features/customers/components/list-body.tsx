import type { ReactNode } from 'react';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import type { I18n } from '../../../lib/i18n/use-i18n';

interface ListBodyProps {
  group: 'contacts' | 'organizations';
  query: {
    isPending: boolean;
    isError: boolean;
    isSuccess: boolean;
    error: unknown;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    refetch: () => unknown;
    fetchNextPage: () => unknown;
  };
  count: number;
  filtered: boolean;
  onClear: () => void;
  i18n: I18n;
  /** The empty list's call to action. */
  action?: ReactNode;
  children: ReactNode;
}

/** A list's loading, error and empty states, its table, the count shown and "load more". */
export function ListBody({ group, query, count, filtered, onClear, i18n, action, children }: ListBodyProps) {
  const { t } = i18n;
  return (
    <>
      {query.isPending && (
        <div aria-busy="true">
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {query.isError && count === 0 && <ErrorState title={t(`customers.${group}.loadFailed`)} error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess &&
        count === 0 &&
        (filtered ? (
          <EmptyState
            title={t(`customers.${group}.empty.filteredTitle`)}
            body={t(`customers.${group}.empty.filteredBody`)}
            action={<Button onClick={onClear}>{t('customers.filters.clear')}</Button>}
          />
        ) : (
          <EmptyState title={t(`customers.${group}.empty.title`)} body={t(`customers.${group}.empty.body`)} action={action} />
        ))}
      {count > 0 && (
        <>
          {children}
          <div className="leads-footer">
            <p className="muted" data-testid={`${group}-count`} aria-live="polite">
              {t(`customers.${group}.shown`, { count })}
            </p>
            {query.hasNextPage && (
              <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? t('customers.loadingMore') : t('customers.loadMore')}
              </Button>
            )}
          </div>
        </>
      )}
    </>
  );
}
