import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { DateField } from '../../../components/date-field';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { dateText, isoOfDateText } from '../../../lib/format/calendar';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { commonCurrencies } from '../../../lib/format/currencies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { type ExchangeRate, useDeleteExchangeRate, useExchangeRates, useSetExchangeRate } from '../api/exchange-rates';
import { formatRate, parseRate } from '../utils/rate-text';

/**
 * The rates reports convert other currencies into the workspace's with: one per currency and
 * day. Admins add, change and delete them; others read them.
 */
export function ExchangeRates() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const rates = useExchangeRates();
  const admin = me.data?.user.role === 'admin';
  const home = me.data?.workspace.default_currency ?? '';
  // Rates count units of the workspace's currency: rials even when amounts show in tomans.
  const unit = home === 'IRR' ? t('money.rial') : home;
  const list = rates.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section className="settings__section form" aria-labelledby="exchange-rates" data-testid="exchange-rates">
      <h2 id="exchange-rates" className="section-title">
        {t('exchangeRates.title')}
      </h2>
      <p className="muted">{t('exchangeRates.intro', { currency: unit })}</p>
      {rates.isPending && <Skeleton className="skeleton--block" />}
      {rates.isError && <ErrorState title={t('exchangeRates.loadFailed')} error={rates.error} onRetry={() => void rates.refetch()} />}
      {rates.isSuccess && list.length === 0 && <p>{t('exchangeRates.empty')}</p>}
      {list.length > 0 && (
        <DataTable label={t('exchangeRates.title')} testId="rate-table">
          <thead>
            <tr>
              <th scope="col">{t('exchangeRates.currency')}</th>
              <th scope="col">{t('exchangeRates.day')}</th>
              <th scope="col">{t('exchangeRates.rate', { currency: unit })}</th>
              {admin && (
                <th scope="col">
                  <span className="visually-hidden">{t('exchangeRates.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((rate) => (
              <RateRow key={rate.id} rate={rate} admin={admin} i18n={i18n} />
            ))}
          </tbody>
        </DataTable>
      )}
      {rates.hasNextPage && (
        <Button busy={rates.isFetchingNextPage} onClick={() => void rates.fetchNextPage()}>
          {t('exchangeRates.more')}
        </Button>
      )}
      {admin && <AddRate home={home} unit={unit} />}
    </section>
  );
}

function RateRow({ rate, admin, i18n }: { rate: ExchangeRate; admin: boolean; i18n: I18n }) {
  const { t, locale } = i18n;
  const set = useSetExchangeRate();
  const remove = useDeleteExchangeRate();
  const [editing, setEditing] = useState<string | null>(null);
  const errors = fieldErrorMap(set.error);
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (editing === null) return;
    set.mutate(
      { currency: rate.currency, rate_date: rate.rate_date, rate: parseRate(editing) },
      {
        onSuccess: () => {
          setEditing(null);
          toast.success(t('exchangeRates.saved', { currency: rate.currency }));
        },
      },
    );
  };
  const label = t('exchangeRates.rateOf', { currency: rate.currency, day: i18n.date(rate.rate_date) });
  return (
    <tr data-testid="rate-row" data-currency={rate.currency} data-day={rate.rate_date}>
      <td>{rate.currency}</td>
      <td className="data-table__nowrap">{i18n.date(rate.rate_date)}</td>
      <td>
        {editing === null ? (
          <bdi className="data-table__nowrap">{formatRate(rate.rate, locale)}</bdi>
        ) : (
          <form id={`rate-${rate.id}`} onSubmit={save} noValidate>
            <input className="input" aria-label={label} inputMode="decimal" dir="ltr" value={editing} onChange={(event) => setEditing(event.target.value)} />
            {errors.rate && <p className="field__error">{errors.rate}</p>}
          </form>
        )}
      </td>
      {admin && (
        <td>
          <div className="data-table__actions">
            {editing === null ? (
              <>
                <Button size="sm" aria-label={t('exchangeRates.editNamed', { name: label })} onClick={() => setEditing(formatRate(rate.rate, locale))}>
                  {t('exchangeRates.edit')}
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  busy={remove.isPending}
                  aria-label={t('exchangeRates.deleteNamed', { name: label })}
                  onClick={() =>
                    remove.mutate(rate, {
                      onSuccess: () => toast.success(t('exchangeRates.deleted', { currency: rate.currency })),
                      onError: (error) => toast.error(describeError(error, t)),
                    })
                  }
                >
                  {t('common.delete')}
                </Button>
              </>
            ) : (
              <>
                {/* Its own key: were React to reuse the Edit button's element, the click that opened the editor would submit it. */}
                <Button key="save" size="sm" variant="primary" type="submit" form={`rate-${rate.id}`} busy={set.isPending}>
                  {t('common.save')}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
                  {t('common.cancel')}
                </Button>
              </>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

function AddRate({ home, unit }: { home: string; unit: string }) {
  const { t } = useI18n();
  const dates = useDateEntry();
  const set = useSetExchangeRate();
  const others = commonCurrencies.filter((code) => code !== home);
  const [currency, setCurrency] = useState<string>(others[0] ?? 'USD');
  // Today in the browser's zone, as the date field shows it (on the workspace's calendar).
  const [day, setDay] = useState(() => dateText(new Date(), dates));
  const [dayInvalid, setDayInvalid] = useState(false);
  const [rate, setRate] = useState('');
  const errors = fieldErrorMap(set.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rateDate = isoOfDateText(day);
    setDayInvalid(rateDate === null);
    if (rateDate === null) return;
    set.mutate(
      { currency, rate_date: rateDate, rate: parseRate(rate) },
      {
        onSuccess: () => {
          toast.success(t('exchangeRates.saved', { currency }));
          setRate('');
        },
      },
    );
  };
  return (
    <form className="form form--inline" onSubmit={submit} noValidate data-testid="rate-form">
      {set.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(set.error, t)}</FormAlert>}
      <SelectField label={t('exchangeRates.currency')} value={currency} onChange={(event) => setCurrency(event.target.value)} error={errors.currency}>
        {others.map((code) => (
          <option key={code} value={code}>
            {t(`currencies.${code}`)}
          </option>
        ))}
      </SelectField>
      <DateField label={t('exchangeRates.day')} value={day} onChange={setDay} error={dayInvalid ? t('exchangeRates.invalidDay') : errors.rate_date} required />
      <TextField
        label={t('exchangeRates.rate', { currency: unit })}
        inputMode="decimal"
        dir="ltr"
        value={rate}
        onChange={(event) => setRate(event.target.value)}
        error={errors.rate}
        required
      />
      <Button type="submit" variant="primary" busy={set.isPending}>
        {t('exchangeRates.add')}
      </Button>
    </form>
  );
}
