import { describe, expect, it } from 'vitest';
import { caretAfterFormatting, formatAmountText } from './amount-text';
import { parseMoneyInput } from './money';

describe('formatAmountText', () => {
  it('groups thousands while typing, in English', () => {
    expect(formatAmountText('1250000', 'en')).toBe('1,250,000');
    expect(formatAmountText('1,2500', 'en')).toBe('12,500');
    expect(formatAmountText('1250.5', 'en')).toBe('1,250.5');
    expect(formatAmountText('12.', 'en')).toBe('12.');
  });

  it('shows Persian digits and separators in Persian, whichever digits were typed', () => {
    expect(formatAmountText('1250000', 'fa')).toBe('۱٬۲۵۰٬۰۰۰');
    expect(formatAmountText('۱۲۵۰۰۰۰', 'fa')).toBe('۱٬۲۵۰٬۰۰۰');
    expect(formatAmountText('١٢٥٠', 'fa')).toBe('۱٬۲۵۰');
    expect(formatAmountText('۱۲۵۰٫۵', 'fa')).toBe('۱٬۲۵۰٫۵');
    expect(formatAmountText('۱۲۵۰.۵', 'fa')).toBe('۱٬۲۵۰٫۵');
    expect(formatAmountText('۱۲۵۰/۵', 'fa')).toBe('۱٬۲۵۰٫۵');
  });

  it('drops what is not part of a number and leading zeros, keeping a lone zero', () => {
    expect(formatAmountText('abc', 'en')).toBe('');
    expect(formatAmountText('12a3', 'en')).toBe('123');
    expect(formatAmountText('1.2.3', 'en')).toBe('1.23');
    expect(formatAmountText('007', 'en')).toBe('7');
    expect(formatAmountText('0', 'en')).toBe('0');
    expect(formatAmountText('0.5', 'fa')).toBe('۰٫۵');
  });

  it('is read back by the money parser', () => {
    expect(parseMoneyInput(formatAmountText('1250000', 'fa'), 'IRR', 'rial')).toBe(1_250_000);
    expect(parseMoneyInput(formatAmountText('1250.50', 'en'), 'USD', 'rial')).toBe(125_050);
    expect(parseMoneyInput(formatAmountText('۱۲۵۰٫۵', 'fa'), 'IRR', 'toman')).toBe(12_505);
  });
});

describe('caretAfterFormatting', () => {
  it('keeps the caret after the digit it followed when a separator appears before it', () => {
    // "1250|" → "1,250|"
    expect(caretAfterFormatting('1250', 4, '1,250')).toBe(5);
    // "125|0" (the 5 just typed) → "1,25|0"
    expect(caretAfterFormatting('1250', 3, '1,250')).toBe(4);
    expect(caretAfterFormatting('۱۲۵۰', 3, '۱٬۲۵۰')).toBe(4);
  });

  it('keeps it in place when a separator disappears', () => {
    // "1,2|50" with the 2 deleted: "1,|50" → "1|50"
    expect(caretAfterFormatting('1,50', 2, '150')).toBe(1);
    expect(caretAfterFormatting('1,250,00', 8, '125,000')).toBe(7);
  });

  it('goes to the start when nothing significant is before it, and not past the end', () => {
    expect(caretAfterFormatting(',125', 1, '125')).toBe(0);
    expect(caretAfterFormatting('007', 3, '7')).toBe(1);
    expect(caretAfterFormatting('12', 2, '12')).toBe(2);
  });
});
