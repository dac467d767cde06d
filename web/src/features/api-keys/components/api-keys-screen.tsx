import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { RefusedPage } from '../../../components/refused-page';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { apiKeyScopes, isOneOf } from '../../../lib/api/vocabularies';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { type ApiKeyScope, type CreatedApiKey, useApiKeys, useCreateApiKey } from '../api/api-keys';
import { expiryOf, type Lifetime, lifetimes } from '../utils/key-state';
import { KeySecretDialog } from './key-secret-dialog';
import { KeyTable } from './key-table';
import './api-keys.css';

/** The workspace's API keys (admins): make one with scopes and an end, see it once, revoke it. */
export function ApiKeysScreen() {
  const { t } = useI18n();
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  useDocumentTitle(t('apiKeys.title'));

  if (keys.isError && errorCode(keys.error) === 'forbidden') {
    return <RefusedPage title={t('apiKeys.title')} reason={t('apiKeys.forbidden')} />;
  }

  return (
    <main className="page page--narrow" id="main" data-testid="api-keys-screen">
      <h1 className="page__title">{t('apiKeys.title')}</h1>
      <p className="page__intro">{t('apiKeys.intro')}</p>
      {keys.isPending && <Skeleton className="skeleton--block" />}
      {keys.isError && <ErrorState title={t('apiKeys.loadFailed')} error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.data && keys.data.length === 0 && <EmptyState title={t('apiKeys.empty')} />}
      {keys.data && keys.data.length > 0 && <KeyTable keys={keys.data} label={t('apiKeys.title')} />}
      <CreateKeyForm onCreated={setCreated} />
      {created && <KeySecretDialog created={created} onClose={() => setCreated(null)} />}
    </main>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const { t } = useI18n();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['read']);
  const [lifetime, setLifetime] = useState<Lifetime>('90');
  const errors = fieldErrorMap(create.error);

  const toggle = (scope: ApiKeyScope, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((held) => held !== scope));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scopes, expires_at: expiryOf(lifetime) },
      {
        onSuccess: (result) => {
          onCreated(result);
          setName('');
        },
      },
    );
  };

  return (
    <section className="settings__section" aria-labelledby="create-api-key">
      <h2 id="create-api-key" className="section-title">
        {t('apiKeys.create')}
      </h2>
      <form className="form" onSubmit={submit} noValidate data-testid="api-key-form">
        {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <div className="form__row">
          <TextField
            label={t('apiKeys.name')}
            hint={t('apiKeys.nameHint')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={errors.name}
            required
          />
          <SelectField
            label={t('apiKeys.lifetime')}
            value={lifetime}
            onChange={(event) => isOneOf(lifetimes, event.target.value) && setLifetime(event.target.value)}
          >
            {lifetimes.map((choice) => (
              <option key={choice} value={choice}>
                {t(`apiKeys.lifetimes.${choice}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className="api-key-scopes">
          <legend className="field__label">{t('apiKeys.scopes')}</legend>
          {apiKeyScopes.map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} />
              <span>
                <strong>{t(`apiKeys.scope.${scope}`)}</strong> <span className="muted">{t(`apiKeys.scopeHint.${scope}`)}</span>
              </span>
            </label>
          ))}
          {errors.scopes && <p className="field__error">{errors.scopes}</p>}
        </fieldset>
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={create.isPending} disabled={scopes.length === 0}>
            {t('apiKeys.createButton')}
          </Button>
        </div>
      </form>
    </section>
  );
}
