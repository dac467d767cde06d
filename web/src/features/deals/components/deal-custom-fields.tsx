import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { CustomFieldInputs } from '../../../components/custom-field-inputs';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal } from '../../../lib/api/types';
import { type CustomFieldValue, customFieldsInput, customFieldValues } from '../../../lib/custom-fields/custom-field-values';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { useDealFields } from '../api/deal-rules';
import { useUpdateDeal } from '../api/deals';

/** The drawer's section of the workspace's deal fields, saved on their own with the version read. */
export function DealCustomFieldsSection({ deal, i18n }: { deal: Deal; i18n: I18n }) {
  const { t } = i18n;
  const dates = useDateEntry();
  const { definitions } = useDealFields();
  const update = useUpdateDeal();
  const [edits, setEdits] = useState<Record<string, CustomFieldValue>>({});
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  if (definitions.length === 0) return null;
  const stored = customFieldValues(definitions, deal.custom_fields ?? {}, dates);
  const values = { ...stored, ...edits };
  const errors = { ...localizedFieldErrors(update.error, t), ...formErrors };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const parsed = customFieldsInput(definitions, values, stored);
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
        <CustomFieldInputs
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
