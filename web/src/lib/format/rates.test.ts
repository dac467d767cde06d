import { describe, expect, it } from 'vitest';
import { formatPercent, parsePercent, parseQuantity, percentInput } from './rates';

describe('rates and quantities', () => {
  it('reads percentages as basis points', () => {
    expect(parsePercent('10')).toBe(1000);
    expect(parsePercent('2.5')).toBe(250);
    expect(parsePercent('۹٫۵')).toBe(950);
    expect(parsePercent('')).toBe(0);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('100.01')).toBeNull();
    expect(parsePercent('1.234')).toBeNull();
    expect(parsePercent('abc')).toBeNull();
  });

  it('shows basis points as percentages in the language digits', () => {
    expect(percentInput(1000, 'en')).toBe('10');
    expect(percentInput(250, 'en')).toBe('2.5');
    expect(formatPercent(1000, 'fa')).toBe('۱۰٪');
    expect(formatPercent(950, 'fa')).toBe('۹٫۵٪');
  });

  it('reads quantities as decimal strings, never floats', () => {
    expect(parseQuantity('1.5')).toBe('1.5');
    expect(parseQuantity('۱٫۲۵')).toBe('1.25');
    expect(parseQuantity('007')).toBe('7');
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('1.2345')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
  });
});
