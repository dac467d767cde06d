import type { Card, Deal } from '../../../lib/api/types';

/**
 * A full deal (from `GET /deals`, a write's answer or the event stream) as the board's card of it.
 * Deals carry no next activity: the card keeps the one `previous` (the card shown before) had, and
 * a deal not on the board yet has none until the board is read again.
 */
export function cardOf(deal: Deal, previous?: Pick<Card, 'next_activity_at' | 'overdue'> | null): Card {
  return {
    id: deal.id,
    title: deal.title,
    amount_minor: deal.amount_minor,
    currency: deal.currency,
    custom_probability: deal.custom_probability ?? null,
    owner_id: deal.owner_id,
    status: deal.status,
    position: deal.position,
    stage_entered_at: deal.stage_entered_at,
    expected_close_date: deal.expected_close_date ?? null,
    contact_id: deal.contact_id ?? null,
    organization_id: deal.organization_id ?? null,
    tags: deal.tags,
    version: deal.version,
    next_activity_at: previous?.next_activity_at ?? null,
    overdue: previous?.overdue ?? false,
  };
}

/** The weighted value the server computes: amount × probability %, rounded half away from zero. */
export function weightedAmount(amountMinor: number, probability: number): number {
  return Math.round((amountMinor * probability) / 100);
}

/** A card's weighted amount in a stage of `stageProbability`, as the server computes it. */
export function cardWeightedAmount(card: Card, stageProbability: number): number {
  return weightedAmount(card.amount_minor, card.custom_probability ?? stageProbability);
}
