import type { Translate } from '../../../lib/i18n/use-i18n';
import type { BulkResult } from '../api/bulk';
import { failureReason, summarize } from '../utils/bulk-summary';

export interface BulkSummaryProps {
  results: readonly BulkResult[];
  /** A record's name for the list of failures; its id when the screen does not know it. */
  nameOf?: (id: string) => string;
  t: Translate;
  onDismiss: () => void;
}

/** "12 done, 2 failed", then each failure with its reason. */
export function BulkSummary({ results, nameOf, t, onDismiss }: BulkSummaryProps) {
  const { done, failed } = summarize(results);
  return (
    <div className="bulk-summary" role="status" data-testid="bulk-summary">
      <p className="bulk-summary__counts">
        {failed.length === 0 ? t('bulk.summary.allDone', { count: done }) : t('bulk.summary.someFailed', { done, failed: failed.length })}
      </p>
      {failed.length > 0 && (
        <ul className="bulk-summary__failures">
          {failed.map((result) => (
            <li key={result.id} data-status={result.status} dir="auto">
              {t('bulk.summary.failure', { name: nameOf?.(result.id) ?? result.id, reason: failureReason(result, t) })}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="link-button" onClick={onDismiss}>
        {t('common.dismiss')}
      </button>
    </div>
  );
}
