const persianDigits = '۰۱۲۳۴۵۶۷۸۹';
const arabicIndicDigits = '٠١٢٣٤٥٦٧٨٩';

/** ASCII digits to Persian (Extended Arabic-Indic) digits; everything else is kept. */
export function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => persianDigits[Number(digit)] ?? digit);
}

/** Persian and Arabic-Indic digits to ASCII, so that what a user types in either can be parsed. */
export function toLatinDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (digit) => {
    const persian = persianDigits.indexOf(digit);
    return String(persian >= 0 ? persian : arabicIndicDigits.indexOf(digit));
  });
}

/** The digits of `locale`: Persian for `fa`, ASCII otherwise. */
export function localizeDigits(text: string, locale: string): string {
  return locale === 'fa' ? toPersianDigits(text) : text;
}
