import { format as formatGregorian, isValid, parseISO } from 'date-fns';
import type { ActivityKind, EmailStatus } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import { paths } from '../../../lib/paths';
import type { TimelineEntry } from '../api/customer-page';

/** The kinds of timeline entry as the page tells them apart (a deal's action, an activity's kind). */
export type EntryTone = 'deal' | 'won' | 'lost' | 'activity' | 'note' | 'attachment' | 'lead' | 'email';

/** A glyph beside each entry (decorative: the entry's label always says what it is). */
export const entryIcons: Record<EntryTone | ActivityKind, string> = {
  deal: '◆',
  won: '✓',
  lost: '✕',
  activity: '•',
  note: '✎',
  attachment: '▤',
  lead: '★',
  task: '☑',
  call: '☎',
  meeting: '👥',
  email: '✉',
};

/**
 * The message that names an entry: a key under `customerPage.timeline.entry` and its values.
 * `moved` names the stage the deal went to when the caller knows it.
 */
export type EntryLabel =
  | { key: 'dealOpened' | 'dealWon' | 'dealLost'; title: string }
  | { key: 'dealMoved'; title: string; stageId: string | null }
  | { key: 'activity'; kind: ActivityKind; subject: string }
  | { key: 'note'; subject: string }
  | { key: 'attachment'; fileName: string }
  | { key: 'leadCaptured' | 'leadQualified'; name: string }
  | { key: 'email'; subject: string; status: EmailStatus };

/** Where an entry links to: a deal opens in its drawer on its board, a lead in the inbox. */
export type EntryLink = { kind: 'deal'; href: string; pipelineId: string } | { kind: 'lead'; href: string } | null;

export interface EntryView {
  tone: EntryTone;
  icon: string;
  label: EntryLabel;
  /** More text below the label: a note's or activity's body, a lost deal's reason. */
  detail: string | null;
  link: EntryLink;
}

/** How a timeline entry shows: its tone and glyph, the message naming it, and where it links. */
export function describeEntry(entry: TimelineEntry): EntryView {
  switch (entry.kind) {
    case 'deal': {
      const link: EntryLink = { kind: 'deal', href: paths.deal(entry.deal.pipeline_id, entry.deal.id), pipelineId: entry.deal.pipeline_id };
      const title = entry.deal.title;
      switch (entry.action) {
        case 'opened':
          return { tone: 'deal', icon: entryIcons.deal, label: { key: 'dealOpened', title }, detail: null, link };
        case 'moved':
          return { tone: 'deal', icon: entryIcons.deal, label: { key: 'dealMoved', title, stageId: entry.to_stage_id ?? null }, detail: null, link };
        case 'won':
          return { tone: 'won', icon: entryIcons.won, label: { key: 'dealWon', title }, detail: null, link };
        case 'lost':
          return { tone: 'lost', icon: entryIcons.lost, label: { key: 'dealLost', title }, detail: entry.deal.lost_reason ?? null, link };
      }
      break;
    }
    case 'activity':
      return {
        tone: 'activity',
        icon: entryIcons[entry.activity.kind],
        label: { key: 'activity', kind: entry.activity.kind, subject: entry.activity.subject },
        detail: entry.activity.body ?? null,
        link: null,
      };
    case 'note':
      return { tone: 'note', icon: entryIcons.note, label: { key: 'note', subject: entry.activity.subject }, detail: entry.activity.body ?? null, link: null };
    case 'attachment':
      return { tone: 'attachment', icon: entryIcons.attachment, label: { key: 'attachment', fileName: entry.attachment.file_name }, detail: null, link: null };
    case 'email':
      return {
        tone: 'email',
        icon: entryIcons.email,
        label: { key: 'email', subject: entry.email.subject, status: entry.email.status },
        // Why it failed; an email not sent for want of an SMTP server says so in its label.
        detail: entry.email.status === 'failed' ? (entry.email.last_error ?? null) : null,
        link: null,
      };
    case 'lead':
      return {
        tone: 'lead',
        icon: entryIcons.lead,
        label: { key: entry.action === 'captured' ? 'leadCaptured' : 'leadQualified', name: entry.name },
        detail: null,
        link: { kind: 'lead', href: paths.lead(entry.lead_id) },
      };
  }
  // The API added a kind this build does not know: show it as a plain activity-like entry.
  const unknown = entry as { kind: string };
  return { tone: 'activity', icon: entryIcons.activity, label: { key: 'note', subject: unknown.kind }, detail: null, link: null };
}

export interface TimelineDay {
  /** The local calendar day, YYYY-MM-DD. */
  day: string;
  entries: TimelineEntry[];
}

/**
 * The entries by local calendar day, keeping their order (newest first). Entries of one day that
 * arrive on two pages join the same day.
 */
export function groupByDay(entries: readonly TimelineEntry[]): TimelineDay[] {
  const days: TimelineDay[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    // A page boundary can repeat an entry the previous page ended with: show it once.
    if (seen.has(`${entry.kind}:${entry.id}`)) continue;
    seen.add(`${entry.kind}:${entry.id}`);
    const at = parseISO(entry.at);
    const day = isValid(at) ? formatGregorian(at, 'yyyy-MM-dd') : '';
    const last = days[days.length - 1];
    if (last && last.day === day) last.entries.push(entry);
    else days.push({ day, entries: [entry] });
  }
  return days;
}

/** A file size in the largest unit that keeps it at least 1: bytes, KB, MB (binary multiples). */
export function fileSize(bytes: number): { value: number; unit: 'bytes' | 'kb' | 'mb' } {
  if (bytes < 1024) return { value: bytes, unit: 'bytes' };
  if (bytes < 1024 * 1024) return { value: Math.round((bytes / 1024) * 10) / 10, unit: 'kb' };
  return { value: Math.round((bytes / (1024 * 1024)) * 10) / 10, unit: 'mb' };
}

/** The local time of day an entry happened, `14:05`, in the locale's digits. */
export function timeOfDay(at: string, locale: string): string {
  const date = parseISO(at);
  return isValid(date) ? localizeDigits(formatGregorian(date, 'HH:mm'), locale) : '';
}
