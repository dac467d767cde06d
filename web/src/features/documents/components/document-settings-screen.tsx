import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap, isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { DocumentSettings } from '../../../lib/api/types';
import { isOneOf, rialDisplays } from '../../../lib/api/vocabularies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { logoMaxBytes, logoTypes, useDocumentSettings, useLogoUrl, useRemoveLogo, useUpdateDocumentSettings, useUploadLogo } from '../api/document-settings';
import { type SettingsFormError, type SettingsValues, sellerFields, settingsChanges, settingsValuesOf } from '../utils/settings-form';
import './documents.css';

/**
 * How the workspace's quotes and invoices are numbered and what they say (admins and managers
 * change it; members read it): numbering, terms, Rial/Toman on documents, the seller, the look,
 * and the logo.
 */
export function DocumentSettingsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const settings = useDocumentSettings();
  useDocumentTitle(t('documents.settings.title'));
  const canChange = me.data !== undefined && me.data.user.role !== 'member';

  return (
    <main className="page page--narrow" id="main" data-testid="document-settings-screen">
      <h1 className="page__title">{t('documents.settings.title')}</h1>
      <p className="page__intro">{t('documents.settings.intro')}</p>
      {me.data && !canChange && (
        <p className="form-note" data-testid="document-settings-read-only">
          {t('documents.settings.readOnly')}
        </p>
      )}
      {settings.isPending && <Skeleton className="skeleton--block" />}
      {settings.isError && <ErrorState title={t('documents.settings.loadFailed')} error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && (
        <>
          <SettingsForm key={i18n.locale} settings={settings.data} canChange={canChange} i18n={i18n} reload={async () => (await settings.refetch()).data} />
          <LogoSection settings={settings.data} canChange={canChange} i18n={i18n} />
        </>
      )}
    </main>
  );
}

const errorKey: Record<SettingsFormError, 'documents.settings.errors.days' | 'documents.settings.errors.colour' | 'documents.settings.errors.prefix'> = {
  days: 'documents.settings.errors.days',
  colour: 'documents.settings.errors.colour',
  prefix: 'documents.settings.errors.prefix',
};

// Codes and numbers in Latin script read left to right even in Persian.
const ltrSeller = new Set<string>(['economic_code', 'national_id', 'registration_number', 'postal_code', 'phone', 'email']);

const sameValues = (a: SettingsValues, b: SettingsValues) => JSON.stringify(a) === JSON.stringify(b);

function SettingsForm({
  settings,
  canChange,
  i18n,
  reload,
}: {
  settings: DocumentSettings;
  canChange: boolean;
  i18n: I18n;
  reload: () => Promise<DocumentSettings | undefined>;
}) {
  const { t, locale } = i18n;
  const update = useUpdateDocumentSettings();
  const [values, setValues] = useState<SettingsValues>(() => settingsValuesOf(settings, locale));
  // The settings the form was filled from: a save sends their version, so that someone else's
  // save in between is refused rather than overwritten.
  const [base, setBase] = useState(settings);
  const fill = (next: DocumentSettings) => {
    setValues(settingsValuesOf(next, locale));
    setBase(next);
  };
  // A newer version read meanwhile: one that changed nothing the form holds (a logo set, say)
  // becomes the base at once; another fills an untouched form, and leaves edits to be refused.
  useEffect(() => {
    if (settings.version === base.version) return;
    const same = sameValues(settingsValuesOf(settings, locale), settingsValuesOf(base, locale));
    if (same) setBase(settings);
    else if (sameValues(values, settingsValuesOf(base, locale))) fill(settings);
  }, [settings]);
  const [formErrors, setFormErrors] = useState<Partial<Record<keyof SettingsValues, SettingsFormError>>>({});
  const serverErrors = fieldErrorMap(update.error);
  const stale = isApiError(update.error) && update.error.isStale;
  const set = (patch: Partial<SettingsValues>) => setValues({ ...values, ...patch });
  const errorOf = (field: keyof SettingsValues) => {
    const code = formErrors[field];
    return code ? t(errorKey[code]) : serverErrors[field];
  };
  const disabled = !canChange;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = settingsChanges(values, base, locale);
    if (!parsed.ok) {
      setFormErrors(parsed.errors);
      return;
    }
    setFormErrors({});
    if (Object.keys(parsed.changes).length === 0) {
      toast.info(t('documents.settings.nothingChanged'));
      return;
    }
    update.mutate(
      { version: base.version, changes: parsed.changes },
      {
        onSuccess: (saved) => {
          fill(saved);
          toast.success(t('documents.settings.saved'));
        },
      },
    );
  };

  const text = (
    field: keyof SettingsValues & string,
    label: string,
    extra: { hint?: string; dir?: 'ltr' | 'auto'; inputMode?: 'numeric' | 'tel' | 'email' } = {},
  ) => (
    <TextField
      label={label}
      hint={extra.hint}
      dir={extra.dir ?? 'auto'}
      inputMode={extra.inputMode}
      value={String(values[field])}
      onChange={(event) => set({ [field]: event.target.value })}
      error={errorOf(field)}
      disabled={disabled}
    />
  );

  return (
    <form className="form document-settings" onSubmit={submit} noValidate data-testid="document-settings-form">
      {stale && (
        <FormAlert>
          <span data-testid="document-settings-stale">{t('documents.settings.stale')}</span>{' '}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              update.reset();
              void reload().then((latest) => latest && fill(latest));
            }}
          >
            {t('documents.settings.reload')}
          </Button>
        </FormAlert>
      )}
      {update.error && !stale && Object.keys(serverErrors).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      {update.error && Object.keys(serverErrors).length > 0 && <FormAlert>{t('errors.validation')}</FormAlert>}

      <fieldset className="settings__section document-settings__group">
        <legend className="section-title">{t('documents.settings.numbering')}</legend>
        <div className="document-form__grid">
          {text('quote_prefix', t('documents.settings.quotePrefix'), { dir: 'ltr' })}
          {text('invoice_prefix', t('documents.settings.invoicePrefix'), { dir: 'ltr' })}
        </div>
        <p className="field__hint">{t('documents.settings.prefixHint')}</p>
        <label className="checkbox">
          <input type="checkbox" checked={values.yearly_reset} disabled={disabled} onChange={(event) => set({ yearly_reset: event.target.checked })} />
          <span>{t('documents.settings.yearlyReset')}</span>
        </label>
        <p className="field__hint">{t('documents.settings.yearlyResetHint')}</p>
      </fieldset>

      <fieldset className="settings__section document-settings__group">
        <legend className="section-title">{t('documents.settings.terms')}</legend>
        <div className="document-form__grid">
          {text('quote_validity_days', t('documents.settings.validityDays'), { dir: 'ltr', inputMode: 'numeric' })}
          {text('invoice_due_days', t('documents.settings.dueDays'), { dir: 'ltr', inputMode: 'numeric' })}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={values.accept_wins_deal} disabled={disabled} onChange={(event) => set({ accept_wins_deal: event.target.checked })} />
          <span>{t('documents.settings.acceptWinsDeal')}</span>
        </label>
      </fieldset>

      <fieldset className="settings__section document-settings__group">
        <legend className="section-title">{t('documents.settings.amounts')}</legend>
        <SelectField
          label={t('documents.settings.rialDisplay')}
          hint={t('documents.settings.rialDisplayHint')}
          value={values.rial_display}
          disabled={disabled}
          onChange={(event) => isOneOf(rialDisplays, event.target.value) && set({ rial_display: event.target.value })}
        >
          {rialDisplays.map((unit) => (
            <option key={unit} value={unit}>
              {t(`money.${unit}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <fieldset className="settings__section document-settings__group" data-testid="seller-fields">
        <legend className="section-title">{t('documents.settings.seller')}</legend>
        <p className="muted">{t('documents.settings.sellerHint')}</p>
        <div className="document-form__grid">
          {sellerFields
            .filter((field) => field !== 'address')
            .map((field) => (
              <div key={field}>
                {text(field, t(`documents.settings.sellerFields.${field}`), {
                  dir: ltrSeller.has(field) ? 'ltr' : 'auto',
                  inputMode: field === 'phone' ? 'tel' : field === 'email' ? 'email' : undefined,
                })}
              </div>
            ))}
        </div>
        <TextAreaField
          label={t('documents.settings.sellerFields.address')}
          value={values.address}
          rows={2}
          disabled={disabled}
          dir="auto"
          onChange={(event) => set({ address: event.target.value })}
          error={errorOf('address')}
        />
      </fieldset>

      <fieldset className="settings__section document-settings__group">
        <legend className="section-title">{t('documents.settings.look')}</legend>
        <div className="document-settings__colour">
          <TextField
            label={t('documents.settings.accentColour')}
            hint={t('documents.settings.accentColourHint')}
            dir="ltr"
            value={values.accent_colour}
            disabled={disabled}
            onChange={(event) => set({ accent_colour: event.target.value })}
            error={errorOf('accent_colour')}
          />
          <input
            type="color"
            className="document-settings__swatch"
            aria-label={t('documents.settings.pickColour')}
            value={/^#[0-9a-f]{6}$/i.test(values.accent_colour) ? values.accent_colour.toLowerCase() : '#000000'}
            disabled={disabled}
            onChange={(event) => set({ accent_colour: event.target.value })}
          />
        </div>
        <TextAreaField
          label={t('documents.settings.termsText')}
          hint={t('documents.settings.termsTextHint')}
          value={values.terms}
          rows={3}
          disabled={disabled}
          dir="auto"
          onChange={(event) => set({ terms: event.target.value })}
          error={errorOf('terms')}
        />
        <TextAreaField
          label={t('documents.settings.footer')}
          value={values.footer}
          rows={2}
          disabled={disabled}
          dir="auto"
          onChange={(event) => set({ footer: event.target.value })}
          error={errorOf('footer')}
        />
      </fieldset>

      {canChange && (
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={update.isPending}>
            {update.isPending ? t('common.saving') : t('documents.settings.save')}
          </Button>
        </div>
      )}
    </form>
  );
}

/** The logo documents show: a preview fetched with the token, upload (checked before it is sent) and remove. */
function LogoSection({ settings, canChange, i18n }: { settings: DocumentSettings; canChange: boolean; i18n: I18n }) {
  const { t } = i18n;
  const logoUrl = useLogoUrl(settings);
  const upload = useUploadLogo();
  const remove = useRemoveLogo();
  const input = useRef<HTMLInputElement>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const failure = upload.error ?? remove.error;

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    upload.reset();
    if (!isOneOf(logoTypes, file.type)) return setRefusal(t('documents.settings.logo.wrongType', { name: file.name }));
    if (file.size > logoMaxBytes) return setRefusal(t('documents.settings.logo.tooLarge', { name: file.name }));
    setRefusal(null);
    upload.mutate(file, { onSuccess: () => toast.success(t('documents.settings.logo.uploaded')) });
  };

  return (
    <section className="settings__section document-logo" aria-labelledby="document-logo-title" data-testid="document-logo">
      <h2 id="document-logo-title" className="section-title">
        {t('documents.settings.logo.title')}
      </h2>
      <p className="muted">{t('documents.settings.logo.hint')}</p>
      {settings.has_logo ? (
        logoUrl ? (
          <img className="document-logo__preview" src={logoUrl} alt={t('documents.settings.logo.current')} data-testid="document-logo-preview" />
        ) : (
          <Skeleton className="skeleton--block" />
        )
      ) : (
        <p className="muted">{t('documents.settings.logo.none')}</p>
      )}
      {refusal && <FormAlert>{refusal}</FormAlert>}
      {failure != null && <FormAlert>{describeError(failure, t)}</FormAlert>}
      {canChange && (
        <div className="form__actions form__actions--start">
          <input ref={input} type="file" accept={logoTypes.join(',')} hidden onChange={choose} data-testid="document-logo-input" />
          <Button busy={upload.isPending} onClick={() => input.current?.click()}>
            {t('documents.settings.logo.choose')}
          </Button>
          {settings.has_logo && (
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => toast.success(t('documents.settings.logo.removed')) })}
            >
              {t('documents.settings.logo.remove')}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
