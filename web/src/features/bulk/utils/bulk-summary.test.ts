import { describe, expect, it } from 'vitest';
import { en } from '../../../locales/en';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { type BulkResult, chunks, knownVersions } from '../api/bulk';
import { failureReason, summarize } from './bulk-summary';

const t: Translate = (key, params) => translate(en, 'en', key, params);

describe('a bulk action’s results', () => {
  it('counts the changed records and keeps the failures in order', () => {
    const results = [
      { id: 'a', status: 'ok' as const, version: 2 },
      { id: 'b', status: 'not_found' as const },
      { id: 'c', status: 'ok' as const },
      { id: 'd', status: 'conflict' as const, code: 'deal_closed' as const },
    ];
    expect(summarize(results)).toEqual({ done: 2, failed: [results[1], results[3]] });
  });

  it('explains a failure by its error code, like any refused request', () => {
    expect(failureReason({ id: 'd', status: 'conflict', code: 'deal_closed' }, t)).toBe(en.errors.codes.deal_closed);
  });

  it('falls back to the status for a code this build does not know, or none', () => {
    expect(failureReason({ id: 'x', status: 'conflict', code: 'something_new' } as unknown as BulkResult, t)).toBe(en.bulk.status.conflict);
    expect(failureReason({ id: 'x', status: 'not_found' }, t)).toBe(en.bulk.status.notFound);
    expect(failureReason({ id: 'x', status: 'forbidden', code: null }, t)).toBe(en.bulk.status.forbidden);
  });

  it('sends the versions the screen showed, and none when it knows none', () => {
    const shown: Record<string, number> = { a: 3, c: 1 };
    expect(knownVersions(['a', 'b', 'c'], (id) => shown[id])).toEqual({ a: 3, c: 1 });
    expect(knownVersions(['b'], (id) => shown[id])).toBeUndefined();
    expect(knownVersions(['a'], undefined)).toBeUndefined();
  });

  it('splits a large selection into requests of at most the limit', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 500)).toEqual([]);
  });
});
