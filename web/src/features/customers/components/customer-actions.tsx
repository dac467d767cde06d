import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDeleteContact } from '../api/contacts';
import { useDeleteOrganization } from '../api/organizations';
import type { Contact, Organization } from '../utils/customer-form';
import { ContactFormDialog } from './contact-form';
import { OrganizationFormDialog } from './organization-form';
import './customers.css';

/** A contact or an organization, as a customer's page shows it. */
export type CustomerRecord = { kind: 'contact'; record: Contact } | { kind: 'organization'; record: Organization };

/**
 * "Edit" and "Delete" for a customer's page. The form saves into the cached record the page
 * reads (['contact', id] or ['organization', id]), so the page shows the new values at once; a
 * delete is confirmed first, then the page gives way to the list.
 */
export function CustomerRecordActions({ customer }: { customer: CustomerRecord }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);
  const close = () => setOpen(null);
  const saved = (record: { name: string }) => {
    close();
    toast.success(t('customers.record.saved', { name: record.name }));
  };
  return (
    <>
      <Button size="sm" onClick={() => setOpen('edit')}>
        {t('customers.record.edit')}
      </Button>
      <Button size="sm" variant="ghost" className="customers-record__delete" onClick={() => setOpen('delete')}>
        {t('customers.record.delete')}
      </Button>
      {open === 'edit' &&
        (customer.kind === 'contact' ? (
          <ContactFormDialog contact={customer.record} onClose={close} onSaved={saved} />
        ) : (
          <OrganizationFormDialog organization={customer.record} onClose={close} onSaved={saved} />
        ))}
      {open === 'delete' && <DeleteCustomerDialog customer={customer} onClose={close} />}
    </>
  );
}

function DeleteCustomerDialog({ customer, onClose }: { customer: CustomerRecord; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const deleteContact = useDeleteContact();
  const deleteOrganization = useDeleteOrganization();
  const mutation = customer.kind === 'contact' ? deleteContact : deleteOrganization;
  const { name } = customer.record;
  const onSuccess = () => {
    toast.success(t('customers.record.deleted', { name }));
    // The page of a record that is gone has nothing to go back to.
    void navigate(customer.kind === 'contact' ? paths.contacts : paths.organizations, { replace: true });
  };
  const confirm = () => {
    if (customer.kind === 'contact') deleteContact.mutate(customer.record, { onSuccess });
    else deleteOrganization.mutate(customer.record, { onSuccess });
  };
  const stale = isApiError(mutation.error) && mutation.error.isStale;
  return (
    <Dialog title={t('customers.record.deleteTitle', { name })} onClose={onClose}>
      <div className="form" data-testid="delete-customer">
        {mutation.error && <FormAlert>{stale ? t('customers.record.deleteStale') : describeError(mutation.error, t)}</FormAlert>}
        <p>{t(customer.kind === 'contact' ? 'customers.record.deleteContactBody' : 'customers.record.deleteOrganizationBody')}</p>
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="danger" busy={mutation.isPending} onClick={confirm}>
            {mutation.isPending ? t('common.deleting') : t('customers.record.deleteConfirm')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
