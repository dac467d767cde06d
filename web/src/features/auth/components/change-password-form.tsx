import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useChangePassword } from '../api/auth';

const empty = { current: '', next: '', confirm: '' };

/** Changes the signed-in user's password; the server signs their other devices out. */
export function ChangePasswordForm() {
  const { t } = useI18n();
  useDocumentTitle(t('account.password.title'));
  const change = useChangePassword();
  const [form, setForm] = useState(empty);
  const [mismatch, setMismatch] = useState(false);
  const errors = fieldErrorMap(change.error);
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const differs = form.next !== form.confirm;
    setMismatch(differs);
    if (differs) return;
    change.mutate(
      { current_password: form.current, new_password: form.next },
      {
        onSuccess: () => {
          setForm(empty);
          toast.success(t('account.password.saved'));
        },
      },
    );
  };

  const fieldProblems = Boolean(errors.current_password || errors.new_password);
  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('account.password.title')}</h1>
      <p className="page__intro">{t('account.password.intro')}</p>
      <form className="form" onSubmit={submit} noValidate data-testid="change-password-form">
        {change.error && !fieldProblems && <FormAlert>{describeError(change.error, t)}</FormAlert>}
        <TextField
          label={t('account.password.current')}
          name="current_password"
          type="password"
          autoComplete="current-password"
          dir="ltr"
          required
          value={form.current}
          onChange={set('current')}
          error={errors.current_password ? t('account.password.wrongCurrent') : undefined}
        />
        <TextField
          label={t('account.password.new')}
          name="new_password"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={10}
          hint={t('account.password.newHint')}
          value={form.next}
          onChange={set('next')}
          error={errors.new_password}
        />
        <TextField
          label={t('account.password.confirm')}
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          required
          value={form.confirm}
          onChange={set('confirm')}
          error={mismatch ? t('account.password.mismatch') : undefined}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={change.isPending}>
            {change.isPending ? t('common.saving') : t('account.password.submit')}
          </Button>
        </div>
      </form>
    </main>
  );
}
