import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { ConfirmDeleteDialog } from '../../../components/confirm-delete-dialog';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Activity } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type ActivityLink, type SubjectName, useDeleteActivity, useToggleDone } from '../api/activities';
import { ActivityForm } from './activity-form';
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
 * due or was done, on the agenda what it is about, and buttons to edit (in place) or delete it.
 */
export function ActivityItem({ activity, i18n, about, now }: ActivityItemProps) {
  const { t, locale } = i18n;
  const toggle = useToggleDone();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
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

  if (editing) {
    return (
      <li className="activity activity--editing" data-testid="activity" data-activity-id={activity.id}>
        <ActivityForm mode="task" link={linkOf(activity)} activity={activity} i18n={i18n} onDone={() => setEditing(false)} />
      </li>
    );
  }

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
      <div className="activity__actions">
        <Button size="sm" variant="ghost" aria-label={t('activities.form.editNamed', { subject: activity.subject })} onClick={() => setEditing(true)}>
          {t('activities.form.edit')}
        </Button>
        <Button size="sm" variant="ghost" aria-label={t('activities.form.deleteNamed', { subject: activity.subject })} onClick={() => setDeleting(true)}>
          {t('activities.form.delete')}
        </Button>
      </div>
      {deleting && <DeleteActivity activity={activity} i18n={i18n} onClose={() => setDeleting(false)} />}
    </li>
  );
}

/** What an activity is about, as the link a form takes (the first of its links). */
function linkOf(activity: Activity): ActivityLink {
  if (activity.deal_id) return { deal_id: activity.deal_id };
  if (activity.lead_id) return { lead_id: activity.lead_id };
  if (activity.contact_id) return { contact_id: activity.contact_id };
  return { organization_id: activity.organization_id ?? '' };
}

function DeleteActivity({ activity, i18n, onClose }: { activity: Activity; i18n: I18n; onClose: () => void }) {
  const { t } = i18n;
  const remove = useDeleteActivity();
  return (
    <ConfirmDeleteDialog
      title={t('activities.form.deleteTitle', { subject: activity.subject })}
      body={t('activities.form.deleteBody')}
      error={remove.error}
      busy={remove.isPending}
      onDelete={() =>
        remove.mutate(activity, {
          onSuccess: () => {
            toast.success(t('activities.form.deleted', { subject: activity.subject }));
            onClose();
          },
        })
      }
      onClose={onClose}
      t={t}
    />
  );
}
