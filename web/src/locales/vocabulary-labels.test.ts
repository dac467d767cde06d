// Every value of each API vocabulary the SPA shows has a label in English and in Persian. The
// vocabularies are generated from the OpenAPI document (lib/api/vocabularies.ts), so a value the
// API adds fails here, and in the type check wherever a label is looked up with a template key.
import { describe, expect, it } from 'vitest';
import {
  activityKinds,
  activityPriorities,
  dealStatuses,
  deliveryStatuses,
  disqualifyReasons,
  errorCodes,
  eventTypes,
  funnelSteps,
  leadSources,
  leadStatuses,
  locales,
  visibilities,
} from '../lib/api/vocabularies';
import { translate } from '../lib/i18n/translate';
import type { TranslationKey } from '../lib/i18n/use-i18n';
import { en } from './en';
import { fa } from './fa';

// The key of each value's label; `other` is labelled by `otherSource`/`otherReason`, since a
// group with a key named `other` would read as plural forms.
const labelKeys: Record<string, TranslationKey[]> = {
  activityKinds: activityKinds.map((kind) => `activities.kinds.${kind}` as const),
  activityPriorities: activityPriorities.map((priority) => `activities.priorities.${priority}` as const),
  dealStatuses: dealStatuses.map((status) => `board.status.${status}` as const),
  deliveryStatuses: deliveryStatuses.map((status) => `webhooks.deliveryStatus.${status}` as const),
  disqualifyReasons: disqualifyReasons.map((reason) => (reason === 'other' ? 'leads.reasons.otherReason' : (`leads.reasons.${reason}` as const))),
  errorCodes: errorCodes.map((code) => `errors.codes.${code}` as const),
  eventTypes: eventTypes.map((type) => `webhooks.events.${type.replace('.', '_')}` as TranslationKey),
  funnelSteps: funnelSteps.map((step) => `reports.funnel.steps.${step}` as const),
  leadSources: leadSources.map((source) => (source === 'other' ? 'leads.sources.otherSource' : (`leads.sources.${source}` as const))),
  leadStatuses: leadStatuses.map((status) => `leads.statuses.${status}` as const),
  locales: locales.map((locale) => `languages.${locale}` as const),
  visibilities: visibilities.map((visibility) => `workspace.visibility.${visibility}` as const),
};

describe('vocabulary labels', () => {
  for (const [vocabulary, keys] of Object.entries(labelKeys)) {
    it(`label every value of ${vocabulary} in English and Persian`, () => {
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        // A missing message renders as its key.
        expect(translate(en, 'en', key), key).not.toBe(key);
        expect(translate(fa, 'fa', key), key).not.toBe(key);
        if (vocabulary !== 'locales') expect(translate(fa, 'fa', key), key).toMatch(/[\u0600-\u06FF]/);
      }
    });
  }
});
