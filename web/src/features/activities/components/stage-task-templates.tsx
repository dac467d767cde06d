import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { ActivityKind, ActivityPriority, CreateTaskTemplateInput, Stage, TaskTemplate } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useCreateTaskTemplate, useDeleteTaskTemplate, useTaskTemplates, useUpdateTaskTemplate } from '../api/activities';
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
  // The follow-up whose row is a form, if any.
  const [editing, setEditing] = useState<string | null>(null);
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
          {templates.data.map((template) =>
            template.id === editing ? (
              <li key={template.id} className="task-templates__item task-templates__item--editing" data-testid="task-template">
                <EditTemplateForm stage={stage} template={template} onDone={() => setEditing(null)} />
              </li>
            ) : (
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
                  aria-label={t('activities.templates.editNamed', { subject: template.subject })}
                  onClick={() => setEditing(template.id)}
                >
                  {t('activities.templates.edit')}
                </Button>
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
            ),
          )}
        </ul>
      )}
      <AddTemplateForm stage={stage} />
    </div>
  );
}

function AddTemplateForm({ stage }: { stage: Stage }) {
  const { t } = useI18n();
  const create = useCreateTaskTemplate(stage.id);
  return (
    <TemplateForm
      initial={{ subject: '', kind: 'task', priority: 'normal', due_in_hours: null }}
      error={create.error}
      busy={create.isPending}
      submitLabel={create.isPending ? t('activities.templates.adding') : t('activities.templates.add')}
      testId="task-template-form"
      onSubmit={(input, reset) =>
        create.mutate(input, {
          onSuccess: (template) => {
            toast.success(t('activities.templates.added', { subject: template.subject }));
            reset();
          },
        })
      }
    />
  );
}

function EditTemplateForm({ stage, template, onDone }: { stage: Stage; template: TaskTemplate; onDone: () => void }) {
  const { t } = useI18n();
  const update = useUpdateTaskTemplate(stage.id);
  return (
    <TemplateForm
      initial={template}
      error={update.error}
      busy={update.isPending}
      submitLabel={t('activities.templates.save')}
      testId="task-template-edit"
      onCancel={onDone}
      onSubmit={(input) =>
        update.mutate(
          { id: template.id, ...input },
          {
            onSuccess: (saved) => {
              toast.success(t('activities.templates.saved', { subject: saved.subject }));
              onDone();
            },
          },
        )
      }
    />
  );
}

interface TemplateFormProps {
  initial: { subject: string; kind: ActivityKind; priority: ActivityPriority; due_in_hours: number | null };
  error: unknown;
  busy: boolean;
  submitLabel: string;
  testId: string;
  onSubmit: (input: CreateTaskTemplateInput, reset: () => void) => void;
  onCancel?: () => void;
}

/** A follow-up's subject, kind, priority and delay (in hours or days): a new one's, or one being edited. */
function TemplateForm({ initial, error, busy, submitLabel, testId, onSubmit, onCancel }: TemplateFormProps) {
  const { t, locale } = useI18n();
  const delay = initial.due_in_hours === null ? null : dueInParts(initial.due_in_hours);
  const [subject, setSubject] = useState(initial.subject);
  const [kind, setKind] = useState<ActivityKind>(initial.kind);
  const [priority, setPriority] = useState<ActivityPriority>(initial.priority);
  const [dueIn, setDueIn] = useState(delay ? localizeDigits(String(delay.count), locale) : '');
  const [unit, setUnit] = useState<'hours' | 'days'>(delay?.unit ?? 'days');
  const [dueInInvalid, setDueInInvalid] = useState(false);
  const errors = fieldErrorMap(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const hours = parseDueIn(dueIn, unit);
    setDueInInvalid(hours === null);
    if (hours === null) return;
    onSubmit({ subject: subject.trim(), kind, priority, due_in_hours: hours }, () => {
      setSubject('');
      setDueIn('');
    });
  };

  return (
    <form className="task-templates__form" onSubmit={submit} noValidate data-testid={testId}>
      {error != null && Object.keys(errors).length === 0 && <FormAlert>{describeError(error, t)}</FormAlert>}
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
      <Button type="submit" size="sm" variant="primary" busy={busy}>
        {submitLabel}
      </Button>
      {onCancel && (
        <Button size="sm" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      )}
    </form>
  );
}
