import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useLostReasons } from '../api/deal-rules';
import { type DealRef, useChangeDealStatus } from '../api/deals';

/**
 * Asks why a deal was lost: one of the workspace's active reasons (the report groups by it) and,
 * in the salesperson's words, a note; marks it lost with the version it read.
 */
export function LoseDealDialog({ deal, i18n, onClose, onLost }: { deal: DealRef; i18n: I18n; onClose: () => void; onLost: (deal: Deal) => void }) {
  const { t } = i18n;
  const change = useChangeDealStatus();
  const { reasons } = useLostReasons();
  const active = reasons.filter((reason) => reason.active);
  const [reasonId, setReasonId] = useState('');
  const [reason, setReason] = useState('');
  const errors = fieldErrorMap(change.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ deal, action: { kind: 'lose', reason, reasonId: reasonId || null } }, { onSuccess: (lost) => onLost(lost) });
  };

  return (
    <Dialog title={t('deal.lose.title', { title: deal.title })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="lose-deal-form">
        {change.error && !errors.reason && !errors.reason_id && <FormAlert>{describeError(change.error, t)}</FormAlert>}
        {active.length > 0 && (
          <SelectField
            label={t('dealRules.lose.reason')}
            name="reason_id"
            autoFocus
            value={reasonId}
            onChange={(event) => setReasonId(event.target.value)}
            error={errors.reason_id}
          >
            <option value="">{t('dealRules.lose.noReason')}</option>
            {active.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label={active.length > 0 ? t('dealRules.lose.note') : t('deal.lose.reason')}
          name="reason"
          required={active.length === 0}
          autoFocus={active.length === 0}
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
