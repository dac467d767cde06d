import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import type { Quote } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useDocumentDeal } from '../api/deal';
import { useDocumentSettings } from '../api/document-settings';
import { useDealInvoices } from '../api/invoices';
import { type QuoteAnswer, useAnswerQuote, useDealQuotes, useInvoiceQuote, useQuote } from '../api/quotes';
import { useDocumentDate } from '../hooks/use-document-date';
import { quoteActions, replacementOf } from '../utils/document-actions';
import { ActionFailure, Facts, LinesTable, Numbered, PartyDetails, StatusBadge, Totals } from './document-parts';
import { PdfActions } from './pdf-actions';
import { ReviseQuoteDialog } from './revise-quote-dialog';
import './documents.css';

/** A quote's page: its header, parties, lines and totals, and what its status allows. */
export function QuoteScreen({ quoteId }: { quoteId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const quote = useQuote(quoteId);
  useDocumentTitle(quote.data ? t('documents.quoteNumber', { number: quote.data.number }) : t('documents.title'));
  return (
    <main className="page page--narrow document-page" id="main" data-testid="quote-screen">
      <Link className="back-link" to={paths.documents}>
        {t('documents.view.backToQuotes')}
      </Link>
      {quote.isPending && <Skeleton className="skeleton--block" />}
      {quote.isError && <ErrorState title={t('documents.view.loadFailed')} error={quote.error} onRetry={() => void quote.refetch()} />}
      {quote.data && <QuoteDocument quote={quote.data} i18n={i18n} reload={() => void quote.refetch()} />}
    </main>
  );
}

function QuoteDocument({ quote, i18n, reload }: { quote: Quote; i18n: I18n; reload: () => void }) {
  const { t } = i18n;
  const navigate = useNavigate();
  const date = useDocumentDate();
  const deal = useDocumentDeal(quote.deal_id);
  const settings = useDocumentSettings();
  const dealQuotes = useDealQuotes(quote.deal_id);
  const dealInvoices = useDealInvoices(quote.deal_id);
  const answer = useAnswerQuote();
  const invoice = useInvoiceQuote();
  const [revising, setRevising] = useState(false);
  const billedBy = dealInvoices.data?.find((candidate) => candidate.quote_id === quote.id && candidate.status !== 'void');
  const replacement = replacementOf(quote, dealQuotes.data ?? []);
  const actions = quoteActions(quote, billedBy !== undefined);
  const busy = answer.isPending || invoice.isPending;
  const money = (minor: number) => i18n.money(minor, quote.currency);

  const act = (action: QuoteAnswer) => {
    invoice.reset();
    answer.mutate({ quote, action }, { onSuccess: (next) => toast.success(t(`documents.actions.done.${action}`, { number: next.number })) });
  };
  const makeInvoice = () => {
    answer.reset();
    invoice.mutate(
      { quote },
      {
        onSuccess: (made) => {
          toast.success(t('documents.actions.done.invoice', { number: quote.number }));
          void navigate(paths.invoice(made.id));
        },
      },
    );
  };
  const reloadAll = () => {
    answer.reset();
    invoice.reset();
    reload();
  };

  return (
    <article className="document-sheet" data-testid="document-sheet" data-status={quote.status}>
      <header className="document-head">
        <div className="document-head__title">
          <h1 className="page__title" data-testid="document-title">
            <Numbered text={(number) => t('documents.quoteNumber', { number })} number={quote.number} />
          </h1>
          <StatusBadge kind="quote" status={quote.status} i18n={i18n} />
          {quote.revision > 1 && <span className="badge">{t('documents.view.revision', { revision: i18n.number(quote.revision) })}</span>}
        </div>
        {deal.data && (
          <Link className="document-head__deal" to={paths.deal(deal.data.pipeline_id, deal.data.id)}>
            {t('documents.view.deal', { title: deal.data.title })}
          </Link>
        )}
      </header>

      <Facts
        label={t('documents.view.details')}
        items={[
          { label: t('documents.view.quoteDate'), value: date(quote.quote_date), testId: 'document-date' },
          { label: t('documents.view.validUntil'), value: date(quote.valid_until), testId: 'document-valid-until' },
          ...(quote.sent_at ? [{ label: t('documents.view.sentAt'), value: date(quote.sent_at) }] : []),
          ...(quote.answered_at ? [{ label: t('documents.view.answeredAt'), value: date(quote.answered_at) }] : []),
        ]}
      />

      <div className="document-actions" role="group" aria-label={t('documents.view.actions')} data-testid="document-actions">
        {actions.includes('send') && (
          <Button variant="primary" busy={busy} onClick={() => act('send')}>
            {t('documents.actions.send')}
          </Button>
        )}
        {actions.includes('accept') && (
          <Button variant="primary" className="button--won" busy={busy} onClick={() => act('accept')}>
            {t('documents.actions.accept')}
          </Button>
        )}
        {actions.includes('reject') && (
          <Button variant="danger" busy={busy} onClick={() => act('reject')}>
            {t('documents.actions.reject')}
          </Button>
        )}
        {actions.includes('invoice') && (
          <Button variant="primary" busy={busy} onClick={makeInvoice}>
            {t('documents.actions.invoice')}
          </Button>
        )}
        {actions.includes('revise') && <Button onClick={() => setRevising(true)}>{t('documents.actions.revise')}</Button>}
        {billedBy && (
          <Link className="button button--secondary" to={paths.invoice(billedBy.id)}>
            {billedBy.number ? t('documents.actions.openInvoice', { number: billedBy.number }) : t('documents.draftInvoice')}
          </Link>
        )}
        {replacement && (
          <Link className="button button--secondary" to={paths.quote(replacement.id)} data-testid="open-revision">
            {t('documents.actions.openRevision')}
          </Link>
        )}
      </div>
      <ActionFailure error={answer.error ?? invoice.error} onReload={reloadAll} i18n={i18n} />
      <PdfActions document={{ kind: 'quote', id: quote.id, number: quote.number }} i18n={i18n} />
      {replacement && <p className="muted">{t('documents.view.replacedBy', { revision: i18n.number(replacement.revision), number: replacement.number })}</p>}

      <div className="document-parties">
        <PartyDetails title={t('documents.view.buyer')} party={quote.buyer} empty={t('documents.view.noDetails')} i18n={i18n} testId="document-buyer" />
        <PartyDetails
          title={t('documents.view.seller')}
          party={settings.data?.seller}
          empty={t('documents.view.sellerMissing')}
          i18n={i18n}
          testId="document-seller"
        />
      </div>

      <section className="document-section" aria-labelledby="document-lines-title">
        <h2 id="document-lines-title" className="section-title">
          {t('documents.view.lines')}
        </h2>
        <LinesTable lines={quote.lines} currency={quote.currency} i18n={i18n} />
        <Totals
          label={t('documents.view.totals')}
          rows={[
            { label: t('documents.view.subtotal'), value: money(quote.subtotal_minor) },
            { label: t('documents.view.discount'), value: money(quote.discount_minor) },
            { label: t('documents.view.tax'), value: money(quote.tax_minor) },
            { label: t('documents.view.total'), value: money(quote.total_minor), strong: true, testId: 'document-total' },
          ]}
        />
      </section>

      {quote.notes && (
        <section className="document-section" aria-labelledby="document-notes-title">
          <h2 id="document-notes-title" className="section-title">
            {t('documents.view.notes')}
          </h2>
          <p className="document-notes" dir="auto">
            {quote.notes}
          </p>
        </section>
      )}

      {revising && (
        <ReviseQuoteDialog
          quote={quote}
          validityDays={settings.data?.quote_validity_days}
          i18n={i18n}
          onClose={() => setRevising(false)}
          onReload={() => {
            setRevising(false);
            reloadAll();
          }}
          onRevised={(revision) => {
            setRevising(false);
            toast.success(t('documents.actions.done.revise', { revision: i18n.number(revision.revision), number: quote.number }));
            void navigate(paths.quote(revision.id));
          }}
        />
      )}
    </article>
  );
}
