import type { DisqualifyReason, LeadSource, LeadStatus } from '../../../lib/api/types';
import { disqualifyReasons, isOneOf, leadSources, leadStatuses } from '../../../lib/api/vocabularies';
import type { Translate } from '../../../lib/i18n/use-i18n';

/**
 * The API's lead vocabularies come from the OpenAPI document (lib/api/vocabularies.ts), in its
 * order. Each value has a label under `leads.statuses.*`, `leads.sources.*` or `leads.reasons.*`
 * in the locale files: the label functions below do not compile for a value without one.
 */
export { disqualifyReasons, leadSources, leadStatuses };

/** The label of a source; `other` is `otherSource` in the locale files (see en.ts). */
export function sourceLabel(source: LeadSource, t: Translate): string {
  return source === 'other' ? t('leads.sources.otherSource') : t(`leads.sources.${source}`);
}

export function reasonLabel(reason: DisqualifyReason, t: Translate): string {
  return reason === 'other' ? t('leads.reasons.otherReason') : t(`leads.reasons.${reason}`);
}

export function isLeadStatus(value: string | null): value is LeadStatus {
  return isOneOf(leadStatuses, value);
}

export function isLeadSource(value: string | null): value is LeadSource {
  return isOneOf(leadSources, value);
}

export function isDisqualifyReason(value: string): value is DisqualifyReason {
  return isOneOf(disqualifyReasons, value);
}

/**
 * What a likely duplicate can match on (`matched_on` of `GET /leads/{id}/duplicates`). The API
 * documents these values in prose only (a plain string array), so this list is the SPA's own.
 */
export const duplicateMatches = ['email', 'phone', 'name_and_company'] as const;

/** The label of a match; a value this SPA does not know yet is shown as the API wrote it. */
export function matchLabel(match: string, t: Translate): string {
  return (duplicateMatches as readonly string[]).includes(match) ? t(`leads.duplicates.matches.${match as (typeof duplicateMatches)[number]}`) : match;
}
