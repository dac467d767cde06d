import type { DuplicateCheckInput, Lead, LeadInput, LeadSource, QualifyLeadInput, UpdateLeadInput } from '../../../lib/api/types';
import type { CustomFieldValue } from '../../../lib/custom-fields/custom-field-values';
import { type IrrUnit, parseMoneyInput } from '../../../lib/format/money';

/** What the new-lead form holds: the text of each field as typed. */
export interface NewLeadValues {
  name: string;
  email: string;
  phone: string;
  company: string;
  jobTitle: string;
  source: LeadSource;
}

export const emptyNewLead: NewLeadValues = { name: '', email: '', phone: '', company: '', jobTitle: '', source: 'other' };

const orNull = (text: string) => text.trim() || null;

/**
 * The API's input for a new lead. Empty fields are sent as null; the name is sent even when
 * blank, so that the server's message for it shows under the field (the server owns the rules).
 */
export function newLeadInput(values: NewLeadValues): LeadInput {
  return {
    name: values.name.trim(),
    email: orNull(values.email),
    phone: orNull(values.phone),
    company: orNull(values.company),
    job_title: orNull(values.jobTitle),
    source: values.source,
  };
}

/** Who the new lead is, as the duplicate check compares it; blank fields are left out. */
export function duplicateCheckInput(values: NewLeadValues): DuplicateCheckInput {
  return {
    name: values.name.trim(),
    ...(orNull(values.email) ? { email: values.email.trim() } : {}),
    ...(orNull(values.phone) ? { phone: values.phone.trim() } : {}),
    ...(orNull(values.company) ? { company: values.company.trim() } : {}),
  };
}

/** What the drawer's edit form holds: the new-lead fields and the rest a person edits. */
export interface LeadEditValues extends NewLeadValues {
  campaign: string;
  medium: string;
  /** Tags as typed, separated by commas. */
  tags: string;
  notes: string;
  /** The owner's user id; empty for none. */
  ownerId: string;
  /** The lead's custom fields as their controls hold them (sent apart, as only those changed). */
  custom: Record<string, CustomFieldValue>;
}

/**
 * The form's values for a lead as read; `separator` joins the tags (the locale's list separator),
 * `custom` is its custom fields as their controls hold them.
 */
export function leadEditValues(lead: Lead, separator: string, custom: Record<string, CustomFieldValue> = {}): LeadEditValues {
  return {
    name: lead.name,
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    company: lead.company ?? '',
    jobTitle: lead.job_title ?? '',
    source: lead.source,
    campaign: lead.campaign ?? '',
    medium: lead.medium ?? '',
    tags: lead.tags.join(separator),
    notes: lead.notes ?? '',
    ownerId: lead.owner_id ?? '',
    custom,
  };
}

/** Tags as typed: separated by commas (Latin or Persian) or semicolons; blank ones are dropped. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,،;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The optional text fields of the edit form: the API's name and the form's. */
const optionalTextFields = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['company', 'company'],
  ['job_title', 'jobTitle'],
  ['campaign', 'campaign'],
  ['medium', 'medium'],
  ['notes', 'notes'],
] as const satisfies readonly (readonly [keyof UpdateLeadInput, keyof LeadEditValues])[];

/**
 * The `PATCH` body for what the user changed since the values were read, and nothing else: a
 * field someone else changed meanwhile is left as they set it. Emptied fields are sent as null
 * (cleared), emptied tags as none, no owner as null; a blank name is sent, for the server to
 * refuse next to it. Custom fields are not part of it: the form parses them by their definitions.
 */
export function leadChanges(read: LeadEditValues, values: LeadEditValues): UpdateLeadInput {
  const changes: UpdateLeadInput = {};
  if (values.name.trim() !== read.name.trim()) changes.name = values.name.trim();
  for (const [field, key] of optionalTextFields) {
    const value = orNull(values[key]);
    if (value !== orNull(read[key])) changes[field] = value;
  }
  if (values.source !== read.source) changes.source = values.source;
  if (values.ownerId !== read.ownerId) changes.owner_id = values.ownerId || null;
  const tags = parseTags(values.tags);
  if (!sameList(tags, parseTags(read.tags))) changes.tags = tags;
  return changes;
}

/**
 * The edit form once a newer version of the lead arrives (a save was refused because someone
 * else changed it, or a refetch brought it): fields the user has not touched take the new
 * values, the user's edits stay, and the new version is what later changes are measured from.
 */
export function rebaseLeadEdit(
  edit: { read: LeadEditValues; values: LeadEditValues },
  latest: LeadEditValues,
): { read: LeadEditValues; values: LeadEditValues } {
  const values = { ...latest };
  for (const key of Object.keys(latest) as (keyof LeadEditValues)[]) {
    if (edit.values[key] !== edit.read[key]) Object.assign(values, { [key]: edit.values[key] });
  }
  return { read: latest, values };
}

/**
 * The deal title the qualify dialog offers: the company and the person (`template` is the
 * locale's "{company} — {name}"), or the person alone, so that a card says more than a bare company.
 */
export function suggestedDealTitle(lead: Pick<Lead, 'name' | 'company'>, template: (company: string, name: string) => string): string {
  const company = lead.company?.trim();
  return company ? template(company, lead.name) : lead.name;
}

/** What the qualify dialog holds. */
export interface QualifyValues {
  /** Empty when the workspace has no pipeline. */
  pipelineId: string;
  /** The stage the deal opens in; empty for the pipeline's first. */
  stageId: string;
  /** The deal's title as typed; blank lets the server name it after the company. */
  dealTitle: string;
  need: string;
  /** In the pipeline's currency, typed in its display unit (tomans for IRR when shown in tomans). */
  budget: string;
  timeline: string;
  decisionMaker: string;
  openDeal: boolean;
}

export type QualifyFormError = 'invalidAmount';

/** The qualification request, or the fields the browser can already tell are malformed. */
export function qualifyInput(
  values: QualifyValues,
  currency: string,
  irrUnit: IrrUnit,
): { ok: true; value: QualifyLeadInput } | { ok: false; errors: Record<string, QualifyFormError> } {
  const budget = values.budget.trim() === '' ? null : parseMoneyInput(values.budget, currency, irrUnit);
  if (budget === null && values.budget.trim() !== '') return { ok: false, errors: { budget_minor: 'invalidAmount' } };
  return {
    ok: true,
    value: {
      need: orNull(values.need),
      timeline: orNull(values.timeline),
      decision_maker: orNull(values.decisionMaker),
      ...(budget !== null ? { budget_minor: budget, budget_currency: currency } : {}),
      create_deal: values.openDeal,
      ...(values.pipelineId && values.openDeal ? { pipeline_id: values.pipelineId } : {}),
      ...(values.stageId && values.openDeal ? { stage_id: values.stageId } : {}),
      ...(values.openDeal && values.dealTitle.trim() ? { deal_title: values.dealTitle.trim() } : {}),
    },
  };
}
