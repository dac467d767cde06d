import type { operations } from '../../../lib/api/schema';
import type { Lead, LeadSource, LeadStatus } from '../../../lib/api/types';
import { openLeadStatuses } from './lead-vocabulary';

/** The inbox's status filter: one status, the open ones (new and working), or every lead. */
export type LeadStatusFilter = 'open' | LeadStatus | 'all';

export interface LeadFilters {
  status: LeadStatusFilter;
  source: LeadSource | null;
  /** Name, email, company or phone digits. */
  q: string;
  tag: string;
}

export const defaultLeadFilters: LeadFilters = { status: 'open', source: null, q: '', tag: '' };

export type LeadListQuery = NonNullable<operations['list_leads']['parameters']['query']>;

/**
 * One list request covers one status, or all of them. `GET /leads` takes a single status, so the
 * open inbox is two streams (new and working), each paged with its own cursor and merged here.
 */
export type LeadStream = LeadStatus | 'all';

export function streamsFor(status: LeadStatusFilter): LeadStream[] {
  return status === 'open' ? [...openLeadStatuses] : [status];
}

/** The query parameters of one stream's request (also those of the CSV export). */
export function leadListQuery(filters: LeadFilters, stream: LeadStream, page: { cursor?: string | null; limit?: number } = {}): LeadListQuery {
  const q = filters.q.trim();
  const tag = filters.tag.trim();
  return {
    sort: '-score',
    ...(stream !== 'all' ? { status: stream } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(q ? { q } : {}),
    ...(tag ? { tag } : {}),
    ...(page.limit ? { limit: page.limit } : {}),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** Whether any filter differs from the inbox's default view. */
export function isFiltered(filters: LeadFilters): boolean {
  return filters.status !== 'open' || filters.source !== null || filters.q.trim() !== '' || filters.tag.trim() !== '';
}

/** The API's order for `sort=-score`: best score first, then the larger id first. */
export function compareByScore(a: Pick<Lead, 'score' | 'id'>, b: Pick<Lead, 'score' | 'id'>): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** One stream's page, as a round of the inbox query fetched it. */
export interface StreamPage {
  stream: LeadStream;
  data: Lead[];
  next_cursor: string | null;
}

/** The cursor of each stream to fetch in the next round; null asks for a stream's first page. */
export type StreamCursors = Partial<Record<LeadStream, string | null>>;

export function firstCursors(streams: LeadStream[]): StreamCursors {
  return Object.fromEntries(streams.map((stream) => [stream, null]));
}

export interface MergedInbox {
  /** The leads that can be shown in their final order: none still to load sorts before any of them. */
  leads: Lead[];
  /** What to fetch for "load more", or null when every stream is exhausted. */
  next: StreamCursors | null;
}

/**
 * Merges the loaded pages of every stream into one list, best score first. A stream that has more
 * pages may still hold leads that sort before some loaded leads of another stream, so the list
 * stops at the earliest last-loaded lead of the unfinished streams; the rest waits until that
 * stream (the one to fetch next) has caught up. A lead seen twice (it changed status between two
 * pages) is shown once.
 */
export function mergeInbox(streams: LeadStream[], rounds: StreamPage[][]): MergedInbox {
  const loaded = new Map<LeadStream, { leads: Lead[]; cursor: string | null }>();
  for (const stream of streams) loaded.set(stream, { leads: [], cursor: null });
  const started = new Set<LeadStream>();
  for (const round of rounds) {
    for (const page of round) {
      const entry = loaded.get(page.stream);
      if (!entry) continue;
      entry.leads.push(...page.data);
      entry.cursor = page.next_cursor;
      started.add(page.stream);
    }
  }

  let boundary: Lead | null = null;
  let bottleneck: LeadStream | null = null;
  for (const stream of streams) {
    const entry = loaded.get(stream)!;
    const last = entry.leads.at(-1);
    const unfinished = !started.has(stream) || entry.cursor !== null;
    if (!unfinished) continue;
    if (!last) {
      // Not loaded yet (or an empty page with a cursor): nothing can be placed before it.
      return { leads: [], next: { [stream]: entry.cursor } };
    }
    if (!boundary || compareByScore(last, boundary) < 0) {
      boundary = last;
      bottleneck = stream;
    }
  }

  const seen = new Set<string>();
  const leads = [...loaded.values()]
    .flatMap((entry) => entry.leads)
    .sort(compareByScore)
    .filter((lead) => {
      if (seen.has(lead.id) || (boundary && compareByScore(lead, boundary) > 0)) return false;
      seen.add(lead.id);
      return true;
    });
  return { leads, next: bottleneck ? { [bottleneck]: loaded.get(bottleneck)!.cursor } : null };
}
