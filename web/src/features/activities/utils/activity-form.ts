import { format as formatGregorian } from 'date-fns';
import type { Activity, ActivityKind, ActivityPriority, CreateActivityInput, UpdateActivityInput } from '../../../lib/api/types';
import { type DateEntry, isoDateText, isoOfDateText } from '../../../lib/format/calendar';
import { localizeDigits, toLatinDigits } from '../../../lib/format/digits';

/** A task is something to do by a time (it goes on the agenda); a log records what happened. */
export type ActivityMode = 'task' | 'log';

export const taskKinds = ['task', 'call', 'meeting', 'email'] as const satisfies readonly ActivityKind[];
export const logKinds = ['call', 'meeting', 'email', 'note'] as const satisfies readonly ActivityKind[];

/** What the activity form holds: the text of each field as typed. */
export interface ActivityFormValues {
  mode: ActivityMode;
  kind: ActivityKind;
  subject: string;
  /** On the workspace's calendar, in the language's digits (see `DateEntry`). */
  dueDate: string;
  /** HH:mm, in the locale's digits. */
  dueTime: string;
  priority: ActivityPriority;
  notes: string;
  /** The member it is for; empty for the signed-in user. */
  ownerId: string;
}

export type ActivityFormError = 'invalidDate' | 'invalidTime';

/** A new form: a task is due at the next whole hour (tomorrow's first hour when it is past 23:00). */
export function emptyActivityForm(mode: ActivityMode, dates: DateEntry, now: Date = new Date()): ActivityFormValues {
  const due = new Date(now);
  due.setMinutes(0, 0, 0);
  due.setHours(due.getHours() + 1);
  const isoDate = formatGregorian(due, 'yyyy-MM-dd');
  return {
    mode,
    kind: mode === 'task' ? 'task' : 'call',
    subject: '',
    dueDate: isoDateText(isoDate, dates),
    dueTime: localizeDigits(formatGregorian(due, 'HH:mm'), dates.locale),
    priority: 'normal',
    notes: '',
    ownerId: '',
  };
}

/** The form for an activity as it is: a task (anything with a due time) or a log. */
export function activityFormValues(activity: Activity, dates: DateEntry): ActivityFormValues {
  const due = activity.due_at ? new Date(activity.due_at) : null;
  const isoDate = due ? formatGregorian(due, 'yyyy-MM-dd') : '';
  return {
    mode: activity.due_at || activity.kind === 'task' ? 'task' : 'log',
    kind: activity.kind,
    subject: activity.subject,
    dueDate: isoDateText(isoDate, dates),
    dueTime: due ? localizeDigits(formatGregorian(due, 'HH:mm'), dates.locale) : '',
    priority: activity.priority,
    notes: activity.body ?? '',
    ownerId: activity.owner_id,
  };
}

export type ParsedActivityChanges = { ok: true; value: UpdateActivityInput } | { ok: false; errors: Record<string, ActivityFormError> };

/**
 * What an edit changes, and only that (the server's copy of the rest stays). The subject is sent
 * when changed even if blank, so that the server's message for it shows under the field.
 */
export function activityChanges(values: ActivityFormValues, activity: Activity): ParsedActivityChanges {
  const changes: UpdateActivityInput = {};
  if (values.kind !== activity.kind) changes.kind = values.kind;
  if (values.subject.trim() !== activity.subject) changes.subject = values.subject.trim();
  const body = values.notes.trim() || null;
  if (body !== (activity.body ?? null)) changes.body = body;
  if (values.priority !== activity.priority) changes.priority = values.priority;
  if (values.ownerId && values.ownerId !== activity.owner_id) changes.owner_id = values.ownerId;
  if (values.mode === 'task') {
    const due = parseDueAt(values.dueDate, values.dueTime);
    if (!due.ok) return { ok: false, errors: { [due.field]: due.code } };
    // The form shows minutes; a due time set to the second elsewhere is unchanged if its minute is.
    const before = activity.due_at ? new Date(Math.floor(Date.parse(activity.due_at) / 60_000) * 60_000).toISOString() : null;
    if (due.value !== before) changes.due_at = due.value;
  }
  return { ok: true, value: changes };
}

/** A typed time (`9:30`, `۱۴:۰۵`) as hours and minutes, or null. */
export function parseTime(text: string): { hours: number; minutes: number } | null {
  const match = /^(\d{1,2})[:٫.](\d{2})$/.exec(toLatinDigits(text.trim()));
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? { hours, minutes } : null;
}

/** The local date and time typed as an instant (ISO 8601, UTC), or the field that is wrong. */
export function parseDueAt(
  dueDate: string,
  dueTime: string,
): { ok: true; value: string | null } | { ok: false; field: 'due_date' | 'due_time'; code: ActivityFormError } {
  if (dueDate.trim() === '' && dueTime.trim() === '') return { ok: true, value: null };
  const isoDate = isoOfDateText(dueDate);
  if (!isoDate) return { ok: false, field: 'due_date', code: 'invalidDate' };
  const time = dueTime.trim() === '' ? { hours: 9, minutes: 0 } : parseTime(dueTime);
  if (!time) return { ok: false, field: 'due_time', code: 'invalidTime' };
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return { ok: true, value: new Date(year, month - 1, day, time.hours, time.minutes).toISOString() };
}

export type ParsedActivityForm = { ok: true; value: CreateActivityInput } | { ok: false; errors: Record<string, ActivityFormError> };

/**
 * The API's input for the form, linked to a deal, a lead, a contact or an organization. A task carries its due time; a
 * logged call, meeting or email is done now, and a note is neither. The subject is sent even
 * when blank, so that the server's message for it shows under the field.
 */
export function activityInput(
  values: ActivityFormValues,
  link: { deal_id: string } | { lead_id: string } | { contact_id: string } | { organization_id: string },
  now: Date = new Date(),
): ParsedActivityForm {
  const base: CreateActivityInput = {
    kind: values.kind,
    subject: values.subject.trim(),
    body: values.notes.trim() || null,
    priority: values.priority,
    ...(values.ownerId ? { owner_id: values.ownerId } : {}),
    ...link,
  };
  if (values.mode === 'log') return { ok: true, value: values.kind === 'note' ? base : { ...base, done_at: now.toISOString() } };
  const due = parseDueAt(values.dueDate, values.dueTime);
  if (!due.ok) return { ok: false, errors: { [due.field]: due.code } };
  return { ok: true, value: { ...base, due_at: due.value } };
}

/** The hours a template's "due in" field means: a whole number of hours or days, or null. */
export function parseDueIn(text: string, unit: 'hours' | 'days'): number | null {
  const normalized = toLatinDigits(text.trim());
  if (!/^\d{1,4}$/.test(normalized)) return null;
  const hours = Number(normalized) * (unit === 'days' ? 24 : 1);
  return hours <= 8784 ? hours : null;
}
