import type { DisqualifyReason, LeadSource, LeadStatus } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';

/**
 * The API's lead vocabularies, in the order the SPA offers them. Each value has a label under
 * `leads.statuses.*`, `leads.sources.*` or `leads.reasons.*` in the locale files; a unit test
 * checks the lists against the OpenAPI document.
 */
export const leadStatuses = ['new', 'working', 'qualified', 'disqualified'] as const satisfies readonly LeadStatus[];

export const leadSources = [
  'website',
  'social',
  'exhibition',
  'event',
  'email_campaign',
  'phone',
  'referral',
  'other',
] as const satisfies readonly LeadSource[];

export const disqualifyReasons = [
  'no_budget',
  'no_need',
  'no_authority',
  'bad_timing',
  'wrong_contact',
  'unreachable',
  'competitor',
  'duplicate',
  'other',
] as const satisfies readonly DisqualifyReason[];

/** The label of a source; `other` is `otherSource` in the locale files (see en.ts). */
export function sourceLabel(source: LeadSource, t: Translate): string {
  return source === 'other' ? t('leads.sources.otherSource') : t(`leads.sources.${source}`);
}

export function reasonLabel(reason: DisqualifyReason, t: Translate): string {
  return reason === 'other' ? t('leads.reasons.otherReason') : t(`leads.reasons.${reason}`);
}

export function isLeadStatus(value: string | null): value is LeadStatus {
  return (leadStatuses as readonly (string | null)[]).includes(value);
}

export function isLeadSource(value: string | null): value is LeadSource {
  return (leadSources as readonly (string | null)[]).includes(value);
}

export function isDisqualifyReason(value: string): value is DisqualifyReason {
  return (disqualifyReasons as readonly string[]).includes(value);
}

/** What a likely duplicate can match on (`matched_on` of `GET /leads/{id}/duplicates`). */
export const duplicateMatches = ['email', 'phone', 'name_and_company'] as const;

/** The label of a match; a value this SPA does not know yet is shown as the API wrote it. */
export function matchLabel(match: string, t: Translate): string {
  return (duplicateMatches as readonly string[]).includes(match) ? t(`leads.duplicates.matches.${match as (typeof duplicateMatches)[number]}`) : match;
}
