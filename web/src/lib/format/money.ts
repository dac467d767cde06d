import { localizeDigits, toLatinDigits } from './digits';
import { numberFormat } from './intl-cache';

/**
 * Money arrives as integer minor units plus an ISO 4217 code. The number of minor-unit digits
 * comes from CLDR through Intl (USD 2, IRR 0, KWD 3), which matches the API: rials have no minor
 * unit, so `amount_minor` of an IRR deal is a number of rials.
 */
export function minorUnitDigits(currency: string): number {
  try {
    return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** How Iranian rial amounts are displayed: as rials, or as tomans (1 toman = 10 rials). */
export type IrrUnit = 'rial' | 'toman';

export interface MoneyFormatOptions {
  locale: string;
  irrUnit: IrrUnit;
  /** The translated unit names for IRR amounts, e.g. `{ rial: 'ریال', toman: 'تومان' }`. */
  irrLabels: Record<IrrUnit, string>;
  /**
   * Persian names of other currencies, written after the number as rials are (`۲۵ هزار دلار`);
   * a currency without one is named by the browser's Persian currency names.
   */
  currencyNames?: Readonly<Record<string, string>>;
  /** Short form for tight spaces (column totals): 1.2M, ۱٫۲ میلیون. */
  compact?: boolean;
}

function intlLocale(locale: string): string {
  // fa-IR gives Persian digits and the Persian thousands separator (٬).
  return locale === 'fa' ? 'fa-IR' : 'en-US';
}

/** A major-unit decimal string for integer minor units, without floating-point rounding. */
function minorToDecimalString(amountMinor: number, digits: number): string {
  const negative = amountMinor < 0;
  const text = String(Math.abs(Math.trunc(amountMinor))).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : text.slice(-digits);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

// A currency style asks for its minor digits by default ($25.0K): a compact amount needs none.
const compactOptions = { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 } as const;

let persianDisplayNames: Intl.DisplayNames | undefined;

/**
 * The name a Persian amount of `currency` is written with: the given one, else the browser's
 * Persian name of the currency, else its code.
 */
export function persianCurrencyName(currency: string, names: Readonly<Record<string, string>> = {}): string {
  const given = names[currency];
  if (given) return given;
  try {
    persianDisplayNames ??= new Intl.DisplayNames('fa', { type: 'currency' });
    return persianDisplayNames.of(currency) ?? currency;
  } catch {
    return currency;
  }
}

/**
 * An amount for display. English uses the currency's symbol where it goes (`$1,250.50`, `$25K`);
 * Persian writes every currency as rials are written, the number and then the name
 * (`۲۵ هزار دلار`), since a symbol beside Persian words is reordered by the bidirectional
 * algorithm into `۲۵ $ هزار`. IRR is shown in rials or tomans, as the user chose.
 */
export function formatMoney(amountMinor: number, currency: string, options: MoneyFormatOptions): string {
  const locale = intlLocale(options.locale);
  const compact = options.compact ? compactOptions : {};
  if (currency === 'IRR') {
    const value = options.irrUnit === 'toman' ? amountMinor / 10 : amountMinor;
    const number = numberFormat(locale, { maximumFractionDigits: options.irrUnit === 'toman' ? 1 : 0, ...compact }).format(value);
    return `${number} ${options.irrLabels[options.irrUnit]}`;
  }
  const digits = minorUnitDigits(currency);
  const major = Number(minorToDecimalString(amountMinor, digits));
  const fractions = options.compact ? compact : { minimumFractionDigits: Number.isInteger(major) ? 0 : digits, maximumFractionDigits: digits };
  if (options.locale === 'fa') {
    return `${numberFormat(locale, fractions).format(major)} ${persianCurrencyName(currency, options.currencyNames)}`;
  }
  try {
    return numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', ...fractions }).format(major);
  } catch {
    return `${localizeDigits(major.toString(), options.locale)} ${currency}`;
  }
}

/**
 * The unit an amount of `currency` is typed in, for labels ("Amount (USD)", «مبلغ (دلار)»):
 * rials or tomans for IRR, the Persian name in Persian, the ISO code in English.
 */
export function moneyUnitName(currency: string, options: Omit<MoneyFormatOptions, 'compact'>): string {
  if (currency === 'IRR') return options.irrLabels[options.irrUnit];
  return options.locale === 'fa' ? persianCurrencyName(currency, options.currencyNames) : currency;
}

/**
 * Parses what a user typed as an amount in major units ("1,250.50", "۱۲۵۰٫۵", "2 500 000") into
 * integer minor units, or returns null when it is not a valid amount for the currency. IRR amounts
 * are typed in the display unit: tomans are multiplied by ten.
 */
export function parseMoneyInput(text: string, currency: string, irrUnit: IrrUnit): number | null {
  const normalized = toLatinDigits(text.trim())
    .replace(/[\s,٬'’_]/g, '')
    .replace(/٫/g, '.');
  if (normalized === '') return null;
  if (!/^\d+(\.\d+)?$/.test(normalized)) return null;
  const [whole = '0', fraction = ''] = normalized.split('.');
  const tomans = currency === 'IRR' && irrUnit === 'toman';
  const digits = tomans ? 1 : minorUnitDigits(currency);
  if (fraction.length > digits) return null;
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return null;
  return minor;
}

/** The input text for an amount, in major units of the display unit, in the locale's digits. */
export function formatMoneyInput(amountMinor: number, currency: string, irrUnit: IrrUnit, locale: string): string {
  const tomans = currency === 'IRR' && irrUnit === 'toman';
  const digits = tomans ? 1 : minorUnitDigits(currency);
  let text = minorToDecimalString(amountMinor, digits);
  if (text.includes('.')) text = text.replace(/\.?0+$/, '');
  return localizeDigits(text, locale);
}
