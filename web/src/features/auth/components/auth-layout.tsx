import type { ReactNode } from 'react';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { LanguageSwitch } from './language-switch';

export function AuthLayout({ title, intro, children, footer }: { title: string; intro?: string; children: ReactNode; footer: ReactNode }) {
  const { t } = useI18n();
  useDocumentTitle(title);
  return (
    <main className="auth">
      <div className="auth__card">
        <div className="auth__brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="auth__brand-name">{t('app.name')}</span>
          <span className="auth__tagline">{t('app.tagline')}</span>
        </div>
        <h1 className="auth__title">{title}</h1>
        {intro && <p className="auth__intro">{intro}</p>}
        {children}
        <p className="auth__footer">{footer}</p>
      </div>
      <div className="auth__language">
        <LanguageSwitch />
      </div>
    </main>
  );
}
