import { TextField } from '../../../components/field';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type BuyerField, type BuyerValues, buyerFields } from '../utils/buyer-form';

const ltr = new Set<BuyerField>(['economic_code', 'national_id', 'registration_number', 'postal_code', 'phone', 'email']);

/** The buyer's details a document names, each with the server's error for it (`buyer.<field>`). */
export function BuyerFields({
  values,
  onChange,
  errors,
  i18n,
}: {
  values: BuyerValues;
  onChange: (values: BuyerValues) => void;
  errors: Record<string, string>;
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <fieldset className="document-form__group">
      <legend>{t('documents.revise.buyer')}</legend>
      <p className="muted">{t('documents.revise.buyerHint')}</p>
      <div className="document-form__grid">
        {buyerFields.map((field) => (
          <TextField
            key={field}
            className={field === 'address' ? 'document-form__wide' : undefined}
            label={t(`documents.view.party.${field}`)}
            value={values[field]}
            dir={ltr.has(field) ? 'ltr' : 'auto'}
            inputMode={field === 'phone' ? 'tel' : field === 'email' ? 'email' : undefined}
            onChange={(event) => onChange({ ...values, [field]: event.target.value })}
            error={errors[`buyer.${field}`]}
          />
        ))}
      </div>
    </fieldset>
  );
}
