import { useEffect } from 'react';
import { useI18n } from './i18n/use-i18n';

/** Names the browser tab after the screen: "New business · Kariz". */
export function useDocumentTitle(title: string | null | undefined) {
  const { t } = useI18n();
  const name = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} · ${name}` : name;
  }, [title, name]);
}
