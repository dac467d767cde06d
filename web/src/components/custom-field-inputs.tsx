import type { FieldDefinition } from '../lib/api/types';
import type { CustomFieldValue } from '../lib/custom-fields/custom-field-values';
import type { I18n } from '../lib/i18n/use-i18n';
import './custom-field-inputs.css';
import { DateField } from './date-field';
import { FieldFrame, SelectField, TextField } from './field';

interface CustomFieldInputsProps {
  definitions: readonly FieldDefinition[];
  values: Record<string, CustomFieldValue>;
  onChange: (key: string, value: CustomFieldValue) => void;
  /** By `custom_fields.<key>`, like the server's. */
  errors: Record<string, string>;
  /**
   * What the group of fields is called on a form of its own (a fieldset that marks the fields a
   * definition does not require as optional). Without one the fields are listed as they are: a
   * deal's are required by its stage, not by their definitions.
   */
  legend?: string;
  autoFocusFirst?: boolean;
  i18n: I18n;
}

/** The workspace's custom fields, each by its kind: text, number, yes/no, date (on the workspace's calendar) or a choice. */
export function CustomFieldInputs({ definitions, values, onChange, errors, legend, autoFocusFirst, i18n }: CustomFieldInputsProps) {
  const { t } = i18n;
  if (definitions.length === 0) return null;
  const inputs = definitions.map((definition, index) => {
    const name = `custom_fields.${definition.key}`;
    const error = errors[name];
    const value = values[definition.key];
    const text = typeof value === 'string' ? value : '';
    const label = legend === undefined || definition.required ? definition.label : `${definition.label} (${t('common.optional')})`;
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
                className="custom-field-inputs__checkbox"
                aria-describedby={describedBy}
                checked={value === true}
                autoFocus={autoFocus}
                onChange={(event) => onChange(definition.key, event.target.checked)}
              />
            )}
          </FieldFrame>
        );
      case 'select':
        return (
          <SelectField
            key={definition.key}
            label={label}
            name={name}
            value={text}
            error={error}
            autoFocus={autoFocus}
            onChange={(event) => onChange(definition.key, event.target.value)}
          >
            <option value="">{t('common.noChoice')}</option>
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
            label={label}
            name={name}
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
            label={label}
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
  });
  if (legend === undefined) return <>{inputs}</>;
  return (
    <fieldset className="fieldset custom-field-inputs" data-testid="custom-fields">
      <legend>{legend}</legend>
      <div className="custom-field-inputs__grid">{inputs}</div>
    </fieldset>
  );
}
