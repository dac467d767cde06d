import type { Activity, Deal, EventType, Lead } from '../../../lib/api/types';
import { eventTypes } from '../../../lib/api/vocabularies';

/** The deal events that change what a board or a deal's drawer shows. */
export type DealEventType = Extract<EventType, `deal.${string}`>;

/**
 * What one frame of the event stream asks the page to do:
 * - `deal`: a deal changed (its copy as the API returns it, and the user who moved it, if known);
 * - `leads` / `activities`: lists of that kind are out of date;
 * - `documents`: a quote or an invoice changed (a payment changes its invoice): its page and the
 *   lists of documents are out of date;
 * - `notifications`: a notification of the signed-in user's was created (the stream sends a user
 *   only their own);
 * - `reset`: the stream cannot replay what was missed, so everything shown must be reloaded;
 * - `ignore`: nothing this page shows (or a frame it cannot read).
 */
export type LiveAction =
  | { kind: 'deal'; type: DealEventType; deal: Deal; actorId: string | null }
  | { kind: 'leads'; lead: Lead | null }
  | { kind: 'activities'; activity: Activity | null }
  | { kind: 'documents'; quoteId: string | null; invoiceId: string | null }
  | { kind: 'notifications' }
  | { kind: 'reset' }
  | { kind: 'ignore' };

/** The event a user's own notification arrives as: streamed to them alone, never to webhooks. */
export const notificationEvent = 'notification.created';

/**
 * The `event:` names a stream listener subscribes to: every webhook type but `ping`, the user's
 * notifications, and `reset`.
 */
export const streamEventNames: readonly string[] = [...eventTypes.filter((type) => type !== 'ping'), notificationEvent, 'reset'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): string | null {
  return isObject(value) && typeof value.id === 'string' ? value.id : null;
}

function isDeal(value: unknown): value is Deal {
  return isObject(value) && typeof value.id === 'string' && typeof value.pipeline_id === 'string' && typeof value.version === 'number';
}

/**
 * Reads one event frame: `type` is its `event:` line and `data` its `data:` line, the webhook
 * message `{type, timestamp, schema_version, data}`. Malformed data is ignored rather than thrown,
 * so one odd frame never stops the stream.
 */
export function frameAction(type: string, data: string): LiveAction {
  if (type === 'reset') return { kind: 'reset' };
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return { kind: 'ignore' };
  }
  const payload = isObject(message) && isObject(message.data) ? message.data : null;
  if (!payload) return { kind: 'ignore' };
  if (type.startsWith('deal.')) {
    if (!isDeal(payload.deal)) return { kind: 'ignore' };
    const actorId = typeof payload.actor_id === 'string' ? payload.actor_id : null;
    return { kind: 'deal', type: type as DealEventType, deal: payload.deal, actorId };
  }
  if (type.startsWith('lead.')) return { kind: 'leads', lead: isObject(payload.lead) ? (payload.lead as unknown as Lead) : null };
  if (type === notificationEvent) return isObject(payload.notification) ? { kind: 'notifications' } : { kind: 'ignore' };
  if (type.startsWith('quote.')) return { kind: 'documents', quoteId: idOf(payload.quote), invoiceId: null };
  // A payment's event carries its invoice as it is after it.
  if (type.startsWith('invoice.') || type.startsWith('payment.')) return { kind: 'documents', quoteId: null, invoiceId: idOf(payload.invoice) };
  if (type.startsWith('activity.') || type === 'task.completed') {
    return { kind: 'activities', activity: isObject(payload.activity) ? (payload.activity as unknown as Activity) : null };
  }
  return { kind: 'ignore' };
}

/** Whether a frame's `id:` is a sequence number worth resuming from (a number, not empty). */
export function parseEventId(id: string): number | null {
  if (!/^\d+$/.test(id)) return null;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : null;
}

/** The stream's address: the single-use ticket, and where to resume from if anything was received. */
export function streamPath(ticket: string, lastEventId: number | null): string {
  const query = new URLSearchParams({ ticket });
  if (lastEventId !== null) query.set('last_event_id', String(lastEventId));
  return `/api/v1/stream?${query.toString()}`;
}
