import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, TextAreaField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type AttachmentLink, useAddNote } from '../api/customer-page';
import { noteInput } from '../utils/note';

/** "Add note": a note about the customer, which shows on the timeline at once. */
export function NoteBox({ link, i18n }: { link: Extract<AttachmentLink, { contact_id: string } | { organization_id: string }>; i18n: I18n }) {
  const { t } = i18n;
  const add = useAddNote();
  const [text, setText] = useState('');
  const [blank, setBlank] = useState(false);
  const fieldErrors = fieldErrorMap(add.error);
  const fieldError = fieldErrors.subject ?? fieldErrors.body;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = noteInput(text, link);
    setBlank(input === null);
    if (!input) return;
    add.mutate(input, {
      onSuccess: () => {
        setText('');
        toast.success(t('customerPage.note.added'));
      },
    });
  };

  return (
    <form className="form note-box" onSubmit={submit} noValidate data-testid="note-box">
      {add.error && !fieldError && <FormAlert>{describeError(add.error, t)}</FormAlert>}
      <TextAreaField
        label={t('customerPage.note.label')}
        name="note"
        value={text}
        placeholder={t('customerPage.note.placeholder')}
        onChange={(event) => setText(event.target.value)}
        error={blank ? t('customerPage.note.blank') : fieldError}
        dir="auto"
      />
      <div className="form__actions">
        <Button type="submit" variant="primary" size="sm" busy={add.isPending}>
          {add.isPending ? t('common.saving') : t('customerPage.note.submit')}
        </Button>
      </div>
    </form>
  );
}
