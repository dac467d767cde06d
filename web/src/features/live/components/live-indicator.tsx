import type { I18n } from '../../../lib/i18n/use-i18n';
import type { LiveStatus } from '../hooks/use-live-events';
import './live-indicator.css';

/**
 * Whether the page is receiving others' changes: a dot and a word in the header. A polite live
 * region, so a screen reader hears "Reconnecting…" and "Live" without losing its place.
 */
export function LiveIndicator({ status, i18n }: { status: LiveStatus; i18n: Pick<I18n, 't'> }) {
  const { t } = i18n;
  const label = t(`live.status.${status}`);
  return (
    <span className={`live-indicator live-indicator--${status}`} role="status" aria-live="polite" data-testid="live-indicator" data-status={status}>
      <span className="live-indicator__dot" aria-hidden="true" />
      <span className="live-indicator__label" title={t('live.statusHint', { status: label })}>
        {label}
      </span>
    </span>
  );
}
