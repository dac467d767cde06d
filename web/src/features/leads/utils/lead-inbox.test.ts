import { describe, expect, it } from 'vitest';
import { makeLead } from '../../../testing/factories';
import { compareByScore, defaultLeadFilters, firstCursors, isFiltered, leadListQuery, mergeInbox, type StreamPage, streamsFor } from './lead-inbox';

describe('the inbox filters as list requests', () => {
  it('asks for open leads as two streams, new and working', () => {
    expect(streamsFor('open')).toEqual(['new', 'working']);
    expect(streamsFor('qualified')).toEqual(['qualified']);
    expect(streamsFor('all')).toEqual(['all']);
  });

  it('maps the filters to query parameters, best score first, leaving out what is unset', () => {
    expect(leadListQuery(defaultLeadFilters, 'new')).toEqual({ sort: '-score', status: 'new' });
    expect(leadListQuery({ status: 'all', source: 'exhibition', q: '  pars ', tag: ' vip ' }, 'all', { cursor: 'c1', limit: 50 })).toEqual({
      sort: '-score',
      source: 'exhibition',
      q: 'pars',
      tag: 'vip',
      cursor: 'c1',
      limit: 50,
    });
    expect(leadListQuery(defaultLeadFilters, 'working', { cursor: null })).toEqual({ sort: '-score', status: 'working' });
  });

  it('tells the default view from a filtered one', () => {
    expect(isFiltered(defaultLeadFilters)).toBe(false);
    expect(isFiltered({ ...defaultLeadFilters, q: '  ' })).toBe(false);
    expect(isFiltered({ ...defaultLeadFilters, status: 'all' })).toBe(true);
    expect(isFiltered({ ...defaultLeadFilters, tag: 'vip' })).toBe(true);
  });

  it('starts every stream at its first page', () => {
    expect(firstCursors(['new', 'working'])).toEqual({ new: null, working: null });
  });
});

describe('merging the streams', () => {
  const lead = (id: string, score: number, status: 'new' | 'working' = 'new') => makeLead({ id, score, status });
  const page = (stream: 'new' | 'working', data: ReturnType<typeof lead>[], next: string | null): StreamPage => ({ stream, data, next_cursor: next });
  const ids = (merged: { leads: { id: string }[] }) => merged.leads.map((item) => item.id);

  it('orders like the API: best score first, then the larger id', () => {
    const sorted = [lead('a', 10), lead('c', 30), lead('b', 10)].sort(compareByScore);
    expect(sorted.map((item) => item.id)).toEqual(['c', 'b', 'a']);
  });

  it('interleaves finished streams by score', () => {
    const merged = mergeInbox(['new', 'working'], [[page('new', [lead('n1', 90), lead('n2', 20)], null), page('working', [lead('w1', 50, 'working')], null)]]);
    expect(ids(merged)).toEqual(['n1', 'w1', 'n2']);
    expect(merged.next).toBeNull();
  });

  it('holds back what an unfinished stream could still outrank, and fetches that stream next', () => {
    const first = [page('new', [lead('n1', 90), lead('n2', 60)], 'new-2'), page('working', [lead('w1', 80, 'working'), lead('w2', 10, 'working')], null)];
    const merged = mergeInbox(['new', 'working'], [first]);
    // Unloaded new leads score at most 60, so w2 (10) must wait.
    expect(ids(merged)).toEqual(['n1', 'w1', 'n2']);
    expect(merged.next).toEqual({ new: 'new-2' });

    const more = mergeInbox(['new', 'working'], [first, [page('new', [lead('n3', 40)], null)]]);
    expect(ids(more)).toEqual(['n1', 'w1', 'n2', 'n3', 'w2']);
    expect(more.next).toBeNull();
  });

  it('fetches the stream whose last loaded lead ranks first', () => {
    const merged = mergeInbox(
      ['new', 'working'],
      [[page('new', [lead('n1', 90), lead('n2', 70)], 'n-next'), page('working', [lead('w1', 80, 'working'), lead('w2', 30, 'working')], 'w-next')]],
    );
    expect(ids(merged)).toEqual(['n1', 'w1', 'n2']);
    expect(merged.next).toEqual({ new: 'n-next' });
  });

  it('breaks ties between streams by id, as the API does within one', () => {
    const merged = mergeInbox(
      ['new', 'working'],
      [[page('new', [lead('a', 50)], 'more'), page('working', [lead('b', 50, 'working'), lead('z', 50, 'working')], null)]],
    );
    // Unloaded new leads come after "a" (score 50, smaller ids), so "b" and "z" both show; nothing after "a" does.
    expect(ids(merged)).toEqual(['z', 'b', 'a']);
  });

  it('shows a lead once when it moved between streams while paging', () => {
    const merged = mergeInbox(['new', 'working'], [[page('new', [lead('x', 40)], null), page('working', [lead('x', 40, 'working')], null)]]);
    expect(ids(merged)).toEqual(['x']);
  });

  it('pages a single stream straight through', () => {
    const merged = mergeInbox(['all'], [[{ stream: 'all', data: [lead('a', 5), lead('b', 1)], next_cursor: 'next' }]]);
    expect(ids(merged)).toEqual(['a', 'b']);
    expect(merged.next).toEqual({ all: 'next' });
  });
});
