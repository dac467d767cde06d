import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useContacts } from '../api/contacts';
import { ContactFormDialog } from './contact-form';
import './customers.css';

export interface OrganizationPeopleProps {
  organizationId: string;
}

/**
 * The people of an organization (its contacts, by name), each linked to the contact's page, with
 * "add person", which opens the contact form with the organization chosen.
 */
export function OrganizationPeople({ organizationId }: OrganizationPeopleProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const people = useContacts({ organization_id: organizationId, sort: 'name' });
  const [adding, setAdding] = useState(false);

  return (
    <section className="organization-people" aria-labelledby="organization-people-title" data-testid="organization-people">
      <header className="organization-people__header">
        <h2 id="organization-people-title" className="organization-people__title">
          {t('customers.people.title')}
        </h2>
        <Button size="sm" onClick={() => setAdding(true)}>
          {`+ ${t('customers.people.add')}`}
        </Button>
      </header>
      {people.isPending && <Skeleton className="skeleton--block" />}
      {people.isError && people.contacts.length === 0 && (
        <ErrorState title={t('customers.people.loadFailed')} error={people.error} onRetry={() => void people.refetch()} />
      )}
      {people.isSuccess && people.contacts.length === 0 && <EmptyState title={t('customers.people.empty')} />}
      {people.contacts.length > 0 && (
        <ul className="organization-people__list">
          {people.contacts.map((contact) => (
            <li key={contact.id} data-testid="organization-person">
              <Link to={paths.contact(contact.id)} dir="auto">
                {contact.name}
              </Link>
              {contact.job_title && (
                <span className="muted" dir="auto">
                  {contact.job_title}
                </span>
              )}
              {(contact.email ?? contact.phone) && (
                <span className="muted" dir="ltr">
                  {contact.email ?? (contact.phone && localizeDigits(contact.phone, i18n.locale))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {people.hasNextPage && (
        <Button size="sm" onClick={() => void people.fetchNextPage()} busy={people.isFetchingNextPage}>
          {people.isFetchingNextPage ? t('customers.loadingMore') : t('customers.loadMore')}
        </Button>
      )}
      {adding && (
        <ContactFormDialog
          organizationId={organizationId}
          onClose={() => setAdding(false)}
          onSaved={(contact) => {
            setAdding(false);
            toast.success(t('customers.form.created', { name: contact.name }));
          }}
        />
      )}
    </section>
  );
}
