// The automation builder's form state and the rule the API takes, both ways. Pure, so what a rule
// is sent as (and what a stored rule shows as) is unit-tested without a browser.
import type { components } from '../../../lib/api/schema';
import { localizeDigits, toLatinDigits } from '../../../lib/format/digits';
import type { Translate, TranslationKey } from '../../../lib/i18n/use-i18n';

type Schemas = components['schemas'];
export type Automation = Schemas['AutomationResponse'];
export type AutomationRun = Schemas['AutomationRunResponse'];
export type ActionOutcome = Schemas['ActionOutcomeResponse'];
export type DryRun = Schemas['DryRunResponse'];
export type ConditionCheck = Schemas['ConditionCheck'];
export type TriggerDto = Schemas['TriggerDto'];
export type ConditionDto = Schemas['ConditionDto'];
export type ActionDto = Schemas['ActionDto'];
export type CreateAutomationInput = Schemas['CreateAutomationRequest'];

/** Every trigger the API knows, in the order the builder offers them. */
export const triggerTypes = [
  'deal.stage_changed',
  'deal.created',
  'deal.won',
  'deal.lost',
  'deal.rotting',
  'lead.created',
  'lead.qualified',
  'activity.overdue',
  'important_date.upcoming',
] as const;
export type TriggerType = (typeof triggerTypes)[number];

/** Triggers that run from the scheduled pass rather than on a change. */
export const scheduledTriggers: readonly TriggerType[] = ['deal.rotting', 'activity.overdue', 'important_date.upcoming'];

export type Subject = 'deal' | 'lead' | 'activity' | 'contact';

export function isTriggerType(value: string): value is TriggerType {
  return (triggerTypes as readonly string[]).includes(value);
}

/** The kind of record a trigger is about: what its conditions read and its actions change. */
export function subjectOf(trigger: string): Subject {
  if (trigger.startsWith('lead.')) return 'lead';
  if (trigger.startsWith('activity.')) return 'activity';
  if (trigger.startsWith('important_date.')) return 'contact';
  return 'deal';
}

export const operators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'in'] as const;
export type Operator = (typeof operators)[number];

/** How a field's value is typed in: a number, minor units of money, a member, a stage, a status… */
export type ValueKind = 'text' | 'number' | 'minor' | 'date' | 'member' | 'stage' | 'pipeline' | 'dealStatus' | 'leadStatus' | 'leadSource' | 'tags' | 'id';

/** The fields a condition may read for each subject (as the API's record JSON names them). */
export const subjectFields: Record<Subject, readonly { field: string; kind: ValueKind }[]> = {
  deal: [
    { field: 'title', kind: 'text' },
    { field: 'amount_minor', kind: 'minor' },
    { field: 'currency', kind: 'text' },
    { field: 'probability', kind: 'number' },
    { field: 'weighted_amount_minor', kind: 'minor' },
    { field: 'expected_close_date', kind: 'date' },
    { field: 'owner_id', kind: 'member' },
    { field: 'pipeline_id', kind: 'pipeline' },
    { field: 'stage_id', kind: 'stage' },
    { field: 'status', kind: 'dealStatus' },
    { field: 'contact_id', kind: 'id' },
    { field: 'organization_id', kind: 'id' },
    { field: 'tags', kind: 'tags' },
  ],
  lead: [
    { field: 'name', kind: 'text' },
    { field: 'email', kind: 'text' },
    { field: 'phone', kind: 'text' },
    { field: 'company', kind: 'text' },
    { field: 'job_title', kind: 'text' },
    { field: 'source', kind: 'leadSource' },
    { field: 'campaign', kind: 'text' },
    { field: 'medium', kind: 'text' },
    { field: 'owner_id', kind: 'member' },
    { field: 'status', kind: 'leadStatus' },
    { field: 'score', kind: 'number' },
    { field: 'tags', kind: 'tags' },
  ],
  activity: [
    { field: 'kind', kind: 'text' },
    { field: 'subject', kind: 'text' },
    { field: 'owner_id', kind: 'member' },
    { field: 'priority', kind: 'text' },
    { field: 'due_at', kind: 'date' },
    { field: 'deal_id', kind: 'id' },
    { field: 'lead_id', kind: 'id' },
    { field: 'contact_id', kind: 'id' },
  ],
  contact: [
    { field: 'first_name', kind: 'text' },
    { field: 'last_name', kind: 'text' },
    { field: 'email', kind: 'text' },
    { field: 'phone', kind: 'text' },
    { field: 'owner_id', kind: 'member' },
    { field: 'organization_id', kind: 'id' },
    { field: 'tags', kind: 'tags' },
  ],
};

/** The builder's choice for "a custom field", whose key is typed beside it. */
export const customField = 'custom_fields';

/** Activities carry no custom fields; the other subjects do. */
export function hasCustomFields(subject: Subject): boolean {
  return subject !== 'activity';
}

export function valueKindOf(subject: Subject, field: string): ValueKind {
  return subjectFields[subject].find((candidate) => candidate.field === field)?.kind ?? 'text';
}

/** The operators that make sense for a kind of value. */
export function operatorsFor(kind: ValueKind): readonly Operator[] {
  switch (kind) {
    case 'number':
    case 'minor':
    case 'date':
      return ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'];
    case 'member':
    case 'stage':
    case 'pipeline':
    case 'dealStatus':
    case 'leadStatus':
    case 'leadSource':
    case 'id':
      return ['eq', 'neq', 'in'];
    case 'tags':
      return ['contains', 'neq'];
    case 'text':
      return operators;
  }
}

export const actionTypes = ['create_task', 'add_tag', 'assign_owner', 'move_to_stage', 'qualify_lead', 'send_email', 'notify'] as const;
export type ActionType = (typeof actionTypes)[number];

/** The actions that can act on a subject (the server refuses the others). */
export function actionsFor(subject: Subject): readonly ActionType[] {
  return actionTypes.filter((type) => {
    if (type === 'move_to_stage') return subject === 'deal';
    if (type === 'qualify_lead') return subject === 'lead';
    if (type === 'assign_owner' || type === 'add_tag') return subject !== 'activity';
    return true;
  });
}

export interface ConditionRow {
  key: string;
  /** A field name, or `custom_fields` with `customKey` beside it. */
  field: string;
  customKey: string;
  op: Operator;
  /** What is typed (or picked) for a single value; for `in`, values separated by commas. */
  value: string;
  /** The values picked for `in` on a member, stage or status field. */
  values: string[];
}

export type Recipient = 'contact' | 'owner' | 'address';

export interface ActionRow {
  key: string;
  type: ActionType;
  title: string;
  dueInDays: string;
  /** A task's owner; empty for the record's owner. */
  ownerId: string;
  tag: string;
  userIds: string[];
  stageId: string;
  pipelineId: string;
  to: Recipient;
  address: string;
  templateId: string;
}

export interface RuleForm {
  name: string;
  trigger: TriggerType;
  /** `deal.stage_changed` into this stage only; empty for any stage. */
  stageId: string;
  daysBefore: string;
  active: boolean;
  conditions: ConditionRow[];
  actions: ActionRow[];
}

let keyCounter = 0;
/** A key for a row React can keep while rows are added and removed. */
export function rowKey(): string {
  keyCounter += 1;
  return `row-${keyCounter}`;
}

export function emptyCondition(subject: Subject): ConditionRow {
  const first = subjectFields[subject][0]!;
  return { key: rowKey(), field: first.field, customKey: '', op: operatorsFor(first.kind)[0]!, value: '', values: [] };
}

export function emptyAction(type: ActionType): ActionRow {
  return {
    key: rowKey(),
    type,
    title: '',
    dueInDays: '0',
    ownerId: '',
    tag: '',
    userIds: [],
    stageId: '',
    pipelineId: '',
    to: 'owner',
    address: '',
    templateId: '',
  };
}

export function emptyRule(locale = 'en'): RuleForm {
  return {
    name: '',
    trigger: 'deal.stage_changed',
    stageId: '',
    daysBefore: localizeDigits('7', locale),
    active: true,
    conditions: [],
    actions: [emptyAction('create_task')],
  };
}

/** An integer typed in either digits ("۱۲۰۰", "1,200"), or null when it is not one. */
export function parseInteger(text: string): number | null {
  const normalized = toLatinDigits(text.trim()).replace(/[\s,٬_]/g, '');
  if (!/^-?\d+$/.test(normalized)) return null;
  const value = Number(normalized);
  return Number.isSafeInteger(value) ? value : null;
}

function isNumeric(kind: ValueKind) {
  return kind === 'number' || kind === 'minor';
}

/** Numbers stay numbers for numeric fields (and for a custom field's comparison when they parse). */
function typedValue(text: string, kind: ValueKind, op: Operator): unknown {
  const trimmed = text.trim();
  if (isNumeric(kind) || (kind === 'text' && ['gt', 'gte', 'lt', 'lte'].includes(op))) {
    const number = parseInteger(trimmed);
    if (number !== null) return number;
    const decimal = Number(toLatinDigits(trimmed).replace(/٫/g, '.'));
    if (trimmed !== '' && Number.isFinite(decimal) && isNumeric(kind)) return decimal;
  }
  return trimmed;
}

function hasPicker(kind: ValueKind) {
  return ['member', 'stage', 'pipeline', 'dealStatus', 'leadStatus', 'leadSource'].includes(kind);
}

export function conditionField(row: ConditionRow): string {
  return row.field === customField ? `${customField}.${row.customKey.trim()}` : row.field;
}

export function conditionToDto(row: ConditionRow, subject: Subject): ConditionDto {
  const field = conditionField(row);
  const kind = row.field === customField ? 'text' : valueKindOf(subject, row.field);
  let value: unknown;
  if (row.op === 'in') {
    value = hasPicker(kind)
      ? row.values
      : row.value
          .split(/[,،]/)
          .map((part) => part.trim())
          .filter(Boolean)
          .map((part) => typedValue(part, kind, 'eq'));
  } else {
    value = typedValue(row.value, kind, row.op);
  }
  return { field, op: row.op, value: value as ConditionDto['value'] };
}

function optionalId(id: string): string | null {
  return id === '' ? null : id;
}

export function actionToDto(row: ActionRow): ActionDto {
  switch (row.type) {
    case 'create_task': {
      // Empty is "today"; `formProblems` stops anything else that is not a whole number.
      return { type: 'create_task', title: row.title.trim(), due_in_days: parseInteger(row.dueInDays) ?? 0, owner_id: optionalId(row.ownerId) };
    }
    case 'add_tag':
      return { type: 'add_tag', tag: row.tag.trim() };
    case 'assign_owner':
      return { type: 'assign_owner', user_ids: row.userIds };
    case 'notify':
      return { type: 'notify', user_ids: row.userIds };
    case 'move_to_stage':
      return { type: 'move_to_stage', stage_id: row.stageId };
    case 'qualify_lead':
      return { type: 'qualify_lead', pipeline_id: row.pipelineId };
    case 'send_email':
      return { type: 'send_email', to: row.to === 'address' ? row.address.trim() : row.to, template_id: row.templateId.trim() };
  }
}

export function triggerToDto(form: RuleForm): TriggerDto {
  if (form.trigger === 'deal.stage_changed') return { type: form.trigger, stage_id: optionalId(form.stageId) };
  if (form.trigger === 'important_date.upcoming') {
    return { type: form.trigger, days_before: parseInteger(form.daysBefore) ?? 0 };
  }
  return { type: form.trigger };
}

/** The body of `POST /automations` (and, with the version, of a PATCH) for what the builder holds. */
export function ruleToRequest(form: RuleForm): CreateAutomationInput {
  const subject = subjectOf(form.trigger);
  return {
    name: form.name.trim(),
    trigger: triggerToDto(form),
    conditions: form.conditions.map((row) => conditionToDto(row, subject)),
    actions: form.actions.map(actionToDto),
    active: form.active,
  };
}

function displayValue(value: unknown, locale: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return localizeDigits(String(value), locale);
  return String(value as boolean);
}

/** What the builder shows for a stored rule; numbers in the locale's digits (either parses back). */
export function ruleToForm(rule: Automation, locale = 'en'): RuleForm {
  const trigger = isTriggerType(rule.trigger.type) ? rule.trigger.type : 'deal.created';
  const subject = subjectOf(trigger);
  const conditions = rule.conditions.map((condition): ConditionRow => {
    const custom = condition.field.startsWith(`${customField}.`);
    const field = custom ? customField : condition.field;
    const kind = custom ? 'text' : valueKindOf(subject, field);
    const op = (operators as readonly string[]).includes(condition.op) ? (condition.op as Operator) : 'eq';
    const raw: unknown = condition.value;
    const list = Array.isArray(raw) ? raw.map((item) => displayValue(item, hasPicker(kind) ? 'en' : locale)) : [];
    return {
      key: rowKey(),
      field,
      customKey: custom ? condition.field.slice(customField.length + 1) : '',
      op,
      value: Array.isArray(raw) ? (hasPicker(kind) ? '' : list.join(', ')) : displayValue(raw, locale),
      values: Array.isArray(raw) && hasPicker(kind) ? list : [],
    };
  });
  const actions = rule.actions.map((action): ActionRow => {
    const row = emptyAction(action.type);
    switch (action.type) {
      case 'create_task':
        return { ...row, title: action.title, dueInDays: localizeDigits(String(action.due_in_days ?? 0), locale), ownerId: action.owner_id ?? '' };
      case 'add_tag':
        return { ...row, tag: action.tag };
      case 'assign_owner':
      case 'notify':
        return { ...row, userIds: action.user_ids };
      case 'move_to_stage':
        return { ...row, stageId: action.stage_id };
      case 'qualify_lead':
        return { ...row, pipelineId: action.pipeline_id };
      case 'send_email': {
        const to: Recipient = action.to === 'contact' || action.to === 'owner' ? action.to : 'address';
        return { ...row, to, address: to === 'address' ? action.to : '', templateId: action.template_id };
      }
    }
  });
  return {
    name: rule.name,
    trigger,
    stageId: rule.trigger.stage_id ?? '',
    daysBefore: localizeDigits(String(rule.trigger.days_before ?? 7), locale),
    active: rule.active,
    conditions,
    actions,
  };
}

/**
 * A new trigger keeps what still fits its subject: conditions on fields the new subject has,
 * actions it can take; the rest are dropped rather than refused by the server later.
 */
export function changeTrigger(form: RuleForm, trigger: TriggerType): RuleForm {
  const before = subjectOf(form.trigger);
  const after = subjectOf(trigger);
  if (before === after) return { ...form, trigger };
  const fields = new Set(subjectFields[after].map((candidate) => candidate.field));
  const conditions = form.conditions.filter((row) => (row.field === customField ? hasCustomFields(after) : fields.has(row.field)));
  const allowed = actionsFor(after);
  const kept = form.actions.filter((row) => allowed.includes(row.type));
  return { ...form, trigger, stageId: '', conditions, actions: kept.length > 0 ? kept : [emptyAction(allowed[0]!)] };
}

/** What a form problem found before sending says: the paths are the server's, so they show alike. */
export type FormProblem = 'wholeNumber' | 'daysRange' | 'number';

/**
 * Numbers the server could not read, found before sending (a typed "2 days" would otherwise be
 * sent as nothing): `trigger.days_before`, a task's `due_in_days`, a numeric condition's value.
 */
export function formProblems(form: RuleForm): Record<string, FormProblem> {
  const problems: Record<string, FormProblem> = {};
  const days = (text: string, path: string, emptyAllowed: boolean) => {
    if (emptyAllowed && text.trim() === '') return;
    const value = parseInteger(text);
    if (value === null) problems[path] = 'wholeNumber';
    else if (value < 0 || value > 365) problems[path] = 'daysRange';
  };
  if (form.trigger === 'important_date.upcoming') days(form.daysBefore, 'trigger.days_before', false);
  form.actions.forEach((row, index) => {
    if (row.type === 'create_task') days(row.dueInDays, `actions[${index}].due_in_days`, true);
  });
  const subject = subjectOf(form.trigger);
  form.conditions.forEach((row, index) => {
    if (row.field === customField || row.op === 'in') return;
    const kind = valueKindOf(subject, row.field);
    if ((kind === 'number' || kind === 'minor') && typeof conditionToDto(row, subject).value !== 'number') problems[`conditions[${index}].value`] = 'number';
  });
  return problems;
}

/** A server's field error path split into where it belongs: `actions[1].stage_id` → action 1, `stage_id`. */
export interface RowErrors {
  rule: Record<string, string>;
  conditions: Record<number, Record<string, string>>;
  actions: Record<number, Record<string, string>>;
}

export function splitFieldErrors(errors: Record<string, string>): RowErrors {
  const result: RowErrors = { rule: {}, conditions: {}, actions: {} };
  for (const [path, message] of Object.entries(errors)) {
    const match = /^(conditions|actions)\[(\d+)\](?:\.(.+))?$/.exec(path);
    if (match) {
      const group = result[match[1] as 'conditions' | 'actions'];
      const index = Number(match[2]);
      const rowErrors = (group[index] ??= {});
      rowErrors[match[3] ?? 'row'] ??= message;
    } else {
      result.rule[path] ??= message;
    }
  }
  return result;
}

/** `deal.stage_changed` → `deal_stage_changed`: a locale key, where a dot would nest. */
type LabelKey<T extends string> = T extends `${infer Head}.${infer Tail}` ? `${Head}_${Tail}` : T;

export function labelKey<T extends TriggerType>(type: T): LabelKey<T> {
  return type.replace('.', '_') as LabelKey<T>;
}

/** A trigger's name in the builder's select. */
export function triggerLabel(type: string, t: Translate): string {
  return isTriggerType(type) ? t(`automations.triggers.${labelKey(type)}`) : type;
}

/** A sentence that says when a rule runs: "When a deal moves into Proposal". */
export function describeTrigger(trigger: TriggerDto, t: Translate, stageName: (id: string) => string | undefined): string {
  if (!isTriggerType(trigger.type)) return trigger.type;
  if (trigger.type === 'deal.stage_changed') {
    const stage = trigger.stage_id ? stageName(trigger.stage_id) : undefined;
    if (!trigger.stage_id) return t('automations.sentences.deal_stage_changed_any');
    return t('automations.sentences.deal_stage_changed', { stage: stage ?? t('automations.unknownStage') });
  }
  if (trigger.type === 'important_date.upcoming') return t('automations.sentences.important_date_upcoming', { count: trigger.days_before ?? 0 });
  return t(`automations.sentences.${labelKey(trigger.type)}`);
}

/** The label of a record's field for a subject, `automations.fields.<subject>.<field>`. */
export function fieldLabel(subject: Subject, field: string, t: Translate): string {
  if (field.startsWith(`${customField}.`)) return t('automations.fields.customNamed', { key: field.slice(customField.length + 1) });
  const key = `automations.fields.${subject}.${field}` as TranslationKey;
  const label = t(key);
  return label === key ? field : label;
}

export function operatorLabel(op: string, t: Translate): string {
  const key = `automations.operators.${op}` as TranslationKey;
  const label = t(key);
  return label === key ? op : label;
}

export function actionLabel(type: string, t: Translate): string {
  const key = `automations.actions.${type}` as TranslationKey;
  const label = t(key);
  return label === key ? type : label;
}
