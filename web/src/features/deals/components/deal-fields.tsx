import { AmountField } from '../../../components/amount-field';
import { DateField } from '../../../components/date-field';
import { SelectField, TextField } from '../../../components/field';
import type { Stage, User } from '../../../lib/api/types';
import { commonCurrencies, isCommonCurrency } from '../../../lib/format/currencies';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { DealFormValues, FormErrorCode } from '../utils/deal-form-values';

interface DealFieldsProps {
  values: DealFormValues;
  onChange: (patch: Partial<DealFormValues>) => void;
  /** Messages by API field name, from the server's problem+json or the form's own parsing. */
  errors: Record<string, string>;
  stages: Stage[];
  members: User[];
  i18n: I18n;
  /** Closed deals keep their stage; the stage picker is shown only when it can be used. */
  showStage: boolean;
  autoFocusTitle?: boolean;
}

/** The message of the tags field: the server names a bad tag by its place (`tags.1`). */
function tagsError(errors: Record<string, string>): string | undefined {
  return errors.tags ?? Object.entries(errors).find(([field]) => field.startsWith('tags.'))?.[1];
}

export function formErrorMessage(code: FormErrorCode, i18n: I18n): string {
  return i18n.t(`deal.${code}`);
}

/** The deal's editable fields, shared by the new-deal dialog and the deal drawer. */
export function DealFields({ values, onChange, errors, stages, members, i18n, showStage, autoFocusTitle }: DealFieldsProps) {
  const { t } = i18n;
  const stage = stages.find((candidate) => candidate.id === values.stageId);
  return (
    <>
      <TextField
        label={t('deal.fields.title')}
        name="title"
        required
        autoFocus={autoFocusTitle}
        value={values.title}
        onChange={(event) => onChange({ title: event.target.value })}
        error={errors.title}
      />
      <div className="form__row">
        <AmountField
          label={t('deal.fields.amount', { unit: i18n.moneyUnit(values.currency) })}
          name="amount"
          className="form__grow"
          value={values.amount}
          onChange={(amount) => onChange({ amount })}
          error={errors.amount_minor}
        />
        <SelectField
          label={t('deal.fields.currency')}
          name="currency"
          value={values.currency}
          onChange={(event) => onChange({ currency: event.target.value })}
          error={errors.currency}
        >
          {!isCommonCurrency(values.currency) && <option value={values.currency}>{values.currency}</option>}
          {commonCurrencies.map((code) => (
            <option key={code} value={code}>
              {t(`currencies.${code}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {showStage && (
        <SelectField
          label={t('deal.fields.stage')}
          name="stage"
          value={values.stageId}
          onChange={(event) => onChange({ stageId: event.target.value })}
          error={errors.stage_id}
        >
          {stages.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="form__row">
        <TextField
          label={t('deal.fields.probability')}
          name="probability"
          inputMode="numeric"
          placeholder={stage ? i18n.number(stage.probability) : ''}
          hint={stage ? t('deal.fields.probabilityHint', { value: stage.probability }) : undefined}
          value={values.probability}
          onChange={(event) => onChange({ probability: event.target.value })}
          error={errors.probability}
        />
        <DateField
          label={t('deal.fields.expectedCloseDate')}
          name="expected_close_date"
          value={values.closeDate}
          onChange={(closeDate) => onChange({ closeDate })}
          error={errors.expected_close_date}
        />
      </div>
      <SelectField
        label={t('deal.fields.owner')}
        name="owner"
        value={values.ownerId}
        onChange={(event) => onChange({ ownerId: event.target.value })}
        error={errors.owner_id}
      >
        {!members.some((member) => member.id === values.ownerId) && <option value={values.ownerId}>{t('board.card.unknownOwner')}</option>}
        {members.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('deal.fields.tags')}
        name="tags"
        dir="auto"
        hint={t('deal.fields.tagsHint')}
        value={values.tags}
        onChange={(event) => onChange({ tags: event.target.value })}
        error={tagsError(errors)}
      />
    </>
  );
}
