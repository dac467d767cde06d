import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { importAvailable } from '../api/customer-import';
import { useExportOrganizations, useOrganizations } from '../api/organizations';
import { useCustomerFilters } from '../hooks/use-customer-filters';
import { customerFiltersFromView, customerViewState, defaultCustomerFilters, isFiltered } from '../utils/list-filters';
import type { CustomerViewsSlot } from './contacts-screen';
import { CustomerFiltersBar } from './customer-filters-bar';
import { CustomerImportDialog } from './customer-import-dialog';
import { ListBody } from './list-body';
import { OrganizationFormDialog } from './organization-form';
import { OrganizationsTable } from './organizations-table';
import './customers.css';

/**
 * The organizations: search, filters and sort (in the URL), "load more", the CSV export, the
 * import wizard (once the API offers it), the new-organization form and, from the app, saved
 * views. Organizations have no bulk actions, so their rows have no checkboxes.
 */
export function OrganizationsScreen({ views }: { views?: ((slot: CustomerViewsSlot) => ReactNode) | undefined } = {}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { filters, query, setFilters } = useCustomerFilters('organization');
  const organizations = useOrganizations(query);
  const exportOrganizations = useExportOrganizations();
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  useDocumentTitle(t('customers.organizations.title'));
  const onTag = useCallback((tag: string) => setFilters({ tag }), [setFilters]);
  const viewState = useMemo(() => customerViewState('organization', filters), [filters]);
  const onApplyView = useCallback(
    (view: { filters: Record<string, unknown>; sort?: string | null }) => setFilters(customerFiltersFromView('organization', view)),
    [setFilters],
  );
  const create = (
    <Button variant="primary" onClick={() => setDialog('create')}>
      {`+ ${t('customers.organizations.add')}`}
    </Button>
  );

  return (
    <main className="page leads-screen customers-screen" id="main">
      <div className="leads-toolbar">
        <h1 className="page__title">{t('customers.organizations.title')}</h1>
        <CustomerFiltersBar entity="organization" filters={filters} setFilters={setFilters} i18n={i18n} />
        {views?.({ current: viewState, onApply: onApplyView })}
        <div className="toolbar__actions">
          <Button
            busy={exportOrganizations.isPending}
            onClick={() =>
              exportOrganizations.mutate(query, { onError: (error) => toast.error(t('customers.exportFailed', { reason: describeError(error, t) })) })
            }
          >
            {exportOrganizations.isPending ? t('customers.exporting') : t('customers.export')}
          </Button>
          {importAvailable.organization && <Button onClick={() => setDialog('import')}>{t('customers.import.open')}</Button>}
          {create}
        </div>
      </div>
      <ListBody
        group="organizations"
        query={organizations}
        count={organizations.organizations.length}
        filtered={isFiltered('organization', filters)}
        onClear={() => setFilters({ ...defaultCustomerFilters, sort: filters.sort })}
        i18n={i18n}
        action={create}
      >
        <OrganizationsTable organizations={organizations.organizations} i18n={i18n} onTag={onTag} />
      </ListBody>
      {dialog === 'create' && (
        <OrganizationFormDialog
          onClose={() => setDialog(null)}
          onSaved={(organization) => {
            setDialog(null);
            toast.success(t('customers.form.created', { name: organization.name }));
          }}
        />
      )}
      {dialog === 'import' && <CustomerImportDialog entity="organization" onClose={() => setDialog(null)} />}
    </main>
  );
}
