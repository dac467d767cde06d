import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyInput, minorUnitDigits, moneyUnitName, parseMoneyInput } from './money';

const irrLabels = { rial: 'ریال', toman: 'تومان' };
const enLabels = { rial: 'Rial', toman: 'Toman' };

describe('minor units', () => {
  it('follows CLDR: rials have none, dollars two, dinars three', () => {
    expect(minorUnitDigits('IRR')).toBe(0);
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('KWD')).toBe(3);
  });
});

describe('formatMoney', () => {
  it('shows rials in Persian with Persian digits and separators', () => {
    expect(formatMoney(12_500_000, 'IRR', { locale: 'fa', irrUnit: 'rial', irrLabels })).toBe('۱۲٬۵۰۰٬۰۰۰ ریال');
  });

  it('shows the same amount as tomans (a tenth of the rials)', () => {
    expect(formatMoney(12_500_000, 'IRR', { locale: 'fa', irrUnit: 'toman', irrLabels })).toBe('۱٬۲۵۰٬۰۰۰ تومان');
    expect(formatMoney(15, 'IRR', { locale: 'fa', irrUnit: 'toman', irrLabels })).toBe('۱٫۵ تومان');
  });

  it('shows rials and tomans in English with ASCII digits', () => {
    expect(formatMoney(12_500_000, 'IRR', { locale: 'en', irrUnit: 'rial', irrLabels: enLabels })).toBe('12,500,000 Rial');
    expect(formatMoney(12_500_000, 'IRR', { locale: 'en', irrUnit: 'toman', irrLabels: enLabels })).toBe('1,250,000 Toman');
  });

  it('shows dollars from cents without floating-point drift', () => {
    expect(formatMoney(125_050, 'USD', { locale: 'en', irrUnit: 'rial', irrLabels })).toBe('$1,250.50');
    expect(formatMoney(1_250_000, 'USD', { locale: 'en', irrUnit: 'rial', irrLabels })).toBe('$12,500');
    expect(formatMoney(10, 'USD', { locale: 'en', irrUnit: 'rial', irrLabels })).toBe('$0.10');
  });

  it('writes other currencies in Persian as rials are written: Persian digits, then the name', () => {
    const currencyNames = { USD: 'دلار', EUR: 'یورو' };
    expect(formatMoney(125_050, 'USD', { locale: 'fa', irrUnit: 'rial', irrLabels, currencyNames })).toBe('۱٬۲۵۰٫۵۰ دلار');
    expect(formatMoney(1_250_000, 'EUR', { locale: 'fa', irrUnit: 'rial', irrLabels, currencyNames })).toBe('۱۲٬۵۰۰ یورو');
    // No symbol, no Latin code and no direction marks for the bidirectional algorithm to reorder.
    expect(formatMoney(125_050, 'USD', { locale: 'fa', irrUnit: 'rial', irrLabels, currencyNames })).not.toMatch(/[$A-Z0-9\u200e\u200f]/);
  });

  it('names a currency without a given Persian name by its Persian name, never its code', () => {
    expect(formatMoney(500, 'CAD', { locale: 'fa', irrUnit: 'rial', irrLabels })).toBe('۵ دلار کانادا');
  });

  it('puts a compact foreign amount in Persian reading order: number, magnitude, currency', () => {
    const currencyNames = { USD: 'دلار' };
    expect(formatMoney(2_500_000, 'USD', { locale: 'fa', irrUnit: 'rial', irrLabels, currencyNames, compact: true })).toBe('۲۵\u00a0هزار دلار');
    expect(formatMoney(2_500_000, 'USD', { locale: 'en', irrUnit: 'rial', irrLabels: enLabels, compact: true })).toBe('$25K');
  });

  it('abbreviates large totals', () => {
    expect(formatMoney(1_625_000_000, 'IRR', { locale: 'en', irrUnit: 'rial', irrLabels: enLabels, compact: true })).toBe('1.6B Rial');
    expect(formatMoney(1_625_000_000, 'IRR', { locale: 'fa', irrUnit: 'toman', irrLabels, compact: true })).toBe('۱۶۲٫۵\u00a0میلیون تومان');
  });
});

describe('moneyUnitName', () => {
  it('names the unit amounts are typed in: rials or tomans, the Persian name, the code in English', () => {
    expect(moneyUnitName('IRR', { locale: 'fa', irrUnit: 'toman', irrLabels })).toBe('تومان');
    expect(moneyUnitName('IRR', { locale: 'en', irrUnit: 'rial', irrLabels: enLabels })).toBe('Rial');
    expect(moneyUnitName('USD', { locale: 'fa', irrUnit: 'rial', irrLabels, currencyNames: { USD: 'دلار' } })).toBe('دلار');
    expect(moneyUnitName('EUR', { locale: 'fa', irrUnit: 'rial', irrLabels })).toBe('یورو');
    expect(moneyUnitName('USD', { locale: 'en', irrUnit: 'rial', irrLabels: enLabels })).toBe('USD');
  });
});

describe('parseMoneyInput', () => {
  it('reads major units into minor units', () => {
    expect(parseMoneyInput('1,250.50', 'USD', 'rial')).toBe(125_050);
    expect(parseMoneyInput('12', 'USD', 'rial')).toBe(1_200);
    expect(parseMoneyInput('2 500 000', 'IRR', 'rial')).toBe(2_500_000);
  });

  it('reads Persian digits and separators', () => {
    expect(parseMoneyInput('۱٬۲۵۰٫۵', 'USD', 'rial')).toBe(125_050);
    expect(parseMoneyInput('۲٬۵۰۰٬۰۰۰', 'IRR', 'rial')).toBe(2_500_000);
  });

  it('multiplies tomans by ten, allowing one decimal', () => {
    expect(parseMoneyInput('1,250,000', 'IRR', 'toman')).toBe(12_500_000);
    expect(parseMoneyInput('0.5', 'IRR', 'toman')).toBe(5);
  });

  it('refuses what is not an amount in that currency', () => {
    expect(parseMoneyInput('', 'USD', 'rial')).toBeNull();
    expect(parseMoneyInput('12abc', 'USD', 'rial')).toBeNull();
    expect(parseMoneyInput('-5', 'USD', 'rial')).toBeNull();
    expect(parseMoneyInput('1.234', 'USD', 'rial')).toBeNull();
    expect(parseMoneyInput('10.5', 'IRR', 'rial')).toBeNull();
    expect(parseMoneyInput('99999999999999999999', 'USD', 'rial')).toBeNull();
  });
});

describe('formatMoneyInput', () => {
  it('round-trips with parseMoneyInput', () => {
    for (const [minor, currency, unit, locale] of [
      [125_050, 'USD', 'rial', 'en'],
      [12_500_000, 'IRR', 'toman', 'fa'],
      [12_500_005, 'IRR', 'toman', 'en'],
      [7, 'IRR', 'rial', 'fa'],
    ] as const) {
      expect(parseMoneyInput(formatMoneyInput(minor, currency, unit, locale), currency, unit)).toBe(minor);
    }
  });

  it('drops trailing zero decimals', () => {
    expect(formatMoneyInput(120_000, 'USD', 'rial', 'en')).toBe('1200');
    expect(formatMoneyInput(12_500_000, 'IRR', 'toman', 'fa')).toBe('۱۲۵۰۰۰۰');
  });
});
