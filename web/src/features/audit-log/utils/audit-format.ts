// How an audit entry's `changes` read on screen: an update as each field's before → after, a
// create or delete as the stored fields.

export type ChangeRows =
  { kind: 'diff'; rows: { field: string; before: string; after: string }[] } | { kind: 'snapshot'; rows: { field: string; value: string }[] };

const limit = 120;

/** A stored value in a line of text: strings as they are, the rest as JSON, long ones cut. */
export function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '—' : JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function isDiff(value: unknown): value is { before: unknown; after: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).sort().join() === 'after,before';
}

/** The rows of an entry's changes, fields in the order the server wrote them. */
export function changeRows(changes: unknown): ChangeRows {
  const entries = typeof changes === 'object' && changes !== null && !Array.isArray(changes) ? Object.entries(changes) : [];
  if (entries.length > 0 && entries.every(([, value]) => isDiff(value))) {
    return {
      kind: 'diff',
      rows: entries.map(([field, value]) => {
        const diff = value as { before: unknown; after: unknown };
        return { field, before: formatValue(diff.before), after: formatValue(diff.after) };
      }),
    };
  }
  return { kind: 'snapshot', rows: entries.map(([field, value]) => ({ field, value: formatValue(value) })) };
}

/** The instant a day picked in a date field (YYYY-MM-DD) starts at, in the browser's zone; `days` later with `days`. */
export function startOfDay(day: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

/** The kinds of record the log names that the screen has words for; others show as the server names them. */
export const auditEntityTypes = [
  'deal',
  'lead',
  'contact',
  'organization',
  'opportunity',
  'activity',
  'pipeline',
  'stage',
  'user',
  'workspace',
  'api_key',
  'webhook',
  'custom_field',
  'exchange_rate',
  'lost_reason',
  'automation',
  'email_template',
  'attachment',
  'view',
  'email',
] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];

/** What the server's audit actions (`<entity>.<verb>`) say was done, that the screen has words for. */
export const auditVerbs = [
  'created',
  'updated',
  'deleted',
  'won',
  'lost',
  'moved',
  'stage_changed',
  'reopened',
  'completed',
  'qualified',
  'disqualified',
  'merged',
  'attached',
  'erased',
  'exported',
  'imported',
  'queued',
  'sent',
  'not_sent',
  'failed',
  'deactivated',
  'password_changed',
  'redelivered',
  'secret_rotated',
  'tested',
] as const;
export type AuditVerb = (typeof auditVerbs)[number];
