import { SelectField, TextField } from '../../../components/field';
import type { EventType, Pipeline } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { eventGroups, eventLabel, eventTypesIn, toggleEventType, unofferedEventTypes } from '../utils/event-types';

export interface WebhookFormValues {
  url: string;
  description: string;
  /** Empty: every event type. Everything the subscription holds, offered here or not. */
  eventTypes: EventType[];
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
  const unoffered = unofferedEventTypes(values.eventTypes);
  const checkbox = (type: EventType) => (
    <label key={type} className="checkbox">
      <input
        type="checkbox"
        value={type}
        checked={values.eventTypes.includes(type)}
        onChange={(event) => onChange({ eventTypes: toggleEventType(values.eventTypes, type, event.target.checked) })}
      />
      {eventLabel(type, t)}
    </label>
  );
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
          <div className="event-groups" data-testid="event-types">
            {eventGroups.map((group) => (
              <fieldset key={group} className="event-group" data-group={group}>
                <legend>{t(`webhooks.eventGroups.${group}`)}</legend>
                <div className="checkbox-grid">{eventTypesIn(group).map(checkbox)}</div>
              </fieldset>
            ))}
            {unoffered.length > 0 && (
              <fieldset className="event-group" data-group="unoffered">
                <legend>{t('webhooks.fields.otherEvents')}</legend>
                <div className="checkbox-grid">{unoffered.map(checkbox)}</div>
              </fieldset>
            )}
          </div>
        )}
        {errors.event_types && <p className="field__error">{errors.event_types}</p>}
      </fieldset>
      <SelectField
        label={t('webhooks.fields.pipeline')}
        hint={t('webhooks.fields.pipelineHint')}
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
