import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { ActivityKind, ActivityPriority, Stage } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useCreateTaskTemplate, useDeleteTaskTemplate, useTaskTemplates } from '../api/activities';
import { parseDueIn, taskKinds } from '../utils/activity-form';
import { kindIcons } from '../utils/activity-vocabulary';
import { KindSelect, PrioritySelect } from './activity-selects';
import { dueInParts } from '../utils/due';

/** A stage's follow-up tasks (admins and managers): every deal entering the stage gets them. */
export function StageTaskTemplates({ stage }: { stage: Stage }) {
  const i18n = useI18n();
  const { t } = i18n;
  const templates = useTaskTemplates(stage.id);
  const remove = useDeleteTaskTemplate(stage.id);
  const delay = (hours: number) => {
    const { count, unit } = dueInParts(hours);
    return t(`activities.templates.${unit}`, { count });
  };

  return (
    <div className="task-templates" data-testid="task-templates" aria-label={t('activities.templates.title')}>
      <h4 className="task-templates__title">{t('activities.templates.title')}</h4>
      <p className="muted">{t('activities.templates.intro')}</p>
      {templates.isPending && <Skeleton className="skeleton--line" />}
      {templates.isError && <ErrorState title={t('activities.templates.loadFailed')} error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data && templates.data.length === 0 && <p className="muted">{t('activities.templates.empty')}</p>}
      {templates.data && templates.data.length > 0 && (
        <ul className="task-templates__list">
          {templates.data.map((template) => (
            <li key={template.id} className="task-templates__item" data-testid="task-template">
              <span aria-hidden="true">{kindIcons[template.kind]}</span>
              <bdi className="task-templates__subject">{template.subject}</bdi>
              <span className="muted">
                {t(`activities.kinds.${template.kind}`)} · {t(`activities.priorities.${template.priority}`)} ·{' '}
                {t('activities.templates.dueAfter', { delay: delay(template.due_in_hours) })}
              </span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={t('activities.templates.deleteNamed', { subject: template.subject })}
                onClick={() =>
                  remove.mutate(template, {
                    onSuccess: () => toast.success(t('activities.templates.deleted', { subject: template.subject })),
                    onError: (error) => toast.error(describeError(error, t)),
                  })
                }
              >
                {t('activities.templates.delete')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <AddTemplateForm stage={stage} />
    </div>
  );
}

function AddTemplateForm({ stage }: { stage: Stage }) {
  const { t } = useI18n();
  const create = useCreateTaskTemplate(stage.id);
  const [subject, setSubject] = useState('');
  const [kind, setKind] = useState<ActivityKind>('task');
  const [priority, setPriority] = useState<ActivityPriority>('normal');
  const [dueIn, setDueIn] = useState('');
  const [unit, setUnit] = useState<'hours' | 'days'>('days');
  const [dueInInvalid, setDueInInvalid] = useState(false);
  const errors = fieldErrorMap(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const hours = parseDueIn(dueIn, unit);
    setDueInInvalid(hours === null);
    if (hours === null) return;
    create.mutate(
      { subject: subject.trim(), kind, priority, due_in_hours: hours },
      {
        onSuccess: (template) => {
          toast.success(t('activities.templates.added', { subject: template.subject }));
          setSubject('');
          setDueIn('');
        },
      },
    );
  };

  return (
    <form className="task-templates__form" onSubmit={submit} noValidate data-testid="task-template-form">
      {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
      <TextField
        label={t('activities.subject')}
        name="template-subject"
        value={subject}
        onChange={(event) => setSubject(event.target.value)}
        error={errors.subject}
      />
      <KindSelect kinds={taskKinds} name="template-kind" value={kind} onChange={setKind} t={t} />
      <PrioritySelect name="template-priority" value={priority} onChange={setPriority} t={t} />
      <TextField
        label={t('activities.templates.dueIn')}
        name="template-due-in"
        inputMode="numeric"
        value={dueIn}
        onChange={(event) => setDueIn(event.target.value)}
        error={dueInInvalid ? t('activities.templates.invalidDueIn') : errors.due_in_hours}
      />
      <SelectField
        label={t('activities.templates.unit')}
        name="template-unit"
        value={unit}
        onChange={(event) => setUnit(event.target.value === 'hours' ? 'hours' : 'days')}
      >
        <option value="hours">{t('activities.templates.hoursUnit')}</option>
        <option value="days">{t('activities.templates.daysUnit')}</option>
      </SelectField>
      <Button type="submit" size="sm" variant="primary" busy={create.isPending}>
        {create.isPending ? t('activities.templates.adding') : t('activities.templates.add')}
      </Button>
    </form>
  );
}
