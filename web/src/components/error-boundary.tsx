import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n/use-i18n';
import { Button } from './button';

/**
 * The last line of defence: a rendering error shows a way out (reload) instead of a blank page.
 * Errors from the API never get here; screens show those in place.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Kariz crashed while rendering', error, info.componentStack);
  }

  override render() {
    return this.state.error ? <CrashScreen error={this.state.error} /> : this.props.children;
  }
}

function CrashScreen({ error }: { error: Error }) {
  const { t } = useI18n();
  return (
    <main className="page" id="main">
      <div className="state state--error" role="alert">
        <h1 className="state__title">{t('errors.crashTitle')}</h1>
        <p className="state__body">{t('errors.crashBody')}</p>
        <p className="muted" dir="ltr">
          {error.message}
        </p>
        <div className="state__action">
          <Button variant="primary" onClick={() => window.location.reload()}>
            {t('common.reload')}
          </Button>
        </div>
      </div>
    </main>
  );
}
