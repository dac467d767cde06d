import { describe, expect, it } from 'vitest';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { formatDate, formatDateTime } from '../../../lib/format/dates';
import { translate } from '../../../lib/i18n/translate';
import type { Notification } from '../../../lib/api/types';
import { describeNotification } from './describe';

const i18nOf = (locale: 'en' | 'fa') => ({
  t: ((key: string, params?: Record<string, string | number>) => translate(locale === 'en' ? en : fa, locale, key, params)) as never,
  date: (value: string) => formatDate(value, locale),
  dateTime: (value: string) => formatDateTime(value, locale),
});

const base: Notification = {
  id: 'n1',
  user_id: 'u1',
  kind: 'task_assigned',
  data: {},
  deal_id: null,
  lead_id: null,
  contact_id: null,
  organization_id: null,
  activity_id: 'a1',
  created_at: '2026-12-05T10:00:00Z',
  read_at: null,
};

describe('describeNotification', () => {
  it('words an assignment from its data in either language', () => {
    const n = {
      ...base,
      lead_id: 'l1',
      data: { actor: { id: 'u2', name: 'Reza' }, activity: { id: 'a1', subject: 'Call Sara', kind: 'task', due_at: '2026-12-06T09:30:00Z' } },
    };
    const english = describeNotification(n, i18nOf('en'));
    expect(english.title).toBe('Reza gave you a task: “Call Sara”');
    expect(english.href).toBe('/leads/l1');
    const persian = describeNotification(n, i18nOf('fa'));
    expect(persian.title).toBe('Reza کاری به شما سپرد: «Call Sara»');
    // Jalali date, Persian digits: 6 December 2026 is 15 Azar 1405.
    expect(persian.detail).toContain('۱۵ آذر ۱۴۰۵');
  });

  it('words an important date with the days left and the age, and a rotting deal with its board link', () => {
    const date = {
      ...base,
      kind: 'important_date' as const,
      contact_id: 'c1',
      activity_id: null,
      data: { customer: { type: 'contact', id: 'c1', name: 'Sara' }, date: { kind: 'birthday' }, on: '2026-12-08', years: 36, days_left: 3 },
    };
    expect(describeNotification(date, i18nOf('en')).title).toBe('Sara: birthday in 3 days');
    const persian = describeNotification(date, i18nOf('fa'));
    expect(persian.title).toBe('Sara: تولد ۳ روز دیگر');
    expect(persian.detail).toContain('۳۶ سال');
    const rotting = {
      ...base,
      kind: 'deal_rotting' as const,
      deal_id: 'd1',
      activity_id: null,
      data: { deal: { id: 'd1', title: 'Fleet', pipeline_id: 'p1', stage_name: 'Quote', rotting_days: 1, stage_entered_at: '2026-12-01T10:00:00Z' } },
    };
    const view = describeNotification(rotting, i18nOf('en'));
    expect(view.title).toBe('“Fleet” has been idle in Quote for over 1 day');
    expect(view.href).toBe('/pipelines/p1/deals/d1');
  });

  it('falls back for a kind it does not know', () => {
    expect(describeNotification({ ...base, kind: 'automation', data: { title: 'Check the quote' } }, i18nOf('en')).title).toBe('Check the quote');
  });
});
