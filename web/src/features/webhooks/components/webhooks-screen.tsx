import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { FormAlert } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline, Webhook, WebhookWithSecret } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateWebhook, useWebhooks } from '../api/webhooks';
import { eventLabel } from '../utils/event-types';
import { SecretDialog } from './secret-dialog';
import { type WebhookFormValues, WebhookFields } from './webhook-fields';

const emptyForm: WebhookFormValues = { url: '', description: '', eventTypes: [], pipelineId: '' };

/** The workspace's webhook subscriptions, and a form to add one. */
export function WebhooksScreen({ pipelines }: { pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  useDocumentTitle(t('webhooks.title'));
  const [values, setValues] = useState(emptyForm);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const errors = fieldErrorMap(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        url: values.url.trim(),
        description: values.description.trim() || null,
        event_types: values.eventTypes,
        pipeline_id: values.pipelineId || null,
      },
      {
        onSuccess: (result) => {
          setCreated(result);
          setValues(emptyForm);
          toast.success(t('webhooks.created'));
        },
      },
    );
  };

  if (webhooks.isError && errorCode(webhooks.error) === 'forbidden') {
    return (
      <main className="page page--narrow" id="main">
        <h1 className="page__title">{t('webhooks.title')}</h1>
        <FormAlert>{t('webhooks.forbidden')}</FormAlert>
      </main>
    );
  }

  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('webhooks.title')}</h1>
      <p className="page__intro">{t('webhooks.intro')}</p>

      {webhooks.isPending && <Skeleton className="skeleton--block" />}
      {webhooks.isError && <ErrorState title={t('webhooks.loadFailed')} error={webhooks.error} onRetry={() => void webhooks.refetch()} />}
      {webhooks.data && webhooks.data.length === 0 && <EmptyState title={t('webhooks.empty.title')} body={t('webhooks.empty.body')} />}
      {webhooks.data && webhooks.data.length > 0 && (
        <ul className="webhook-list" data-testid="webhook-list">
          {webhooks.data.map((webhook) => (
            <WebhookRow key={webhook.id} webhook={webhook} pipelines={pipelines} i18n={i18n} />
          ))}
        </ul>
      )}

      <section className="settings__section" aria-labelledby="add-webhook">
        <h2 id="add-webhook" className="section-title">
          {t('webhooks.add')}
        </h2>
        <form className="form" onSubmit={submit} noValidate data-testid="webhook-form">
          {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
          <WebhookFields values={values} onChange={(patch) => setValues({ ...values, ...patch })} errors={errors} pipelines={pipelines} i18n={i18n} />
          <div className="form__actions">
            <Button type="submit" variant="primary" busy={create.isPending}>
              {create.isPending ? t('webhooks.creating') : t('webhooks.create')}
            </Button>
          </div>
        </form>
      </section>
      {created && <SecretDialog created={created} i18n={i18n} onClose={() => setCreated(null)} />}
    </main>
  );
}

export function WebhookState({ webhook, i18n }: { webhook: Webhook; i18n: I18n }) {
  const { t } = i18n;
  const state = webhook.active ? 'active' : 'inactive';
  return <span className={`badge badge--webhook-${state}`}>{t(`webhooks.status.${state}`)}</span>;
}

function WebhookRow({ webhook, pipelines, i18n }: { webhook: Webhook; pipelines: Pipeline[]; i18n: I18n }) {
  const { t } = i18n;
  const pipeline = pipelines.find((candidate) => candidate.id === webhook.pipeline_id);
  return (
    <li className="webhook-row">
      <div className="webhook-row__main">
        <Link to={paths.webhook(webhook.id)} className="webhook-row__url" dir="ltr">
          {webhook.url}
        </Link>
        {webhook.description && <p className="muted">{webhook.description}</p>}
        <p className="webhook-row__meta">
          {webhook.event_types.length === 0
            ? t('webhooks.fields.allEvents')
            : webhook.event_types.map((type) => eventLabel(type, t)).join(t('common.listSeparator'))}
          {' · '}
          {pipeline ? pipeline.name : t('webhooks.fields.anyPipeline')}
        </p>
        {webhook.failing_since && <p className="field__error">{t('webhooks.failingSince', { date: i18n.dateTime(webhook.failing_since) })}</p>}
        {!webhook.active && webhook.disabled_reason && <p className="field__error">{t('webhooks.disabledReason', { reason: webhook.disabled_reason })}</p>}
      </div>
      <WebhookState webhook={webhook} i18n={i18n} />
    </li>
  );
}
