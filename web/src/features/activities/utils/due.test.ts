import { describe, expect, it } from 'vitest';
import { dueInParts, formatDue, relativeDue } from './due';

const now = new Date('2026-03-21T10:00:00Z');

describe('relativeDue', () => {
  it('uses minutes under an hour, hours under a day, days beyond, negative in the past', () => {
    expect(relativeDue(new Date('2026-03-21T10:20:00Z'), now)).toEqual({ value: 20, unit: 'minute' });
    expect(relativeDue(new Date('2026-03-21T13:20:00Z'), now)).toEqual({ value: 3, unit: 'hour' });
    expect(relativeDue(new Date('2026-03-23T11:00:00Z'), now)).toEqual({ value: 2, unit: 'day' });
    expect(relativeDue(new Date('2026-03-21T07:00:00Z'), now)).toEqual({ value: -3, unit: 'hour' });
    expect(relativeDue(new Date('2026-03-18T09:00:00Z'), now)).toEqual({ value: -3, unit: 'day' });
    // A follow-up due 48 hours after it was made, read a moment later, is still two days away.
    expect(relativeDue(new Date(now.getTime() + 48 * 3_600_000 - 5_000), now)).toEqual({ value: 2, unit: 'day' });
  });
});

describe('formatDue', () => {
  it('reads relative and absolute in English', () => {
    const due = formatDue('2026-03-21T13:00:00Z', 'en', now);
    expect(due.relative).toBe('in 3 hours');
    expect(due.absolute).toMatch(/^21 Mar 2026, \d\d:\d\d$/);
    expect(formatDue('2026-03-19T09:00:00Z', 'en', now).relative).toBe('2 days ago');
  });

  it('reads in Persian digits and the Jalali calendar in Persian', () => {
    const due = formatDue('2026-03-21T13:00:00Z', 'fa', now);
    expect(due.relative).toMatch(/۳/);
    expect(due.relative).not.toMatch(/[0-9]/);
    // 21 March 2026 is 1 Farvardin 1405.
    expect(due.absolute).toMatch(/^۱ فروردین ۱۴۰۵/);
    expect(due.absolute).not.toMatch(/[0-9]/);
  });

  it('shows nothing for a malformed time', () => {
    expect(formatDue('soon', 'en', now)).toEqual({ relative: '', absolute: '' });
  });
});

describe('dueInParts', () => {
  it('shows whole days as days and anything else as hours', () => {
    expect(dueInParts(48)).toEqual({ count: 2, unit: 'days' });
    expect(dueInParts(36)).toEqual({ count: 36, unit: 'hours' });
    expect(dueInParts(0)).toEqual({ count: 0, unit: 'hours' });
  });
});
