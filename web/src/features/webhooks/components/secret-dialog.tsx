import { useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import type { WebhookWithSecret } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';

/** The signing secret, shown this once after a subscription is created or its secret rotated. */
export function SecretDialog({ created, i18n, onClose }: { created: WebhookWithSecret; i18n: I18n; onClose: () => void }) {
  const { t } = i18n;
  const [copied, setCopied] = useState(false);
  const overlapUntil = created.webhook.previous_secret_expires_at;
  return (
    <Dialog title={t('webhooks.secret.title')} onClose={onClose}>
      <p>{t('webhooks.secret.body')}</p>
      <div className="secret">
        <input
          className="input secret__value"
          readOnly
          dir="ltr"
          value={created.secret}
          aria-label={t('webhooks.secret.title')}
          data-testid="webhook-secret"
          onFocus={(event) => event.target.select()}
        />
        <Button
          onClick={() =>
            void navigator.clipboard?.writeText(created.secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('webhooks.secret.copied') : t('webhooks.secret.copy')}
        </Button>
      </div>
      {overlapUntil && <p className="muted">{t('webhooks.secret.rotatedNote', { date: i18n.dateTime(overlapUntil) })}</p>}
      <div className="form__actions">
        <Button variant="primary" onClick={onClose}>
          {t('webhooks.secret.done')}
        </Button>
      </div>
    </Dialog>
  );
}
