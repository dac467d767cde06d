import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorState, Skeleton } from '../../../components/states';
import { errorCode } from '../../../lib/api/api-error';
import type { Pipeline } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { type AttachmentLink, type Customer, type CustomerKind, useContact, useOrganization } from '../api/customer-page';
import { AttachmentsSection } from './attachments-section';
import { CustomerProfile } from './customer-profile';
import { CustomerTimeline } from './customer-timeline';
import { KeyFigures } from './key-figures';
import { NoteBox } from './note-box';
import './customer-page.css';

export interface CustomerPageProps {
  kind: CustomerKind;
  id: string;
  /** The workspace's pipelines, to name the stages a deal moved to. */
  pipelines: Pipeline[];
  /** Buttons beside the customer's name (the app adds "Edit", from the customers feature). */
  profileActions?: ((customer: Customer) => ReactNode) | undefined;
  /** Sections the app adds to the page's main column (an organization's people). */
  extraSections?: ((customer: Customer) => ReactNode) | undefined;
}

/**
 * A contact's or an organization's page: the profile at the inline start (the right in Persian),
 * and beside it the key figures, a note and files, and the timeline of everything about them.
 */
export function CustomerPage({ kind, id, pipelines, profileActions, extraSections }: CustomerPageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const contact = useContact(id, kind === 'contact');
  const organization = useOrganization(id, kind === 'organization');
  const query = kind === 'contact' ? contact : organization;
  const customer: Customer | null =
    kind === 'contact' ? (contact.data ? { kind, record: contact.data } : null) : organization.data ? { kind, record: organization.data } : null;
  useDocumentTitle(customer?.record.name);

  if (query.isPending) {
    return (
      <main className="page customer-page" id="main" aria-busy="true">
        <span className="visually-hidden">{t('common.loading')}</span>
        <Skeleton className="skeleton--title" />
        <Skeleton className="skeleton--block" />
      </main>
    );
  }
  if (!customer) {
    const missing = errorCode(query.error) === 'not_found';
    return (
      <main className="page page--narrow" id="main">
        <ErrorState
          title={t(missing ? 'customerPage.notFound' : 'customerPage.loadFailed')}
          error={query.error}
          onRetry={missing ? undefined : () => void query.refetch()}
          action={
            missing ? (
              <Link className="button button--primary" to={paths.home}>
                {t('notFound.action')}
              </Link>
            ) : undefined
          }
        />
      </main>
    );
  }

  const link: AttachmentLink = kind === 'contact' ? { contact_id: id } : { organization_id: id };
  // What the app adds sits in a panel like the page's own sections; nothing added, no panel.
  const extra = extraSections?.(customer);
  return (
    <main className="page customer-page" id="main" data-testid="customer-page" data-kind={kind}>
      <div className="customer-page__layout">
        <CustomerProfile customer={customer} i18n={i18n} actions={profileActions?.(customer)} />
        <div className="customer-page__main">
          <KeyFigures kind={kind} id={id} i18n={i18n} />
          <section className="customer-panel customer-page__add" aria-label={t('customerPage.add.title')}>
            <NoteBox link={link} i18n={i18n} />
            <AttachmentsSection link={link} />
          </section>
          {extra && <div className="customer-panel customer-page__extra">{extra}</div>}
          <CustomerTimeline kind={kind} id={id} pipelines={pipelines} i18n={i18n} />
        </div>
      </div>
    </main>
  );
}
