import { useState } from 'react';
import { Link } from 'react-router';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Activity } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type SubjectName, useToggleDone } from '../api/activities';
import { formatDue } from '../utils/due';
import { kindIcons } from '../utils/activity-vocabulary';

interface ActivityItemProps {
  activity: Activity;
  i18n: I18n;
  /** What it is about, for the agenda (a drawer already says it); `pending` while its name loads. */
  about?: { kind: 'deal' | 'lead'; subject: SubjectName | undefined };
  now: Date;
}

/**
 * One activity: a checkbox to complete it (and undo), its kind, subject and priority, when it is
 * due or was done, and on the agenda what it is about.
 */
export function ActivityItem({ activity, i18n, about, now }: ActivityItemProps) {
  const { t, locale } = i18n;
  const toggle = useToggleDone();
  // The box follows the click at once (the cache update reaches this row a moment later).
  const [clicked, setClicked] = useState<boolean | null>(null);
  const done = clicked ?? activity.done_at != null;
  const checkable = activity.kind !== 'note';
  const due = activity.due_at ? formatDue(activity.due_at, locale, now) : null;
  const overdue = !done && activity.due_at != null && new Date(activity.due_at) < now;

  const onToggle = () => {
    setClicked(!done);
    toggle(activity, !done, {
      onSettled: () => setClicked(null),
      onSuccess: (saved) => toast.success(t(saved.done_at ? 'activities.completed' : 'activities.reopened', { subject: saved.subject })),
      onError: (error) => toast.error(t('activities.toggleFailed', { subject: activity.subject, reason: describeError(error, t) })),
    });
  };

  return (
    <li
      className={`activity ${done ? 'activity--done' : ''} ${overdue ? 'activity--overdue' : ''}`}
      data-testid="activity"
      data-activity-id={activity.id}
      data-done={done}
    >
      {checkable ? (
        <input
          type="checkbox"
          className="activity__check"
          checked={done}
          onChange={onToggle}
          aria-label={t('activities.complete', { subject: activity.subject })}
        />
      ) : (
        <span className="activity__check" aria-hidden="true" />
      )}
      <div className="activity__body">
        <p className="activity__subject">
          <span className="activity__kind">
            <span aria-hidden="true">{kindIcons[activity.kind]}</span> {t(`activities.kinds.${activity.kind}`)}
          </span>
          <bdi className="activity__title">{activity.subject}</bdi>
          {activity.priority !== 'normal' && (
            <span className={`priority priority--${activity.priority}`} data-testid="activity-priority">
              {t(`activities.priorities.${activity.priority}`)}
            </span>
          )}
        </p>
        <p className="activity__meta muted">
          {due && !done && (
            <span className="activity__due" data-testid="activity-due" title={t('activities.dueTitle', { date: due.absolute })}>
              {t('activities.due', { relative: due.relative })} · {due.absolute}
            </span>
          )}
          {done && activity.done_at && <span>{t('activities.doneOn', { date: i18n.dateTime(activity.done_at) })}</span>}
          {!done && !due && <span>{t('activities.loggedOn', { date: i18n.dateTime(activity.created_at) })}</span>}
          {activity.template_id && <span className="activity__template">{t('activities.section.fromTemplate')}</span>}
          {about && (
            <span className="activity__about" data-testid="activity-about">
              {about.subject ? (
                <Link to={about.subject.href}>{t('activities.about', { name: about.subject.name })}</Link>
              ) : (
                t('activities.about', { name: t(about.kind === 'deal' ? 'activities.aboutDeal' : 'activities.aboutLead') })
              )}
            </span>
          )}
        </p>
        {activity.body && (
          <p className="activity__notes" dir="auto">
            {activity.body}
          </p>
        )}
      </div>
    </li>
  );
}
