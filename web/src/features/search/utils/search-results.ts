import type { SearchHit, SearchHitType } from '../../../lib/api/types';
import { paths } from '../../../lib/paths';

/** The order the popup shows the kinds of hits in; the API ranks within and across them. */
export const hitTypes: readonly SearchHitType[] = ['deal', 'lead', 'contact', 'organization'];

export interface HitGroup {
  type: SearchHitType;
  /** The hits of this kind with their index in the flat option list (what the arrows move through). */
  options: { hit: SearchHit; index: number }[];
}

/**
 * The hits grouped by kind, in `hitTypes` order, keeping the API's order within a kind, and
 * numbered in the order they appear on screen so keyboard navigation follows what the user sees.
 */
export function groupHits(hits: readonly SearchHit[]): { groups: HitGroup[]; options: SearchHit[] } {
  const groups: HitGroup[] = [];
  const options: SearchHit[] = [];
  for (const type of hitTypes) {
    const ofType = hits.filter((hit) => hit.type === type);
    if (ofType.length === 0) continue;
    groups.push({ type, options: ofType.map((hit) => ({ hit, index: options.push(hit) - 1 })) });
  }
  return { groups, options };
}

/** Where opening a hit goes: a deal's drawer on its board, a lead's drawer in the inbox, a contact's or organization's page. */
export function hitTarget(hit: SearchHit): string | null {
  switch (hit.type) {
    case 'deal':
      return hit.pipeline_id ? paths.deal(hit.pipeline_id, hit.id) : null;
    case 'lead':
      return paths.lead(hit.id);
    case 'contact':
      return paths.contact(hit.id);
    case 'organization':
      return paths.organization(hit.id);
    default:
      return null;
  }
}

/** The next option the arrows land on, skipping none and wrapping around; -1 when there are none. */
export function stepOption(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/** Longest query the API takes. */
export const maxQueryLength = 100;

/** The query to send: trimmed, or null when there is nothing to look for. */
export function searchableQuery(text: string): string | null {
  const trimmed = text.trim();
  return trimmed.length === 0 ? null : trimmed.slice(0, maxQueryLength);
}
