import { describe, expect, it } from 'vitest';
import { parseOptions, suggestKey } from './field-key';

describe('suggestKey', () => {
  it('makes a key the API takes from a Latin label', () => {
    expect(suggestKey('Fleet size')).toBe('fleet_size');
    expect(suggestKey('  Café — opening hours! ')).toBe('cafe_opening_hours');
    expect(suggestKey('2nd phone')).toBe('nd_phone');
    expect(suggestKey('x'.repeat(50))).toHaveLength(40);
  });

  it('suggests nothing from a Persian label', () => {
    expect(suggestKey('تعداد ناوگان')).toBe('');
  });
});

describe('parseOptions', () => {
  it('takes one choice a line, once', () => {
    expect(parseOptions('Small\n\n Large \nSmall\n')).toEqual(['Small', 'Large']);
  });
});
