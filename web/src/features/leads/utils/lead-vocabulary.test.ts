import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import {
  disqualifyReasons,
  duplicateMatches,
  isDisqualifyReason,
  isLeadSource,
  isLeadStatus,
  leadSources,
  leadStatuses,
  matchLabel,
  reasonLabel,
  sourceLabel,
} from './lead-vocabulary';

const spec = JSON.parse(await readFile(new URL('../../../../../openapi/openapi.json', import.meta.url), 'utf8'));
const schemas = spec.components.schemas;

describe('lead vocabularies', () => {
  it('offer exactly the values the API accepts', () => {
    expect([...leadStatuses].sort()).toEqual([...schemas.LeadResponse.properties.status.enum].sort());
    expect([...leadSources].sort()).toEqual([...schemas.LeadInput.properties.source.enum].sort());
    expect([...disqualifyReasons].sort()).toEqual([...schemas.DisqualifyLeadRequest.properties.reason.enum].sort());
  });

  it('have a label for every value in both languages', () => {
    for (const [catalog, locale] of [
      [en, 'en'],
      [fa, 'fa'],
    ] as const) {
      const t: Translate = (key, params) => translate(catalog, locale, key, params);
      const labels = [...leadStatuses.map((status) => t(`leads.statuses.${status}`)), ...leadSources.map((source) => sourceLabel(source, t))];
      labels.push(...disqualifyReasons.map((reason) => reasonLabel(reason, t)), ...duplicateMatches.map((match) => matchLabel(match, t)));
      // A missing message renders as its key.
      for (const label of labels) expect(label).not.toMatch(/^leads\./);
    }
    expect(sourceLabel('other', (key) => key)).toBe('leads.sources.otherSource');
    expect(reasonLabel('no_budget', (key) => key)).toBe('leads.reasons.no_budget');
    // A match the API adds later shows as the API names it until it has a label.
    expect(matchLabel('name_and_company', (key) => key)).toBe('leads.duplicates.matches.name_and_company');
    expect(matchLabel('birthday', (key) => key)).toBe('birthday');
  });

  it('recognise their own values only', () => {
    expect(isLeadStatus('working')).toBe(true);
    expect(isLeadStatus('open')).toBe(false);
    expect(isLeadStatus(null)).toBe(false);
    expect(isLeadSource('email_campaign')).toBe(true);
    expect(isLeadSource('fax')).toBe(false);
    expect(isDisqualifyReason('no_budget')).toBe(true);
    expect(isDisqualifyReason('')).toBe(false);
  });
});
