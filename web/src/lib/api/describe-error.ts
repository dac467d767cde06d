import type { Translate } from '../i18n/use-i18n';
import { isApiError } from './api-error';

/**
 * One sentence for a failed call that tells the user what happened and what to do next. The
 * server's own `detail` is quoted only where it carries the specific reason (conflicts and bad
 * requests); everything else gets a translated message chosen by status.
 */
export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
  const detail = error.problem?.detail ?? error.message;
  switch (true) {
    case error.isNetwork:
      return t('errors.network');
    case error.status === 401:
      return t('errors.sessionEnded');
    case error.status === 403:
      return t('errors.forbidden');
    case error.status === 404:
      return t('errors.notFound');
    case error.isStale:
      return t('errors.stale');
    case error.status === 422 && error.fieldErrors.length > 0:
      return t('errors.validation');
    case error.status === 409:
      return t('errors.conflict', { detail });
    case error.status >= 500:
      return t('errors.server', { requestId: error.problem?.request_id ?? '—' });
    default:
      return t('errors.generic', { detail });
  }
}
