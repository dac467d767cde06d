import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { commonCurrencies } from '../../../lib/format/currencies';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useSignUp } from '../api/auth';
import { AuthLayout } from './auth-layout';

export function SignUpForm() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [form, setForm] = useState({
    workspace_name: '',
    name: '',
    email: '',
    password: '',
    default_currency: locale === 'fa' ? 'IRR' : 'USD',
  });
  const errors = fieldErrorMap(signUp.error);
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate({ ...form, locale }, { onSuccess: () => navigate(paths.home, { replace: true }) });
  };

  return (
    <AuthLayout
      title={t('auth.signUp.title')}
      intro={t('auth.signUp.intro')}
      footer={
        <>
          {t('auth.signUp.haveAccount')} <Link to={paths.signIn}>{t('auth.signUp.toSignIn')}</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {signUp.error && <FormAlert>{describeError(signUp.error, t)}</FormAlert>}
        <TextField
          label={t('auth.signUp.workspaceName')}
          name="workspace_name"
          autoComplete="organization"
          required
          value={form.workspace_name}
          onChange={set('workspace_name')}
          error={errors.workspace_name}
        />
        <TextField label={t('auth.signUp.name')} name="name" autoComplete="name" required value={form.name} onChange={set('name')} error={errors.name} />
        <TextField
          label={t('auth.signUp.email')}
          name="email"
          type="email"
          autoComplete="email"
          dir="ltr"
          required
          value={form.email}
          onChange={set('email')}
          error={errors.email}
        />
        <TextField
          label={t('auth.signUp.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={10}
          hint={t('auth.signUp.passwordHint')}
          value={form.password}
          onChange={set('password')}
          error={errors.password}
        />
        <SelectField
          label={t('auth.signUp.currency')}
          name="default_currency"
          value={form.default_currency}
          onChange={set('default_currency')}
          error={errors.default_currency}
        >
          {commonCurrencies.map((currency) => (
            <option key={currency} value={currency}>
              {t(`currencies.${currency}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" busy={signUp.isPending}>
          {signUp.isPending ? t('auth.signUp.submitting') : t('auth.signUp.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
