import { SelectField, TextField } from '../../../components/field';
import type { Pipeline } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { eventLabel, webhookEventTypes } from '../utils/event-types';

export interface WebhookFormValues {
  url: string;
  description: string;
  /** Empty: every event type. */
  eventTypes: string[];
  pipelineId: string;
}

/** The subscription's fields, shared by the new-subscription form and the subscription's page. */
export function WebhookFields({
  values,
  onChange,
  errors,
  pipelines,
  i18n,
}: {
  values: WebhookFormValues;
  onChange: (patch: Partial<WebhookFormValues>) => void;
  errors: Record<string, string>;
  pipelines: Pipeline[];
  i18n: I18n;
}) {
  const { t } = i18n;
  const all = values.eventTypes.length === 0;
  const toggle = (type: string, on: boolean) => {
    const current = new Set(values.eventTypes);
    if (on) current.add(type);
    else current.delete(type);
    onChange({ eventTypes: webhookEventTypes.filter((candidate) => current.has(candidate)) });
  };
  return (
    <>
      <TextField
        label={t('webhooks.fields.url')}
        name="url"
        type="url"
        dir="ltr"
        required
        placeholder={t('webhooks.fields.urlPlaceholder')}
        hint={t('webhooks.fields.urlHint')}
        value={values.url}
        onChange={(event) => onChange({ url: event.target.value })}
        error={errors.url}
      />
      <TextField
        label={t('webhooks.fields.description')}
        name="description"
        value={values.description}
        onChange={(event) => onChange({ description: event.target.value })}
        error={errors.description}
      />
      <fieldset className="fieldset">
        <legend>{t('webhooks.fields.events')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={all} onChange={(event) => onChange({ eventTypes: event.target.checked ? [] : ['deal.stage_changed'] })} />
          {t('webhooks.fields.allEvents')}
        </label>
        {!all && (
          <div className="checkbox-grid">
            {webhookEventTypes.map((type) => (
              <label key={type} className="checkbox">
                <input type="checkbox" checked={values.eventTypes.includes(type)} onChange={(event) => toggle(type, event.target.checked)} />
                {eventLabel(type, t)}
              </label>
            ))}
          </div>
        )}
        {errors.event_types && <p className="field__error">{errors.event_types}</p>}
      </fieldset>
      <SelectField
        label={t('webhooks.fields.pipeline')}
        name="pipeline"
        value={values.pipelineId}
        onChange={(event) => onChange({ pipelineId: event.target.value })}
        error={errors.pipeline_id}
      >
        <option value="">{t('webhooks.fields.anyPipeline')}</option>
        {pipelines.map((pipeline) => (
          <option key={pipeline.id} value={pipeline.id}>
            {pipeline.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}
