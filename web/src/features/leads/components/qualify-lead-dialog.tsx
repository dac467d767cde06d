import { type FormEvent, useState } from 'react';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead, Pipeline, Qualification } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useQualifyLead } from '../api/leads';
import { qualifyInput, type QualifyValues, suggestedDealTitle } from '../utils/lead-form';
import { fieldBinder } from './field-binding';

interface QualifyLeadDialogProps {
  lead: Lead;
  pipelines: Pipeline[];
  i18n: I18n;
  onClose: () => void;
  onDone: (result: Qualification) => void;
}

/**
 * Qualifies a lead: the pipeline of its deal (the first one by default), the deal's title (the
 * company and the person, to be edited) and stage (the pipeline's first by default), what is
 * known of the need, budget, timeline and decision maker, and whether to open a deal at all.
 */
export function QualifyLeadDialog({ lead, pipelines, i18n, onClose, onDone }: QualifyLeadDialogProps) {
  const { t } = i18n;
  const qualify = useQualifyLead();
  const [values, setValues] = useState<QualifyValues>({
    pipelineId: pipelines[0]?.id ?? '',
    stageId: pipelines[0]?.stages[0]?.id ?? '',
    dealTitle: suggestedDealTitle(lead, (company, name) => t('leads.qualify.dealTitleSuggestion', { company, name })),
    need: '',
    budget: '',
    timeline: '',
    decisionMaker: '',
    openDeal: pipelines.length > 0,
  });
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<QualifyValues>) => setValues({ ...values, ...patch });
  const pipeline = pipelines.find((candidate) => candidate.id === values.pipelineId);
  const currency = pipeline?.currency ?? pipelines[0]?.currency ?? 'USD';
  const errors = { ...localizedFieldErrors(qualify.error, t), ...formErrors };
  const bind = fieldBinder(values, set, errors);
  const known = ['pipeline_id', 'stage_id', 'deal_title', 'need', 'budget_minor', 'timeline', 'decision_maker'];
  const unmatched = qualify.error && !Object.keys(errors).some((field) => known.includes(field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = qualifyInput(values, currency, i18n.irrUnit);
    if (!parsed.ok) {
      setFormErrors({ budget_minor: t('leads.invalidAmount') });
      return;
    }
    setFormErrors({});
    qualify.mutate({ lead, input: parsed.value }, { onSuccess: onDone });
  };

  return (
    <Dialog title={t('leads.qualify.title', { name: lead.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="qualify-lead-form">
        <p className="muted">{t('leads.qualify.intro')}</p>
        {unmatched && <FormAlert>{describeError(qualify.error, t)}</FormAlert>}
        {pipelines.length === 0 ? (
          <p className="form-note">{t('leads.qualify.noPipeline')}</p>
        ) : (
          <>
            <SelectField
              label={t('leads.qualify.pipeline')}
              name="pipeline"
              value={values.pipelineId}
              disabled={!values.openDeal}
              onChange={(event) => {
                const chosen = pipelines.find((candidate) => candidate.id === event.target.value);
                set({ pipelineId: event.target.value, stageId: chosen?.stages[0]?.id ?? '' });
              }}
              error={errors.pipeline_id}
            >
              {pipelines.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </SelectField>
            <label className="checkbox">
              <input type="checkbox" name="open_deal" checked={values.openDeal} onChange={(event) => set({ openDeal: event.target.checked })} />
              {t('leads.qualify.openDeal')}
            </label>
            {values.openDeal && (
              <div className="form__row">
                <TextField label={t('leads.qualify.dealTitle')} className="form__grow" {...bind('dealTitle', 'deal_title')} />
                <SelectField
                  label={t('leads.qualify.stage')}
                  name="stage"
                  className="form__grow"
                  value={values.stageId}
                  onChange={(event) => set({ stageId: event.target.value })}
                  error={errors.stage_id}
                >
                  {(pipeline?.stages ?? []).map((stage) => (
                    <option key={stage.id} value={stage.id}>
                      {stage.name}
                    </option>
                  ))}
                </SelectField>
              </div>
            )}
          </>
        )}
        <TextField label={t('leads.qualify.need')} placeholder={t('leads.qualify.needPlaceholder')} {...bind('need', 'need')} />
        <div className="form__row">
          <AmountField
            label={t('leads.qualify.budget', { unit: i18n.moneyUnit(currency) })}
            className="form__grow"
            name="budget"
            value={values.budget}
            onChange={(budget) => set({ budget })}
            error={errors.budget_minor}
          />
          <TextField
            label={t('leads.qualify.timeline')}
            placeholder={t('leads.qualify.timelinePlaceholder')}
            className="form__grow"
            {...bind('timeline', 'timeline')}
          />
        </div>
        <TextField label={t('leads.qualify.decisionMaker')} {...bind('decisionMaker', 'decision_maker')} />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={qualify.isPending}>
            {qualify.isPending ? t('leads.qualify.submitting') : t('leads.qualify.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
