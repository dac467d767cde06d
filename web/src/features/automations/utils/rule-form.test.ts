import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import {
  actionLabel,
  type Automation,
  fieldLabel,
  operatorLabel,
  actionsFor,
  actionTypes,
  changeTrigger,
  describeTrigger,
  emptyAction,
  emptyRule,
  formProblems,
  operators,
  parseInteger,
  type RuleForm,
  ruleToForm,
  ruleToRequest,
  splitFieldErrors,
  subjectFields,
  subjectOf,
  triggerLabel,
  triggerTypes,
} from './rule-form';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);

const stage = '3f1c2a7e-0000-4000-8000-000000000002';
const member = '3f1c2a7e-0000-4000-8000-0000000000aa';

function bigDealsForm(): RuleForm {
  const form = emptyRule();
  return {
    ...form,
    name: '  Big deals into Proposal ',
    stageId: stage,
    conditions: [
      { key: 'c1', field: 'amount_minor', customKey: '', op: 'gte', value: '۱٬۰۰۰', values: [] },
      { key: 'c2', field: 'owner_id', customKey: '', op: 'in', value: '', values: [member] },
      { key: 'c3', field: 'custom_fields', customKey: 'region', op: 'in', value: 'Tehran, Shiraz', values: [] },
      { key: 'c4', field: 'tags', customKey: '', op: 'contains', value: ' vip ', values: [] },
    ],
    actions: [
      { ...emptyAction('add_tag'), tag: ' proposal ' },
      { ...emptyAction('create_task'), title: 'Send the proposal', dueInDays: '۲' },
      { ...emptyAction('send_email'), to: 'address', address: ' buyer@example.com ', templateId: 'tpl' },
      { ...emptyAction('create_task'), title: 'Call', dueInDays: '', ownerId: member },
    ],
  };
}

describe('the automation builder’s request', () => {
  it('sends typed values: numbers for numeric fields (in either digits), lists for `in`, trimmed text', () => {
    expect(ruleToRequest(bigDealsForm())).toEqual({
      name: 'Big deals into Proposal',
      trigger: { type: 'deal.stage_changed', stage_id: stage },
      conditions: [
        { field: 'amount_minor', op: 'gte', value: 1000 },
        { field: 'owner_id', op: 'in', value: [member] },
        { field: 'custom_fields.region', op: 'in', value: ['Tehran', 'Shiraz'] },
        { field: 'tags', op: 'contains', value: 'vip' },
      ],
      actions: [
        { type: 'add_tag', tag: 'proposal' },
        { type: 'create_task', title: 'Send the proposal', due_in_days: 2, owner_id: null },
        { type: 'send_email', to: 'buyer@example.com', template_id: 'tpl' },
        { type: 'create_task', title: 'Call', due_in_days: 0, owner_id: member },
      ],
      active: true,
    });
  });

  it('sends any stage as no stage, and the days of an upcoming date', () => {
    expect(ruleToRequest({ ...emptyRule(), stageId: '' }).trigger).toEqual({ type: 'deal.stage_changed', stage_id: null });
    expect(ruleToRequest({ ...emptyRule(), trigger: 'important_date.upcoming', daysBefore: '۳' }).trigger).toEqual({
      type: 'important_date.upcoming',
      days_before: 3,
    });
    expect(ruleToRequest({ ...emptyRule(), trigger: 'deal.won' }).trigger).toEqual({ type: 'deal.won' });
  });

  it('shows a stored rule as the form it came from', () => {
    const request = ruleToRequest(bigDealsForm());
    const stored = {
      ...request,
      conditions: request.conditions ?? [],
      active: true,
      id: 'r',
      created_by: member,
      version: 3,
      created_at: '',
      updated_at: '',
    } as Automation;
    const form = ruleToForm(stored);
    expect(ruleToRequest(form)).toEqual(request);
    expect(form.conditions[1]).toMatchObject({ field: 'owner_id', op: 'in', values: [member] });
    expect(form.conditions[2]).toMatchObject({ field: 'custom_fields', customKey: 'region', value: 'Tehran, Shiraz' });
    expect(form.actions[2]).toMatchObject({ type: 'send_email', to: 'address', address: 'buyer@example.com' });
    // In Persian the numbers show in Persian digits, and read back the same.
    const persian = ruleToForm(stored, 'fa');
    expect(persian.conditions[0]?.value).toBe('۱۰۰۰');
    expect(persian.actions[1]?.dueInDays).toBe('۲');
    expect(ruleToRequest(persian)).toEqual(request);
  });

  it('keeps on a trigger change what fits the new subject', () => {
    const form = bigDealsForm();
    form.actions.push({ ...emptyAction('move_to_stage'), stageId: stage });
    const lead = changeTrigger(form, 'lead.created');
    expect(lead.conditions.map((row) => row.field)).toEqual(['owner_id', 'custom_fields', 'tags']);
    expect(lead.actions.map((row) => row.type)).toEqual(['add_tag', 'create_task', 'send_email', 'create_task']);
    expect(lead.stageId).toBe('');
    const activity = changeTrigger(lead, 'activity.overdue');
    expect(activity.conditions.map((row) => row.field)).toEqual(['owner_id']);
    expect(activity.actions.map((row) => row.type)).toEqual(['create_task', 'send_email', 'create_task']);
    // Within the same subject nothing is dropped.
    expect(changeTrigger(form, 'deal.won').conditions).toHaveLength(4);
  });

  it('offers only the actions a subject can take', () => {
    expect(actionsFor('deal')).not.toContain('qualify_lead');
    expect(actionsFor('lead')).toContain('qualify_lead');
    expect(actionsFor('lead')).not.toContain('move_to_stage');
    expect(actionsFor('activity')).toEqual(['create_task', 'send_email', 'notify']);
  });

  it('reads integers typed in Persian or with separators', () => {
    expect(parseInteger('۱٬۲۰۰')).toBe(1200);
    expect(parseInteger(' 1,200 ')).toBe(1200);
    expect(parseInteger('12.5')).toBeNull();
    expect(parseInteger('')).toBeNull();
  });
});

describe('numbers checked before sending', () => {
  it('name the field of each number that does not read', () => {
    const form = bigDealsForm();
    expect(formProblems(form)).toEqual({});
    form.trigger = 'important_date.upcoming';
    form.daysBefore = '400';
    expect(formProblems(form)).toEqual({ 'trigger.days_before': 'daysRange' });
    const deal = bigDealsForm();
    deal.conditions[0]!.value = 'a lot';
    deal.actions[1]!.dueInDays = 'two';
    expect(formProblems(deal)).toEqual({ 'conditions[0].value': 'number', 'actions[1].due_in_days': 'wholeNumber' });
    deal.conditions[0]!.value = '۱۲٫۵';
    deal.actions[1]!.dueInDays = '';
    expect(formProblems(deal)).toEqual({});
  });
});

describe('the server’s field errors', () => {
  it('go to the row and field they name', () => {
    const split = splitFieldErrors({
      name: 'required',
      'trigger.stage_id': 'only `deal.stage_changed` takes a stage',
      'conditions[0].value': '`gte` compares with a number or a date',
      'actions[1].stage_id': 'must be an id',
      'actions[1].type': 'cannot act on a lead',
      'actions[3]': 'unknown',
      actions: 'one to 10',
    });
    expect(split.rule).toEqual({ name: 'required', 'trigger.stage_id': 'only `deal.stage_changed` takes a stage', actions: 'one to 10' });
    expect(split.conditions).toEqual({ 0: { value: '`gte` compares with a number or a date' } });
    expect(split.actions).toEqual({ 1: { stage_id: 'must be an id', type: 'cannot act on a lead' }, 3: { row: 'unknown' } });
  });
});

describe('the words of a rule', () => {
  const stageName = (id: string) => (id === stage ? 'Proposal' : undefined);

  it('describe its trigger in a sentence', () => {
    expect(describeTrigger({ type: 'deal.stage_changed', stage_id: stage }, tEn, stageName)).toBe('When a deal moves into Proposal');
    expect(describeTrigger({ type: 'deal.stage_changed' }, tEn, stageName)).toBe('When a deal moves to any stage');
    expect(describeTrigger({ type: 'deal.stage_changed', stage_id: 'gone' }, tEn, stageName)).toBe('When a deal moves into a stage no longer here');
    expect(describeTrigger({ type: 'important_date.upcoming', days_before: 1 }, tEn, stageName)).toBe('1 day before a contact’s important date');
    expect(describeTrigger({ type: 'important_date.upcoming', days_before: 14 }, tFa, stageName)).toBe('۱۴ روز پیش از تاریخ مهم مخاطب');
    expect(describeTrigger({ type: 'deal.stage_changed', stage_id: stage }, tFa, stageName)).toBe('وقتی معامله‌ای به Proposal می‌رود');
    expect(describeTrigger({ type: 'invoice.paid' }, tEn, stageName)).toBe('invoice.paid');
  });

  it('exist for every trigger, field, operator and action in English and Persian', () => {
    for (const t of [tEn, tFa]) {
      for (const type of triggerTypes) {
        expect(triggerLabel(type, t)).not.toMatch(/automations\./);
        expect(describeTrigger({ type, stage_id: stage, days_before: 2 }, t, stageName)).not.toMatch(/automations\./);
      }
      for (const type of triggerTypes) {
        const subject = subjectOf(type);
        for (const { field } of subjectFields[subject]) expect(fieldLabel(subject, field, t)).not.toBe(field);
      }
      for (const op of operators) expect(operatorLabel(op, t)).toBe((t === tEn ? en : fa).automations.operators[op]);
      for (const type of actionTypes) expect(actionLabel(type, t)).not.toBe(type);
    }
    expect(fieldLabel('deal', 'custom_fields.region', tEn)).toBe('Custom field “region”');
  });
});
