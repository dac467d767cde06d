import { describe, expect, it } from 'vitest';
import type { Activity, Agenda } from '../../../lib/api/types';
import { agendaSections, openCount, replaceInAgenda, sortActivities, subjectOf, withDone } from './agenda';

function activity(id: string, patch: Partial<Activity> = {}): Activity {
  return {
    id,
    kind: 'task',
    subject: `Task ${id}`,
    owner_id: 'u1',
    priority: 'normal',
    version: 1,
    created_at: '2026-03-01T00:00:00Z',
    updated_at: '2026-03-01T00:00:00Z',
    due_at: '2026-03-21T12:00:00Z',
    done_at: null,
    ...patch,
  };
}

function agenda(overdue: Activity[], today: Activity[], upcoming: Activity[]): Agenda {
  return { today_starts_at: '2026-03-21T00:00:00Z', upcoming_ends_at: '2026-03-29T00:00:00Z', overdue, today, upcoming };
}

describe('agenda buckets', () => {
  it('lists overdue, today and upcoming in that order', () => {
    const a = agenda([activity('1')], [activity('2'), activity('3')], []);
    expect(agendaSections(a).map(({ bucket, items }) => [bucket, items.map((item) => item.id)])).toEqual([
      ['overdue', ['1']],
      ['today', ['2', '3']],
      ['upcoming', []],
    ]);
  });

  it('counts what is still open', () => {
    expect(openCount(agenda([activity('1')], [activity('2', { done_at: '2026-03-21T09:00:00Z' })], [activity('3')]))).toBe(2);
  });

  it('replaces a toggled activity in place, and a rollback puts the old copy back', () => {
    const before = agenda([], [activity('2'), activity('3')], []);
    const done = replaceInAgenda(before, withDone(activity('3'), '2026-03-21T09:00:00Z'));
    expect(done.today.map((item) => item.done_at)).toEqual([null, '2026-03-21T09:00:00Z']);
    expect(before.today[1]!.done_at).toBeNull();
    const rolledBack = replaceInAgenda(done, activity('3'));
    expect(rolledBack.today).toEqual(before.today);
  });
});

describe('subjectOf', () => {
  it('names the deal first, then the lead', () => {
    expect(subjectOf(activity('1', { deal_id: 'd', lead_id: 'l' }))).toEqual({ kind: 'deal', id: 'd' });
    expect(subjectOf(activity('1', { lead_id: 'l' }))).toEqual({ kind: 'lead', id: 'l' });
    expect(subjectOf(activity('1', { organization_id: 'o' }))).toBeNull();
  });
});

describe('sortActivities', () => {
  it('puts open ones first, soonest due, then what was done or logged, newest first', () => {
    const list = [
      activity('note', { kind: 'note', due_at: null, created_at: '2026-03-05T00:00:00Z' }),
      activity('later', { due_at: '2026-03-25T00:00:00Z' }),
      activity('done', { done_at: '2026-03-10T00:00:00Z' }),
      activity('sooner', { due_at: '2026-03-22T00:00:00Z' }),
      activity('undated', { due_at: null }),
    ];
    expect(sortActivities(list).map((item) => item.id)).toEqual(['sooner', 'later', 'undated', 'done', 'note']);
  });
});
