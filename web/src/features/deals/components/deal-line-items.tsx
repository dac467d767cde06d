import { type FormEvent, useEffect, useState } from 'react';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, LineItemInput, LineItems } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import { parseMoneyInput } from '../../../lib/format/money';
import { parsePercent, parseQuantity, percentInput } from '../../../lib/format/rates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useUpdateDeal } from '../api/deals';
import { useActiveProducts, useLineItems, useSaveLineItems } from '../api/line-items';
import './deal-line-items.css';

/** One line as the form holds it: what the user typed, in their digits. */
type Row = { key: string; productId: string | null; name: string; quantity: string; price: string; discount: string; tax: string };

function rowsOf(lines: LineItems, i18n: I18n): Row[] {
  return lines.data.map((line) => ({
    key: line.id,
    productId: line.product_id ?? null,
    name: line.name,
    quantity: localizeDigits(line.quantity, i18n.locale).replace('.', i18n.locale === 'fa' ? '٫' : '.'),
    price: i18n.moneyInput(line.unit_price_minor, lines.totals.currency),
    discount: percentInput(line.discount_bp, i18n.locale),
    tax: percentInput(line.tax_rate_bp, i18n.locale),
  }));
}

let nextKey = 0;

/**
 * A deal's line items: products of the catalogue or free lines, with quantity, discount and tax,
 * each line's total and the deal's totals as the server priced them, and whether the deal's
 * amount follows them.
 */
export function DealLineItems({ deal, i18n }: { deal: Deal; i18n: I18n }) {
  const { t } = i18n;
  const lines = useLineItems(deal.id);
  return (
    <section className="deal-lines" aria-labelledby="deal-lines-title" data-testid="deal-line-items">
      <h3 id="deal-lines-title" className="subsection-title">
        {t('lineItems.title')}
      </h3>
      {lines.isPending && <Skeleton className="skeleton--block" />}
      {lines.isError && <ErrorState title={describeError(lines.error, t)} error={lines.error} onRetry={() => void lines.refetch()} />}
      {lines.data && (
        <LineItemsForm
          key={`${lines.data.version}-${i18n.locale}-${i18n.irrUnit}`}
          deal={deal}
          saved={lines.data}
          i18n={i18n}
          reload={() => void lines.refetch()}
        />
      )}
    </section>
  );
}

function LineItemsForm({ deal, saved, i18n, reload }: { deal: Deal; saved: LineItems; i18n: I18n; reload: () => void }) {
  const { t } = i18n;
  const currency = saved.totals.currency;
  const { products } = useActiveProducts();
  const save = useSaveLineItems(deal.id, deal.pipeline_id);
  const follow = useUpdateDeal();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(saved, i18n));
  const [dirty, setDirty] = useState(false);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  useEffect(() => setFormErrors({}), [saved.version]);
  const offered = products.filter((product) => product.currency === currency);
  const serverErrors = localizedFieldErrors(save.error, t);
  const errorOf = (index: number, field: string) => formErrors[`items.${index}.${field}`] ?? serverErrors[`items.${index}.${field}`];

  const change = (rows: Row[]) => {
    setRows(rows);
    setDirty(true);
  };
  const edit = (index: number, patch: Partial<Row>) => change(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const addProduct = (productId: string) => {
    const product = offered.find((candidate) => candidate.id === productId);
    if (!product) return;
    const row: Row = {
      key: `new-${(nextKey += 1)}`,
      productId: product.id,
      name: product.name,
      quantity: localizeDigits('1', i18n.locale),
      price: i18n.moneyInput(product.unit_price_minor, product.currency),
      discount: '',
      tax: percentInput(product.tax_rate_bp, i18n.locale),
    };
    change([...rows, row]);
  };
  const addFree = () =>
    change([
      ...rows,
      { key: `new-${(nextKey += 1)}`, productId: null, name: '', quantity: localizeDigits('1', i18n.locale), price: '', discount: '', tax: '' },
    ]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const items: LineItemInput[] = rows.map((row, index) => {
      const quantity = parseQuantity(row.quantity);
      const price = parseMoneyInput(row.price, currency, i18n.irrUnit);
      const discount = parsePercent(row.discount);
      const tax = parsePercent(row.tax);
      if (!row.name.trim()) problems[`items.${index}.name`] = t('lineItems.errors.name');
      if (quantity === null) problems[`items.${index}.quantity`] = t('lineItems.errors.quantity');
      if (price === null) problems[`items.${index}.unit_price_minor`] = t('lineItems.errors.price');
      if (discount === null) problems[`items.${index}.discount_bp`] = t('lineItems.errors.percent');
      if (tax === null) problems[`items.${index}.tax_rate_bp`] = t('lineItems.errors.percent');
      return {
        ...(row.productId ? { product_id: row.productId } : {}),
        name: row.name,
        quantity: quantity ?? '',
        unit_price_minor: price ?? 0,
        discount_bp: discount ?? 0,
        tax_rate_bp: tax ?? 0,
      };
    });
    setFormErrors(problems);
    if (Object.keys(problems).length > 0) return;
    save.mutate(
      { version: saved.version, items },
      { onSuccess: () => toast.success(t('lineItems.saved')), onError: (error) => toast.error(describeError(error, t)) },
    );
  };

  const toggleFollow = (on: boolean) =>
    follow.mutate(
      { deal, changes: { amount_from_lines: on } },
      {
        onSuccess: () => {
          // The deal's version moved on: the lines are saved at the new one.
          reload();
          toast.success(t(on ? 'lineItems.followSaved' : 'lineItems.freeSaved'));
        },
        onError: (error) => toast.error(describeError(error, t)),
      },
    );

  const money = (minor: number) => i18n.money(minor, currency);
  return (
    <form className="form deal-lines__form" onSubmit={submit} noValidate data-testid="line-items-form">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={deal.amount_from_lines ?? false}
          disabled={follow.isPending}
          onChange={(event) => toggleFollow(event.target.checked)}
          data-testid="amount-follows-lines"
        />
        <span>{t('lineItems.follow')}</span>
      </label>
      <p className="muted">{t('lineItems.followHint')}</p>
      {save.error && Object.keys(serverErrors).length === 0 && <FormAlert>{describeError(save.error, t)}</FormAlert>}
      {rows.length === 0 && <p className="muted">{t('lineItems.empty')}</p>}
      <ol className="deal-lines__list">
        {rows.map((row, index) => {
          const line = !dirty ? saved.data[index] : undefined;
          const number = localizeDigits(String(index + 1), i18n.locale);
          return (
            <li key={row.key} className="deal-lines__row" data-testid="line-item">
              <fieldset className="deal-lines__fields">
                <legend>{t('lineItems.line', { number })}</legend>
                <TextField
                  className="deal-lines__name"
                  label={row.productId ? t('lineItems.product') : t('lineItems.name')}
                  value={row.name}
                  onChange={(event) => edit(index, { name: event.target.value })}
                  error={errorOf(index, 'name') ?? errorOf(index, 'product_id')}
                />
                <TextField
                  label={t('lineItems.quantity')}
                  inputMode="decimal"
                  dir="ltr"
                  value={row.quantity}
                  onChange={(event) => edit(index, { quantity: event.target.value })}
                  error={errorOf(index, 'quantity')}
                />
                <AmountField
                  label={t('lineItems.unitPrice', { unit: i18n.moneyUnit(currency) })}
                  value={row.price}
                  onChange={(price) => edit(index, { price })}
                  error={errorOf(index, 'unit_price_minor')}
                />
                <TextField
                  label={t('lineItems.discount')}
                  inputMode="decimal"
                  dir="ltr"
                  value={row.discount}
                  onChange={(event) => edit(index, { discount: event.target.value })}
                  error={errorOf(index, 'discount_bp')}
                />
                <TextField
                  label={t('lineItems.tax')}
                  inputMode="decimal"
                  dir="ltr"
                  value={row.tax}
                  onChange={(event) => edit(index, { tax: event.target.value })}
                  error={errorOf(index, 'tax_rate_bp')}
                />
              </fieldset>
              <div className="deal-lines__end">
                {line && (
                  <p className="deal-lines__total" data-testid="line-total">
                    {t('lineItems.lineTotal')}: <strong>{money(line.total_minor)}</strong>
                  </p>
                )}
                <Button size="sm" variant="ghost" onClick={() => change(rows.filter((_, at) => at !== index))}>
                  {t('lineItems.remove', { number })}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="deal-lines__add">
        <SelectField label={t('lineItems.addProduct')} value="" onChange={(event) => addProduct(event.target.value)} data-testid="add-product">
          <option value="">{t('lineItems.choose')}</option>
          {offered.map((product) => (
            <option key={product.id} value={product.id}>
              {product.name} — {i18n.money(product.unit_price_minor, product.currency)}
            </option>
          ))}
        </SelectField>
        <Button onClick={addFree}>{t('lineItems.addFreeLine')}</Button>
      </div>
      {!dirty && saved.data.length > 0 && (
        <dl className="deal-lines__totals" data-testid="line-totals">
          <dt>{t('lineItems.subtotal')}</dt>
          <dd>{money(saved.totals.subtotal_minor)}</dd>
          <dt>{t('lineItems.discountTotal')}</dt>
          <dd>{money(saved.totals.discount_minor)}</dd>
          <dt>{t('lineItems.taxTotal')}</dt>
          <dd>{money(saved.totals.tax_minor)}</dd>
          <dt>{t('lineItems.total')}</dt>
          <dd data-testid="lines-total">
            <strong>{money(saved.totals.total_minor)}</strong>
          </dd>
        </dl>
      )}
      <p className="muted">{t('lineItems.rounding')}</p>
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
          {t('lineItems.save')}
        </Button>
      </div>
    </form>
  );
}
