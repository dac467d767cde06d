import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../lib/api/types';
import { groupHits, hitTarget, searchableQuery, stepOption } from './search-results';

const hit = (type: SearchHit['type'], id: string, extra: Partial<SearchHit> = {}): SearchHit => ({ type, id, title: id, subtitle: null, ...extra });

describe('search results', () => {
  it('groups hits by kind in a fixed order and numbers them as they are shown', () => {
    const hits = [hit('contact', 'c1'), hit('deal', 'd1', { pipeline_id: 'p' }), hit('contact', 'c2'), hit('lead', 'l1')];
    const { groups, options } = groupHits(hits);
    expect(groups.map((g) => [g.type, g.options.map((o) => [o.hit.id, o.index])])).toEqual([
      ['deal', [['d1', 0]]],
      ['lead', [['l1', 1]]],
      [
        'contact',
        [
          ['c1', 2],
          ['c2', 3],
        ],
      ],
    ]);
    expect(options.map((o) => o.id)).toEqual(['d1', 'l1', 'c1', 'c2']);
  });

  it('opens deals on their board, leads in the inbox, contacts and organizations on their page', () => {
    expect(hitTarget(hit('deal', 'd1', { pipeline_id: 'p1' }))).toBe('/pipelines/p1/deals/d1');
    expect(hitTarget(hit('deal', 'd2'))).toBeNull();
    expect(hitTarget(hit('lead', 'l1'))).toBe('/leads/l1');
    expect(hitTarget(hit('contact', 'c1'))).toBe('/contacts/c1');
    expect(hitTarget(hit('organization', 'o1'))).toBe('/organizations/o1');
  });

  it('moves through the options with wrap-around', () => {
    expect(stepOption(-1, 3, 1)).toBe(0);
    expect(stepOption(-1, 3, -1)).toBe(2);
    expect(stepOption(2, 3, 1)).toBe(0);
    expect(stepOption(0, 3, -1)).toBe(2);
    expect(stepOption(-1, 0, 1)).toBe(-1);
  });

  it('sends nothing for blank text and at most the API limit', () => {
    expect(searchableQuery('   ')).toBeNull();
    expect(searchableQuery('  كريم ')).toBe('كريم');
    expect(searchableQuery('a'.repeat(150))).toHaveLength(100);
  });
});
