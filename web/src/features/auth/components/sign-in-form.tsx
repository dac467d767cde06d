import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert, TextField } from '../../../components/field';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { WorkspaceChoice } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { sessionNote } from '../../../lib/session/token-store';
import { useSignIn } from '../api/auth';
import { workspaceChoices } from '../utils/workspace-choice';
import { AuthLayout } from './auth-layout';

/**
 * Sign-in. Accounts belong to one workspace, so an email and password may open several: the
 * server then lists those workspaces (`workspace_choice_required`) and the form asks which one,
 * signing in again with its id.
 */
export function SignInForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [choices, setChoices] = useState<WorkspaceChoice[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [sessionEnded] = useState(sessionNote.take);
  const errors = fieldErrorMap(signIn.error);
  const from = (location.state as { from?: string } | null)?.from;

  const send = (workspaceId: string | null) => {
    setChosen(workspaceId);
    signIn.mutate(
      { email, password, ...(workspaceId ? { workspace_id: workspaceId } : {}) },
      {
        onSuccess: () => navigate(from ?? paths.home, { replace: true }),
        onError: (error) => setChoices((shown) => workspaceChoices(error) ?? (workspaceId ? shown : null)),
      },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(null);
  };

  const back = () => {
    setChoices(null);
    setChosen(null);
    setPassword('');
    signIn.reset();
  };

  const failure = signIn.error && !workspaceChoices(signIn.error) && (
    <FormAlert>{errorCode(signIn.error) === 'credentials_refused' ? t('auth.signIn.failed') : describeError(signIn.error, t)}</FormAlert>
  );

  if (choices) {
    return (
      <AuthLayout
        title={t('auth.signIn.chooseTitle')}
        intro={t('auth.signIn.chooseIntro')}
        footer={
          <Button variant="ghost" size="sm" onClick={back}>
            {t('auth.signIn.back')}
          </Button>
        }
      >
        <div className="form" data-testid="workspace-choice">
          {failure}
          <ul className="workspace-choices">
            {choices.map((workspace) => (
              <li key={workspace.id}>
                <Button
                  variant="secondary"
                  className="workspace-choices__option"
                  aria-label={t('auth.signIn.chooseWorkspace', { name: workspace.name })}
                  busy={signIn.isPending && chosen === workspace.id}
                  onClick={() => send(workspace.id)}
                >
                  <span dir="auto">{workspace.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        </div>
      </AuthLayout>
    );
  }

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
        {failure}
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
