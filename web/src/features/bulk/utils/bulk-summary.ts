import { errorCodeMessage } from '../../../lib/api/describe-error';
import { errorCodes, isOneOf } from '../../../lib/api/vocabularies';
import type { Translate } from '../../../lib/i18n/use-i18n';
import type { BulkResult } from '../api/bulk';

export interface BulkSummary {
  done: number;
  failed: BulkResult[];
}

/** How many records changed, and the ones that did not (in the order they were sent). */
export function summarize(results: readonly BulkResult[]): BulkSummary {
  return { done: results.filter((result) => result.status === 'ok').length, failed: results.filter((result) => result.status !== 'ok') };
}

/**
 * Why a record was not changed: the message of its error code, like any refused request, or
 * (a code this build does not know, or none) a sentence for its status.
 */
export function failureReason(result: BulkResult, t: Translate): string {
  if (isOneOf(errorCodes, result.code)) return errorCodeMessage(result.code, t);
  switch (result.status) {
    case 'not_found':
      return t('bulk.status.notFound');
    case 'conflict':
      return t('bulk.status.conflict');
    case 'invalid':
      return t('bulk.status.invalid');
    case 'forbidden':
      return t('bulk.status.forbidden');
    default:
      return t('bulk.status.unknown');
  }
}
