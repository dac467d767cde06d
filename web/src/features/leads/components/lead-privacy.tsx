import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useEraseLead, useExportLeadData } from '../api/leads';
import { erasureConfirmed, mayErasePersonalData } from '../utils/lead-privacy';

/** The lead's personal data: download it as JSON (whoever sees the lead), or erase it (admins). */
export function LeadPrivacy({ lead, i18n, onErased }: { lead: Lead; i18n: I18n; onErased: () => void }) {
  const { t } = i18n;
  const me = useMe();
  const exportData = useExportLeadData();
  const [confirming, setConfirming] = useState(false);

  const download = () =>
    exportData.mutate(lead, {
      onSuccess: () => toast.success(t('leads.privacy.exported', { name: lead.name })),
      onError: (error) => toast.error(t('leads.privacy.exportFailed', { name: lead.name, reason: describeError(error, t) })),
    });

  return (
    <section aria-labelledby="lead-privacy-title" data-testid="lead-privacy">
      <h3 id="lead-privacy-title" className="subsection-title">
        {t('leads.privacy.title')}
      </h3>
      <p className="muted">{t('leads.privacy.hint')}</p>
      <div className="deal-actions">
        <Button busy={exportData.isPending} onClick={download}>
          {t('leads.privacy.export')}
        </Button>
        {mayErasePersonalData(me.data?.user.role) && (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t('leads.privacy.erase')}
          </Button>
        )}
      </div>
      {confirming && (
        <EraseLeadDialog
          lead={lead}
          i18n={i18n}
          onClose={() => setConfirming(false)}
          onDone={() => {
            setConfirming(false);
            toast.success(t('leads.privacy.erased', { name: lead.name }));
            onErased();
          }}
        />
      )}
    </section>
  );
}

/** Asks the admin to type the lead's name before erasing it: an erasure cannot be undone. */
function EraseLeadDialog({ lead, i18n, onClose, onDone }: { lead: Lead; i18n: I18n; onClose: () => void; onDone: () => void }) {
  const { t } = i18n;
  const erase = useEraseLead();
  const [typed, setTyped] = useState('');
  const confirmed = erasureConfirmed(typed, lead.name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmed) erase.mutate(lead, { onSuccess: onDone });
  };

  return (
    <Dialog title={t('leads.privacy.eraseTitle', { name: lead.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="erase-lead-form">
        {erase.error && <FormAlert>{describeError(erase.error, t)}</FormAlert>}
        <p>{t('leads.privacy.eraseWarning')}</p>
        <TextField label={t('leads.privacy.confirmLabel')} name="confirm" autoFocus value={typed} onChange={(event) => setTyped(event.target.value)} />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="danger" busy={erase.isPending} disabled={!confirmed}>
            {t('leads.privacy.eraseSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
