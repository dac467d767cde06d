import { describe, expect, it } from 'vitest';
import { makeDeal, makeLead } from '../../../testing/factories';
import { frameAction, parseEventId, streamEventNames, streamPath } from './frames';

const message = (type: string, data: unknown) => JSON.stringify({ type, timestamp: '2026-12-01T10:00:00Z', schema_version: 1, data });

describe('frameAction', () => {
  it('reads a deal event with its deal and, for a move, who moved it', () => {
    const deal = makeDeal({ version: 4 });
    expect(frameAction('deal.stage_changed', message('deal.stage_changed', { deal, actor_id: 'user-7', from_stage_id: 'a', to_stage_id: 'b' }))).toEqual({
      kind: 'deal',
      type: 'deal.stage_changed',
      deal,
      actorId: 'user-7',
    });
    expect(frameAction('deal.deleted', message('deal.deleted', { deal }))).toEqual({ kind: 'deal', type: 'deal.deleted', deal, actorId: null });
  });

  it('turns lead and activity events into list refreshes', () => {
    const lead = makeLead();
    expect(frameAction('lead.created', message('lead.created', { lead }))).toEqual({ kind: 'leads', lead });
    expect(frameAction('lead.erased', message('lead.erased', { lead_id: 'x' }))).toEqual({ kind: 'leads', lead: null });
    expect(frameAction('activity.created', message('activity.created', { activity: { id: 'a' } }))).toMatchObject({ kind: 'activities' });
    expect(frameAction('task.completed', message('task.completed', { activity: { id: 'a' } }))).toMatchObject({ kind: 'activities' });
  });

  it('turns quote, invoice and payment events into refreshes of the document they name', () => {
    expect(frameAction('quote.accepted', message('quote.accepted', { quote: { id: 'q1' } }))).toEqual({ kind: 'documents', quoteId: 'q1', invoiceId: null });
    expect(frameAction('invoice.issued', message('invoice.issued', { invoice: { id: 'i1' } }))).toEqual({ kind: 'documents', quoteId: null, invoiceId: 'i1' });
    expect(frameAction('payment.recorded', message('payment.recorded', { invoice: { id: 'i1' } }))).toEqual({
      kind: 'documents',
      quoteId: null,
      invoiceId: 'i1',
    });
    expect(frameAction('invoice.deleted', message('invoice.deleted', { invoice: {} }))).toEqual({ kind: 'documents', quoteId: null, invoiceId: null });
  });

  it('asks for a reload on reset, whatever its data', () => {
    expect(frameAction('reset', '{"reason":"unknown_or_expired_id"}')).toEqual({ kind: 'reset' });
    expect(frameAction('reset', '')).toEqual({ kind: 'reset' });
  });

  it('reads a notification of the user', () => {
    expect(frameAction('notification.created', message('notification.created', { notification: { id: 'n1' } }))).toEqual({ kind: 'notifications' });
    expect(frameAction('notification.created', message('notification.created', {}))).toEqual({ kind: 'ignore' });
  });

  it('ignores other kinds and malformed frames instead of throwing', () => {
    expect(frameAction('contact.created', message('contact.created', { contact: {} }))).toEqual({ kind: 'ignore' });
    expect(frameAction('deal.updated', 'not json')).toEqual({ kind: 'ignore' });
    expect(frameAction('deal.updated', message('deal.updated', { deal: { id: 1 } }))).toEqual({ kind: 'ignore' });
    expect(frameAction('deal.updated', JSON.stringify([1, 2]))).toEqual({ kind: 'ignore' });
  });
});

describe('stream frames', () => {
  it('listens to every event type but ping, and to reset', () => {
    expect(streamEventNames).toContain('deal.stage_changed');
    expect(streamEventNames).toContain('reset');
    expect(streamEventNames).toContain('notification.created');
    expect(streamEventNames).not.toContain('ping');
  });

  it('resumes only from numeric ids', () => {
    expect(parseEventId('42')).toBe(42);
    expect(parseEventId('')).toBeNull();
    expect(parseEventId('4x')).toBeNull();
    expect(parseEventId('-1')).toBeNull();
  });

  it('puts the ticket and the last id in the address', () => {
    expect(streamPath('st_abc', null)).toBe('/api/v1/stream?ticket=st_abc');
    expect(streamPath('st_a+b', 42)).toBe('/api/v1/stream?ticket=st_a%2Bb&last_event_id=42');
  });
});
