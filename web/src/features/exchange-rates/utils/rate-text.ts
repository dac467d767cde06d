import { localizeDigits, toLatinDigits } from '../../../lib/format/digits';

/**
 * A rate as typed, in either script, as the API's decimal string: Persian or Arabic-Indic digits
 * become ASCII, the Persian decimal separator a point, and grouping marks and spaces go.
 */
export function parseRate(text: string): string {
  return toLatinDigits(text)
    .replace(/[٫]/g, '.')
    .replace(/[,٬\s]/g, '');
}

/**
 * A rate for reading, exactly as stored (it is a decimal string, never a float): the whole part
 * grouped in threes, in the locale's digits and separators.
 */
export function formatRate(rate: string, locale: string): string {
  const [whole = '', fraction] = rate.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'fa' ? '٬' : ',');
  const text = fraction === undefined ? grouped : `${grouped}${locale === 'fa' ? '٫' : '.'}${fraction}`;
  return localizeDigits(text, locale);
}
