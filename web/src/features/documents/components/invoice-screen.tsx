import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { ConfirmDeleteDialog } from '../../../components/confirm-delete-dialog';
import { DataTable } from '../../../components/data-table';
import { Dialog } from '../../../components/dialog';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import type { Invoice } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useDocumentDeal } from '../api/deal';
import { useDocumentSettings } from '../api/document-settings';
import { useDeleteInvoice, useInvoice, useVoidInvoice } from '../api/invoices';
import { useQuote } from '../api/quotes';
import { useDocumentDate } from '../hooks/use-document-date';
import { invoiceActions } from '../utils/document-actions';
import { paymentMethodLabel } from '../utils/payment-method';
import { ActionFailure, Facts, LinesTable, Numbered, PartyDetails, StatusBadge, Totals } from './document-parts';
import { IssueInvoiceDialog } from './issue-invoice-dialog';
import { PaymentDialog } from './payment-dialog';
import { PdfActions } from './pdf-actions';
import './documents.css';

const invoicesList = `${paths.documents}?tab=invoices`;

/** An invoice's page: its header, parties, lines, totals with what is paid and owed, payments, and what its status allows. */
export function InvoiceScreen({ invoiceId }: { invoiceId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const invoice = useInvoice(invoiceId);
  const title = invoice.data?.number
    ? t('documents.invoiceNumber', { number: invoice.data.number })
    : invoice.data
      ? t('documents.draftInvoice')
      : t('documents.title');
  useDocumentTitle(title);
  return (
    <main className="page page--narrow document-page" id="main" data-testid="invoice-screen">
      <Link className="back-link" to={invoicesList}>
        {t('documents.view.backToInvoices')}
      </Link>
      {invoice.isPending && <Skeleton className="skeleton--block" />}
      {invoice.isError && <ErrorState title={t('documents.view.loadFailed')} error={invoice.error} onRetry={() => void invoice.refetch()} />}
      {invoice.data && <InvoiceDocument invoice={invoice.data} i18n={i18n} reload={() => void invoice.refetch()} />}
    </main>
  );
}

type Opened = 'issue' | 'pay' | 'void' | 'delete' | null;

function InvoiceDocument({ invoice, i18n, reload }: { invoice: Invoice; i18n: I18n; reload: () => void }) {
  const { t } = i18n;
  const navigate = useNavigate();
  const date = useDocumentDate();
  const deal = useDocumentDeal(invoice.deal_id);
  const settings = useDocumentSettings();
  const quote = useQuote(invoice.quote_id ?? null);
  const voiding = useVoidInvoice();
  const removing = useDeleteInvoice();
  const [opened, setOpened] = useState<Opened>(null);
  const actions = invoiceActions(invoice);
  const money = (minor: number) => i18n.money(minor, invoice.currency);
  // A draft shows the seller the settings hold now, which issuing copies onto it.
  const seller = invoice.status === 'draft' ? settings.data?.seller : invoice.seller;
  const reloadAll = () => {
    setOpened(null);
    voiding.reset();
    reload();
  };

  return (
    <article className="document-sheet" data-testid="document-sheet" data-status={invoice.status}>
      <header className="document-head">
        <div className="document-head__title">
          <h1 className="page__title" data-testid="document-title">
            {invoice.number ? <Numbered text={(number) => t('documents.invoiceNumber', { number })} number={invoice.number} /> : t('documents.draftInvoice')}
          </h1>
          <StatusBadge kind="invoice" status={invoice.status} i18n={i18n} />
        </div>
        {deal.data && (
          <Link className="document-head__deal" to={paths.deal(deal.data.pipeline_id, deal.data.id)}>
            {t('documents.view.deal', { title: deal.data.title })}
          </Link>
        )}
        {invoice.quote_id && quote.data && (
          <Link className="document-head__deal" to={paths.quote(quote.data.id)}>
            {t('documents.view.fromQuote', { number: quote.data.number })}
          </Link>
        )}
      </header>

      <Facts
        label={t('documents.view.details')}
        items={[
          invoice.issued_on
            ? { label: t('documents.view.issuedOn'), value: date(invoice.issued_on), testId: 'document-date' }
            : { label: t('documents.view.madeOn'), value: date(invoice.created_at), testId: 'document-date' },
          ...(invoice.due_on ? [{ label: t('documents.view.dueOn'), value: date(invoice.due_on), testId: 'document-due' }] : []),
          ...(invoice.voided_at ? [{ label: t('documents.view.voidedAt'), value: date(invoice.voided_at) }] : []),
        ]}
      />

      {actions.length > 0 && (
        <div className="document-actions" role="group" aria-label={t('documents.view.actions')} data-testid="document-actions">
          {actions.includes('issue') && (
            <Button variant="primary" onClick={() => setOpened('issue')}>
              {t('documents.actions.issue')}
            </Button>
          )}
          {actions.includes('pay') && (
            <Button variant="primary" onClick={() => setOpened('pay')}>
              {t('documents.actions.pay')}
            </Button>
          )}
          {actions.includes('void') && (
            <Button variant="danger" onClick={() => setOpened('void')}>
              {t('documents.actions.void')}
            </Button>
          )}
          {actions.includes('delete') && (
            <Button variant="danger" onClick={() => setOpened('delete')}>
              {t('documents.actions.delete')}
            </Button>
          )}
        </div>
      )}

      <PdfActions document={{ kind: 'invoice', id: invoice.id, number: invoice.number ?? null }} i18n={i18n} />

      <div className="document-parties">
        <PartyDetails title={t('documents.view.buyer')} party={invoice.buyer} empty={t('documents.view.noDetails')} i18n={i18n} testId="document-buyer" />
        <PartyDetails
          title={t('documents.view.seller')}
          party={seller}
          note={invoice.status === 'draft' ? t('documents.view.sellerNow') : undefined}
          empty={t('documents.view.sellerMissing')}
          i18n={i18n}
          testId="document-seller"
        />
      </div>

      <section className="document-section" aria-labelledby="document-lines-title">
        <h2 id="document-lines-title" className="section-title">
          {t('documents.view.lines')}
        </h2>
        <LinesTable lines={invoice.lines} currency={invoice.currency} i18n={i18n} />
        <Totals
          label={t('documents.view.totals')}
          rows={[
            { label: t('documents.view.subtotal'), value: money(invoice.subtotal_minor) },
            { label: t('documents.view.discount'), value: money(invoice.discount_minor) },
            { label: t('documents.view.tax'), value: money(invoice.tax_minor) },
            { label: t('documents.view.total'), value: money(invoice.total_minor), strong: true, testId: 'document-total' },
            { label: t('documents.view.paid'), value: money(invoice.paid_minor), testId: 'document-paid' },
            { label: t('documents.view.outstanding'), value: money(invoice.outstanding_minor), strong: true, testId: 'document-outstanding' },
          ]}
        />
      </section>

      {invoice.status !== 'draft' && (
        <section className="document-section" aria-labelledby="document-payments-title" data-testid="document-payments">
          <h2 id="document-payments-title" className="section-title">
            {t('documents.view.payments')}
          </h2>
          {invoice.payments.length === 0 ? (
            <p className="muted">{t('documents.view.noPayments')}</p>
          ) : (
            <div className="document-stack">
              <DataTable label={t('documents.view.payments')} testId="payment-table">
                <thead>
                  <tr>
                    <th scope="col">{t('documents.view.paymentDate')}</th>
                    <th scope="col">{t('documents.view.paymentMethod')}</th>
                    <th scope="col">{t('documents.view.paymentReference')}</th>
                    <th scope="col" className="document-numeric">
                      {t('documents.view.paymentAmount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invoice.payments.map((payment) => (
                    <tr key={payment.id} data-testid="payment-row">
                      <td className="data-table__nowrap" data-label={t('documents.view.paymentDate')}>
                        {date(payment.paid_at)}
                      </td>
                      <td data-label={t('documents.view.paymentMethod')}>{paymentMethodLabel(payment.method, t)}</td>
                      <td dir="auto" data-label={t('documents.view.paymentReference')}>
                        {payment.reference}
                      </td>
                      <td className="document-numeric data-table__nowrap" data-label={t('documents.view.paymentAmount')}>
                        {money(payment.amount_minor)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </div>
          )}
        </section>
      )}

      {invoice.notes && (
        <section className="document-section" aria-labelledby="document-notes-title">
          <h2 id="document-notes-title" className="section-title">
            {t('documents.view.notes')}
          </h2>
          <p className="document-notes" dir="auto">
            {invoice.notes}
          </p>
        </section>
      )}

      {opened === 'issue' && (
        <IssueInvoiceDialog
          invoice={invoice}
          dueDays={settings.data?.invoice_due_days}
          i18n={i18n}
          onClose={() => setOpened(null)}
          onReload={reloadAll}
          onIssued={(issued) => {
            setOpened(null);
            toast.success(t('documents.actions.done.issue', { number: issued.number ?? '' }));
          }}
        />
      )}
      {opened === 'pay' && <PaymentDialog invoice={invoice} i18n={i18n} onClose={() => setOpened(null)} onReload={reloadAll} />}
      {opened === 'void' && (
        <Dialog title={t('documents.void.title', { number: invoice.number ?? '' })} onClose={() => setOpened(null)}>
          <p>{t('documents.void.body')}</p>
          <ActionFailure error={voiding.error} onReload={reloadAll} i18n={i18n} />
          <div className="form__actions">
            <Button onClick={() => setOpened(null)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={voiding.isPending}
              onClick={() =>
                voiding.mutate(invoice, {
                  onSuccess: (voided) => {
                    setOpened(null);
                    toast.success(t('documents.actions.done.void', { number: voided.number ?? '' }));
                  },
                })
              }
            >
              {t('documents.void.confirm')}
            </Button>
          </div>
        </Dialog>
      )}
      {opened === 'delete' && (
        <ConfirmDeleteDialog
          title={t('documents.delete.title')}
          body={t('documents.delete.body')}
          error={removing.error}
          busy={removing.isPending}
          t={t}
          onClose={() => {
            removing.reset();
            setOpened(null);
          }}
          onDelete={() =>
            removing.mutate(invoice, {
              onSuccess: () => {
                toast.success(t('documents.actions.done.delete'));
                void navigate(invoicesList, { replace: true });
              },
            })
          }
        />
      )}
    </article>
  );
}
