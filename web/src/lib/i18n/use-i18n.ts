import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { formatCalendarMonth, formatDate, formatDateTime, formatMonth, formatShortDate } from '../format/dates';
import { memoize } from '../format/intl-cache';
import { commonCurrencies } from '../format/currencies';
import { formatMoney, formatMoneyInput, type IrrUnit, moneyUnitName } from '../format/money';
import { directionOf, type Locale, localeStore } from './locale-store';
import { formatNumber, type MessageKey, type MessageTree, type TranslateParams, translate } from './translate';

export type TranslationKey = MessageKey<typeof en>;
export type Translate = (key: TranslationKey, params?: TranslateParams) => string;

const catalogs: Record<Locale, MessageTree> = { en, fa };
// Cards repeat the same few dates; remember them (the current year only matters at New Year).
const shortDate = memoize((value: string, locale: string) => formatShortDate(value, locale));

export function useLocalePreferences() {
  return useSyncExternalStore(localeStore.subscribe, localeStore.get, localeStore.get);
}

/** Translation and locale-aware formatting for components. */
export function useI18n() {
  const { locale, irrUnit } = useLocalePreferences();
  const t: Translate = useCallback((key, params) => translate(catalogs[locale], locale, key, params), [locale]);

  return useMemo(() => {
    const irrLabels: Record<IrrUnit, string> = { rial: t('money.rial'), toman: t('money.toman') };
    const currencyNames = Object.fromEntries(commonCurrencies.map((code) => [code, t(`money.names.${code}`)]));
    const moneyOptions = { locale, irrUnit, irrLabels, currencyNames };
    return {
      locale,
      dir: directionOf(locale),
      irrUnit,
      t,
      money: (amountMinor: number, currency: string) => formatMoney(amountMinor, currency, moneyOptions),
      compactMoney: (amountMinor: number, currency: string) => formatMoney(amountMinor, currency, { ...moneyOptions, compact: true }),
      moneyInput: (amountMinor: number, currency: string) => formatMoneyInput(amountMinor, currency, irrUnit, locale),
      /** The unit a user types amounts of `currency` in, for input labels. */
      moneyUnit: (currency: string) => moneyUnitName(currency, moneyOptions),
      number: (value: number) => formatNumber(value, locale),
      date: (value: string) => formatDate(value, locale),
      shortDate: (value: string) => shortDate(value, locale),
      dateTime: (value: string) => formatDateTime(value, locale),
      /** A report month, `YYYY-MM`. */
      month: (value: string) => formatMonth(value, locale),
      /** The calendar month (Jalali in Persian) a YYYY-MM-DD date falls in; `short` without the year. */
      calendarMonth: (value: string, short?: boolean) => formatCalendarMonth(value, locale, short),
    };
  }, [locale, irrUnit, t]);
}

export type I18n = ReturnType<typeof useI18n>;
