import { type FormEvent, useState } from 'react';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, Stage, UpdateDealInput } from '../../../lib/api/types';
import { isoOfDateText } from '../../../lib/format/calendar';
import { type CustomFieldValue, customFieldsInput } from '../../../lib/custom-fields/custom-field-values';
import { CustomFieldInputs } from '../../../components/custom-field-inputs';
import { parseMoneyInput } from '../../../lib/format/money';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useDealFields } from '../api/deal-rules';
import { useUpdateDeal } from '../api/deals';
import { isBuiltInRequiredField } from '../utils/deal-rules';
import { CustomerPicker } from './customer-picker';

interface RequiredFieldsDialogProps {
  /** A card or the full deal. */
  deal: Pick<Deal, 'id' | 'version' | 'title' | 'currency'>;
  stage: Stage;
  /** The stage's required fields the deal lacks, by their stage names. */
  missing: readonly string[];
  i18n: I18n;
  onCancel: () => void;
  /** The deal saved with the values; the board then sends the move. */
  onFilled: (deal: Deal) => void;
}

/**
 * Asks, during a drag into a stage that requires fields, for the values the deal lacks; saves
 * them with the version read, then lets the board move the card. Cancelling leaves it where it was.
 */
export function RequiredFieldsDialog({ deal, stage, missing, i18n, onCancel, onFilled }: RequiredFieldsDialogProps) {
  const { t, irrUnit } = i18n;
  const update = useUpdateDeal();
  const { definitions } = useDealFields();
  const customMissing = definitions.filter((definition) => missing.includes(definition.key));
  const [amount, setAmount] = useState('');
  const [closeDate, setCloseDate] = useState('');
  const [contactId, setContactId] = useState<string | null>(null);
  const [organizationId, setOrganizationId] = useState<string | null>(null);
  const [custom, setCustom] = useState<Record<string, CustomFieldValue>>({});
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const errors = { ...localizedFieldErrors(update.error, t), ...formErrors };
  const asks = (name: string) => missing.includes(name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const changes: UpdateDealInput = {};
    if (asks('amount')) {
      const parsed = parseMoneyInput(amount, deal.currency, irrUnit);
      if (parsed === null || parsed <= 0) problems.amount_minor = t('dealRules.required.needed');
      else changes.amount_minor = parsed;
    }
    if (asks('expected_close_date')) {
      const iso = isoOfDateText(closeDate);
      if (!iso) problems.expected_close_date = t('deal.invalidDate');
      else changes.expected_close_date = iso;
    }
    if (asks('contact_id')) {
      if (!contactId) problems.contact_id = t('dealRules.required.needed');
      else changes.contact_id = contactId;
    }
    if (asks('organization_id')) {
      if (!organizationId) problems.organization_id = t('dealRules.required.needed');
      else changes.organization_id = organizationId;
    }
    if (customMissing.length > 0) {
      const filled = Object.fromEntries(customMissing.map((definition) => [definition.key, custom[definition.key] ?? '']));
      // Compared with nothing, every field is sent: an unchecked box as false, a blank one as null.
      const parsed = customFieldsInput(customMissing, filled, {});
      if (!parsed.ok) {
        for (const [field, code] of Object.entries(parsed.errors)) problems[field] = t(`dealRules.fields.${code}`);
      } else {
        for (const definition of customMissing) {
          const value = parsed.value[definition.key];
          if (value === null || value === undefined || value === '') {
            problems[`custom_fields.${definition.key}`] = t('dealRules.required.needed');
          }
        }
        changes.custom_fields = parsed.value;
      }
    }
    setFormErrors(problems);
    if (Object.keys(problems).length > 0) return;
    update.mutate({ deal, changes }, { onSuccess: (saved) => onFilled(saved) });
  };

  const unknownCustom = missing.filter((name) => !isBuiltInRequiredField(name) && !customMissing.some((definition) => definition.key === name));

  return (
    <Dialog title={t('dealRules.required.title', { stage: stage.name })} onClose={onCancel}>
      <form className="form" onSubmit={submit} noValidate data-testid="required-fields-form">
        <p className="muted">{t('dealRules.required.body', { title: deal.title })}</p>
        {update.error && Object.keys(localizedFieldErrors(update.error, t)).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
        {unknownCustom.length > 0 && <FormAlert>{t('dealRules.required.unknown', { fields: unknownCustom.join(', ') })}</FormAlert>}
        {asks('amount') && (
          <AmountField
            label={t('deal.fields.amount', { unit: i18n.moneyUnit(deal.currency) })}
            name="amount"
            autoFocus
            value={amount}
            onChange={setAmount}
            error={errors.amount_minor}
          />
        )}
        {asks('expected_close_date') && (
          <DateField
            label={t('deal.fields.expectedCloseDate')}
            name="expected_close_date"
            value={closeDate}
            onChange={setCloseDate}
            error={errors.expected_close_date}
          />
        )}
        {asks('contact_id') && (
          <div>
            <CustomerPicker kind="contact" value={contactId} onChange={setContactId} i18n={i18n} />
            {errors.contact_id && <p className="field__error">{errors.contact_id}</p>}
          </div>
        )}
        {asks('organization_id') && (
          <div>
            <CustomerPicker kind="organization" value={organizationId} onChange={setOrganizationId} i18n={i18n} />
            {errors.organization_id && <p className="field__error">{errors.organization_id}</p>}
          </div>
        )}
        <CustomFieldInputs
          definitions={customMissing}
          values={custom}
          onChange={(key, value) => setCustom((current) => ({ ...current, [key]: value }))}
          errors={errors}
          i18n={i18n}
          autoFocusFirst={!asks('amount')}
        />
        <div className="form__actions">
          <Button onClick={onCancel}>{t('dealRules.required.cancel')}</Button>
          <Button type="submit" variant="primary" busy={update.isPending} data-testid="required-fields-submit">
            {t('dealRules.required.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
