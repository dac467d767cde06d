import { describe, expect, it } from 'vitest';
import { makeBoard, makeDeal, makeStage } from '../../../testing/factories';
import { defaultBoardFilters } from '../api/board';
import { cardOf } from './card';
import { applyRemoteDeal, matchesBoardFilters } from './remote-deal';
import type { Board } from '../../../lib/api/types';

const lead = makeStage({ id: 'lead', name: 'Lead', probability: 10 });
const proposal = makeStage({ id: 'proposal', name: 'Proposal' });

// The deals as the server holds them; the board shows them as cards (a's with a next activity).
const deals = {
  a: makeDeal({ id: 'a', stage_id: 'lead', position: 'a1', amount_minor: 1000, probability: 10, version: 3 }),
  b: makeDeal({ id: 'b', stage_id: 'lead', position: 'a2', amount_minor: 500, probability: 10 }),
  c: makeDeal({ id: 'c', stage_id: 'proposal', position: 'a1', amount_minor: 200, probability: 50 }),
  d: makeDeal({ id: 'd', stage_id: 'proposal', position: 'a3' }),
};
const nextActivity = { next_activity_at: '2026-01-05T09:00:00Z', overdue: true };

function board(): Board {
  return makeBoard([
    { stage: lead, deals: [cardOf(deals.a, nextActivity), deals.b] },
    { stage: proposal, deals: [deals.c, deals.d] },
  ]);
}

const titles = (result: Board | 'refetch', index: number) => (result === 'refetch' ? result : result.columns[index]!.deals.map((deal) => deal.id));

describe('applyRemoteDeal', () => {
  it('moves a card to its new column and position, with counts and totals', () => {
    const before = board();
    const moved = { ...deals.a, stage_id: 'proposal', position: 'a2', version: 4, probability: 50, weighted_amount_minor: 500 };
    const after = applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.stage_changed', deal: moved });
    expect(titles(after, 0)).toEqual(['b']);
    expect(titles(after, 1)).toEqual(['c', 'a', 'd']);
    if (after === 'refetch') throw new Error('expected a board');
    expect(after.columns[0]!.count).toBe(1);
    expect(after.columns[1]!.count).toBe(3);
    expect(after.columns[0]!.totals).toEqual([{ currency: 'USD', amount_minor: 500, weighted_amount_minor: 50 }]);
    expect(after.columns[1]!.totals[0]!.amount_minor).toBe(1000 + 200 + 1000);
    // The event's deal has no next activity: the card keeps the one it showed.
    expect(after.columns[1]!.deals[1]).toMatchObject({ id: 'a', version: 4, ...nextActivity });
    expect(after.columns[1]!.deals[1]).not.toHaveProperty('stage_id');
  });

  it('ignores a card already at that version, such as the echo of the user’s own move', () => {
    const before = board();
    const echo = { ...deals.a, stage_id: 'proposal' };
    expect(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.stage_changed', deal: echo })).toBe(before);
    expect(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.updated', deal: { ...echo, version: 2 } })).toBe(before);
  });

  it('adds a new deal in its place and counts it', () => {
    const created = makeDeal({ id: 'n', stage_id: 'lead', position: 'a15', version: 1 });
    const after = applyRemoteDeal(board(), 'pipeline-1', defaultBoardFilters, { type: 'deal.created', deal: created });
    expect(titles(after, 0)).toEqual(['a', 'n', 'b']);
    expect(after !== 'refetch' && after.columns[0]!.count).toBe(3);
  });

  it('takes won, lost and deleted deals off an open board', () => {
    const before = board();
    const won = { ...deals.c, status: 'won' as const, version: 2 };
    expect(titles(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.won', deal: won }), 1)).toEqual(['d']);
    const deleted = { ...deals.b, version: 2 };
    expect(titles(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.deleted', deal: deleted }), 0)).toEqual(['a']);
    // On a board of all statuses the won card stays, changed.
    const all = applyRemoteDeal(before, 'pipeline-1', { ...defaultBoardFilters, status: 'all' }, { type: 'deal.won', deal: won });
    expect(all !== 'refetch' && all.columns[1]!.deals[0]!.status).toBe('won');
  });

  it('takes a card to another pipeline off this board', () => {
    const before = board();
    const elsewhere = { ...deals.b, pipeline_id: 'pipeline-2', stage_id: 'other', version: 2 };
    expect(titles(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.stage_changed', deal: elsewhere }), 0)).toEqual(['a']);
  });

  it('asks for a refetch when the board cannot place the change exactly', () => {
    const before = board();
    // A search only the server can match.
    const edited = { ...deals.a, version: 9 };
    expect(applyRemoteDeal(before, 'pipeline-1', { ...defaultBoardFilters, q: 'fleet' }, { type: 'deal.updated', deal: edited })).toBe('refetch');
    // A card the board has not loaded (a later page, or one that now matches the filter).
    const unseen = makeDeal({ id: 'z', stage_id: 'proposal', position: 'a2', version: 5 });
    expect(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.reopened', deal: unseen })).toBe('refetch');
    // A new card past the loaded page of a column that has more.
    const paged: Board = { ...before, columns: before.columns.map((column, i) => (i === 1 ? { ...column, next_cursor: 'next' } : column)) };
    const last = makeDeal({ id: 'y', stage_id: 'proposal', position: 'a9' });
    expect(applyRemoteDeal(paged, 'pipeline-1', defaultBoardFilters, { type: 'deal.created', deal: last })).toBe('refetch');
  });

  it('leaves a board alone for a deleted deal of another pipeline it never showed', () => {
    const before = board();
    const other = makeDeal({ id: 'q', pipeline_id: 'pipeline-2' });
    expect(applyRemoteDeal(before, 'pipeline-1', defaultBoardFilters, { type: 'deal.deleted', deal: other })).toBe(before);
  });
});

describe('matchesBoardFilters', () => {
  it('checks status, owner and whole tags, and leaves a search to the server', () => {
    const deal = makeDeal({ owner_id: 'u1', tags: ['VIP'] });
    expect(matchesBoardFilters(deal, 'pipeline-1', defaultBoardFilters)).toBe(true);
    expect(matchesBoardFilters(deal, 'pipeline-1', { ...defaultBoardFilters, ownerId: 'u2' })).toBe(false);
    expect(matchesBoardFilters(deal, 'pipeline-1', { ...defaultBoardFilters, tag: 'vip' })).toBe(true);
    expect(matchesBoardFilters(deal, 'pipeline-1', { ...defaultBoardFilters, tag: 'vi' })).toBe(false);
    expect(matchesBoardFilters(deal, 'pipeline-1', { ...defaultBoardFilters, q: 'x' })).toBeNull();
    expect(matchesBoardFilters(deal, 'pipeline-2', defaultBoardFilters)).toBe(false);
  });
});
