import type { Translate } from '../i18n/use-i18n';
import { isApiError } from './api-error';
import type { ErrorCode } from './types';

/**
 * The message for a cause: `errors.codes.<code>` in the locale files, which hold one for every
 * `ErrorCode` (en.ts says so in its type, and fa.ts must have en.ts's keys).
 */
export function errorCodeMessage(code: ErrorCode, t: Translate, requestId?: string): string {
  return t(`errors.codes.${code}`, { requestId: requestId ?? '—' });
}

/**
 * One sentence for a failed call that tells the user what happened and what to do next, chosen
 * by the problem's `code`. A problem whose code this build does not know yet is described by the
 * server's own `detail`; an answer without a problem body (something in front of the server) by
 * its status.
 */
export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
  if (error.isNetwork) return t('errors.network');
  if (error.code) return errorCodeMessage(error.code, t, error.problem?.request_id);
  if (error.problem) return t('errors.generic', { detail: error.problem.detail });
  return t('errors.httpStatus', { status: error.status });
}
