import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { commonCurrencies, isCommonCurrency } from '../../../lib/format/currencies';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreatePipeline } from '../api/pipelines';
import { parseWholeNumber } from './stage-inputs';

interface StageDraft {
  key: number;
  name: string;
  probability: string;
  rottingDays: string;
}

let draftKey = 0;

export function CreatePipelineForm() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const me = useMe();
  const create = useCreatePipeline();
  useDocumentTitle(t('pipelines.create.title'));
  const defaultCurrency = me.data?.workspace.default_currency ?? 'USD';
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState<string | null>(null);
  const [stages, setStages] = useState<StageDraft[]>(() =>
    (
      [
        ['qualified', 10, 14],
        ['contactMade', 20, 14],
        ['proposal', 50, 21],
        ['negotiation', 80, 30],
      ] as const
    ).map(([key, probability, rotting]) => ({
      key: draftKey++,
      name: t(`pipelines.create.defaultStages.${key}`),
      probability: localizeDigits(String(probability), locale),
      rottingDays: localizeDigits(String(rotting), locale),
    })),
  );
  const errors = fieldErrorMap(create.error);
  const chosenCurrency = currency ?? defaultCurrency;

  const update = (key: number, patch: Partial<StageDraft>) => setStages(stages.map((stage) => (stage.key === key ? { ...stage, ...patch } : stage)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name,
        currency: chosenCurrency,
        stages: stages.map((stage) => ({
          name: stage.name,
          probability: parseWholeNumber(stage.probability) ?? -1,
          rotting_days: parseWholeNumber(stage.rottingDays),
        })),
      },
      {
        onSuccess: (pipeline) => {
          toast.success(t('pipelines.create.created', { name: pipeline.name }));
          navigate(paths.board(pipeline.id));
        },
      },
    );
  };

  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('pipelines.create.title')}</h1>
      <p className="page__intro">{t('pipelines.create.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        {create.error && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <TextField
          label={t('pipelines.create.name')}
          name="name"
          placeholder={t('pipelines.create.namePlaceholder')}
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
        />
        <SelectField
          label={t('pipelines.create.currency')}
          value={chosenCurrency}
          onChange={(event) => setCurrency(event.target.value)}
          error={errors.currency}
        >
          {!isCommonCurrency(chosenCurrency) && <option value={chosenCurrency}>{chosenCurrency}</option>}
          {commonCurrencies.map((code) => (
            <option key={code} value={code}>
              {t(`currencies.${code}`)}
            </option>
          ))}
        </SelectField>
        <fieldset className="fieldset">
          <legend>{t('pipelines.create.stages')}</legend>
          {errors.stages && <FormAlert>{errors.stages}</FormAlert>}
          <ol className="stage-drafts">
            {stages.map((stage, index) => (
              <li key={stage.key} className="stage-draft">
                <span className="stage-draft__number" aria-hidden="true">
                  {localizeDigits(String(index + 1), locale)}
                </span>
                <TextField
                  label={t('pipelines.create.stageName')}
                  aria-label={`${t('pipelines.create.stageNumber', { position: index + 1 })}: ${t('pipelines.create.stageName')}`}
                  value={stage.name}
                  required
                  onChange={(event) => update(stage.key, { name: event.target.value })}
                  error={errors[`stages.${index}.name`]}
                />
                <TextField
                  label={t('pipelines.create.probability')}
                  inputMode="numeric"
                  value={stage.probability}
                  onChange={(event) => update(stage.key, { probability: event.target.value })}
                  error={errors[`stages.${index}.probability`]}
                />
                <TextField
                  label={t('pipelines.create.rottingDays')}
                  inputMode="numeric"
                  placeholder={t('pipelines.settings.never')}
                  value={stage.rottingDays}
                  onChange={(event) => update(stage.key, { rottingDays: event.target.value })}
                  error={errors[`stages.${index}.rotting_days`]}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  className="stage-draft__remove"
                  disabled={stages.length === 1}
                  onClick={() => setStages(stages.filter((other) => other.key !== stage.key))}
                  aria-label={t('pipelines.create.removeStage', { position: index + 1 })}
                >
                  ×
                </Button>
              </li>
            ))}
          </ol>
          <p className="field__hint">{t('pipelines.create.rottingHint')}</p>
          <Button
            variant="ghost"
            onClick={() => setStages([...stages, { key: draftKey++, name: '', probability: localizeDigits('50', locale), rottingDays: '' }])}
          >
            {`+ ${t('pipelines.create.addStage')}`}
          </Button>
        </fieldset>
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={create.isPending}>
            {create.isPending ? t('pipelines.create.submitting') : t('pipelines.create.submit')}
          </Button>
        </div>
      </form>
    </main>
  );
}
