import type { Deal } from '../../../lib/api/types';
import { type DateEntry, isoDateText, isoOfDateText } from '../../../lib/format/calendar';
import { toLatinDigits } from '../../../lib/format/digits';
import { formatMoneyInput, type IrrUnit, parseMoneyInput } from '../../../lib/format/money';

/** What the deal form holds: the text of each field as typed. */
export interface DealFormValues {
  title: string;
  amount: string;
  currency: string;
  stageId: string;
  /** Empty: the deal follows its stage's probability. */
  probability: string;
  /** YYYY-MM-DD in English (a native date input); Jalali `1405/01/15` in Persian. */
  closeDate: string;
  ownerId: string;
  /** Tags as typed, separated by commas. */
  tags: string;
}

/** How the form reads and writes: dates on the workspace's calendar, amounts in the display unit. */
export interface FormLocale extends DateEntry {
  irrUnit: IrrUnit;
}

export function dealToFormValues(deal: Deal, { irrUnit, ...dates }: FormLocale): DealFormValues {
  const { locale } = dates;
  return {
    title: deal.title,
    amount: deal.amount_minor === 0 ? '' : formatMoneyInput(deal.amount_minor, deal.currency, irrUnit, locale),
    currency: deal.currency,
    stageId: deal.stage_id,
    probability: deal.custom_probability == null ? '' : String(deal.custom_probability),
    closeDate: isoDateText(deal.expected_close_date, dates),
    ownerId: deal.owner_id,
    tags: deal.tags.join(locale === 'fa' ? '، ' : ', '),
  };
}

/** Tags as typed: separated by commas (Latin or Persian) or semicolons; blank ones are dropped. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,،;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

export type FormErrorCode = 'invalidAmount' | 'invalidDate' | 'invalidProbability';

export interface ParsedDealForm {
  title: string;
  amount_minor: number;
  currency: string;
  stage_id: string;
  probability: number | null;
  expected_close_date: string | null;
  owner_id: string;
  tags: string[];
}

/**
 * Turns the form's text into API values, or lists the fields the browser can already tell are
 * malformed (keyed by the API's field names, so server and client errors show in the same place).
 * Ranges and required fields are left to the server, the one source of truth for the rules.
 */
export function parseDealForm(
  values: DealFormValues,
  { irrUnit }: Pick<FormLocale, 'irrUnit'>,
): { ok: true; value: ParsedDealForm } | { ok: false; errors: Record<string, FormErrorCode> } {
  const errors: Record<string, FormErrorCode> = {};
  const amount = values.amount.trim() === '' ? 0 : parseMoneyInput(values.amount, values.currency, irrUnit);
  if (amount === null) errors.amount_minor = 'invalidAmount';
  let closeDate: string | null = null;
  if (values.closeDate.trim() !== '') {
    closeDate = isoOfDateText(values.closeDate);
    if (closeDate === null) errors.expected_close_date = 'invalidDate';
  }
  const probabilityText = toLatinDigits(values.probability.trim());
  const probability = probabilityText === '' ? null : /^-?\d+$/.test(probabilityText) ? Number(probabilityText) : Number.NaN;
  if (Number.isNaN(probability)) errors.probability = 'invalidProbability';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title: values.title,
      amount_minor: amount ?? 0,
      currency: values.currency,
      stage_id: values.stageId,
      probability,
      expected_close_date: closeDate,
      owner_id: values.ownerId,
      tags: parseTags(values.tags),
    },
  };
}

/** Whether two fillings of the deal form are the same (the user has not edited what was loaded). */
export function sameFormValues(a: DealFormValues, b: DealFormValues): boolean {
  return (Object.keys(a) as (keyof DealFormValues)[]).every((field) => a[field] === b[field]);
}
