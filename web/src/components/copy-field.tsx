import { useState } from 'react';
import { useI18n } from '../lib/i18n/use-i18n';
import { Button } from './button';
import './copy-field.css';

/**
 * A value to take elsewhere (a secret shown once, a snippet for a website): read-only, selected
 * on focus, with a button that copies it. Left to right whatever the page's direction: it is code.
 */
export function CopyField({ value, label, testId, multiline = false }: { value: string; label: string; testId?: string; multiline?: boolean }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  const common = { readOnly: true, dir: 'ltr', value, 'aria-label': label, 'data-testid': testId } as const;
  return (
    <div className={`copy-field${multiline ? ' copy-field--multiline' : ''}`}>
      {multiline ? (
        <textarea className="input copy-field__value" rows={12} spellCheck={false} {...common} onFocus={(event) => event.target.select()} />
      ) : (
        <input className="input copy-field__value" {...common} onFocus={(event) => event.target.select()} />
      )}
      <Button onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>
    </div>
  );
}
