import type { ReactNode } from 'react';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { FormAlert } from '../../../components/field';
import { isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { DocumentLine, InvoiceStatus, Party, QuoteStatus } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import { formatPercent } from '../../../lib/format/rates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { hasDetails } from '../utils/buyer-form';

/** A quote's or an invoice's status as a coloured badge. */
export function StatusBadge({
  kind,
  status,
  i18n,
}: { kind: 'quote'; status: QuoteStatus; i18n: I18n } | { kind: 'invoice'; status: InvoiceStatus; i18n: I18n }) {
  const label = kind === 'quote' ? i18n.t(`documents.quoteStatus.${status}`) : i18n.t(`documents.invoiceStatus.${status}`);
  return (
    <span className={`badge badge--doc-${status}`} data-testid="document-status" data-status={status}>
      {label}
    </span>
  );
}

/** A document number as the server wrote it (`Q-1405-0007`), kept left to right in Persian text. */
export function DocumentNumber({ number }: { number: string }) {
  return (
    <bdi dir="ltr" className="document-number">
      {number}
    </bdi>
  );
}

// Stands for the number in a translated sentence, which is then split around it.
const numberMarker = '\u2063';

/** A sentence naming a document's number ("Quote Q-1405-0007"), the number kept left to right. */
export function Numbered({ text, number }: { text: (number: string) => string; number: string }) {
  const [before = '', after = ''] = text(numberMarker).split(numberMarker);
  return (
    <>
      {before}
      <DocumentNumber number={number} />
      {after}
    </>
  );
}

const partyFields = ['name', 'organization', 'economic_code', 'national_id', 'registration_number', 'postal_code', 'address', 'phone', 'email'] as const;
// Codes, numbers and addresses in Latin script read left to right even in Persian.
const ltrFields = new Set<string>(['economic_code', 'national_id', 'registration_number', 'postal_code', 'phone', 'email']);

/** A buyer's or seller's details, each under its name; `empty` says why there are none. */
export function PartyDetails({
  title,
  party,
  note,
  empty,
  i18n,
  testId,
}: {
  title: string;
  party: Party | null | undefined;
  note?: string;
  empty: string;
  i18n: I18n;
  testId: string;
}) {
  const { t } = i18n;
  return (
    <section className="document-party" aria-label={title} data-testid={testId}>
      <h2 className="document-party__title">{title}</h2>
      {note && <p className="muted document-party__note">{note}</p>}
      {hasDetails(party) ? (
        <dl className="document-party__details">
          {partyFields
            .filter((field) => party?.[field])
            .map((field) => (
              <div key={field} className="document-party__row">
                <dt>{t(`documents.view.party.${field}`)}</dt>
                <dd>
                  {ltrFields.has(field) ? (
                    <bdi dir="ltr">{localizeDigits(party?.[field] ?? '', field === 'email' ? 'en' : i18n.locale)}</bdi>
                  ) : (
                    <bdi>{party?.[field]}</bdi>
                  )}
                </dd>
              </div>
            ))}
        </dl>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}

/** The lines of a document with their figures as the server priced them. */
export function LinesTable({ lines, currency, i18n }: { lines: readonly DocumentLine[]; currency: string; i18n: I18n }) {
  const { t, locale } = i18n;
  const money = (minor: number) => i18n.money(minor, currency);
  return (
    <div className="document-stack">
      <DataTable label={t('documents.view.lines')} testId="document-lines">
        <thead>
          <tr>
            <th scope="col" className="document-lines__index">
              {t('documents.view.line.number')}
            </th>
            <th scope="col">{t('documents.view.line.item')}</th>
            <th scope="col" className="document-numeric">
              {t('documents.view.line.quantity')}
            </th>
            <th scope="col" className="document-numeric">
              {t('documents.view.line.unitPrice')}
            </th>
            <th scope="col" className="document-numeric">
              {t('documents.view.line.discount')}
            </th>
            <th scope="col" className="document-numeric">
              {t('documents.view.line.tax')}
            </th>
            <th scope="col" className="document-numeric">
              {t('documents.view.line.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index} data-testid="document-line">
              <td className="document-lines__index" data-label={t('documents.view.line.number')}>
                {localizeDigits(String(index + 1), locale)}
              </td>
              <th scope="row" dir="auto">
                {line.name}
              </th>
              <td className="document-numeric data-table__nowrap" data-label={t('documents.view.line.quantity')}>
                {localizeDigits(line.quantity, locale).replace('.', locale === 'fa' ? '٫' : '.')}
                {line.unit && <span className="document-lines__note"> {line.unit}</span>}
              </td>
              <td className="document-numeric data-table__nowrap" data-label={t('documents.view.line.unitPrice')}>
                {money(line.unit_price_minor)}
              </td>
              <td className="document-numeric data-table__nowrap" data-label={t('documents.view.line.discount')}>
                {line.discount_bp > 0 ? (
                  <>
                    {money(line.discount_minor)} <span className="document-lines__note">({formatPercent(line.discount_bp, locale)})</span>
                  </>
                ) : (
                  money(0)
                )}
              </td>
              <td className="document-numeric data-table__nowrap" data-label={t('documents.view.line.tax')}>
                {money(line.tax_minor)} <span className="document-lines__note">({formatPercent(line.tax_rate_bp, locale)})</span>
              </td>
              <td className="document-numeric data-table__nowrap" data-label={t('documents.view.line.total')}>
                <strong>{money(line.total_minor)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </div>
  );
}

export interface TotalRow {
  label: string;
  value: string;
  strong?: boolean;
  testId?: string;
}

/** A document's totals, label beside figure. */
export function Totals({ rows, label }: { rows: TotalRow[]; label: string }) {
  return (
    <dl className="document-totals" aria-label={label} data-testid="document-totals">
      {rows.map((row) => (
        <div key={row.label} className={`document-totals__row${row.strong ? ' document-totals__row--strong' : ''}`}>
          <dt>{row.label}</dt>
          <dd data-testid={row.testId}>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Labelled facts (dates, links) of a document's header. */
export function Facts({ items, label }: { items: { label: string; value: ReactNode; testId?: string }[]; label: string }) {
  return (
    <dl className="document-facts" aria-label={label}>
      {items.map((item) => (
        <div key={item.label} className="document-facts__item">
          <dt>{item.label}</dt>
          <dd data-testid={item.testId}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Why an action failed: a stale version (someone changed the document first) offers to show the
 * latest, as the deal drawer does; any other refusal (a 409's code) is said in words.
 */
export function ActionFailure({ error, onReload, i18n }: { error: unknown; onReload: () => void; i18n: I18n }) {
  const { t } = i18n;
  if (error == null) return null;
  if (isApiError(error) && error.isStale) {
    return (
      <FormAlert>
        <span data-testid="document-stale">{t('documents.view.stale')}</span>{' '}
        <Button size="sm" variant="ghost" onClick={onReload}>
          {t('documents.view.reload')}
        </Button>
      </FormAlert>
    );
  }
  return (
    <FormAlert>
      <span data-testid="document-refused">{describeError(error, t)}</span>
    </FormAlert>
  );
}
