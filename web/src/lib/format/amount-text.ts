import { localizeDigits, toLatinDigits } from './digits';

/**
 * The text of an amount input while it is typed: digits grouped by thousands and shown in the
 * locale's digits and separators (`1,250,000.5`; `۱٬۲۵۰٬۰۰۰٫۵`), whichever digits were typed.
 * What is not part of a number is dropped; `parseMoneyInput` reads the result back.
 */

const separators = { en: { group: ',', decimal: '.' }, fa: { group: '٬', decimal: '٫' } } as const;

function separatorsOf(locale: string) {
  return locale === 'fa' ? separators.fa : separators.en;
}

/** The typed characters that carry meaning, in order: Latin digits and at most one `.`. */
function significant(text: string): string {
  let seenDecimal = false;
  let kept = '';
  for (const character of toLatinDigits(text)) {
    if (/\d/.test(character)) kept += character;
    // A decimal point typed as `.`, the Persian `٫` or (on a Persian keyboard) `/`; the first one counts.
    else if ((character === '.' || character === '٫' || character === '/') && !seenDecimal) {
      seenDecimal = true;
      kept += '.';
    }
  }
  return kept;
}

/** The text an amount input shows for what was typed: grouped, in the locale's digits. */
export function formatAmountText(typed: string, locale: string): string {
  const kept = significant(typed);
  if (kept === '') return '';
  const { group, decimal } = separatorsOf(locale);
  const [whole = '', fraction] = kept.split('.');
  // Leading zeros go, but a lone zero (or "0." before a fraction) stays.
  const trimmed = whole.replace(/^0+(?=\d)/, '');
  const grouped = trimmed.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return localizeDigits(fraction === undefined ? grouped : `${grouped}${decimal}${fraction}`, locale);
}

/**
 * Where the caret goes in `formatted` so that it stays after the same digit it followed in
 * `typed`: separators added or removed around it do not move it off its digit.
 */
export function caretAfterFormatting(typed: string, caret: number, formatted: string): number {
  const before = significant(typed.slice(0, caret)).length;
  // Leading zeros that formatting drops are not counted.
  const dropped = Math.min(before, significant(typed).length - significant(toLatinDigits(formatted)).length);
  let remaining = before - Math.max(0, dropped);
  if (remaining <= 0) return 0;
  for (let index = 0; index < formatted.length; index++) {
    if (significant(formatted[index]!).length > 0) remaining -= 1;
    if (remaining === 0) return index + 1;
  }
  return formatted.length;
}
