import { useCallback, useState } from 'react';
import { Button } from '../../../components/button';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useContacts, useExportContacts } from '../api/contacts';
import { importAvailable } from '../api/customer-import';
import { useCustomerFilters } from '../hooks/use-customer-filters';
import { defaultCustomerFilters, isFiltered } from '../utils/list-filters';
import { ContactFormDialog } from './contact-form';
import { ContactsTable } from './contacts-table';
import { CustomerFiltersBar } from './customer-filters-bar';
import { ImportWizardDialog } from './import-wizard';
import { ListBody } from './list-body';
import './customers.css';

/**
 * The contacts: search, filters and sort (in the URL), "load more", the CSV export of what the
 * filters select, the import wizard and the new-contact form. A row opens the contact's page.
 */
export function ContactsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const { filters, query, setFilters } = useCustomerFilters('contact');
  const contacts = useContacts(query);
  const exportContacts = useExportContacts();
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  useDocumentTitle(t('customers.contacts.title'));
  const onTag = useCallback((tag: string) => setFilters({ tag }), [setFilters]);
  const create = (
    <Button variant="primary" onClick={() => setDialog('create')}>
      {`+ ${t('customers.contacts.add')}`}
    </Button>
  );

  return (
    <main className="page leads-screen customers-screen" id="main">
      <div className="leads-toolbar">
        <h1 className="page__title">{t('customers.contacts.title')}</h1>
        <CustomerFiltersBar entity="contact" filters={filters} setFilters={setFilters} i18n={i18n} />
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
      <ListBody
        group="contacts"
        query={contacts}
        count={contacts.contacts.length}
        filtered={isFiltered('contact', filters)}
        onClear={() => setFilters({ ...defaultCustomerFilters, sort: filters.sort })}
        i18n={i18n}
        action={create}
      >
        <ContactsTable contacts={contacts.contacts} i18n={i18n} onTag={onTag} />
      </ListBody>
      {dialog === 'create' && (
        <ContactFormDialog
          onClose={() => setDialog(null)}
          onSaved={(contact) => {
            setDialog(null);
            toast.success(t('customers.form.created', { name: contact.name }));
          }}
        />
      )}
      {dialog === 'import' && <ImportWizardDialog entity="contact" onClose={() => setDialog(null)} />}
    </main>
  );
}
