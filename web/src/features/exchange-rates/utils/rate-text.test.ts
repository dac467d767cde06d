import { describe, expect, it } from 'vitest';
import { formatRate, parseRate } from './rate-text';

describe('parseRate', () => {
  it('reads either script and drops grouping', () => {
    expect(parseRate('۴۲٬۰۰۰')).toBe('42000');
    expect(parseRate(' 1,234.5 ')).toBe('1234.5');
    expect(parseRate('۰٫۰۰۰۰۲۳۸')).toBe('0.0000238');
  });
});

describe('formatRate', () => {
  it('groups the whole part and keeps every digit', () => {
    expect(formatRate('1234567.000000000001', 'en')).toBe('1,234,567.000000000001');
    expect(formatRate('42000', 'fa')).toBe('۴۲٬۰۰۰');
    expect(formatRate('0.0000238', 'fa')).toBe('۰٫۰۰۰۰۲۳۸');
  });
});
