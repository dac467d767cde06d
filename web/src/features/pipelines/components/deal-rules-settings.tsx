import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Stage } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useCreateDealField, useDealFieldDefinitions, useDeleteDealField } from '../api/deal-fields';
import { useUpdateStage } from '../api/pipelines';

const builtIns = ['amount', 'expected_close_date', 'contact_id', 'organization_id'] as const;
const kinds = ['text', 'number', 'boolean', 'date', 'select'] as const;

/** Which fields a deal must have to enter the stage: the built-in ones and the deal fields. */
export function RequiredFieldsEditor({ pipelineId, stage }: { pipelineId: string; stage: Stage }) {
  const { t } = useI18n();
  const { definitions } = useDealFieldDefinitions();
  const update = useUpdateStage(pipelineId);
  const stored = stage.required_fields ?? [];
  const [chosen, setChosen] = useState<string[]>(stored);
  useEffect(() => setChosen(stage.required_fields ?? []), [stage.required_fields]);
  const changed = chosen.length !== stored.length || chosen.some((name) => !stored.includes(name));
  const toggle = (name: string, on: boolean) => setChosen((current) => (on ? [...current, name] : current.filter((other) => other !== name)));

  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { stageId: stage.id, required_fields: chosen },
      {
        onSuccess: (saved) => toast.success(t('dealRules.settings.requiredSaved', { name: saved.name })),
        onError: (error) => toast.error(describeError(error, t)),
      },
    );
  };

  const options = [
    ...builtIns.map((name) => ({ name, label: t(`dealRules.settings.builtIn.${name}`) })),
    ...definitions.map((definition) => ({ name: definition.key, label: definition.label })),
  ];
  return (
    <form className="required-fields" onSubmit={save} data-testid="required-fields-editor">
      <fieldset className="fieldset">
        <legend>{t('dealRules.settings.requiredTitle')}</legend>
        <div className="required-fields__options">
          {options.map((option) => (
            <label key={option.name} className="checkbox">
              <input
                type="checkbox"
                name={option.name}
                checked={chosen.includes(option.name)}
                onChange={(event) => toggle(option.name, event.target.checked)}
              />
              <span dir="auto">{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" size="sm" disabled={!changed} busy={update.isPending}>
        {t('dealRules.settings.saveRequired')}
      </Button>
    </form>
  );
}

/** The workspace's deal fields: shown in the deal drawer, required by stages, filterable. */
export function DealFieldsSection({ pipelineId, canManage }: { pipelineId: string; canManage: boolean }) {
  const { t } = useI18n();
  const { definitions } = useDealFieldDefinitions();
  const create = useCreateDealField();
  const remove = useDeleteDealField(pipelineId);
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<(typeof kinds)[number]>('text');
  const [options, setOptions] = useState('');
  const errors = fieldErrorMap(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const choices = options
      .split(/[,،]/)
      .map((option) => option.trim())
      .filter((option) => option !== '');
    create.mutate(
      { label, key, kind, options: kind === 'select' ? choices : null },
      {
        onSuccess: (field) => {
          toast.success(t('dealRules.settings.fieldAdded', { label: field.label }));
          setLabel('');
          setKey('');
          setOptions('');
        },
      },
    );
  };

  return (
    <section className="settings__section" aria-labelledby="deal-fields-section" data-testid="deal-fields-section">
      <h2 id="deal-fields-section" className="section-title">
        {t('dealRules.settings.fieldsTitle')}
      </h2>
      <p className="page__intro">{t('dealRules.settings.fieldsIntro')}</p>
      {definitions.length === 0 ? (
        <p className="muted">{t('dealRules.settings.noFields')}</p>
      ) : (
        <ul className="deal-field-list">
          {definitions.map((definition) => (
            <li key={definition.id} className="deal-field-list__item">
              <span dir="auto">{definition.label}</span> <code>{definition.key}</code>{' '}
              <span className="muted">{t(`dealRules.settings.kinds.${definition.kind}`)}</span>
              {canManage && (
                <Button
                  size="sm"
                  variant="ghost"
                  busy={remove.isPending && remove.variables === definition.id}
                  onClick={() => remove.mutate(definition.id, { onError: (error) => toast.error(describeError(error, t)) })}
                >
                  {t('dealRules.settings.deleteField')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form className="form form--inline" onSubmit={submit} noValidate data-testid="deal-field-form">
          {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
          <TextField
            label={t('dealRules.settings.fieldLabel')}
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            error={errors.label}
            required
          />
          <TextField
            label={t('dealRules.settings.fieldKey')}
            dir="ltr"
            hint={t('dealRules.settings.fieldKeyHint')}
            value={key}
            onChange={(event) => setKey(event.target.value)}
            error={errors.key}
            required
          />
          <SelectField label={t('dealRules.settings.fieldKind')} value={kind} onChange={(event) => setKind(event.target.value as (typeof kinds)[number])}>
            {kinds.map((option) => (
              <option key={option} value={option}>
                {t(`dealRules.settings.kinds.${option}`)}
              </option>
            ))}
          </SelectField>
          {kind === 'select' && (
            <TextField
              label={t('dealRules.settings.fieldOptions')}
              hint={t('dealRules.settings.fieldOptionsHint')}
              value={options}
              onChange={(event) => setOptions(event.target.value)}
              error={errors.options}
            />
          )}
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('dealRules.settings.addField')}
          </Button>
        </form>
      )}
    </section>
  );
}
