import { describe, expect, it } from 'vitest';
import type { EventType } from '../../../lib/api/types';
import { eventTypes } from '../../../lib/api/vocabularies';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { eventGroups, eventLabel, eventTypesIn, isDeliveryStatus, toggleEventType, unofferedEventTypes } from './event-types';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);

describe('webhook event types', () => {
  it('offers every type the API has, each in one group, except the test ping', () => {
    const offered = eventGroups.flatMap((group) => eventTypesIn(group));
    expect(offered).toHaveLength(eventTypes.length - 1);
    expect([...offered].sort()).toEqual(eventTypes.filter((type) => type !== 'ping').sort());
    expect(eventTypesIn('deals')).toEqual(['deal.created', 'deal.updated', 'deal.stage_changed', 'deal.won', 'deal.lost', 'deal.reopened', 'deal.deleted']);
    expect(eventTypesIn('leads')).toEqual(['lead.created', 'lead.updated', 'lead.qualified', 'lead.disqualified', 'lead.deleted', 'lead.erased']);
    expect(eventTypesIn('contacts')).toEqual(['opportunity.created', 'contact.created', 'contact.erased']);
    expect(eventTypesIn('activities')).toEqual(['activity.created', 'task.completed']);
    expect(eventTypesIn('files')).toEqual(['attachment.created', 'attachment.deleted']);
    expect(eventTypesIn('emails')).toEqual(['email.sent', 'email.failed']);
    expect(eventTypesIn('products')).toEqual(['product.created', 'product.updated', 'product.deleted']);
    expect(eventTypesIn('documents')).toContain('payment.recorded');
  });

  it('keeps every type a subscription holds when one is ticked or unticked', () => {
    const held: EventType[] = ['lead.created', 'contact.created', 'activity.created', 'deal.won'];
    expect(toggleEventType(held, 'deal.lost', true)).toEqual(['deal.won', 'deal.lost', 'lead.created', 'contact.created', 'activity.created']);
    expect(toggleEventType(held, 'deal.won', false)).toEqual(['lead.created', 'contact.created', 'activity.created']);
    // What the editor does not offer stays too: a ping, or a type of a newer server.
    const withOthers = ['ping', 'refund.issued', 'deal.won'] as EventType[];
    expect(toggleEventType(withOthers, 'lead.deleted', true)).toEqual(['deal.won', 'lead.deleted', 'ping', 'refund.issued']);
    expect(toggleEventType(withOthers, 'ping', false)).toEqual(['deal.won', 'refund.issued']);
    expect(unofferedEventTypes(withOthers)).toEqual(['ping', 'refund.issued']);
    expect(unofferedEventTypes(held)).toEqual([]);
  });

  it('labels every type in English and Persian', () => {
    for (const t of [tEn, tFa]) {
      const labels = eventTypes.map((type) => eventLabel(type, t));
      for (const label of labels) expect(label).not.toMatch(/^webhooks\.|\./);
      expect(new Set(labels).size).toBe(eventTypes.length);
      for (const group of eventGroups) expect(t(`webhooks.eventGroups.${group}`)).not.toMatch(/^webhooks\./);
    }
    expect(eventLabel('lead.created', tEn)).toBe('Lead created');
    expect(eventLabel('contact.created', tFa)).toBe('ساخت مخاطب');
    expect(eventLabel('refund.issued', tEn)).toBe('refund.issued');
  });

  it('recognises the delivery statuses the API filters by', () => {
    expect(isDeliveryStatus('failed')).toBe(true);
    expect(isDeliveryStatus('')).toBe(false);
  });
});
