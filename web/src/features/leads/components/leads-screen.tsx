import { type ReactNode, useCallback, useMemo, useState } from 'react';
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
import { defaultLeadFilters, isFiltered, leadFiltersFromView, leadViewFilters } from '../utils/lead-inbox';
import { disqualifyReasons, reasonLabel } from '../utils/lead-vocabulary';
import { CreateLeadDialog } from './create-lead-dialog';
import { LeadImportDialog } from './lead-import-dialog';
import { LeadDrawer } from './lead-drawer';
import { LeadFiltersBar } from './lead-filters';
import { LeadsTable, type RowSelection } from './leads-table';

/** What the app's saved-views picker needs of the inbox: its filters as a view holds them, and how to show a view. */
export interface LeadViewsSlot {
  current: { filters: Record<string, string>; sort: string | null };
  onApply: (view: { filters: Record<string, unknown> }) => void;
}

/** What the app's selection and bulk actions need of the inbox; it draws the table with the selection. */
export interface LeadSelectionSlot {
  /** The leads shown, in their order. */
  ids: string[];
  /** Disqualify reasons with their labels. */
  reasons: { value: string; label: string }[];
  nameOf: (id: string) => string;
  /** The version of a lead the inbox shows, so a bulk action leaves one changed since as it is. */
  versionOf: (id: string) => number | undefined;
  children: (selection: RowSelection) => ReactNode;
}

interface LeadsScreenProps {
  pipelines: Pipeline[];
  leadExtra?: (lead: Lead) => ReactNode;
  /** The saved views of the inbox, composed by the app. */
  views?: (slot: LeadViewsSlot) => ReactNode;
  /** Row checkboxes and bulk actions, composed by the app. */
  selection?: (slot: LeadSelectionSlot) => ReactNode;
}

/**
 * The lead inbox: leads best score first with their filters (in the URL), "load more", the CSV
 * export, the new-lead dialog and (from the URL) the open lead's drawer. Qualifying opens deals
 * in a pipeline; the app hands the pipeline list over.
 */
export function LeadsScreen({ pipelines, leadExtra, views, selection }: LeadsScreenProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const leadId = useMatch(patterns.lead)?.params.leadId;
  const { filters, setFilters, search } = useLeadFilters();
  const leads = useLeads(filters);
  const exportLeads = useExportLeads();
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  useDocumentTitle(t('leads.title'));
  const query = search ? `?${search}` : '';
  const filtered = isFiltered(filters);
  const onTag = useCallback((tag: string) => setFilters({ tag }), [setFilters]);
  const viewFilters = useMemo(() => leadViewFilters(filters), [filters]);
  const ids = useMemo(() => leads.inbox.map((lead) => lead.id), [leads.inbox]);
  const nameOf = useCallback((id: string) => leads.inbox.find((lead) => lead.id === id)?.name ?? id, [leads.inbox]);
  const versionOf = useCallback((id: string) => leads.inbox.find((lead) => lead.id === id)?.version, [leads.inbox]);
  const reasons = useMemo(() => disqualifyReasons.map((reason) => ({ value: reason, label: reasonLabel(reason, t) })), [t]);
  const list = (rows: RowSelection | undefined) =>
    leads.inbox.length > 0 && (
      <>
        <LeadsTable leads={leads.inbox} query={query} i18n={i18n} onTag={onTag} selection={rows} />
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
    );

  return (
    <main className="page leads-screen" id="main">
      <div className="leads-toolbar">
        <h1 className="page__title">{t('leads.title')}</h1>
        <LeadFiltersBar filters={filters} setFilters={setFilters} i18n={i18n} />
        {views?.({ current: { filters: viewFilters, sort: null }, onApply: (view) => setFilters(leadFiltersFromView(view.filters)) })}
        <div className="toolbar__actions">
          <Button
            busy={exportLeads.isPending}
            onClick={() => exportLeads.mutate(filters, { onError: (error) => toast.error(t('leads.exportFailed', { reason: describeError(error, t) })) })}
          >
            {exportLeads.isPending ? t('leads.exporting') : t('leads.export')}
          </Button>
          <Button onClick={() => setDialog('import')}>{t('leads.import.open')}</Button>
          <Button variant="primary" onClick={() => setDialog('create')}>
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
      {/* The selection outlives an empty list, so the summary of an action that emptied it stays. */}
      {selection ? selection({ ids, reasons, nameOf, versionOf, children: list }) : list(undefined)}

      {dialog === 'create' && <CreateLeadDialog i18n={i18n} onClose={() => setDialog(null)} onCreated={() => setDialog(null)} />}
      {dialog === 'import' && <LeadImportDialog i18n={i18n} onClose={() => setDialog(null)} />}
      {leadId && <LeadDrawer leadId={leadId} pipelines={pipelines} i18n={i18n} extra={leadExtra} onClose={() => navigate(`${paths.leads}${query}`)} />}
    </main>
  );
}
