import { describe, expect, it } from 'vitest';
import { localizeDigits, toLatinDigits, toPersianDigits } from './digits';

describe('digits', () => {
  it('writes Persian digits', () => {
    expect(toPersianDigits('1405/01/15 — 0123456789')).toBe('۱۴۰۵/۰۱/۱۵ — ۰۱۲۳۴۵۶۷۸۹');
  });

  it('reads Persian and Arabic-Indic digits as ASCII', () => {
    expect(toLatinDigits('۱۲۳۴۵۶۷۸۹۰')).toBe('1234567890');
    expect(toLatinDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toLatinDigits('a۱b٢c3')).toBe('a1b2c3');
  });

  it('localizes only for Persian', () => {
    expect(localizeDigits('42', 'fa')).toBe('۴۲');
    expect(localizeDigits('42', 'en')).toBe('42');
  });
});
