import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, TextField } from '../../../components/field';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useChangeDealStatus } from '../api/deals';

/** Asks why a deal was lost (reports group by it) and marks it lost with the version it read. */
export function LoseDealDialog({ deal, i18n, onClose, onLost }: { deal: Deal; i18n: I18n; onClose: () => void; onLost: (deal: Deal) => void }) {
  const { t } = i18n;
  const change = useChangeDealStatus();
  const [reason, setReason] = useState('');
  const errors = fieldErrorMap(change.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ deal, action: { kind: 'lose', reason } }, { onSuccess: (lost) => onLost(lost) });
  };

  return (
    <Dialog title={t('deal.lose.title', { title: deal.title })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="lose-deal-form">
        {change.error && !errors.reason && <FormAlert>{describeError(change.error, t)}</FormAlert>}
        <TextField
          label={t('deal.lose.reason')}
          name="reason"
          required
          autoFocus
          placeholder={t('deal.lose.reasonPlaceholder')}
          hint={t('deal.lose.hint')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={errors.reason}
        />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="danger" busy={change.isPending}>
            {t('deal.lose.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
