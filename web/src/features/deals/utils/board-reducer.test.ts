import { describe, expect, it } from 'vitest';
import { makeBoard, makeDeal, makeStage } from '../../../testing/factories';
import { cardOf } from './card';
import { acceptServerDeal, appendColumnPage, findDeal, moveDeal, placeDeal, removeDeal, weightedAmount } from './board-reducer';

function fixture() {
  const lead = makeStage({ name: 'Lead', probability: 10 });
  const proposal = makeStage({ name: 'Proposal', probability: 60 });
  const a = makeDeal({ title: 'A', stage_id: lead.id, amount_minor: 10_000, probability: 10 });
  const b = makeDeal({ title: 'B', stage_id: lead.id, amount_minor: 20_000, probability: 10 });
  const c = makeDeal({ title: 'C', stage_id: lead.id, amount_minor: 5_000_000, currency: 'IRR', probability: 10 });
  const d = makeDeal({ title: 'D', stage_id: proposal.id, amount_minor: 30_000, probability: 60 });
  const board = makeBoard([
    { stage: lead, deals: [cardOf(a, { next_activity_at: '2026-01-05T09:00:00Z', overdue: true }), b, c] },
    { stage: proposal, deals: [d] },
  ]);
  // The board's cards, and the deals they show (as the server answers them).
  const [cardA, cardB, cardC] = board.columns[0]!.deals;
  const [cardD] = board.columns[1]!.deals;
  return { board, lead, proposal, a: cardA!, b: cardB!, c: cardC!, d: cardD!, deals: { a, b, c, d } };
}

const ids = (board: ReturnType<typeof fixture>['board'], column: number) => board.columns[column]!.deals.map((deal) => deal.title);
const now = '2026-11-24T10:00:00Z';

describe('moveDeal', () => {
  it('moves a card to another column at the drop index and updates counts and totals', () => {
    const { board, proposal, a } = fixture();
    const next = moveDeal(board, { dealId: a.id, toStageId: proposal.id, toIndex: 1, now });

    expect(ids(next, 0)).toEqual(['B', 'C']);
    expect(ids(next, 1)).toEqual(['D', 'A']);
    expect(next.columns[0]!.count).toBe(2);
    expect(next.columns[1]!.count).toBe(2);
    expect(next.columns[0]!.totals).toEqual([
      { currency: 'USD', amount_minor: 20_000, weighted_amount_minor: 2_000 },
      { currency: 'IRR', amount_minor: 5_000_000, weighted_amount_minor: 500_000 },
    ]);
    // A now follows the proposal stage's 60 %.
    expect(next.columns[1]!.totals).toEqual([{ currency: 'USD', amount_minor: 40_000, weighted_amount_minor: 24_000 }]);
  });

  it('gives a moved card the target stage, whose probability weighs it, and a fresh stage-entry time', () => {
    const { board, proposal, a } = fixture();
    const next = moveDeal(board, { dealId: a.id, toStageId: proposal.id, toIndex: 0, now });
    const moved = findDeal(next, a.id)!;
    expect(moved.stageId).toBe(proposal.id);
    expect(moved.deal).toMatchObject({ stage_entered_at: now, next_activity_at: '2026-01-05T09:00:00Z', overdue: true });
    expect(next.columns[1]!.totals[0]!.weighted_amount_minor).toBe(6_000 + 18_000);
  });

  it('keeps a custom probability when the card changes stage', () => {
    const { proposal, lead } = fixture();
    const own = makeDeal({ amount_minor: 10_000, probability: 35, custom_probability: 35 });
    const board = makeBoard([
      { stage: lead, deals: [own] },
      { stage: proposal, deals: [] },
    ]);
    const next = moveDeal(board, { dealId: own.id, toStageId: proposal.id, toIndex: 0, now });
    expect(findDeal(next, own.id)!.deal).toMatchObject({ custom_probability: 35 });
    expect(next.columns[1]!.totals).toEqual([{ currency: 'USD', amount_minor: 10_000, weighted_amount_minor: 3_500 }]);
  });

  it('reorders within a column without touching its count, totals or the other columns', () => {
    const { board, lead, a } = fixture();
    const next = moveDeal(board, { dealId: a.id, toStageId: lead.id, toIndex: 2, now });
    expect(ids(next, 0)).toEqual(['B', 'C', 'A']);
    expect(next.columns[0]!.count).toBe(3);
    expect(next.columns[0]!.totals).toEqual(board.columns[0]!.totals);
    expect(next.columns[1]).toBe(board.columns[1]);
    expect(findDeal(next, a.id)!.deal).toBe(a);
  });

  it('removes a currency from a column total when its last card leaves', () => {
    const { board, proposal, c } = fixture();
    const next = moveDeal(board, { dealId: c.id, toStageId: proposal.id, toIndex: 0, now });
    expect(next.columns[0]!.totals.map((total) => total.currency)).toEqual(['USD']);
    expect(next.columns[1]!.totals.map((total) => total.currency)).toEqual(['USD', 'IRR']);
  });

  it('leaves the board alone for an unknown card or column', () => {
    const { board, a } = fixture();
    expect(moveDeal(board, { dealId: 'nope', toStageId: board.columns[1]!.stage.id, toIndex: 0, now })).toBe(board);
    expect(moveDeal(board, { dealId: a.id, toStageId: 'nope', toIndex: 0, now })).toBe(board);
  });

  it('does not mutate its input', () => {
    const { board, proposal, a } = fixture();
    const snapshot = structuredClone(board);
    moveDeal(board, { dealId: a.id, toStageId: proposal.id, toIndex: 0, now });
    expect(board).toEqual(snapshot);
  });
});

describe('rollback with placeDeal', () => {
  it('restores the card, counts and totals exactly', () => {
    const { board, proposal, b } = fixture();
    const moved = moveDeal(board, { dealId: b.id, toStageId: proposal.id, toIndex: 0, now });
    const original = findDeal(board, b.id)!;
    const restored = placeDeal(moved, original.deal, original.stageId, original.index);
    expect(restored).toEqual(board);
  });

  it('keeps a concurrent move of another card while undoing this one', () => {
    const { board, proposal, a, d } = fixture();
    const first = moveDeal(board, { dealId: a.id, toStageId: proposal.id, toIndex: 0, now });
    const second = moveDeal(first, { dealId: d.id, toStageId: board.columns[0]!.stage.id, toIndex: 0, now });
    // The first move fails: only A goes back.
    const undone = placeDeal(second, a, board.columns[0]!.stage.id, 0);
    expect(ids(undone, 0)).toEqual(['A', 'D', 'B', 'C']);
    expect(ids(undone, 1)).toEqual([]);
  });
});

describe('acceptServerDeal', () => {
  it('adopts the server copy in place as a card, keeping its next activity and the totals in step', () => {
    const { board, proposal, a, deals } = fixture();
    const moved = moveDeal(board, { dealId: a.id, toStageId: proposal.id, toIndex: 0, now });
    const fromServer = { ...deals.a, stage_id: proposal.id, version: 2, position: 'a5', amount_minor: 20_000, probability: 60 };
    const next = acceptServerDeal(moved, fromServer);
    expect(findDeal(next, a.id)).toMatchObject({ index: 0, deal: { version: 2, position: 'a5', next_activity_at: '2026-01-05T09:00:00Z' } });
    expect(findDeal(next, a.id)!.deal).not.toHaveProperty('pipeline_id');
    expect(next.columns[1]!.totals[0]!.weighted_amount_minor).toBe(12_000 + 18_000);
  });

  it('ignores cards that are not on the board', () => {
    const { board } = fixture();
    expect(acceptServerDeal(board, makeDeal())).toBe(board);
  });
});

describe('removeDeal and appendColumnPage', () => {
  it('removes a card and its share of the totals', () => {
    const { board, b } = fixture();
    const next = removeDeal(board, b.id);
    expect(ids(next, 0)).toEqual(['A', 'C']);
    expect(next.columns[0]!.count).toBe(2);
    expect(next.columns[0]!.totals[0]).toEqual({ currency: 'USD', amount_minor: 10_000, weighted_amount_minor: 1_000 });
  });

  it('appends a page without duplicating cards already shown and keeps the count', () => {
    const { board, lead, deals } = fixture();
    const extra = makeDeal({ title: 'E' });
    const next = appendColumnPage(board, lead.id, [deals.a, extra], 'cursor-2');
    expect(next.columns[0]!.deals[3]).toEqual(cardOf(extra));
    expect(ids(next, 0)).toEqual(['A', 'B', 'C', 'E']);
    expect(next.columns[0]!.count).toBe(3);
    expect(next.columns[0]!.next_cursor).toBe('cursor-2');
  });
});

describe('weightedAmount', () => {
  it('rounds to whole minor units', () => {
    expect(weightedAmount(333, 50)).toBe(167);
    expect(weightedAmount(1_000, 0)).toBe(0);
    expect(weightedAmount(1_000, 100)).toBe(1_000);
  });
});
