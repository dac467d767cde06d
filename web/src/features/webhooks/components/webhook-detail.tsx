import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Delivery, Pipeline, Webhook, WebhookWithSecret } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useDeleteWebhook, useDeliveries, useRedeliver, useRotateSecret, useTestWebhook, useUpdateWebhook, useWebhook } from '../api/webhooks';
import { deliveryStatuses } from '../../../lib/api/vocabularies';
import { eventLabel, isDeliveryStatus } from '../utils/event-types';
import { SecretDialog } from './secret-dialog';
import { type WebhookFormValues, WebhookFields } from './webhook-fields';
import { WebhookState } from './webhooks-screen';

/** One subscription: its settings, pause and resume, test ping, secret rotation and delivery log. */
export function WebhookDetail({ webhookId, pipelines }: { webhookId: string; pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const webhook = useWebhook(webhookId);
  useDocumentTitle(webhook.data?.url ?? t('webhooks.title'));
  return (
    <main className="page page--narrow" id="main">
      <Link to={paths.webhooks} className="back-link">
        {t('webhooks.detail.back')}
      </Link>
      {webhook.isPending && <Skeleton className="skeleton--block" />}
      {webhook.isError && <ErrorState title={t('webhooks.loadFailed')} error={webhook.error} onRetry={() => void webhook.refetch()} />}
      {webhook.data && (
        <>
          <WebhookSettings webhook={webhook.data} pipelines={pipelines} i18n={i18n} />
          <DeliveryLog webhook={webhook.data} i18n={i18n} />
        </>
      )}
    </main>
  );
}

function formValues(webhook: Webhook): WebhookFormValues {
  return { url: webhook.url, description: webhook.description ?? '', eventTypes: webhook.event_types, pipelineId: webhook.pipeline_id ?? '' };
}

function WebhookSettings({ webhook, pipelines, i18n }: { webhook: Webhook; pipelines: Pipeline[]; i18n: I18n }) {
  const { t } = i18n;
  const navigate = useNavigate();
  const update = useUpdateWebhook();
  const toggle = useUpdateWebhook();
  const test = useTestWebhook();
  const rotate = useRotateSecret();
  const remove = useDeleteWebhook();
  const [values, setValues] = useState(() => formValues(webhook));
  const [rotated, setRotated] = useState<WebhookWithSecret | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const errors = fieldErrorMap(update.error);
  useEffect(() => setValues(formValues(webhook)), [webhook]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      {
        webhook,
        changes: {
          url: values.url.trim(),
          description: values.description.trim() || null,
          event_types: values.eventTypes,
          pipeline_id: values.pipelineId || null,
        },
      },
      { onSuccess: () => toast.success(t('webhooks.detail.saved')) },
    );
  };
  const onError = (error: unknown) => toast.error(describeError(error, t));

  return (
    <>
      <header className="webhook-header">
        <h1 className="page__title webhook-header__url" dir="ltr">
          {webhook.url}
        </h1>
        <WebhookState webhook={webhook} i18n={i18n} />
      </header>
      {webhook.failing_since && <FormAlert>{t('webhooks.failingSince', { date: i18n.dateTime(webhook.failing_since) })}</FormAlert>}
      {!webhook.active && webhook.disabled_reason && <FormAlert>{t('webhooks.disabledReason', { reason: webhook.disabled_reason })}</FormAlert>}
      <div className="form__actions form__actions--start">
        <Button
          busy={toggle.isPending}
          onClick={() =>
            toggle.mutate(
              { webhook, changes: { active: !webhook.active } },
              { onSuccess: (next) => toast.success(t(next.active ? 'webhooks.detail.resumed' : 'webhooks.detail.paused')), onError },
            )
          }
        >
          {webhook.active ? t('webhooks.detail.pause') : t('webhooks.detail.resume')}
        </Button>
        <Button busy={test.isPending} onClick={() => test.mutate(webhook, { onSuccess: () => toast.success(t('webhooks.detail.testSent')), onError })}>
          {t('webhooks.detail.test')}
        </Button>
        <Button onClick={() => setConfirm('rotate')}>{t('webhooks.detail.rotate')}</Button>
        <Button variant="danger" onClick={() => setConfirm('delete')}>
          {t('webhooks.detail.delete')}
        </Button>
      </div>

      <section className="settings__section" aria-labelledby="webhook-settings">
        <h2 id="webhook-settings" className="section-title">
          {t('webhooks.detail.settings')}
        </h2>
        <form className="form" onSubmit={save} noValidate>
          {update.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
          <WebhookFields values={values} onChange={(patch) => setValues({ ...values, ...patch })} errors={errors} pipelines={pipelines} i18n={i18n} />
          <div className="form__actions">
            <Button type="submit" variant="primary" busy={update.isPending}>
              {t('webhooks.detail.save')}
            </Button>
          </div>
        </form>
      </section>

      {confirm === 'rotate' && (
        <Dialog title={t('webhooks.detail.rotateTitle')} onClose={() => setConfirm(null)}>
          <p>{t('webhooks.detail.rotateBody')}</p>
          {rotate.error && <FormAlert>{describeError(rotate.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setConfirm(null)}>{t('common.cancel')}</Button>
            <Button
              variant="primary"
              busy={rotate.isPending}
              onClick={() =>
                rotate.mutate(webhook, {
                  onSuccess: (result) => {
                    setConfirm(null);
                    setRotated(result);
                  },
                })
              }
            >
              {t('webhooks.detail.rotateConfirm')}
            </Button>
          </div>
        </Dialog>
      )}
      {confirm === 'delete' && (
        <Dialog title={t('webhooks.detail.deleteTitle')} onClose={() => setConfirm(null)}>
          <p>{t('webhooks.detail.deleteBody')}</p>
          {remove.error && <FormAlert>{describeError(remove.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setConfirm(null)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(webhook, {
                  onSuccess: () => {
                    toast.success(t('webhooks.detail.deleted'));
                    navigate(paths.webhooks);
                  },
                })
              }
            >
              {t('webhooks.detail.delete')}
            </Button>
          </div>
        </Dialog>
      )}
      {rotated && <SecretDialog created={rotated} i18n={i18n} onClose={() => setRotated(null)} />}
    </>
  );
}

function DeliveryLog({ webhook, i18n }: { webhook: Webhook; i18n: I18n }) {
  const { t } = i18n;
  const [status, setStatus] = useState('');
  const deliveries = useDeliveries(webhook.id, status);
  const items = deliveries.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section className="settings__section" aria-labelledby="delivery-log">
      <div className="section-header">
        <h2 id="delivery-log" className="section-title">
          {t('webhooks.log.title')}
        </h2>
        <SelectField label={t('webhooks.log.status')} value={status} onChange={(event) => setStatus(event.target.value)} className="field--inline">
          <option value="">{t('webhooks.log.anyStatus')}</option>
          {deliveryStatuses.map((option) => (
            <option key={option} value={option}>
              {t(`webhooks.deliveryStatus.${option}`)}
            </option>
          ))}
        </SelectField>
        <Button size="sm" variant="ghost" busy={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
          {t('common.reload')}
        </Button>
      </div>
      {deliveries.isPending && <Skeleton className="skeleton--block" />}
      {deliveries.isError && <ErrorState title={t('webhooks.log.loadFailed')} error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      {deliveries.isSuccess && items.length === 0 && <EmptyState title={status ? t('webhooks.log.emptyFiltered') : t('webhooks.log.empty')} />}
      {items.length > 0 && (
        <ol className="delivery-list" data-testid="delivery-log">
          {items.map((delivery) => (
            <DeliveryRow key={delivery.id} delivery={delivery} i18n={i18n} />
          ))}
        </ol>
      )}
      {deliveries.hasNextPage && (
        <div className="form__actions form__actions--start">
          <Button onClick={() => void deliveries.fetchNextPage()} busy={deliveries.isFetchingNextPage}>
            {t('webhooks.log.loadMore')}
          </Button>
        </div>
      )}
    </section>
  );
}

function DeliveryRow({ delivery, i18n }: { delivery: Delivery; i18n: I18n }) {
  const { t } = i18n;
  const redeliver = useRedeliver();
  const status = isDeliveryStatus(delivery.status) ? delivery.status : 'pending';
  const result = delivery.last_status_code != null ? t('webhooks.log.httpStatus', { status: delivery.last_status_code }) : (delivery.last_error ?? '');
  return (
    <li className="delivery" data-testid="delivery" data-status={delivery.status} data-event-type={delivery.event_type}>
      <div className="delivery__summary">
        <span className={`badge badge--delivery-${status}`}>{t(`webhooks.deliveryStatus.${status}`)}</span>
        <span className="delivery__event">{eventLabel(delivery.event_type, t)}</span>
        {delivery.redelivery_of && <span className="badge">{t('webhooks.log.redeliveryOf')}</span>}
        <span className="muted">{t('webhooks.log.attempts', { count: delivery.attempts })}</span>
        {result && (
          <span className="muted" dir="auto">
            {result}
          </span>
        )}
        <time className="muted delivery__time" dateTime={delivery.created_at}>
          {i18n.dateTime(delivery.created_at)}
        </time>
        <Button
          size="sm"
          busy={redeliver.isPending}
          onClick={() =>
            redeliver.mutate(delivery, {
              onSuccess: () => toast.success(t('webhooks.log.redelivered')),
              onError: (error) => toast.error(describeError(error, t)),
            })
          }
        >
          {t('webhooks.log.redeliver')}
        </Button>
      </div>
      {status === 'pending' && delivery.attempts > 0 && (
        <p className="muted">{t('webhooks.log.nextAttempt', { date: i18n.dateTime(delivery.next_attempt_at) })}</p>
      )}
      {delivery.attempt_log.length > 0 && (
        <details className="delivery__attempts">
          <summary>{t('webhooks.log.showAttempts')}</summary>
          <ol>
            {delivery.attempt_log.map((attempt) => (
              <li key={attempt.attempted_at}>
                <p>
                  {t('webhooks.log.attempt', { date: i18n.dateTime(attempt.attempted_at), latency: attempt.latency_ms })}
                  {' · '}
                  <span dir="auto">{attempt.status_code != null ? t('webhooks.log.httpStatus', { status: attempt.status_code }) : (attempt.error ?? '')}</span>
                </p>
                {attempt.response_excerpt && (
                  <pre className="delivery__excerpt" dir="ltr">
                    {attempt.response_excerpt}
                  </pre>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
