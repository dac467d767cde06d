import { isOneOf } from '../../../lib/api/vocabularies';
import { type BoardFilters, statusFilters } from '../api/board';

/**
 * The board's filters as a saved view holds them: the deal list's own query parameters
 * (`owner_id`, `q`, `status`, `tag`), with no status for "all". The pipeline is not part of it, so
 * one view filters any board.
 */
export function boardViewFilters(filters: BoardFilters): Record<string, string> {
  const q = filters.q.trim();
  const tag = filters.tag.trim();
  return {
    ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
    ...(q ? { q } : {}),
    ...(filters.status !== 'all' ? { status: filters.status } : {}),
    ...(tag ? { tag } : {}),
  };
}

/** The board's filters from a saved view's; a view without a status shows every deal, and filters the board has no control for are left out. */
export function boardFiltersFromView(filters: Record<string, unknown>): BoardFilters {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const status = text(filters.status);
  return {
    status: status !== 'all' && isOneOf(statusFilters, status) ? status : 'all',
    ownerId: text(filters.owner_id) || null,
    q: text(filters.q),
    tag: text(filters.tag),
  };
}
