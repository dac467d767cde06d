import { localizeDigits, toLatinDigits } from './digits';

/**
 * A percentage as typed ("10", "2.5", "۹٫۵") in basis points (1000 for 10%), or null when it is
 * not one from 0 to 100 with at most two decimals. Rates travel as integer basis points.
 */
export function parsePercent(text: string): number | null {
  const normalized = toLatinDigits(text.trim()).replace(/[٫,]/g, '.').replace(/[%٪]/g, '').trim();
  if (normalized === '') return 0;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(normalized)) return null;
  const [whole = '0', fraction = ''] = normalized.split('.');
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return basisPoints <= 10_000 ? basisPoints : null;
}

/** Basis points as the text of a percentage input, in the locale's digits: 1000 → "10". */
export function percentInput(basisPoints: number, locale: string): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return localizeDigits(fraction ? `${whole}.${fraction}` : String(whole), locale).replace('.', locale === 'fa' ? '٫' : '.');
}

/** Basis points shown as a percentage: 1000 → "10%" (Persian: "۱۰٪"). */
export function formatPercent(basisPoints: number, locale: string): string {
  return `${percentInput(basisPoints, locale)}${locale === 'fa' ? '٪' : '%'}`;
}

/**
 * A quantity as typed ("2", "1.5", "۱٫۵") as the API's decimal string ("1.5"), or null when it is
 * not above zero with at most three decimals. Quantities are never put through a float.
 */
export function parseQuantity(text: string): string | null {
  const normalized = toLatinDigits(text.trim()).replace(/٫/g, '.');
  if (!/^\d{1,10}(\.\d{1,3})?$/.test(normalized)) return null;
  if (/^0+(\.0+)?$/.test(normalized)) return null;
  return normalized.replace(/^0+(?=\d)/, '');
}
