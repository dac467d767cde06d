import { Button } from '../../../components/button';
import { CopyField } from '../../../components/copy-field';
import { Dialog } from '../../../components/dialog';
import { useI18n } from '../../../lib/i18n/use-i18n';
import type { CreatedApiKey } from '../api/api-keys';

/** A new key, shown this once: the server keeps only its hash. */
export function KeySecretDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('apiKeys.secret.title', { name: created.api_key.name })} onClose={onClose}>
      <p>{t('apiKeys.secret.body')}</p>
      <CopyField value={created.key} label={t('apiKeys.secret.label')} testId="api-key-secret" />
      <div className="form__actions">
        <Button variant="primary" onClick={onClose}>
          {t('apiKeys.secret.done')}
        </Button>
      </div>
    </Dialog>
  );
}
