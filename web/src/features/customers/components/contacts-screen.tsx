import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useContacts, useExportContacts } from '../api/contacts';
import { importAvailable } from '../api/customer-import';
import { useCustomerFilters } from '../hooks/use-customer-filters';
import { customerFiltersFromView, customerViewState, defaultCustomerFilters, isFiltered } from '../utils/list-filters';
import { ContactFormDialog } from './contact-form';
import { ContactsTable, type RowSelection } from './contacts-table';
import { CustomerFiltersBar } from './customer-filters-bar';
import { CustomerImportDialog } from './customer-import-dialog';
import { ListBody } from './list-body';
import './customers.css';

/** What the app's saved-views picker needs of a customer list: its filters as a view holds them, and how to show a view. */
export interface CustomerViewsSlot {
  current: { filters: Record<string, string>; sort: string | null };
  /** Replaces the list's filters and sort with the view's. */
  onApply: (view: { filters: Record<string, unknown>; sort?: string | null }) => void;
}

/** What the app's selection and bulk actions need of the contacts list; it draws the list with the selection. */
export interface ContactSelectionSlot {
  /** The contacts shown, in their order. */
  ids: string[];
  nameOf: (id: string) => string;
  /** The version of a contact the list shows, so a bulk action leaves one changed since as it is. */
  versionOf: (id: string) => number | undefined;
  children: (selection: RowSelection) => ReactNode;
}

export interface ContactsScreenProps {
  /** The saved views of the list, composed by the app. */
  views?: ((slot: CustomerViewsSlot) => ReactNode) | undefined;
  /** Row checkboxes and bulk actions, composed by the app. */
  selection?: ((slot: ContactSelectionSlot) => ReactNode) | undefined;
}

/**
 * The contacts: search, filters and sort (in the URL), "load more", the CSV export of what the
 * filters select, the import wizard and the new-contact form. A row opens the contact's page.
 */
export function ContactsScreen({ views, selection }: ContactsScreenProps = {}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { filters, query, setFilters } = useCustomerFilters('contact');
  const contacts = useContacts(query);
  const exportContacts = useExportContacts();
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  useDocumentTitle(t('customers.contacts.title'));
  const onTag = useCallback((tag: string) => setFilters({ tag }), [setFilters]);
  const viewState = useMemo(() => customerViewState('contact', filters), [filters]);
  const onApplyView = useCallback(
    (view: { filters: Record<string, unknown>; sort?: string | null }) => setFilters(customerFiltersFromView('contact', view)),
    [setFilters],
  );
  const ids = useMemo(() => contacts.contacts.map((contact) => contact.id), [contacts.contacts]);
  const nameOf = useCallback((id: string) => contacts.contacts.find((contact) => contact.id === id)?.name ?? id, [contacts.contacts]);
  const versionOf = useCallback((id: string) => contacts.contacts.find((contact) => contact.id === id)?.version, [contacts.contacts]);
  const create = (
    <Button variant="primary" onClick={() => setDialog('create')}>
      {`+ ${t('customers.contacts.add')}`}
    </Button>
  );

  const list = (rows: RowSelection | undefined) => (
    <ListBody
      group="contacts"
      query={contacts}
      count={contacts.contacts.length}
      filtered={isFiltered('contact', filters)}
      onClear={() => setFilters({ ...defaultCustomerFilters, sort: filters.sort })}
      i18n={i18n}
      action={create}
    >
      <ContactsTable contacts={contacts.contacts} i18n={i18n} onTag={onTag} selection={rows} />
    </ListBody>
  );

  return (
    <main className="page leads-screen customers-screen" id="main">
      <div className="leads-toolbar">
        <h1 className="page__title">{t('customers.contacts.title')}</h1>
        <CustomerFiltersBar entity="contact" filters={filters} setFilters={setFilters} i18n={i18n} />
        {views?.({ current: viewState, onApply: onApplyView })}
        <div className="toolbar__actions">
          <Button
            busy={exportContacts.isPending}
            onClick={() => exportContacts.mutate(query, { onError: (error) => toast.error(t('customers.exportFailed', { reason: describeError(error, t) })) })}
          >
            {exportContacts.isPending ? t('customers.exporting') : t('customers.export')}
          </Button>
          {importAvailable.contact && <Button onClick={() => setDialog('import')}>{t('customers.import.open')}</Button>}
          {create}
        </div>
      </div>
      {/* The selection outlives an empty list, so the summary of an action that emptied it stays. */}
      {selection ? selection({ ids, nameOf, versionOf, children: list }) : list(undefined)}
      {dialog === 'create' && (
        <ContactFormDialog
          onClose={() => setDialog(null)}
          onSaved={(contact) => {
            setDialog(null);
            toast.success(t('customers.form.created', { name: contact.name }));
          }}
        />
      )}
      {dialog === 'import' && <CustomerImportDialog entity="contact" onClose={() => setDialog(null)} />}
    </main>
  );
}
