import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { describeError } from '../../../lib/api/describe-error';
import { isApiError } from '../../../lib/api/api-error';
import type { Activity } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { useMe } from '../../../lib/session/use-session';
import { type ActivityLink, useCreateActivity, useUpdateActivity } from '../api/activities';
import {
  type ActivityFormError,
  type ActivityMode,
  activityChanges,
  activityFormValues,
  activityInput,
  emptyActivityForm,
  logKinds,
  taskKinds,
} from '../utils/activity-form';
import { KindSelect, PrioritySelect } from './activity-selects';

interface ActivityFormProps {
  mode: ActivityMode;
  link: ActivityLink;
  i18n: I18n;
  onDone: () => void;
  /** The activity to edit; a new one when absent. */
  activity?: Activity;
}

/**
 * A new task (with its due date and time) or a logged call, meeting, email or note, for its
 * owner (the signed-in user unless another member is chosen); or an existing activity's edit.
 */
export function ActivityForm({ mode, link, i18n, onDone, activity }: ActivityFormProps) {
  const { t, locale } = i18n;
  const dates = useDateEntry();
  const create = useCreateActivity(link);
  const update = useUpdateActivity();
  const saving = activity ? update : create;
  const { members } = useMembers();
  const me = useMe().data?.user;
  const [values, setValues] = useState(() => (activity ? activityFormValues(activity, dates) : emptyActivityForm(mode, dates)));
  const [formErrors, setFormErrors] = useState<Record<string, ActivityFormError>>({});
  const serverErrors = localizedFieldErrors(saving.error, t);
  const errors: Record<string, string> = { ...serverErrors };
  for (const [field, code] of Object.entries(formErrors)) errors[field] = t(`activities.form.${code}`);
  const serverFieldErrors = Object.keys(serverErrors).length > 0;
  const stale = isApiError(saving.error) && saving.error.isStale;
  const change = (patch: Partial<typeof values>) => setValues({ ...values, ...patch });
  const kinds = activity ? [...new Set([activity.kind, ...(values.mode === 'task' ? taskKinds : logKinds)])] : mode === 'task' ? taskKinds : logKinds;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (activity) {
      const parsed = activityChanges(values, activity);
      if (!parsed.ok) {
        setFormErrors(parsed.errors);
        return;
      }
      setFormErrors({});
      update.mutate(
        { activity, input: parsed.value },
        {
          onSuccess: (saved) => {
            toast.success(t('activities.form.saved', { subject: saved.subject }));
            onDone();
          },
        },
      );
      return;
    }
    const parsed = activityInput(values, link);
    if (!parsed.ok) {
      setFormErrors(parsed.errors);
      return;
    }
    setFormErrors({});
    create.mutate(parsed.value, {
      onSuccess: (created) => {
        toast.success(t('activities.form.created', { subject: created.subject }));
        onDone();
      },
    });
  };

  return (
    <form
      className="form activity-form"
      onSubmit={submit}
      noValidate
      data-testid="activity-form"
      aria-label={
        activity ? t('activities.form.editTitle', { subject: activity.subject }) : t(mode === 'task' ? 'activities.form.taskTitle' : 'activities.form.logTitle')
      }
    >
      {stale && <FormAlert>{t('activities.form.stale')}</FormAlert>}
      {saving.error && !serverFieldErrors && !stale && <FormAlert>{describeError(saving.error, t)}</FormAlert>}
      {serverFieldErrors && <FormAlert>{t('errors.validation')}</FormAlert>}
      <div className="form__row">
        <KindSelect kinds={kinds} name="kind" value={values.kind} onChange={(kind) => change({ kind })} error={errors.kind} t={t} />
        <PrioritySelect name="priority" value={values.priority} onChange={(priority) => change({ priority })} error={errors.priority} t={t} />
        <SelectField
          label={t('activities.form.owner')}
          name="owner_id"
          value={values.ownerId || me?.id || ''}
          onChange={(event) => change({ ownerId: event.target.value })}
          error={errors.owner_id}
        >
          {me && <option value={me.id}>{t('activities.form.ownerMe', { name: me.name })}</option>}
          {members
            .filter((member) => member.id !== me?.id && (member.active || member.id === activity?.owner_id))
            .map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
        </SelectField>
      </div>
      <TextField
        label={t('activities.subject')}
        name="subject"
        value={values.subject}
        onChange={(event) => change({ subject: event.target.value })}
        error={errors.subject}
        autoFocus
      />
      {values.mode === 'task' && (
        <div className="form__row">
          <DateField
            label={t('activities.dueDate')}
            name="due_date"
            value={values.dueDate}
            onChange={(dueDate) => change({ dueDate })}
            error={errors.due_date ?? errors.due_at}
          />
          <TextField
            label={t('activities.dueTime')}
            name="due_time"
            {...(locale === 'fa' ? { dir: 'ltr', inputMode: 'numeric' as const, hint: t('activities.dueTimeHint') } : { type: 'time' })}
            value={values.dueTime}
            onChange={(event) => change({ dueTime: event.target.value })}
            error={errors.due_time}
          />
        </div>
      )}
      <TextAreaField
        label={t('activities.notes')}
        name="body"
        value={values.notes}
        onChange={(event) => change({ notes: event.target.value })}
        error={errors.body}
      />
      <div className="form__actions">
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={saving.isPending}>
          {saving.isPending
            ? t('activities.form.submitting')
            : activity
              ? t('activities.form.save')
              : t(mode === 'task' ? 'activities.form.submitTask' : 'activities.form.submitLog')}
        </Button>
      </div>
    </form>
  );
}
