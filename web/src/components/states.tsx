import type { CSSProperties, ReactNode } from 'react';
import { describeError } from '../lib/api/describe-error';
import { useI18n } from '../lib/i18n/use-i18n';
import { Button } from './button';

export function EmptyState({ title, body, action }: { title: string; body?: string; action?: ReactNode }) {
  return (
    <div className="state state--empty">
      <h2 className="state__title">{title}</h2>
      {body && <p className="state__body">{body}</p>}
      {action && <div className="state__action">{action}</div>}
    </div>
  );
}

/** What failed, why, and what to do: retry, or whatever `action` offers. */
export function ErrorState({ title, error, onRetry, action }: { title: string; error: unknown; onRetry?: () => void; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state state--error" role="alert">
      <h2 className="state__title">{title}</h2>
      <p className="state__body">{describeError(error, t)}</p>
      <div className="state__action">
        {onRetry && (
          <Button variant="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
        {action}
      </div>
    </div>
  );
}

export function Skeleton({ className, style }: { className?: string; style?: CSSProperties }) {
  return <span className={`skeleton ${className ?? ''}`} style={style} aria-hidden="true" />;
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner" role="status">
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
