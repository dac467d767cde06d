import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert, TextField } from '../../../components/field';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { sessionNote } from '../../../lib/session/token-store';
import { useSignIn } from '../api/auth';
import { AuthLayout } from './auth-layout';

export function SignInForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sessionEnded] = useState(sessionNote.take);
  const errors = fieldErrorMap(signIn.error);
  const from = (location.state as { from?: string } | null)?.from;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => navigate(from ?? paths.home, { replace: true }) });
  };

  return (
    <AuthLayout
      title={t('auth.signIn.title')}
      footer={
        <>
          {t('auth.signIn.noAccount')} <Link to={paths.signUp}>{t('auth.signIn.toSignUp')}</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {sessionEnded && !signIn.error && <p className="form-note">{t('errors.sessionEnded')}</p>}
        {signIn.error && <FormAlert>{errorCode(signIn.error) === 'credentials_refused' ? t('auth.signIn.failed') : describeError(signIn.error, t)}</FormAlert>}
        <TextField
          label={t('auth.signIn.email')}
          name="email"
          type="email"
          autoComplete="username"
          dir="ltr"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.email}
        />
        <TextField
          label={t('auth.signIn.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          dir="ltr"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.password}
        />
        <Button type="submit" variant="primary" busy={signIn.isPending}>
          {signIn.isPending ? t('auth.signIn.submitting') : t('auth.signIn.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
