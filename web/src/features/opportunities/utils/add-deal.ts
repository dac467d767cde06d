import type { CreateDealInput, Pipeline } from '../../../lib/api/types';
import { isoOfDateText } from '../../../lib/format/calendar';
import { parseMoneyInput, type IrrUnit } from '../../../lib/format/money';

/** What the add-deal form holds, as typed. */
export interface AddDealValues {
  title: string;
  pipelineId: string;
  amount: string;
  closeDate: string;
}

export type AddDealField = 'title' | 'amount_minor' | 'expected_close_date';

/**
 * The request the form's values make, or the fields that are not right: a title, an amount in the
 * pipeline's currency (empty is none) and a date on the workspace's calendar (empty is none).
 */
export function parseAddDeal(
  values: AddDealValues,
  pipeline: Pipeline | undefined,
  { irrUnit }: { irrUnit: IrrUnit },
): { input: CreateDealInput } | { invalid: AddDealField[] } {
  const invalid: AddDealField[] = [];
  const title = values.title.trim();
  if (!title) invalid.push('title');
  let amount: number | null = null;
  if (values.amount.trim() !== '' && pipeline) {
    amount = parseMoneyInput(values.amount, pipeline.currency, irrUnit);
    if (amount === null) invalid.push('amount_minor');
  }
  let closeDate: string | null = null;
  if (values.closeDate.trim() !== '') {
    closeDate = isoOfDateText(values.closeDate);
    if (!closeDate) invalid.push('expected_close_date');
  }
  if (invalid.length > 0 || !pipeline) return { invalid };
  return {
    input: {
      title,
      pipeline_id: pipeline.id,
      ...(amount !== null ? { amount_minor: amount } : {}),
      ...(closeDate ? { expected_close_date: closeDate } : {}),
    },
  };
}
