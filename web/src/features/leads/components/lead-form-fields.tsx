import { SelectField, TextField } from '../../../components/field';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { NewLeadValues } from '../utils/lead-form';
import { leadSources, sourceLabel } from '../utils/lead-vocabulary';
import { fieldBinder } from './field-binding';

/** The API's names of the fields below, to tell their errors from the rest. */
export const leadFormFieldNames = ['name', 'email', 'phone', 'company', 'job_title', 'source'];

interface LeadFormFieldsProps {
  values: NewLeadValues;
  set: (patch: Partial<NewLeadValues>) => void;
  /** Messages by the API's field name. */
  errors: Record<string, string>;
  i18n: I18n;
}

/** Who the lead is and where it came from: the fields of the new-lead dialog, which the drawer's edit form starts with. */
export function LeadFormFields({ values, set, errors, i18n }: LeadFormFieldsProps) {
  const { t } = i18n;
  const bind = fieldBinder(values, set, errors);
  return (
    <>
      <TextField label={t('leads.fields.name')} required autoFocus {...bind('name', 'name')} />
      <div className="form__row">
        <TextField label={t('leads.fields.email')} type="email" dir="ltr" className="form__grow" {...bind('email', 'email')} />
        <TextField label={t('leads.fields.phone')} type="tel" dir="ltr" className="form__grow" {...bind('phone', 'phone')} />
      </div>
      <div className="form__row">
        <TextField label={t('leads.fields.company')} className="form__grow" {...bind('company', 'company')} />
        <TextField label={t('leads.fields.jobTitle')} className="form__grow" {...bind('jobTitle', 'job_title')} />
      </div>
      <SelectField
        label={t('leads.fields.source')}
        name="source"
        value={values.source}
        onChange={(event) => set({ source: event.target.value as NewLeadValues['source'] })}
        error={errors.source}
      >
        {leadSources.map((source) => (
          <option key={source} value={source}>
            {sourceLabel(source, t)}
          </option>
        ))}
      </SelectField>
    </>
  );
}
