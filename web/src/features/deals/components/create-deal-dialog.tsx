import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline, User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { NewDealCustomer } from '../../../lib/paths';
import { useCreateDeal } from '../api/deals';
import { type DealFormValues, type FormErrorCode, parseDealForm } from '../utils/deal-form-values';
import { CustomerPicker } from './customer-picker';
import { DealFields, formErrorMessage } from './deal-fields';

interface CreateDealDialogProps {
  pipeline: Pipeline;
  stageId: string;
  members: User[];
  meId: string;
  i18n: I18n;
  onClose: () => void;
  /** The person and company to fill in (a deal started from a customer). */
  initialCustomer?: NewDealCustomer | undefined;
}

export function CreateDealDialog({ pipeline, stageId, members, meId, i18n, onClose, initialCustomer }: CreateDealDialogProps) {
  const { t } = i18n;
  const create = useCreateDeal();
  const [values, setValues] = useState<DealFormValues>({
    title: '',
    amount: '',
    currency: pipeline.currency,
    stageId,
    probability: '',
    closeDate: '',
    ownerId: meId,
    tags: '',
  });
  const [contactId, setContactId] = useState<string | null>(initialCustomer?.contactId ?? null);
  const [organizationId, setOrganizationId] = useState<string | null>(initialCustomer?.organizationId ?? null);
  const [formErrors, setFormErrors] = useState<Record<string, FormErrorCode>>({});
  const errors: Record<string, string> = { ...localizedFieldErrors(create.error, t) };
  for (const [field, code] of Object.entries(formErrors)) errors[field] = formErrorMessage(code, i18n);
  const unmatched = create.error && Object.keys(localizedFieldErrors(create.error, t)).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDealForm(values, i18n);
    if (!parsed.ok) {
      setFormErrors(parsed.errors);
      return;
    }
    setFormErrors({});
    create.mutate(
      // Without an organization, the server takes the contact's.
      { ...parsed.value, pipeline_id: pipeline.id, contact_id: contactId, organization_id: organizationId },
      {
        onSuccess: (deal) => {
          const stage = pipeline.stages.find((candidate) => candidate.id === deal.stage_id);
          toast.success(t('deal.create.created', { title: deal.title, stage: stage?.name ?? '' }));
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title={t('deal.create.title')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="create-deal-form">
        {unmatched && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <DealFields
          values={values}
          onChange={(patch) => setValues({ ...values, ...patch })}
          errors={errors}
          stages={pipeline.stages}
          members={members}
          i18n={i18n}
          showStage
          autoFocusTitle
        />
        <div className="deal-customer">
          <CustomerPicker kind="contact" value={contactId} onChange={setContactId} i18n={i18n} />
          <CustomerPicker kind="organization" value={organizationId} onChange={setOrganizationId} i18n={i18n} />
        </div>
        {(errors.contact_id ?? errors.organization_id) && <FormAlert>{errors.contact_id ?? errors.organization_id}</FormAlert>}
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            {create.isPending ? t('deal.create.submitting') : t('deal.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
