import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline, User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useCreateDeal } from '../api/deals';
import { type DealFormValues, type FormErrorCode, parseDealForm } from '../utils/deal-form-values';
import { DealFields, formErrorMessage } from './deal-fields';

interface CreateDealDialogProps {
  pipeline: Pipeline;
  stageId: string;
  members: User[];
  meId: string;
  i18n: I18n;
  onClose: () => void;
}

export function CreateDealDialog({ pipeline, stageId, members, meId, i18n, onClose }: CreateDealDialogProps) {
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
  });
  const [formErrors, setFormErrors] = useState<Record<string, FormErrorCode>>({});
  const errors: Record<string, string> = { ...fieldErrorMap(create.error) };
  for (const [field, code] of Object.entries(formErrors)) errors[field] = formErrorMessage(code, i18n);
  const unmatched = create.error && Object.keys(fieldErrorMap(create.error)).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDealForm(values, i18n);
    if (!parsed.ok) {
      setFormErrors(parsed.errors);
      return;
    }
    setFormErrors({});
    create.mutate(
      { ...parsed.value, pipeline_id: pipeline.id },
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
