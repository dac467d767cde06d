import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { FormAlert, TextAreaField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type ActivityLink, useCreateActivity } from '../api/activities';
import { type ActivityFormError, type ActivityMode, activityInput, emptyActivityForm, logKinds, taskKinds } from '../utils/activity-form';
import { KindSelect, PrioritySelect } from './activity-selects';

interface ActivityFormProps {
  mode: ActivityMode;
  link: ActivityLink;
  i18n: I18n;
  onDone: () => void;
}

/** A new task (with its due date and time) or a logged call, meeting, email or note. */
export function ActivityForm({ mode, link, i18n, onDone }: ActivityFormProps) {
  const { t, locale } = i18n;
  const create = useCreateActivity(link);
  const [values, setValues] = useState(() => emptyActivityForm(mode, locale));
  const [formErrors, setFormErrors] = useState<Record<string, ActivityFormError>>({});
  const errors: Record<string, string> = { ...fieldErrorMap(create.error) };
  for (const [field, code] of Object.entries(formErrors)) errors[field] = t(`activities.form.${code}`);
  const serverFieldErrors = Object.keys(fieldErrorMap(create.error)).length > 0;
  const change = (patch: Partial<typeof values>) => setValues({ ...values, ...patch });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = activityInput(values, link, locale);
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
      aria-label={t(mode === 'task' ? 'activities.form.taskTitle' : 'activities.form.logTitle')}
    >
      {create.error && !serverFieldErrors && <FormAlert>{describeError(create.error, t)}</FormAlert>}
      {serverFieldErrors && <FormAlert>{t('errors.validation')}</FormAlert>}
      <div className="form__row">
        <KindSelect
          kinds={mode === 'task' ? taskKinds : logKinds}
          name="kind"
          value={values.kind}
          onChange={(kind) => change({ kind })}
          error={errors.kind}
          t={t}
        />
        <PrioritySelect name="priority" value={values.priority} onChange={(priority) => change({ priority })} error={errors.priority} t={t} />
      </div>
      <TextField
        label={t('activities.subject')}
        name="subject"
        value={values.subject}
        onChange={(event) => change({ subject: event.target.value })}
        error={errors.subject}
        autoFocus
      />
      {mode === 'task' && (
        <div className="form__row">
          <DateField
            label={t('activities.dueDate')}
            name="due_date"
            hint={locale === 'fa' ? t('activities.dueDateHint') : undefined}
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
        <Button type="submit" variant="primary" busy={create.isPending}>
          {create.isPending ? t('activities.form.submitting') : t(mode === 'task' ? 'activities.form.submitTask' : 'activities.form.submitLog')}
        </Button>
      </div>
    </form>
  );
}
