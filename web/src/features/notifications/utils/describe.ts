import type { Notification } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';

/** What the bell shows of one notification, worded in the reader's language. */
export interface NotificationView {
  title: string;
  detail: string | null;
  /** Where it opens, if anywhere. */
  href: string | null;
}

type Data = Record<string, unknown>;

function object(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function whereItOpens(n: Notification, data: Data): string | null {
  const deal = object(data.deal);
  if (n.deal_id && typeof deal.pipeline_id === 'string') return paths.deal(deal.pipeline_id, n.deal_id);
  if (n.lead_id) return paths.lead(n.lead_id);
  if (n.contact_id) return paths.contact(n.contact_id);
  if (n.organization_id) return paths.organization(n.organization_id);
  if (n.activity_id) return paths.agenda;
  return null;
}

/**
 * Words a notification from its structured `data` (the server sends facts, never sentences):
 * names and titles as they are, dates in the reader's calendar (Jalali in Persian) and digits.
 */
export function describeNotification(n: Notification, i18n: Pick<I18n, 't' | 'dateTime' | 'date'>): NotificationView {
  const { t } = i18n;
  const data = object(n.data);
  const actor = text(object(data.actor).name) || t('notifications.someone');
  const activity = object(data.activity);
  const subject = text(activity.subject);
  const due = text(activity.due_at);
  const href = whereItOpens(n, data);
  switch (n.kind) {
    case 'task_assigned':
      return {
        title: t('notifications.kinds.taskAssigned', { actor, subject }),
        detail: due ? t('notifications.due', { when: i18n.dateTime(due) }) : null,
        href,
      };
    case 'mention':
      return { title: t('notifications.kinds.mention', { actor, subject }), detail: text(data.excerpt) || null, href };
    case 'task_due':
      return { title: t('notifications.kinds.taskDue', { subject }), detail: due ? i18n.dateTime(due) : null, href };
    case 'task_overdue':
      return { title: t('notifications.kinds.taskOverdue', { subject }), detail: due ? t('notifications.due', { when: i18n.dateTime(due) }) : null, href };
    case 'deal_rotting': {
      const deal = object(data.deal);
      const days = typeof deal.rotting_days === 'number' ? deal.rotting_days : 0;
      return {
        title: t('notifications.kinds.dealRotting', { title: text(deal.title), stage: text(deal.stage_name), count: days }),
        detail: text(deal.stage_entered_at) ? t('notifications.since', { when: i18n.date(text(deal.stage_entered_at)) }) : null,
        href,
      };
    }
    case 'important_date': {
      const customer = text(object(data.customer).name);
      const date = object(data.date);
      const kind = text(date.kind);
      const what =
        kind === 'birthday'
          ? t('notifications.dates.birthday')
          : kind === 'anniversary'
            ? t('notifications.dates.anniversary')
            : kind === 'founding'
              ? t('notifications.dates.founding')
              : text(date.label) || t('notifications.dates.custom');
      const daysLeft = typeof data.days_left === 'number' ? data.days_left : 0;
      const when = daysLeft === 0 ? t('notifications.today') : daysLeft === 1 ? t('notifications.tomorrow') : t('notifications.inDays', { count: daysLeft });
      const on = text(data.on);
      const years = typeof data.years === 'number' ? t('notifications.years', { count: data.years }) : null;
      const detail = [on ? i18n.date(on) : null, years].filter(Boolean).join(' · ');
      return { title: t('notifications.kinds.importantDate', { customer, what, when }), detail: detail || null, href };
    }
    default:
      return { title: text(data.title) || t('notifications.kinds.generic'), detail: text(data.body) || null, href };
  }
}
