import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { FieldFrame, FormAlert, SelectField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, FieldDefinition } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useDealFields } from '../api/deal-rules';
import { useUpdateDeal } from '../api/deals';
import { type CustomValue, customValueText, parseCustomValues } from '../utils/deal-rules';

interface InputsProps {
  definitions: readonly FieldDefinition[];
  values: Record<string, CustomValue>;
  onChange: (key: string, value: CustomValue) => void;
  /** By `custom_fields.<key>`, like the server's. */
  errors: Record<string, string>;
  i18n: I18n;
  autoFocusFirst?: boolean;
}

/** The deal's custom fields, each by its kind: text, number, yes/no, date (Jalali in Persian) or a choice. */
export function DealCustomFieldInputs({ definitions, values, onChange, errors, i18n, autoFocusFirst }: InputsProps) {
  const { t, locale } = i18n;
  return (
    <>
      {definitions.map((definition, index) => {
        const name = `custom_fields.${definition.key}`;
        const error = errors[name];
        const value = values[definition.key];
        const text = typeof value === 'string' ? value : '';
        const autoFocus = autoFocusFirst && index === 0;
        switch (definition.kind) {
          case 'boolean':
            return (
              <FieldFrame key={definition.key} label={definition.label} error={error}>
                {({ inputId, describedBy }) => (
                  <input
                    id={inputId}
                    type="checkbox"
                    name={name}
                    aria-describedby={describedBy}
                    checked={value === true}
                    onChange={(event) => onChange(definition.key, event.target.checked)}
                  />
                )}
              </FieldFrame>
            );
          case 'select':
            return (
              <SelectField
                key={definition.key}
                label={definition.label}
                name={name}
                value={text}
                error={error}
                autoFocus={autoFocus}
                onChange={(event) => onChange(definition.key, event.target.value)}
              >
                <option value="">{t('dealRules.fields.noChoice')}</option>
                {definition.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </SelectField>
            );
          case 'date':
            return (
              <DateField
                key={definition.key}
                label={definition.label}
                name={name}
                hint={locale === 'fa' ? t('deal.fields.jalaliHint') : undefined}
                value={text}
                error={error}
                autoFocus={autoFocus}
                onChange={(value) => onChange(definition.key, value)}
              />
            );
          default:
            return (
              <TextField
                key={definition.key}
                label={definition.label}
                name={name}
                inputMode={definition.kind === 'number' ? 'decimal' : undefined}
                dir="auto"
                value={text}
                error={error}
                autoFocus={autoFocus}
                onChange={(event) => onChange(definition.key, event.target.value)}
              />
            );
        }
      })}
    </>
  );
}

export function customValuesOf(definitions: readonly FieldDefinition[], deal: Deal, locale: string): Record<string, CustomValue> {
  return Object.fromEntries(definitions.map((definition) => [definition.key, customValueText(definition, deal.custom_fields?.[definition.key], locale)]));
}

/** The drawer's section of the workspace's deal fields, saved on their own with the version read. */
export function DealCustomFieldsSection({ deal, i18n }: { deal: Deal; i18n: I18n }) {
  const { t, locale } = i18n;
  const { definitions } = useDealFields();
  const update = useUpdateDeal();
  const [edits, setEdits] = useState<Record<string, CustomValue>>({});
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  if (definitions.length === 0) return null;
  const values = { ...customValuesOf(definitions, deal, locale), ...edits };
  const errors = { ...localizedFieldErrors(update.error, t), ...formErrors };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCustomValues(definitions, edits, locale);
    if (!parsed.ok) {
      setFormErrors(Object.fromEntries(Object.entries(parsed.errors).map(([field, code]) => [field, t(`dealRules.fields.${code}`)])));
      return;
    }
    setFormErrors({});
    update.mutate(
      { deal, changes: { custom_fields: parsed.value } },
      {
        onSuccess: () => {
          setEdits({});
          toast.success(t('deal.drawer.saved'));
        },
      },
    );
  };

  return (
    <section className="deal-custom-fields" aria-labelledby="deal-custom-fields-title" data-testid="deal-custom-fields">
      <h3 id="deal-custom-fields-title" className="subsection-title">
        {t('dealRules.fields.title')}
      </h3>
      <form className="form" onSubmit={save} noValidate>
        {update.error && Object.keys(localizedFieldErrors(update.error, t)).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
        <DealCustomFieldInputs
          definitions={definitions}
          values={values}
          onChange={(key, value) => setEdits((current) => ({ ...current, [key]: value }))}
          errors={errors}
          i18n={i18n}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" disabled={Object.keys(edits).length === 0} busy={update.isPending}>
            {t('dealRules.fields.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}
