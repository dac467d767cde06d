import type { components } from '../../../lib/api/schema';
import { toLatinDigits } from '../../../lib/format/digits';

export type Condition = components['schemas']['ScoringCondition'];
export type ConditionKind = Condition['kind'];
export type Comparison = components['schemas']['ComparisonDto'];
export type LeadSource = Extract<Condition, { kind: 'source_in' }>['sources'][number];
export type ActivityKind = NonNullable<Extract<Condition, { kind: 'activities_at_least' }>['activity_kind']>;
export type LeadField = Extract<Condition, { kind: 'field_present' }>['field'];
export type ScoringRuleInput = components['schemas']['ScoringRuleInput'];

/** Every condition kind the API knows, in the order the picker offers them. */
export const conditionKinds = [
  'field_present',
  'field_equals',
  'field_contains',
  'source_in',
  'has_tag',
  'custom_field',
  'submissions_at_least',
  'activities_at_least',
] as const satisfies readonly ConditionKind[];

export const leadFields = ['name', 'email', 'phone', 'company', 'job_title', 'campaign', 'medium', 'notes'] as const satisfies readonly LeadField[];

/**
 * A rule as the form holds it: every input's text, whatever the kind, so that switching kinds
 * keeps what was typed. `toRuleInput` turns it into what the API takes.
 */
export interface DraftRule {
  /** A key for React that survives reordering (not sent). */
  key: string;
  name: string;
  points: string;
  kind: ConditionKind;
  field: LeadField;
  text: string;
  sources: LeadSource[];
  customKey: string;
  comparison: Comparison;
  min: string;
  /** Empty for activities of any kind. */
  activityKind: ActivityKind | '';
}

let nextKey = 0;
const newKey = () => `rule-${++nextKey}`;

export function emptyRule(): DraftRule {
  return {
    key: newKey(),
    name: '',
    points: '10',
    kind: 'field_present',
    field: 'email',
    text: '',
    sources: [],
    customKey: '',
    comparison: 'present',
    min: '1',
    activityKind: '',
  };
}

/** A saved rule, as the form edits it. */
export function draftOf(rule: ScoringRuleInput): DraftRule {
  const draft: DraftRule = { ...emptyRule(), name: rule.name, points: String(rule.points), kind: rule.condition.kind };
  const c = rule.condition;
  switch (c.kind) {
    case 'field_present':
      return { ...draft, field: c.field };
    case 'field_equals':
    case 'field_contains':
      return { ...draft, field: c.field, text: c.value };
    case 'source_in':
      return { ...draft, sources: c.sources };
    case 'has_tag':
      return { ...draft, text: c.tag };
    case 'custom_field':
      return { ...draft, customKey: c.key, comparison: c.comparison, text: c.value === null || c.value === undefined ? '' : String(c.value) };
    case 'submissions_at_least':
      return { ...draft, min: String(c.min) };
    case 'activities_at_least':
      return { ...draft, min: String(c.min), activityKind: c.activity_kind ?? '' };
  }
}

/** A whole number typed in either script; NaN when it is not one (the API then names the field). */
function wholeNumber(text: string): number {
  const latin = toLatinDigits(text.trim()).replace(/^[−–]/, '-');
  return /^-?\d+$/.test(latin) ? Number(latin) : Number.NaN;
}

/** A custom field's value: a number when the comparison needs one or the text reads as one. */
function customValue(text: string, comparison: Comparison): unknown {
  const latin = toLatinDigits(text.trim());
  if (comparison === 'present') return null;
  const number = Number(latin);
  if (latin !== '' && Number.isFinite(number)) return number;
  return comparison === 'equals' ? text.trim() : latin;
}

export function conditionOf(draft: DraftRule): Condition {
  switch (draft.kind) {
    case 'field_present':
      return { kind: 'field_present', field: draft.field };
    case 'field_equals':
    case 'field_contains':
      return { kind: draft.kind, field: draft.field, value: draft.text };
    case 'source_in':
      return { kind: 'source_in', sources: draft.sources };
    case 'has_tag':
      return { kind: 'has_tag', tag: draft.text };
    case 'custom_field':
      return { kind: 'custom_field', key: draft.customKey, comparison: draft.comparison, value: customValue(draft.text, draft.comparison) };
    case 'submissions_at_least':
      return { kind: 'submissions_at_least', min: wholeNumber(draft.min) };
    case 'activities_at_least':
      return { kind: 'activities_at_least', min: wholeNumber(draft.min), ...(draft.activityKind ? { activity_kind: draft.activityKind } : {}) };
  }
}

/** What the API takes, or the fields whose numbers do not parse (keyed as the API keys its errors). */
export type ParsedRules = { ok: true; rules: ScoringRuleInput[] } | { ok: false; errors: Record<string, 'wholeNumber'> };

/**
 * The drafts as the API takes them. Only what the form itself must read is checked here (that
 * numbers are numbers); every other check is the server's, shown from its problem.
 */
export function parseRules(drafts: readonly DraftRule[]): ParsedRules {
  const errors: Record<string, 'wholeNumber'> = {};
  const rules = drafts.map((draft, i) => {
    const points = wholeNumber(draft.points);
    if (Number.isNaN(points)) errors[`rules.${i}.points`] = 'wholeNumber';
    const condition = conditionOf(draft);
    if ('min' in condition && Number.isNaN(condition.min)) errors[`rules.${i}.condition`] = 'wholeNumber';
    return { name: draft.name, points, condition };
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rules };
}

/** Moves the rule at `from` one place up (-1) or down (+1); the list is returned unchanged at an end. */
export function moved<T>(list: readonly T[], from: number, by: -1 | 1): T[] {
  const to = from + by;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}
