import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/i18n/translate';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { activityInput, emptyActivityForm, parseDueAt, parseDueIn, parseTime } from './activity-form';
import { activityKinds, activityPriorities } from './activity-vocabulary';
import { dateEntryOf } from '../../../lib/format/calendar';

const enDates = dateEntryOf('en');
const faDates = dateEntryOf('fa');

const spec = JSON.parse(await readFile(new URL('../../../../../openapi/openapi.json', import.meta.url), 'utf8'));

describe('activity vocabularies', () => {
  it('offer exactly the values the API accepts, each with a label in both languages', () => {
    expect([...activityKinds].sort()).toEqual([...spec.components.schemas.ActivityResponse.properties.kind.enum].sort());
    expect([...activityPriorities].sort()).toEqual([...spec.components.schemas.ActivityResponse.properties.priority.enum].sort());
    for (const [catalog, locale] of [
      [en, 'en'],
      [fa, 'fa'],
    ] as const) {
      for (const kind of activityKinds) expect(translate(catalog, locale, `activities.kinds.${kind}`)).not.toContain('activities.');
      for (const priority of activityPriorities) expect(translate(catalog, locale, `activities.priorities.${priority}`)).not.toContain('activities.');
    }
  });
});

describe('parseTime', () => {
  it('reads hours and minutes in any digits', () => {
    expect(parseTime('9:30')).toEqual({ hours: 9, minutes: 30 });
    expect(parseTime('۱۴:۰۵')).toEqual({ hours: 14, minutes: 5 });
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('noon')).toBeNull();
  });
});

describe('parseDueAt', () => {
  it('turns a local date and time into an instant', () => {
    expect(parseDueAt('2026-03-21', '14:30')).toEqual({ ok: true, value: new Date(2026, 2, 21, 14, 30).toISOString() });
  });

  it('reads a Jalali date in Persian', () => {
    expect(parseDueAt('۱۴۰۵/۰۱/۰۱', '۰۹:۰۰')).toEqual({ ok: true, value: new Date(2026, 2, 21, 9, 0).toISOString() });
  });

  it('leaves an empty date and time as no due time, and names the field that is wrong', () => {
    expect(parseDueAt('', '')).toEqual({ ok: true, value: null });
    expect(parseDueAt('21/03/2026', '10:00')).toEqual({ ok: false, field: 'due_date', code: 'invalidDate' });
    expect(parseDueAt('2026-03-21', '25:00')).toEqual({ ok: false, field: 'due_time', code: 'invalidTime' });
  });
});

describe('activityInput', () => {
  const now = new Date('2026-03-21T10:00:00Z');

  it('sends a task with its due time, linked to the deal', () => {
    const values = {
      ...emptyActivityForm('task', enDates, now),
      subject: ' Send the quote ',
      dueDate: '2026-03-22',
      dueTime: '10:00',
      priority: 'high' as const,
    };
    expect(activityInput(values, { deal_id: 'd1' }, now)).toEqual({
      ok: true,
      value: { kind: 'task', subject: 'Send the quote', body: null, priority: 'high', deal_id: 'd1', due_at: new Date(2026, 2, 22, 10, 0).toISOString() },
    });
  });

  it('logs a call as done now and a note as neither', () => {
    const call = { ...emptyActivityForm('log', enDates, now), subject: 'Called', notes: 'Wants a demo' };
    expect(activityInput(call, { lead_id: 'l1' }, now)).toEqual({
      ok: true,
      value: { kind: 'call', subject: 'Called', body: 'Wants a demo', priority: 'normal', lead_id: 'l1', done_at: now.toISOString() },
    });
    const note = { ...call, kind: 'note' as const };
    const parsed = activityInput(note, { lead_id: 'l1' }, now);
    expect(parsed.ok && 'done_at' in parsed.value).toBe(false);
  });

  it('reports a bad due date without sending', () => {
    const values = { ...emptyActivityForm('task', enDates, now), subject: 'X', dueDate: 'tomorrow' };
    expect(activityInput(values, { deal_id: 'd1' }, now)).toEqual({ ok: false, errors: { due_date: 'invalidDate' } });
  });

  it('starts a task at the next whole hour, in the locale’s digits and calendar', () => {
    const local = new Date(2026, 2, 21, 10, 20);
    expect(emptyActivityForm('task', enDates, local)).toMatchObject({ kind: 'task', dueDate: '2026-03-21', dueTime: '11:00' });
    expect(emptyActivityForm('task', faDates, local)).toMatchObject({ dueDate: '۱۴۰۵/۰۱/۰۱', dueTime: '۱۱:۰۰' });
    expect(emptyActivityForm('log', enDates, local).kind).toBe('call');
  });
});

describe('parseDueIn', () => {
  it('reads whole hours or days, up to a year', () => {
    expect(parseDueIn('2', 'days')).toBe(48);
    expect(parseDueIn('۶', 'hours')).toBe(6);
    expect(parseDueIn('1.5', 'days')).toBeNull();
    expect(parseDueIn('400', 'days')).toBeNull();
  });
});
