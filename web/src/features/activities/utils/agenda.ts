import type { Activity, Agenda } from '../../../lib/api/types';

export const agendaBuckets = ['overdue', 'today', 'upcoming'] as const;
export type AgendaBucket = (typeof agendaBuckets)[number];

/** The agenda's sections in the order they show, each with its activities. */
export function agendaSections(agenda: Agenda): { bucket: AgendaBucket; items: Activity[] }[] {
  return agendaBuckets.map((bucket) => ({ bucket, items: agenda[bucket] }));
}

/** Open activities in the agenda (done ones stay listed, checked, until it is read again). */
export function openCount(agenda: Agenda): number {
  return agendaBuckets.reduce((sum, bucket) => sum + agenda[bucket].filter((item) => !item.done_at).length, 0);
}

/** The activity marked done at `doneAt` (or open again for null): the optimistic copy. */
export function withDone(activity: Activity, doneAt: string | null): Activity {
  return { ...activity, done_at: doneAt };
}

/** Replaces the activity of the same id in a list, keeping its place; other lists are returned as they are. */
export function replaceInList(list: Activity[], next: Activity): Activity[] {
  return list.some((item) => item.id === next.id) ? list.map((item) => (item.id === next.id ? next : item)) : list;
}

/** Replaces the activity in whichever bucket of the agenda holds it. */
export function replaceInAgenda(agenda: Agenda, next: Activity): Agenda {
  return { ...agenda, overdue: replaceInList(agenda.overdue, next), today: replaceInList(agenda.today, next), upcoming: replaceInList(agenda.upcoming, next) };
}

/** What an agenda entry is about, in the order the SPA prefers to name it. */
export function subjectOf(activity: Activity): { kind: 'deal' | 'lead'; id: string } | null {
  if (activity.deal_id) return { kind: 'deal', id: activity.deal_id };
  if (activity.lead_id) return { kind: 'lead', id: activity.lead_id };
  return null;
}

/** Activities of a deal or lead, what is still to do first (soonest due), then what was done or logged, newest first. */
export function sortActivities(list: Activity[]): Activity[] {
  const open = (item: Activity) => !item.done_at && item.kind !== 'note';
  return [...list].sort((a, b) => {
    if (open(a) !== open(b)) return open(a) ? -1 : 1;
    if (open(a)) return (a.due_at ?? '\uffff').localeCompare(b.due_at ?? '\uffff');
    return (b.done_at ?? b.created_at).localeCompare(a.done_at ?? a.created_at);
  });
}
