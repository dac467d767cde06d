import { describe, expect, it } from 'vitest';
import { changeRows, formatValue, startOfDay } from './audit-format';

describe('changeRows', () => {
  it('reads an update as each field from before to after', () => {
    expect(changeRows({ title: { before: 'Fleet', after: 'Fleet renewal' }, value: { before: 100, after: null } })).toEqual({
      kind: 'diff',
      rows: [
        { field: 'title', before: 'Fleet', after: 'Fleet renewal' },
        { field: 'value', before: '100', after: '—' },
      ],
    });
  });

  it('reads a create or delete as its stored fields', () => {
    expect(changeRows({ name: 'Sara', tags: ['vip'], owner: { id: 'u1' } })).toEqual({
      kind: 'snapshot',
      rows: [
        { field: 'name', value: 'Sara' },
        { field: 'tags', value: '["vip"]' },
        { field: 'owner', value: '{"id":"u1"}' },
      ],
    });
    expect(changeRows({})).toEqual({ kind: 'snapshot', rows: [] });
  });

  it('does not take a stored object that merely has a `before` for a change', () => {
    expect(changeRows({ window: { before: 1, after: 2, unit: 'd' } }).kind).toBe('snapshot');
  });
});

describe('formatValue', () => {
  it('cuts long values', () => {
    expect(formatValue('x'.repeat(500))).toHaveLength(120);
    expect(formatValue(true)).toBe('true');
  });
});

describe('startOfDay', () => {
  it('is local midnight, or a later one', () => {
    expect(new Date(startOfDay('2026-12-05')!).getDate()).toBe(5);
    expect(new Date(startOfDay('2026-12-31', 1)!).getFullYear()).toBe(2027);
    expect(startOfDay('')).toBeUndefined();
  });
});
