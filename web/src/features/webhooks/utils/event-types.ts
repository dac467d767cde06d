import type { TranslationKey } from '../../../lib/i18n/use-i18n';

/**
 * The event types a subscription can ask for, as named in the OpenAPI document's `webhooks`
 * section, with the locale key of each one's label.
 */
export const webhookEventTypes = ['deal.created', 'deal.updated', 'deal.stage_changed', 'deal.won', 'deal.lost', 'deal.reopened', 'deal.deleted'] as const;

const labels: Record<string, TranslationKey> = {
  'deal.created': 'webhooks.events.deal_created',
  'deal.updated': 'webhooks.events.deal_updated',
  'deal.stage_changed': 'webhooks.events.deal_stage_changed',
  'deal.won': 'webhooks.events.deal_won',
  'deal.lost': 'webhooks.events.deal_lost',
  'deal.reopened': 'webhooks.events.deal_reopened',
  'deal.deleted': 'webhooks.events.deal_deleted',
  ping: 'webhooks.events.ping',
};

/** The label of an event type; a type this version does not know yet shows its own name. */
export function eventLabel(type: string, t: (key: TranslationKey) => string): string {
  const key = labels[type];
  return key ? t(key) : type;
}

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export function isDeliveryStatus(value: string): value is DeliveryStatus {
  return (deliveryStatuses as readonly string[]).includes(value);
}
