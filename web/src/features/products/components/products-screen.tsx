import { type FormEvent, useState } from 'react';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Product } from '../../../lib/api/types';
import { commonCurrencies } from '../../../lib/format/currencies';
import { parseMoneyInput } from '../../../lib/format/money';
import { formatPercent, parsePercent, percentInput } from '../../../lib/format/rates';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { ImportWizardDialog } from '../../../components/import-wizard';
import {
  type ProductInput,
  useCreateProduct,
  useDeleteProduct,
  useExportProducts,
  useProductList,
  useRefreshAfterProductImport,
  useUpdateProduct,
} from '../api/products';

/** The columns a product import fills, as the API names them. */
const importFields = ['name', 'sku', 'unit', 'unit_price_minor', 'currency', 'tax_rate_bp', 'active'] as const;

/**
 * The product catalogue (admins and managers change it; everyone reads it): add, edit, archive
 * (an archived product stays on the deal lines that have it) and delete an unused one.
 */
export function ProductsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const list = useProductList();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const exportProducts = useExportProducts();
  const refreshAfterImport = useRefreshAfterProductImport();
  useDocumentTitle(t('products.title'));
  const canChange = me.data !== undefined && me.data.user.role !== 'member';

  return (
    <main className="page settings" id="main" data-testid="products-screen">
      <h1 className="page__title">{t('products.title')}</h1>
      <p className="page__intro">{t('products.intro')}</p>
      <div className="settings__section settings__actions">
        {canChange && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('products.add')}
          </Button>
        )}
        {canChange && <Button onClick={() => setImporting(true)}>{t('products.import.open')}</Button>}
        <Button
          onClick={() => exportProducts.mutate(undefined, { onError: (error) => toast.error(describeError(error, t)) })}
          disabled={exportProducts.isPending}
        >
          {t('products.export')}
        </Button>
      </div>
      {importing && (
        <ImportWizardDialog
          title={t('products.import.title')}
          uploadHint={t('products.import.uploadHint')}
          fields={importFields.map((value) => ({ value, builtIn: true }))}
          builtInLabel={(field) => t(`products.import.fields.${field as (typeof importFields)[number]}`)}
          path="/api/v1/products/import"
          reportName="product-import-report.csv"
          onImported={refreshAfterImport}
          onClose={() => setImporting(false)}
        />
      )}
      {list.isPending && <Skeleton className="skeleton--block" />}
      {list.isError && <ErrorState title={t('products.loadFailed')} error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && list.products.length === 0 && <EmptyState title={t('products.empty')} body={t('products.emptyBody')} />}
      {list.isSuccess && list.products.length > 0 && (
        <DataTable label={t('products.title')} testId="product-table">
          <thead>
            <tr>
              <th scope="col">{t('products.fields.name')}</th>
              <th scope="col">{t('products.fields.sku')}</th>
              <th scope="col">{t('products.fields.price')}</th>
              <th scope="col">{t('products.fields.tax')}</th>
              <th scope="col">{t('products.status')}</th>
              {canChange && <th scope="col">{t('products.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.products.map((product) => (
              <ProductRow key={product.id} product={product} i18n={i18n} canChange={canChange} onEdit={() => setEditing(product)} />
            ))}
          </tbody>
        </DataTable>
      )}
      {editing && (
        <ProductDialog
          product={editing === 'new' ? null : editing}
          defaultCurrency={me.data?.workspace.default_currency ?? 'IRR'}
          i18n={i18n}
          onClose={() => setEditing(null)}
        />
      )}
    </main>
  );
}

function ProductRow({ product, i18n, canChange, onEdit }: { product: Product; i18n: I18n; canChange: boolean; onEdit: () => void }) {
  const { t, locale } = i18n;
  const update = useUpdateProduct();
  const remove = useDeleteProduct();
  const archive = () =>
    update.mutate(
      { product, change: { active: !product.active } },
      {
        onSuccess: () => toast.success(t(product.active ? 'products.archived' : 'products.restored', { name: product.name })),
        onError: (error) => toast.error(describeError(error, t)),
      },
    );
  return (
    <tr data-testid="product-row" data-active={product.active}>
      <th scope="row">
        {product.name}
        {product.unit && <span className="muted">{t('products.perUnit', { unit: product.unit })}</span>}
      </th>
      <td>
        <code dir="ltr">{product.sku}</code>
      </td>
      <td className="data-table__nowrap">{i18n.money(product.unit_price_minor, product.currency)}</td>
      <td className="data-table__nowrap">{formatPercent(product.tax_rate_bp, locale)}</td>
      <td>{product.active ? t('products.active') : <span className="badge">{t('products.archivedBadge')}</span>}</td>
      {canChange && (
        <td>
          <div className="data-table__actions">
            <Button size="sm" onClick={onEdit} aria-label={t('products.editNamed', { name: product.name })}>
              {t('products.edit')}
            </Button>
            <Button size="sm" busy={update.isPending} onClick={archive}>
              {product.active ? t('products.archive') : t('products.restore')}
            </Button>
            <Button
              size="sm"
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(product, {
                  onSuccess: () => toast.success(t('products.deleted', { name: product.name })),
                  onError: (error) => toast.error(describeError(error, t)),
                })
              }
            >
              {t('products.delete')}
            </Button>
          </div>
        </td>
      )}
    </tr>
  );
}

type FormValues = { name: string; sku: string; unit: string; price: string; currency: string; tax: string };

function ProductDialog({ product, defaultCurrency, i18n, onClose }: { product: Product | null; defaultCurrency: string; i18n: I18n; onClose: () => void }) {
  const { t, locale } = i18n;
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const saving = product ? update : create;
  const [values, setValues] = useState<FormValues>(() => ({
    name: product?.name ?? '',
    sku: product?.sku ?? '',
    unit: product?.unit ?? '',
    price: product ? i18n.moneyInput(product.unit_price_minor, product.currency) : '',
    currency: product?.currency ?? defaultCurrency,
    tax: product ? percentInput(product.tax_rate_bp, locale) : '',
  }));
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const serverErrors = fieldErrorMap(saving.error);
  const errors: Record<string, string | undefined> = {
    name: formErrors.name ?? serverErrors.name,
    sku: formErrors.sku ?? serverErrors.sku,
    unit: serverErrors.unit,
    price: formErrors.price ?? serverErrors.unit_price_minor,
    tax: formErrors.tax ?? serverErrors.tax_rate_bp,
  };
  const set = (patch: Partial<FormValues>) => setValues({ ...values, ...patch });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const price = parseMoneyInput(values.price, values.currency, i18n.irrUnit);
    const tax = parsePercent(values.tax);
    const problems: Record<string, string> = {};
    if (!values.name.trim()) problems.name = t('products.errors.name');
    if (!values.sku.trim()) problems.sku = t('products.errors.sku');
    if (price === null) problems.price = t('products.errors.price');
    if (tax === null) problems.tax = t('products.errors.tax');
    setFormErrors(problems);
    if (price === null || tax === null || Object.keys(problems).length > 0) return;
    const input: ProductInput = {
      name: values.name,
      sku: values.sku,
      unit: values.unit.trim() || null,
      unit_price_minor: price,
      currency: values.currency,
      tax_rate_bp: tax,
    };
    const done = () => {
      toast.success(t(product ? 'products.saved' : 'products.added', { name: values.name.trim() }));
      onClose();
    };
    if (product) update.mutate({ product, change: input }, { onSuccess: done });
    else create.mutate(input, { onSuccess: done });
  };

  return (
    <Dialog title={product ? t('products.editTitle', { name: product.name }) : t('products.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="product-form">
        {saving.error && Object.keys(serverErrors).length === 0 && <FormAlert>{describeError(saving.error, t)}</FormAlert>}
        <TextField label={t('products.fields.name')} value={values.name} onChange={(event) => set({ name: event.target.value })} error={errors.name} required />
        <TextField
          label={t('products.fields.sku')}
          hint={t('products.skuHint')}
          dir="ltr"
          value={values.sku}
          onChange={(event) => set({ sku: event.target.value })}
          error={errors.sku}
          required
        />
        <TextField
          label={t('products.fields.unit')}
          hint={t('products.unitHint')}
          value={values.unit}
          onChange={(event) => set({ unit: event.target.value })}
          error={errors.unit}
        />
        <SelectField label={t('products.fields.currency')} value={values.currency} onChange={(event) => set({ currency: event.target.value })}>
          {[...new Set([values.currency, ...commonCurrencies])].map((code) => (
            <option key={code} value={code}>
              {i18n.moneyUnit(code)}
            </option>
          ))}
        </SelectField>
        <AmountField
          label={t('products.fields.priceIn', { unit: i18n.moneyUnit(values.currency) })}
          value={values.price}
          onChange={(price) => set({ price })}
          error={errors.price}
          required
        />
        <TextField
          label={t('products.fields.taxPercent')}
          hint={t('products.taxHint')}
          inputMode="decimal"
          dir="ltr"
          value={values.tax}
          onChange={(event) => set({ tax: event.target.value })}
          error={errors.tax}
        />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={saving.isPending}>
            {product ? t('products.save') : t('products.add')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
