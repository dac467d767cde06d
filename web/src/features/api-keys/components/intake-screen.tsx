import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { RefusedPage } from '../../../components/refused-page';
import { CopyField } from '../../../components/copy-field';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useApiKeys, useCreateApiKey } from '../api/api-keys';
import { type FormLanguage, webFormSnippet } from '../utils/web-form-snippet';
import { KeyTable } from './key-table';

/**
 * Leads from a website (admins): a form key (an API key that can only send leads) and the form
 * to paste into a page, with the key written into it.
 */
export function IntakeScreen() {
  const { t, locale } = useI18n();
  const keys = useApiKeys();
  const [key, setKey] = useState('');
  const [language, setLanguage] = useState<FormLanguage>(locale);
  useDocumentTitle(t('intake.title'));
  const formKeys = keys.data?.filter((candidate) => candidate.scopes.includes('intake')) ?? [];

  if (keys.isError && errorCode(keys.error) === 'forbidden') {
    return <RefusedPage title={t('intake.title')} reason={t('intake.forbidden')} />;
  }

  return (
    <main className="page page--narrow" id="main" data-testid="intake-screen">
      <h1 className="page__title">{t('intake.title')}</h1>
      <p className="page__intro">{t('intake.intro')}</p>
      <section className="settings__section" aria-labelledby="form-keys">
        <h2 id="form-keys" className="section-title">
          {t('intake.keys')}
        </h2>
        {keys.isPending && <Skeleton className="skeleton--block" />}
        {keys.isError && <ErrorState title={t('apiKeys.loadFailed')} error={keys.error} onRetry={() => void keys.refetch()} />}
        {keys.isSuccess && formKeys.length === 0 && <p className="muted">{t('intake.noKeys')}</p>}
        {formKeys.length > 0 && <KeyTable keys={formKeys} label={t('intake.keys')} />}
        <MakeFormKey onMade={setKey} />
      </section>
      <section className="settings__section form" aria-labelledby="web-form">
        <h2 id="web-form" className="section-title">
          {t('intake.form')}
        </h2>
        <p>{t('intake.formIntro')}</p>
        <div className="form__row">
          <TextField label={t('intake.key')} hint={t('intake.keyHint')} dir="ltr" value={key} onChange={(event) => setKey(event.target.value.trim())} />
          <SelectField label={t('intake.language')} value={language} onChange={(event) => setLanguage(event.target.value === 'fa' ? 'fa' : 'en')}>
            <option value="en">{t('languages.en')}</option>
            <option value="fa">{t('languages.fa')}</option>
          </SelectField>
        </div>
        <CopyField multiline value={webFormSnippet({ origin: window.location.origin, key, language })} label={t('intake.snippet')} testId="web-form-snippet" />
        <p className="muted">{t('intake.sameOrigin', { origin: window.location.origin })}</p>
      </section>
    </main>
  );
}

function MakeFormKey({ onMade }: { onMade: (key: string) => void }) {
  const { t } = useI18n();
  const create = useCreateApiKey();
  const [name, setName] = useState(t('intake.defaultName'));
  const errors = fieldErrorMap(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scopes: ['intake'] },
      {
        onSuccess: (made) => {
          onMade(made.key);
          toast.success(t('intake.made', { name: made.api_key.name }));
        },
      },
    );
  };
  return (
    <form className="form form--inline" onSubmit={submit} noValidate data-testid="form-key-form">
      {create.error && !errors.name && <FormAlert>{describeError(create.error, t)}</FormAlert>}
      <TextField label={t('intake.keyName')} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required />
      <Button type="submit" variant="primary" busy={create.isPending}>
        {t('intake.make')}
      </Button>
    </form>
  );
}
