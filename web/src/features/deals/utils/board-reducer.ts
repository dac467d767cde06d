import type { Board, BoardColumn, CurrencyTotal, Deal } from '../../../lib/api/types';

/**
 * Pure functions that change a cached board the way the server is expected to, so that a move
 * shows at once (optimistic update) and can be undone exactly. They never mutate their input and
 * keep the identity of every column and card they do not touch, so memoized columns and cards do
 * not re-render.
 */

/** The weighted value the server computes: amount × probability %, rounded half away from zero. */
export function weightedAmount(amountMinor: number, probability: number): number {
  return Math.round((amountMinor * probability) / 100);
}

function addToTotals(totals: CurrencyTotal[], deal: Deal, sign: 1 | -1): CurrencyTotal[] {
  const index = totals.findIndex((total) => total.currency === deal.currency);
  if (index < 0) {
    if (sign < 0) return totals;
    return [...totals, { currency: deal.currency, amount_minor: deal.amount_minor, weighted_amount_minor: deal.weighted_amount_minor }];
  }
  const current = totals[index]!;
  const next: CurrencyTotal = {
    currency: current.currency,
    amount_minor: current.amount_minor + sign * deal.amount_minor,
    weighted_amount_minor: current.weighted_amount_minor + sign * deal.weighted_amount_minor,
  };
  if (next.amount_minor <= 0 && next.weighted_amount_minor <= 0) return totals.filter((_, i) => i !== index);
  return totals.map((total, i) => (i === index ? next : total));
}

function withoutDeal(column: BoardColumn, dealId: string): BoardColumn {
  const deal = column.deals.find((candidate) => candidate.id === dealId);
  if (!deal) return column;
  return {
    ...column,
    count: Math.max(0, column.count - 1),
    totals: addToTotals(column.totals, deal, -1),
    deals: column.deals.filter((candidate) => candidate.id !== dealId),
  };
}

function withDeal(column: BoardColumn, deal: Deal, index: number): BoardColumn {
  const deals = column.deals.filter((candidate) => candidate.id !== deal.id);
  const at = Math.max(0, Math.min(index, deals.length));
  deals.splice(at, 0, deal);
  return { ...column, count: column.count + 1, totals: addToTotals(column.totals, deal, 1), deals };
}

export interface DealLocation {
  stageId: string;
  index: number;
  deal: Deal;
}

/** Where a card is on the board, or null when it is not loaded. */
export function findDeal(board: Board, dealId: string): DealLocation | null {
  for (const column of board.columns) {
    const index = column.deals.findIndex((deal) => deal.id === dealId);
    if (index >= 0) return { stageId: column.stage.id, index, deal: column.deals[index]! };
  }
  return null;
}

/** Takes a card off the board (when it closes, is deleted or stops matching the filters). */
export function removeDeal(board: Board, dealId: string): Board {
  const location = findDeal(board, dealId);
  if (!location) return board;
  return {
    ...board,
    columns: board.columns.map((column) => (column.stage.id === location.stageId ? withoutDeal(column, dealId) : column)),
  };
}

/**
 * Puts `deal` at `index` of its `stage_id` column, wherever it was before (if anywhere), adjusting
 * both columns' counts and totals. The building block of moves, rollbacks and server echoes.
 */
export function placeDeal(board: Board, deal: Deal, index: number): Board {
  const location = findDeal(board, deal.id);
  return {
    ...board,
    columns: board.columns.map((column) => {
      let next = column;
      if (location && column.stage.id === location.stageId) next = withoutDeal(next, deal.id);
      if (column.stage.id === deal.stage_id) next = withDeal(next, deal, index);
      return next;
    }),
  };
}

export interface MoveIntent {
  dealId: string;
  toStageId: string;
  /** The card's index in the target column once it has left its source column. */
  toIndex: number;
  /** RFC 3339 time of the move, for the card's "days in stage". */
  now: string;
}

/**
 * The optimistic move: the card leaves its column and enters the target at `toIndex`. A deal
 * that follows its stage's probability takes the target stage's, and its weighted value with it.
 */
export function moveDeal(board: Board, intent: MoveIntent): Board {
  const location = findDeal(board, intent.dealId);
  const target = board.columns.find((column) => column.stage.id === intent.toStageId);
  if (!location || !target) return board;
  const changesStage = location.stageId !== intent.toStageId;
  const deal = location.deal;
  const probability = deal.custom_probability ?? (changesStage ? target.stage.probability : deal.probability);
  const moved: Deal = changesStage
    ? {
        ...deal,
        stage_id: intent.toStageId,
        stage_entered_at: intent.now,
        probability,
        weighted_amount_minor: weightedAmount(deal.amount_minor, probability),
      }
    : deal;
  return placeDeal(board, moved, intent.toIndex);
}

/**
 * Adopts the server's copy of a card (new version, position, weighted value) where the card is
 * now shown, keeping the column's totals in step. Cards not on the board are ignored.
 */
export function acceptServerDeal(board: Board, deal: Deal): Board {
  const location = findDeal(board, deal.id);
  if (!location) return board;
  const index = location.stageId === deal.stage_id ? location.index : Number.MAX_SAFE_INTEGER;
  return placeDeal(board, deal, index);
}

/** Appends a further page of a column's cards (skipping any already shown) and its cursor. */
export function appendColumnPage(board: Board, stageId: string, deals: Deal[], nextCursor: string | null): Board {
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage.id !== stageId) return column;
      const shown = new Set(column.deals.map((deal) => deal.id));
      return { ...column, deals: [...column.deals, ...deals.filter((deal) => !shown.has(deal.id))], next_cursor: nextCursor };
    }),
  };
}
