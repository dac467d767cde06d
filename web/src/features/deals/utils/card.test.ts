import { describe, expect, it } from 'vitest';
import { makeDeal } from '../../../testing/factories';
import { cardOf, cardWeightedAmount } from './card';

describe('cardOf', () => {
  it('keeps what a card shows of a deal, and the next activity of the card it replaces', () => {
    const deal = makeDeal({ id: 'a', title: 'Fleet', tags: ['vip'], expected_close_date: '2027-01-10', custom_probability: 35, version: 4 });
    const card = cardOf(deal, { next_activity_at: '2026-12-01T09:00:00Z', overdue: true });
    expect(card).toMatchObject({ id: 'a', title: 'Fleet', tags: ['vip'], expected_close_date: '2027-01-10', version: 4, overdue: true });
    expect(card.next_activity_at).toBe('2026-12-01T09:00:00Z');
    for (const dropped of ['pipeline_id', 'stage_id', 'custom_fields', 'weighted_amount_minor', 'created_at', 'lost_reason']) {
      expect(card).not.toHaveProperty(dropped);
    }
    expect(cardOf(deal)).toMatchObject({ next_activity_at: null, overdue: false });
  });

  it('weighs a card by its own probability, else its stage’s', () => {
    expect(cardWeightedAmount(cardOf(makeDeal({ amount_minor: 333, custom_probability: null })), 50)).toBe(167);
    expect(cardWeightedAmount(cardOf(makeDeal({ amount_minor: 1_000, custom_probability: 35 })), 50)).toBe(350);
  });
});
