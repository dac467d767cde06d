import { type KeyboardEvent, type MouseEvent, useId } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { SelectField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import type { InvoiceStatus, QuoteStatus } from '../../../lib/api/types';
import { invoiceStatuses, quoteStatuses } from '../../../lib/api/vocabularies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { useInvoices } from '../api/invoices';
import { useQuotes } from '../api/quotes';
import { useDocumentDate } from '../hooks/use-document-date';
import { type DocumentTab, documentTabs, documentsParams, documentsViewOf } from '../utils/documents-view';
import { DocumentNumber, StatusBadge } from './document-parts';
import './documents.css';

/**
 * Every quote and invoice the user sees, in two tabs (the tab and the status filter in the URL:
 * `?tab=invoices&status=paid`), a page at a time; a row opens its document.
 */
export function DocumentsScreen() {
  const i18n = useI18n();
  const { t, dir } = i18n;
  const [params, setParams] = useUrlParams();
  const view = documentsViewOf(params);
  const baseId = useId();
  useDocumentTitle(t('documents.title'));
  const tabId = (tab: DocumentTab) => `${baseId}-${tab}`;
  const show = (tab: DocumentTab, status: string | null = null) => setParams(() => documentsParams(tab, status), { replace: true });

  // The tabs follow the ARIA pattern: arrows (in the reading direction), Home and End move and select.
  const keyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const at = documentTabs.indexOf(view.tab);
    const forward = dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const next: Record<string, number> = { [forward]: at + 1, [back]: at - 1, Home: 0, End: documentTabs.length - 1 };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = documentTabs[(target + documentTabs.length) % documentTabs.length]!;
    show(tab);
    document.getElementById(tabId(tab))?.focus();
  };

  return (
    <main className="page documents-screen" id="main" data-testid="documents-screen">
      <div className="documents-screen__head">
        <h1 className="page__title">{t('documents.title')}</h1>
        <Link to={paths.documentSettings}>{t('documents.settingsLink')}</Link>
      </div>
      <p className="page__intro">{t('documents.intro')}</p>
      <div className="tabs" role="tablist" aria-label={t('documents.tabs.label')}>
        {documentTabs.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={tabId(tab)}
            className="tabs__tab"
            aria-selected={view.tab === tab}
            aria-controls={`${baseId}-panel`}
            tabIndex={view.tab === tab ? 0 : -1}
            onClick={() => show(tab)}
            onKeyDown={keyDown}
          >
            {t(`documents.tabs.${tab}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={tabId(view.tab)} className="documents-screen__panel">
        {view.tab === 'quotes' ? (
          <QuoteList key="quotes" status={view.quoteStatus} onStatus={(status) => show('quotes', status)} i18n={i18n} />
        ) : (
          <InvoiceList key="invoices" status={view.invoiceStatus} onStatus={(status) => show('invoices', status)} i18n={i18n} />
        )}
      </div>
    </main>
  );
}

/** A click anywhere on a row opens its document, as its number's link does for the keyboard. */
function useRowOpener() {
  const navigate = useNavigate();
  return (to: string) => (event: MouseEvent<HTMLTableRowElement>) => {
    if ((event.target as HTMLElement).closest('a, button')) return;
    void navigate(to);
  };
}

function StatusFilter<S extends string>({
  statuses,
  value,
  onChange,
  labelOf,
  i18n,
}: {
  statuses: readonly S[];
  value: S | null;
  onChange: (status: string | null) => void;
  labelOf: (status: S) => string;
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <SelectField
      className="documents-screen__filter"
      label={t('documents.status')}
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value || null)}
      data-testid="status-filter"
    >
      <option value="">{t('documents.allStatuses')}</option>
      {statuses.map((status) => (
        <option key={status} value={status}>
          {labelOf(status)}
        </option>
      ))}
    </SelectField>
  );
}

function QuoteList({ status, onStatus, i18n }: { status: QuoteStatus | null; onStatus: (status: string | null) => void; i18n: I18n }) {
  const { t } = i18n;
  const quotes = useQuotes(status);
  const date = useDocumentDate();
  const open = useRowOpener();
  const rows = quotes.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <StatusFilter statuses={quoteStatuses} value={status} onChange={onStatus} labelOf={(value) => t(`documents.quoteStatus.${value}`)} i18n={i18n} />
      {quotes.isPending && <Skeleton className="skeleton--block" />}
      {quotes.isError && <ErrorState title={t('documents.loadFailed')} error={quotes.error} onRetry={() => void quotes.refetch()} />}
      {quotes.isSuccess && rows.length === 0 && (
        <EmptyState
          title={status ? t('documents.emptyStatus') : t('documents.emptyQuotes')}
          body={status ? t('documents.emptyStatusBody') : t('documents.emptyQuotesBody')}
        />
      )}
      {rows.length > 0 && (
        <DataTable label={t('documents.tabs.quotes')} testId="quote-table">
          <thead>
            <tr>
              <th scope="col">{t('documents.columns.number')}</th>
              <th scope="col">{t('documents.columns.status')}</th>
              <th scope="col">{t('documents.columns.buyer')}</th>
              <th scope="col" className="document-numeric">
                {t('documents.columns.total')}
              </th>
              <th scope="col">{t('documents.columns.date')}</th>
              <th scope="col">{t('documents.columns.validUntil')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((quote) => (
              <tr key={quote.id} className="documents-screen__row" data-testid="quote-row" onClick={open(paths.quote(quote.id))}>
                <th scope="row" className="data-table__nowrap">
                  <Link to={paths.quote(quote.id)}>
                    <DocumentNumber number={quote.number} />
                  </Link>
                </th>
                <td>
                  <StatusBadge kind="quote" status={quote.status} i18n={i18n} />
                </td>
                <td dir="auto">{quote.buyer.name ?? quote.buyer.organization}</td>
                <td className="document-numeric data-table__nowrap">{i18n.money(quote.total_minor, quote.currency)}</td>
                <td className="data-table__nowrap">{date(quote.quote_date)}</td>
                <td className="data-table__nowrap">{date(quote.valid_until)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {quotes.hasNextPage && (
        <Button busy={quotes.isFetchingNextPage} onClick={() => void quotes.fetchNextPage()}>
          {t('documents.loadMore')}
        </Button>
      )}
    </>
  );
}

function InvoiceList({ status, onStatus, i18n }: { status: InvoiceStatus | null; onStatus: (status: string | null) => void; i18n: I18n }) {
  const { t } = i18n;
  const invoices = useInvoices(status);
  const date = useDocumentDate();
  const open = useRowOpener();
  const rows = invoices.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <StatusFilter statuses={invoiceStatuses} value={status} onChange={onStatus} labelOf={(value) => t(`documents.invoiceStatus.${value}`)} i18n={i18n} />
      {invoices.isPending && <Skeleton className="skeleton--block" />}
      {invoices.isError && <ErrorState title={t('documents.loadFailed')} error={invoices.error} onRetry={() => void invoices.refetch()} />}
      {invoices.isSuccess && rows.length === 0 && (
        <EmptyState
          title={status ? t('documents.emptyStatus') : t('documents.emptyInvoices')}
          body={status ? t('documents.emptyStatusBody') : t('documents.emptyInvoicesBody')}
        />
      )}
      {rows.length > 0 && (
        <DataTable label={t('documents.tabs.invoices')} testId="invoice-table">
          <thead>
            <tr>
              <th scope="col">{t('documents.columns.number')}</th>
              <th scope="col">{t('documents.columns.status')}</th>
              <th scope="col">{t('documents.columns.buyer')}</th>
              <th scope="col" className="document-numeric">
                {t('documents.columns.total')}
              </th>
              <th scope="col" className="document-numeric">
                {t('documents.columns.outstanding')}
              </th>
              <th scope="col">{t('documents.columns.date')}</th>
              <th scope="col">{t('documents.columns.dueOn')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((invoice) => (
              <tr key={invoice.id} className="documents-screen__row" data-testid="invoice-row" onClick={open(paths.invoice(invoice.id))}>
                <th scope="row" className="data-table__nowrap">
                  <Link to={paths.invoice(invoice.id)}>{invoice.number ? <DocumentNumber number={invoice.number} /> : t('documents.draftInvoice')}</Link>
                </th>
                <td>
                  <StatusBadge kind="invoice" status={invoice.status} i18n={i18n} />
                </td>
                <td dir="auto">{invoice.buyer.name ?? invoice.buyer.organization}</td>
                <td className="document-numeric data-table__nowrap">{i18n.money(invoice.total_minor, invoice.currency)}</td>
                <td className="document-numeric data-table__nowrap">{i18n.money(invoice.outstanding_minor, invoice.currency)}</td>
                <td className="data-table__nowrap">{date(invoice.issued_on ?? invoice.created_at)}</td>
                <td className="data-table__nowrap">{date(invoice.due_on)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {invoices.hasNextPage && (
        <Button busy={invoices.isFetchingNextPage} onClick={() => void invoices.fetchNextPage()}>
          {t('documents.loadMore')}
        </Button>
      )}
    </>
  );
}
