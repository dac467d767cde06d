import { useId } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, Invoice, Quote } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDealLines } from '../api/deal';
import { useCreateInvoice, useDealInvoices } from '../api/invoices';
import { useCreateQuote, useDealQuotes } from '../api/quotes';
import { useDocumentDate } from '../hooks/use-document-date';
import { Numbered, StatusBadge } from './document-parts';
import './documents.css';

type Entry = { kind: 'quote'; document: Quote } | { kind: 'invoice'; document: Invoice };

/** Newest first, quotes and invoices together. */
function entriesOf(quotes: readonly Quote[], invoices: readonly Invoice[]): Entry[] {
  const entries: Entry[] = [
    ...quotes.map((document) => ({ kind: 'quote' as const, document })),
    ...invoices.map((document) => ({ kind: 'invoice' as const, document })),
  ];
  return entries.sort((a, b) => b.document.created_at.localeCompare(a.document.created_at));
}

/**
 * The deal drawer's "Quotes and invoices": the deal's documents (each opens its page) and the
 * buttons that make a quote or a draft invoice of its line items, disabled with the reason while
 * it has none.
 */
export function DealDocuments({ deal }: { deal: Deal }) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const reasonId = useId();
  const lines = useDealLines(deal.id);
  const quotes = useDealQuotes(deal.id);
  const invoices = useDealInvoices(deal.id);
  const createQuote = useCreateQuote(deal.id);
  const createInvoice = useCreateInvoice(deal.id);
  const date = useDocumentDate();
  const noLines = lines.data !== undefined && lines.data.data.length === 0;
  const failure = createQuote.error ?? createInvoice.error;

  const makeQuote = () =>
    createQuote.mutate(
      {},
      {
        onSuccess: (quote) => {
          toast.success(t('documents.deal.madeQuote', { number: quote.number }));
          void navigate(paths.quote(quote.id));
        },
      },
    );
  const makeInvoice = () =>
    createInvoice.mutate(
      {},
      {
        onSuccess: (invoice) => {
          toast.success(t('documents.deal.madeInvoice'));
          void navigate(paths.invoice(invoice.id));
        },
      },
    );

  const entries = quotes.data && invoices.data ? entriesOf(quotes.data, invoices.data) : null;
  return (
    <section className="deal-documents" aria-labelledby="deal-documents-title" data-testid="deal-documents">
      <h3 id="deal-documents-title" className="subsection-title">
        {t('documents.deal.title')}
      </h3>
      <div className="deal-documents__actions">
        <Button
          variant="primary"
          busy={createQuote.isPending}
          disabled={lines.data === undefined || noLines}
          aria-describedby={noLines ? reasonId : undefined}
          onClick={makeQuote}
        >
          {t('documents.deal.makeQuote')}
        </Button>
        <Button
          busy={createInvoice.isPending}
          disabled={lines.data === undefined || noLines}
          aria-describedby={noLines ? reasonId : undefined}
          onClick={makeInvoice}
        >
          {t('documents.deal.makeInvoice')}
        </Button>
      </div>
      {noLines && (
        <p id={reasonId} className="muted" data-testid="deal-documents-reason">
          {t('documents.deal.noLines')}
        </p>
      )}
      {failure != null && <FormAlert>{describeError(failure, t)}</FormAlert>}
      {(quotes.isPending || invoices.isPending) && <Skeleton className="skeleton--block" />}
      {(quotes.isError || invoices.isError) && (
        <ErrorState
          title={t('documents.loadFailed')}
          error={quotes.error ?? invoices.error}
          onRetry={() => {
            void quotes.refetch();
            void invoices.refetch();
          }}
        />
      )}
      {entries && entries.length === 0 && <p className="muted">{t('documents.deal.empty')}</p>}
      {entries && entries.length > 0 && (
        <ul className="deal-documents__list" aria-label={t('documents.deal.list')}>
          {entries.map((entry) => (
            <li key={entry.document.id} className="deal-documents__item" data-testid="deal-document" data-kind={entry.kind}>
              <span className="deal-documents__name">
                {entry.kind === 'quote' ? (
                  <Link to={paths.quote(entry.document.id)} className="deal-documents__link">
                    <Numbered text={(number) => t('documents.quoteNumber', { number })} number={entry.document.number} />
                  </Link>
                ) : (
                  <Link to={paths.invoice(entry.document.id)} className="deal-documents__link">
                    {entry.document.number ? (
                      <Numbered text={(number) => t('documents.invoiceNumber', { number })} number={entry.document.number} />
                    ) : (
                      t('documents.draftInvoice')
                    )}
                  </Link>
                )}
                {entry.kind === 'quote' ? (
                  <StatusBadge kind="quote" status={entry.document.status} i18n={i18n} />
                ) : (
                  <StatusBadge kind="invoice" status={entry.document.status} i18n={i18n} />
                )}
              </span>
              <span className="deal-documents__total">{i18n.money(entry.document.total_minor, entry.document.currency)}</span>
              <span className="muted deal-documents__date">
                {date(entry.kind === 'quote' ? entry.document.quote_date : (entry.document.issued_on ?? entry.document.created_at))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
