import type { ReactNode } from 'react';
import { describeError } from '../lib/api/describe-error';
import type { Translate } from '../lib/i18n/use-i18n';
import { Button } from './button';
import { Dialog } from './dialog';
import { FormAlert } from './field';

interface ConfirmDeleteDialogProps {
  title: string;
  /** What deleting costs, said before it is done. */
  body: ReactNode;
  /** The last refusal, if any, shown above the buttons. */
  error: unknown;
  busy: boolean;
  onDelete: () => void;
  onClose: () => void;
  t: Translate;
}

/** Asks before something is deleted: what it costs, Cancel, and a danger button that deletes. */
export function ConfirmDeleteDialog({ title, body, error, busy, onDelete, onClose, t }: ConfirmDeleteDialogProps) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{body}</p>
      {error != null && <FormAlert>{describeError(error, t)}</FormAlert>}
      <div className="form__actions">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="danger" busy={busy} onClick={onDelete}>
          {t('common.delete')}
        </Button>
      </div>
    </Dialog>
  );
}
