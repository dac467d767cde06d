import { type ReactNode, useCallback, useState } from 'react';
import { useMatch, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead, Pipeline } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths, patterns } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useExportLeads, useLeads } from '../api/leads';
import { useLeadFilters } from '../hooks/use-lead-filters';
import { defaultLeadFilters, isFiltered } from '../utils/lead-inbox';
import { CreateLeadDialog } from './create-lead-dialog';
import { LeadDrawer } from './lead-drawer';
import { LeadFiltersBar } from './lead-filters';
import { LeadsTable } from './leads-table';

/**
 * The lead inbox: leads best score first with their filters (in the URL), "load more", the CSV
 * export, the new-lead dialog and (from the URL) the open lead's drawer. Qualifying opens deals
 * in a pipeline; the app hands the pipeline list over.
 */
export function LeadsScreen({ pipelines, leadExtra }: { pipelines: Pipeline[]; leadExtra?: (lead: Lead) => ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const leadId = useMatch(patterns.lead)?.params.leadId;
  const { filters, setFilters, search } = useLeadFilters();
  const leads = useLeads(filters);
  const exportLeads = useExportLeads();
  const [creating, setCreating] = useState(false);
  useDocumentTitle(t('leads.title'));
  const query = search ? `?${search}` : '';
  const filtered = isFiltered(filters);
  const onTag = useCallback((tag: string) => setFilters({ tag }), [setFilters]);

  return (
    <main className="page leads-screen" id="main">
      <div className="leads-toolbar">
        <h1 className="page__title">{t('leads.title')}</h1>
        <LeadFiltersBar filters={filters} setFilters={setFilters} i18n={i18n} />
        <div className="toolbar__actions">
          <Button
            busy={exportLeads.isPending}
            onClick={() => exportLeads.mutate(filters, { onError: (error) => toast.error(t('leads.exportFailed', { reason: describeError(error, t) })) })}
          >
            {exportLeads.isPending ? t('leads.exporting') : t('leads.export')}
          </Button>
          <Button variant="primary" onClick={() => setCreating(true)}>
            {`+ ${t('leads.add')}`}
          </Button>
        </div>
      </div>

      {leads.isPending && (
        <div aria-busy="true">
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {leads.isError && !leads.data && <ErrorState title={t('leads.loadFailed')} error={leads.error} onRetry={() => void leads.refetch()} />}
      {leads.isSuccess &&
        leads.inbox.length === 0 &&
        (filtered ? (
          <EmptyState
            title={t('leads.empty.filteredTitle')}
            body={t('leads.empty.filteredBody')}
            action={<Button onClick={() => setFilters(defaultLeadFilters)}>{t('leads.filters.clear')}</Button>}
          />
        ) : (
          <EmptyState title={t('leads.empty.title')} body={t('leads.empty.body')} />
        ))}
      {leads.inbox.length > 0 && (
        <>
          <LeadsTable leads={leads.inbox} query={query} i18n={i18n} onTag={onTag} />
          <div className="leads-footer">
            <p className="muted" data-testid="leads-count" aria-live="polite">
              {t('leads.shown', { count: leads.inbox.length })}
            </p>
            {leads.hasNextPage && (
              <Button onClick={() => void leads.fetchNextPage()} busy={leads.isFetchingNextPage}>
                {leads.isFetchingNextPage ? t('leads.loadingMore') : t('leads.loadMore')}
              </Button>
            )}
          </div>
        </>
      )}

      {creating && <CreateLeadDialog i18n={i18n} onClose={() => setCreating(false)} onCreated={() => setCreating(false)} />}
      {leadId && <LeadDrawer leadId={leadId} pipelines={pipelines} i18n={i18n} extra={leadExtra} onClose={() => navigate(`${paths.leads}${query}`)} />}
    </main>
  );
}
