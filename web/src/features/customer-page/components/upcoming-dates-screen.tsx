import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useLogCall, useUpcomingDates } from '../api/customer-page';
import { localToday, parseWindow, type UpcomingRow, upcomingRows, upcomingWindows } from '../utils/upcoming';
import { occasionName } from './customer-profile';
import './customer-page.css';

/**
 * Birthdays, anniversaries and other dates of the coming days, soonest first, each in its own
 * calendar, with a call to log or a deal to start for the person or company.
 */
export function UpcomingDatesScreen({ pipelines }: { pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('customerPage.upcoming.title'));
  const [params, setParams] = useSearchParams();
  const days = parseWindow(params.get('days'));
  const dates = useUpcomingDates(days, localToday());
  const rows = useMemo(() => upcomingRows(dates.data ?? [], i18n.locale), [dates.data, i18n.locale]);
  const [calling, setCalling] = useState<UpcomingRow | null>(null);
  const [starting, setStarting] = useState<UpcomingRow | null>(null);

  return (
    <main className="page page--narrow upcoming" id="main">
      <h1 className="page__title">{t('customerPage.upcoming.title')}</h1>
      <p className="page__intro">{t('customerPage.upcoming.intro')}</p>
      <div className="upcoming__filters">
        <SelectField
          label={t('customerPage.upcoming.window')}
          name="days"
          value={String(days)}
          onChange={(event) => setParams(event.target.value === '30' ? {} : { days: event.target.value }, { replace: true })}
        >
          {upcomingWindows.map((window) => (
            <option key={window} value={window}>
              {t('customerPage.upcoming.nextDays', { count: window })}
            </option>
          ))}
        </SelectField>
      </div>
      {dates.isPending && (
        <div aria-busy="true">
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {dates.isError && <ErrorState title={t('customerPage.upcoming.loadFailed')} error={dates.error} onRetry={() => void dates.refetch()} />}
      {dates.data && rows.length === 0 && <EmptyState title={t('customerPage.upcoming.empty', { count: days })} body={t('customerPage.upcoming.emptyBody')} />}
      {rows.length > 0 && (
        <ul className="upcoming-list" data-testid="upcoming-list">
          {rows.map((row) => (
            <li key={row.key} className="customer-panel upcoming-row" data-testid="upcoming-row">
              <div className="upcoming-row__who">
                {row.customer ? (
                  <Link
                    to={row.customer.kind === 'contact' ? paths.contact(row.customer.id) : paths.organization(row.customer.id)}
                    dir="auto"
                    className="upcoming-row__name"
                  >
                    {row.date.name}
                  </Link>
                ) : (
                  <span dir="auto" className="upcoming-row__name">
                    {row.date.name}
                  </span>
                )}
                <span className="muted">
                  {occasionName(row.date, t)}
                  {row.date.years != null && `${t('customerPage.separator')}${t(`customerPage.years.${row.date.kind}`, { count: row.date.years })}`}
                </span>
              </div>
              <div className="upcoming-row__when">
                <span className="upcoming-row__date" data-testid="upcoming-date" title={i18n.date(row.date.date)}>
                  {row.when}
                </span>
                <span className={`badge ${row.days === 0 ? 'badge--today' : ''}`} data-testid="upcoming-days">
                  {t('customerPage.daysUntil', { count: row.days })}
                </span>
              </div>
              {row.customer && (
                <div className="upcoming-row__actions">
                  <Button size="sm" onClick={() => setCalling(row)}>
                    {t('customerPage.upcoming.logCall')}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setStarting(row)} disabled={pipelines.length === 0}>
                    {t('customerPage.upcoming.startDeal')}
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {calling && <LogCallDialog row={calling} i18n={i18n} onClose={() => setCalling(null)} />}
      {starting && <StartDealDialog row={starting} pipelines={pipelines} i18n={i18n} onClose={() => setStarting(null)} />}
    </main>
  );
}

/** A call made now about the occasion, on the person's (or company's) timeline. */
function LogCallDialog({ row, i18n, onClose }: { row: UpcomingRow; i18n: I18n; onClose: () => void }) {
  const { t } = i18n;
  const log = useLogCall();
  const [subject, setSubject] = useState(() => t('customerPage.upcoming.callSubject', { occasion: occasionName(row.date, t), name: row.date.name }));
  const [notes, setNotes] = useState('');
  const errors = fieldErrorMap(log.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!row.customer) return;
    const link = row.customer.kind === 'contact' ? { contact_id: row.customer.id } : { organization_id: row.customer.id };
    log.mutate(
      { kind: 'call', subject: subject.trim(), body: notes.trim() || null, done_at: new Date().toISOString(), ...link },
      {
        onSuccess: () => {
          toast.success(t('customerPage.upcoming.callLogged', { name: row.date.name }));
          onClose();
        },
      },
    );
  };
  return (
    <Dialog title={t('customerPage.upcoming.logCallTitle', { name: row.date.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="log-call-form">
        {log.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(log.error, t)}</FormAlert>}
        <TextField
          label={t('activities.subject')}
          name="subject"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
          error={errors.subject}
          autoFocus
          dir="auto"
        />
        <TextAreaField
          label={t('activities.notes')}
          name="body"
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          error={errors.body}
          dir="auto"
        />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={log.isPending}>
            {t('customerPage.upcoming.logCallSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Picks the pipeline, then opens its board's new-deal form with the person or company filled in. */
function StartDealDialog({ row, pipelines, i18n, onClose }: { row: UpcomingRow; pipelines: Pipeline[]; i18n: I18n; onClose: () => void }) {
  const { t } = i18n;
  const navigate = useNavigate();
  const [pipelineId, setPipelineId] = useState(pipelines[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!row.customer || !pipelineId) return;
    navigate(paths.newDeal(pipelineId, row.customer.kind === 'contact' ? { contactId: row.customer.id } : { organizationId: row.customer.id }));
  };
  return (
    <Dialog title={t('customerPage.upcoming.startDealTitle', { name: row.date.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} data-testid="start-deal-form">
        <SelectField label={t('customerPage.upcoming.pipeline')} name="pipeline" value={pipelineId} onChange={(event) => setPipelineId(event.target.value)}>
          {pipelines.map((pipeline) => (
            <option key={pipeline.id} value={pipeline.id}>
              {pipeline.name}
            </option>
          ))}
        </SelectField>
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={!pipelineId}>
            {t('customerPage.upcoming.startDealSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
