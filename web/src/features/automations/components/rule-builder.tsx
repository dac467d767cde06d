import { type FormEvent, type ReactNode, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import type { Pipeline, User } from '../../../lib/api/types';
import { dealStatuses, leadSources, leadStatuses } from '../../../lib/api/vocabularies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import {
  type ActionRow,
  type ActionType,
  actionsFor,
  changeTrigger,
  type ConditionRow,
  actionLabel,
  customField,
  fieldLabel,
  operatorLabel,
  emptyAction,
  emptyCondition,
  hasCustomFields,
  type Operator,
  operatorsFor,
  type Recipient,
  type RuleForm,
  formProblems,
  type FormProblem,
  splitFieldErrors,
  scheduledTriggers,
  type Subject,
  subjectFields,
  subjectOf,
  triggerLabel,
  triggerTypes,
  type ValueKind,
  valueKindOf,
  isTriggerType,
} from '../utils/rule-form';
import './automations.css';

export interface RuleBuilderProps {
  initial: RuleForm;
  pipelines: Pipeline[];
  /** The server's field errors by path (`actions[1].stage_id`), shown at their rows. */
  fieldErrors: Record<string, string>;
  /** A message for the whole form (a refusal no field explains, or a stale save). */
  alert?: ReactNode;
  busy: boolean;
  submitLabel: string;
  onSubmit: (form: RuleForm) => void;
}

/** The rule-level paths the builder shows beside their field; others are listed under the alert. */
const shownRulePaths = ['name', 'trigger', 'trigger.type', 'trigger.stage_id', 'trigger.days_before', 'conditions', 'actions'];

/** The automation builder: a trigger, conditions that must all hold, and actions run in order. */
export function RuleBuilder({ initial, pipelines, fieldErrors, alert, busy, submitLabel, onSubmit }: RuleBuilderProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState(initial);
  // Numbers that do not read are held back before sending, and shown where the server's would be.
  const [problems, setProblems] = useState<Record<string, FormProblem>>({});
  const hasProblems = Object.keys(problems).length > 0;
  const errors = splitFieldErrors({
    ...(hasProblems ? {} : fieldErrors),
    ...Object.fromEntries(Object.entries(problems).map(([path, problem]) => [path, t(`automations.builder.problems.${problem}`)])),
  });
  const members = useMembers().members.filter((member) => member.active);
  const subject = subjectOf(form.trigger);

  const setCondition = (index: number, patch: Partial<ConditionRow>) =>
    setForm((current) => ({ ...current, conditions: current.conditions.map((row, at) => (at === index ? { ...row, ...patch } : row)) }));
  const setAction = (index: number, patch: Partial<ActionRow>) =>
    setForm((current) => ({ ...current, actions: current.actions.map((row, at) => (at === index ? { ...row, ...patch } : row)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = formProblems(form);
    setProblems(found);
    if (Object.keys(found).length === 0) onSubmit(form);
  };

  return (
    <form className="form rule-builder" onSubmit={submit} noValidate data-testid="rule-builder">
      {hasProblems ? <FormAlert>{t('errors.validation')}</FormAlert> : alert}
      {Object.entries(errors.rule)
        .filter(([path]) => !shownRulePaths.includes(path))
        .map(([path, message]) => (
          <p key={path} className="field__error" dir="auto">
            {message}
          </p>
        ))}
      <TextField
        label={t('automations.builder.name')}
        value={form.name}
        maxLength={120}
        onChange={(event) => setForm({ ...form, name: event.target.value })}
        error={errors.rule['name']}
        placeholder={t('automations.builder.namePlaceholder')}
      />
      <label className="checkbox">
        <input type="checkbox" checked={form.active} onChange={(event) => setForm({ ...form, active: event.target.checked })} />
        {t('automations.builder.active')}
      </label>

      <fieldset className="rule-builder__group" data-testid="rule-trigger">
        <legend className="rule-builder__legend">{t('automations.builder.trigger')}</legend>
        <div className="rule-row">
          <SelectField
            label={t('automations.builder.when')}
            value={form.trigger}
            onChange={(event) => isTriggerType(event.target.value) && setForm(changeTrigger(form, event.target.value))}
            error={errors.rule['trigger.type'] ?? errors.rule['trigger']}
          >
            {triggerTypes.map((type) => (
              <option key={type} value={type}>
                {triggerLabel(type, t)}
              </option>
            ))}
          </SelectField>
          {form.trigger === 'deal.stage_changed' && (
            <SelectField
              label={t('automations.builder.intoStage')}
              value={form.stageId}
              onChange={(event) => setForm({ ...form, stageId: event.target.value })}
              error={errors.rule['trigger.stage_id']}
            >
              <option value="">{t('automations.builder.anyStage')}</option>
              <StageOptions pipelines={pipelines} />
            </SelectField>
          )}
          {form.trigger === 'important_date.upcoming' && (
            <TextField
              label={t('automations.builder.daysBefore')}
              inputMode="numeric"
              value={form.daysBefore}
              onChange={(event) => setForm({ ...form, daysBefore: event.target.value })}
              error={errors.rule['trigger.days_before']}
            />
          )}
        </div>
        {scheduledTriggers.includes(form.trigger) && <p className="field__hint">{t('automations.builder.scheduledHint')}</p>}
      </fieldset>

      <fieldset className="rule-builder__group" data-testid="rule-conditions">
        <legend className="rule-builder__legend">{t('automations.builder.conditions')}</legend>
        <p className="field__hint">{form.conditions.length === 0 ? t('automations.builder.noConditions') : t('automations.builder.allMustHold')}</p>
        {errors.rule['conditions'] && <p className="field__error">{errors.rule['conditions']}</p>}
        {form.conditions.map((row, index) => (
          <ConditionEditor
            key={row.key}
            index={index}
            row={row}
            subject={subject}
            pipelines={pipelines}
            members={members}
            errors={errors.conditions[index] ?? {}}
            i18n={i18n}
            onChange={(patch) => setCondition(index, patch)}
            onRemove={() => setForm({ ...form, conditions: form.conditions.filter((_, at) => at !== index) })}
          />
        ))}
        <div>
          <Button size="sm" onClick={() => setForm({ ...form, conditions: [...form.conditions, emptyCondition(subject)] })}>
            {t('automations.builder.addCondition')}
          </Button>
        </div>
      </fieldset>

      <fieldset className="rule-builder__group" data-testid="rule-actions">
        <legend className="rule-builder__legend">{t('automations.builder.actions')}</legend>
        <p className="field__hint">{t('automations.builder.actionsHint')}</p>
        {errors.rule['actions'] && <p className="field__error">{errors.rule['actions']}</p>}
        {form.actions.map((row, index) => (
          <ActionEditor
            key={row.key}
            index={index}
            row={row}
            subject={subject}
            pipelines={pipelines}
            members={members}
            errors={errors.actions[index] ?? {}}
            i18n={i18n}
            canRemove={form.actions.length > 1}
            onChange={(patch) => setAction(index, patch)}
            onRemove={() => setForm({ ...form, actions: form.actions.filter((_, at) => at !== index) })}
          />
        ))}
        {form.actions.length < 10 && (
          <div>
            <Button size="sm" onClick={() => setForm({ ...form, actions: [...form.actions, emptyAction(actionsFor(subject)[0]!)] })}>
              {t('automations.builder.addAction')}
            </Button>
          </div>
        )}
      </fieldset>

      <div className="form__actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

function StageOptions({ pipelines }: { pipelines: Pipeline[] }) {
  return (
    <>
      {pipelines.map((pipeline) => (
        <optgroup key={pipeline.id} label={pipeline.name}>
          {pipeline.stages.map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

interface Option {
  value: string;
  label: string;
}

/** The choices of a field whose values are picked rather than typed. */
function pickerOptions(kind: ValueKind, pipelines: Pipeline[], members: User[], t: I18n['t']): Option[] | null {
  switch (kind) {
    case 'member':
      return members.map((member) => ({ value: member.id, label: member.name }));
    case 'stage':
      return pipelines.flatMap((pipeline) =>
        pipeline.stages.map((stage) => ({ value: stage.id, label: pipelines.length > 1 ? `${pipeline.name} › ${stage.name}` : stage.name })),
      );
    case 'pipeline':
      return pipelines.map((pipeline) => ({ value: pipeline.id, label: pipeline.name }));
    case 'dealStatus':
      return dealStatuses.map((status) => ({ value: status, label: t(`board.status.${status}`) }));
    case 'leadStatus':
      return leadStatuses.map((status) => ({ value: status, label: t(`leads.statuses.${status}`) }));
    case 'leadSource':
      return leadSources.map((source) => ({ value: source, label: source === 'other' ? t('leads.sources.otherSource') : t(`leads.sources.${source}`) }));
    default:
      return null;
  }
}

interface ConditionEditorProps {
  index: number;
  row: ConditionRow;
  subject: Subject;
  pipelines: Pipeline[];
  members: User[];
  errors: Record<string, string>;
  i18n: I18n;
  onChange: (patch: Partial<ConditionRow>) => void;
  onRemove: () => void;
}

function ConditionEditor({ index, row, subject, pipelines, members, errors, i18n, onChange, onRemove }: ConditionEditorProps) {
  const { t } = i18n;
  const custom = row.field === customField;
  const kind: ValueKind = custom ? 'text' : valueKindOf(subject, row.field);
  const ops = custom ? operatorsFor('text') : operatorsFor(kind);
  const options = pickerOptions(kind, pipelines, members, t);
  const valueError = errors['value'];

  const changeField = (field: string) => {
    const nextKind = field === customField ? 'text' : valueKindOf(subject, field);
    const nextOps = operatorsFor(nextKind);
    onChange({ field, op: nextOps.includes(row.op) ? row.op : nextOps[0]!, value: '', values: [] });
  };

  let valueInput: ReactNode;
  if (row.op === 'in' && options) {
    valueInput = (
      <CheckList
        legend={t('automations.builder.value')}
        options={options}
        selected={row.values}
        onChange={(values) => onChange({ values })}
        error={valueError}
      />
    );
  } else if (options) {
    valueInput = (
      <SelectField label={t('automations.builder.value')} value={row.value} onChange={(event) => onChange({ value: event.target.value })} error={valueError}>
        <option value="">{t('automations.builder.choose')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
    );
  } else {
    valueInput = (
      <TextField
        label={kind === 'minor' ? t('automations.builder.valueMinor') : t('automations.builder.value')}
        value={row.value}
        inputMode={kind === 'number' || kind === 'minor' ? 'numeric' : undefined}
        dir={kind === 'id' || kind === 'date' ? 'ltr' : 'auto'}
        placeholder={kind === 'date' ? 'YYYY-MM-DD' : undefined}
        hint={row.op === 'in' ? t('automations.builder.commaHint') : kind === 'minor' ? t('automations.builder.minorHint') : undefined}
        onChange={(event) => onChange({ value: event.target.value })}
        error={valueError}
      />
    );
  }

  return (
    <div className="rule-row rule-row--condition" data-testid="condition-row" aria-label={t('automations.builder.conditionN', { n: index + 1 })} role="group">
      <SelectField label={t('automations.builder.field')} value={row.field} onChange={(event) => changeField(event.target.value)} error={errors['field']}>
        {subjectFields[subject].map(({ field }) => (
          <option key={field} value={field}>
            {fieldLabel(subject, field, t)}
          </option>
        ))}
        {hasCustomFields(subject) && <option value={customField}>{t('automations.fields.custom')}</option>}
      </SelectField>
      {custom && (
        <TextField
          label={t('automations.builder.customKey')}
          value={row.customKey}
          dir="ltr"
          onChange={(event) => onChange({ customKey: event.target.value })}
        />
      )}
      <SelectField
        label={t('automations.builder.operator')}
        value={row.op}
        onChange={(event) => onChange({ op: event.target.value as Operator })}
        error={errors['op']}
      >
        {ops.map((op) => (
          <option key={op} value={op}>
            {operatorLabel(op, t)}
          </option>
        ))}
      </SelectField>
      {valueInput}
      <Button size="sm" variant="ghost" className="rule-row__remove" onClick={onRemove}>
        {t('automations.builder.remove')}
      </Button>
      {errors['row'] && <p className="field__error rule-row__error">{errors['row']}</p>}
    </div>
  );
}

function CheckList({
  legend,
  options,
  selected,
  onChange,
  error,
}: {
  legend: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className={`field rule-checklist ${error ? 'field--invalid' : ''}`}>
      <legend className="field__label">{legend}</legend>
      <div className="rule-checklist__options">
        {options.map((option) => (
          <label key={option.value} className="checkbox">
            <input
              type="checkbox"
              checked={selected.includes(option.value)}
              onChange={(event) => onChange(event.target.checked ? [...selected, option.value] : selected.filter((value) => value !== option.value))}
            />
            {option.label}
          </label>
        ))}
      </div>
      {error && (
        <p className="field__error" dir="auto">
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface ActionEditorProps {
  index: number;
  row: ActionRow;
  subject: Subject;
  pipelines: Pipeline[];
  members: User[];
  errors: Record<string, string>;
  i18n: I18n;
  canRemove: boolean;
  onChange: (patch: Partial<ActionRow>) => void;
  onRemove: () => void;
}

function ActionEditor({ index, row, subject, pipelines, members, errors, i18n, canRemove, onChange, onRemove }: ActionEditorProps) {
  const { t } = i18n;
  const memberOptions = members.map((member) => ({ value: member.id, label: member.name }));
  const types = actionsFor(subject);
  return (
    <div
      className="rule-row rule-row--action"
      data-testid="action-row"
      data-type={row.type}
      role="group"
      aria-label={t('automations.builder.actionN', { n: index + 1 })}
    >
      <SelectField
        label={t('automations.builder.actionType')}
        value={row.type}
        onChange={(event) => onChange({ ...emptyAction(event.target.value as ActionType), key: row.key })}
        error={errors['type']}
      >
        {(types.includes(row.type) ? types : [row.type, ...types]).map((type) => (
          <option key={type} value={type}>
            {actionLabel(type, t)}
          </option>
        ))}
      </SelectField>
      {row.type === 'create_task' && (
        <>
          <TextField
            label={t('automations.builder.taskTitle')}
            value={row.title}
            onChange={(event) => onChange({ title: event.target.value })}
            error={errors['title']}
          />
          <TextField
            label={t('automations.builder.dueInDays')}
            className="rule-row__narrow"
            inputMode="numeric"
            value={row.dueInDays}
            onChange={(event) => onChange({ dueInDays: event.target.value })}
            error={errors['due_in_days']}
          />
          <SelectField
            label={t('automations.builder.taskOwner')}
            className="rule-row__wide"
            value={row.ownerId}
            onChange={(event) => onChange({ ownerId: event.target.value })}
            error={errors['owner_id']}
          >
            <option value="">{t('automations.builder.recordOwner')}</option>
            {memberOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
        </>
      )}
      {row.type === 'add_tag' && (
        <TextField label={t('automations.builder.tag')} value={row.tag} onChange={(event) => onChange({ tag: event.target.value })} error={errors['tag']} />
      )}
      {(row.type === 'assign_owner' || row.type === 'notify') && (
        <CheckList
          legend={row.type === 'assign_owner' ? t('automations.builder.inTurn') : t('automations.builder.notifyWho')}
          options={memberOptions}
          selected={row.userIds}
          onChange={(userIds) => onChange({ userIds })}
          error={errors['user_ids']}
        />
      )}
      {row.type === 'move_to_stage' && (
        <SelectField
          label={t('automations.builder.stage')}
          value={row.stageId}
          onChange={(event) => onChange({ stageId: event.target.value })}
          error={errors['stage_id']}
        >
          <option value="">{t('automations.builder.choose')}</option>
          <StageOptions pipelines={pipelines} />
        </SelectField>
      )}
      {row.type === 'qualify_lead' && (
        <SelectField
          label={t('automations.builder.pipeline')}
          value={row.pipelineId}
          onChange={(event) => onChange({ pipelineId: event.target.value })}
          error={errors['pipeline_id']}
        >
          <option value="">{t('automations.builder.choose')}</option>
          {pipelines.map((pipeline) => (
            <option key={pipeline.id} value={pipeline.id}>
              {pipeline.name}
            </option>
          ))}
        </SelectField>
      )}
      {row.type === 'send_email' && (
        <>
          <SelectField
            label={t('automations.builder.to')}
            value={row.to}
            onChange={(event) => onChange({ to: event.target.value as Recipient })}
            error={row.to === 'address' ? undefined : errors['to']}
          >
            {(['contact', 'owner', 'address'] as const).map((to) => (
              <option key={to} value={to}>
                {t(`automations.recipients.${to}`)}
              </option>
            ))}
          </SelectField>
          {row.to === 'address' && (
            <TextField
              label={t('automations.builder.address')}
              type="email"
              dir="ltr"
              value={row.address}
              onChange={(event) => onChange({ address: event.target.value })}
              error={errors['to']}
            />
          )}
          <TextField
            label={t('automations.builder.templateId')}
            dir="ltr"
            value={row.templateId}
            onChange={(event) => onChange({ templateId: event.target.value })}
            error={errors['template_id']}
          />
        </>
      )}
      {canRemove && (
        <Button size="sm" variant="ghost" className="rule-row__remove" onClick={onRemove}>
          {t('automations.builder.remove')}
        </Button>
      )}
      {errors['row'] && <p className="field__error rule-row__error">{errors['row']}</p>}
    </div>
  );
}
