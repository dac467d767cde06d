import { isApiError } from '../../../lib/api/api-error';
import type { LeadInput, LeadSource, QualifyLeadInput } from '../../../lib/api/types';
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

/** What the qualify dialog holds. */
export interface QualifyValues {
  /** Empty when the workspace has no pipeline. */
  pipelineId: string;
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
    },
  };
}

/**
 * The server's field errors by field name, as it wrote them, except a missing required field,
 * which gets `required` (the translated "required" message) instead of serde's wording.
 */
export function leadFieldErrors(error: unknown, required: string): Record<string, string> {
  if (!isApiError(error)) return {};
  const map: Record<string, string> = {};
  for (const fieldError of error.fieldErrors) {
    map[fieldError.field] ??= fieldError.code === 'required' ? required : fieldError.message;
  }
  return map;
}
