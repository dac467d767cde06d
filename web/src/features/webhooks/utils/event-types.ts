import type { DeliveryStatus, EventType } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { deliveryStatuses, eventTypes, isOneOf } from '../../../lib/api/vocabularies';

/** The groups of the subscription editor, in the order it shows them. */
export const eventGroups = ['deals', 'leads', 'contacts', 'activities', 'files', 'emails', 'products', 'documents'] as const;
export type EventGroup = (typeof eventGroups)[number];

/**
 * Where the editor offers each event type the API has (`EventType`). A type the API adds does not
 * compile until it is placed here. `ping` is not offered: "Send a test ping" delivers one to the
 * subscription whatever types it asks for.
 */
const groupOf: Record<EventType, EventGroup | null> = {
  'deal.created': 'deals',
  'deal.updated': 'deals',
  'deal.stage_changed': 'deals',
  'deal.won': 'deals',
  'deal.lost': 'deals',
  'deal.reopened': 'deals',
  'deal.deleted': 'deals',
  'lead.created': 'leads',
  'lead.updated': 'leads',
  'lead.qualified': 'leads',
  'lead.disqualified': 'leads',
  'lead.deleted': 'leads',
  'lead.erased': 'leads',
  'opportunity.created': 'contacts',
  'contact.created': 'contacts',
  'contact.erased': 'contacts',
  'activity.created': 'activities',
  'task.completed': 'activities',
  'attachment.created': 'files',
  'attachment.deleted': 'files',
  'email.sent': 'emails',
  'email.failed': 'emails',
  'product.created': 'products',
  'product.updated': 'products',
  'product.deleted': 'products',
  'quote.created': 'documents',
  'quote.sent': 'documents',
  'quote.accepted': 'documents',
  'quote.rejected': 'documents',
  'quote.expired': 'documents',
  'quote.superseded': 'documents',
  'invoice.created': 'documents',
  'invoice.issued': 'documents',
  'invoice.paid': 'documents',
  'invoice.voided': 'documents',
  'invoice.deleted': 'documents',
  'payment.recorded': 'documents',
  ping: null,
};

/** The event types the editor offers in a group, in the API's order. */
export function eventTypesIn(group: EventGroup): EventType[] {
  return eventTypes.filter((type) => groupOf[type] === group);
}

/**
 * What a subscription asks for that the editor does not offer (a `ping`, or a type of a newer
 * server): shown checked apart from the groups, and kept unless the user unticks it.
 */
export function unofferedEventTypes(selected: readonly EventType[]): EventType[] {
  return selected.filter((type) => !isOneOf(eventTypes, type) || groupOf[type] === null);
}

/**
 * The subscription's event types after ticking (`on`) or unticking one: every other type it holds
 * stays, whether or not the editor offers it. Known types come in the API's order, then the rest
 * as they were.
 */
export function toggleEventType(selected: readonly EventType[], type: EventType, on: boolean): EventType[] {
  const next = new Set(selected);
  if (on) next.add(type);
  else next.delete(type);
  const known = eventTypes.filter((candidate) => next.has(candidate));
  const unknown = [...next].filter((candidate) => !isOneOf(eventTypes, candidate));
  return [...known, ...unknown];
}

/** `deal.stage_changed` → `deal_stage_changed`: a locale key, where a dot would nest. */
type LabelKey<T extends string> = T extends `${infer Head}.${infer Tail}` ? `${Head}_${Tail}` : T;

function labelKey<T extends EventType>(type: T): LabelKey<T> {
  return type.replace('.', '_') as LabelKey<T>;
}

/**
 * The label of an event type, `webhooks.events.*` in the locale files (a type without one does
 * not compile); a type of a newer server shows its own name.
 */
export function eventLabel(type: string, t: Translate): string {
  return isOneOf(eventTypes, type) ? t(`webhooks.events.${labelKey(type)}`) : type;
}

export function isDeliveryStatus(value: string): value is DeliveryStatus {
  return isOneOf(deliveryStatuses, value);
}
