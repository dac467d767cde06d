import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode, fieldErrorMap, isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline } from '../../../lib/api/types';
import { toLatinDigits } from '../../../lib/format/digits';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useQueryClient } from '@tanstack/react-query';
import {
  automationQueryKey,
  type RecordName,
  useAutomation,
  useCreateAutomation,
  useDeleteAutomation,
  useRecordSearch,
  useRunRecords,
  useRuns,
  useTestAutomation,
  useUpdateAutomation,
} from '../api/automations';
import {
  type Automation,
  actionLabel,
  type AutomationRun,
  type ConditionCheck,
  describeTrigger,
  emptyRule,
  fieldLabel,
  operatorLabel,
  type RuleForm,
  ruleToForm,
  ruleToRequest,
  subjectOf,
} from '../utils/rule-form';
import { Forbidden, stageNamer } from './automations-screen';
import { RuleBuilder } from './rule-builder';
import './automations.css';

/** A new rule: the builder, and on success the rule's own page. */
export function NewAutomation({ pipelines }: { pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const create = useCreateAutomation();
  useDocumentTitle(t('automations.newTitle'));
  if (errorCode(create.error) === 'forbidden') return <Forbidden i18n={i18n} />;
  return (
    <main className="page page--narrow" id="main">
      <Link to={paths.automations} className="back-link">
        {t('automations.back')}
      </Link>
      <h1 className="page__title">{t('automations.newTitle')}</h1>
      <RuleBuilder
        initial={emptyRule(i18n.locale)}
        pipelines={pipelines}
        fieldErrors={fieldErrorMap(create.error)}
        alert={create.error ? <FormAlert>{describeError(create.error, t)}</FormAlert> : null}
        busy={create.isPending}
        submitLabel={create.isPending ? t('automations.creating') : t('automations.create')}
        onSubmit={(form) =>
          create.mutate(ruleToRequest(form), {
            onSuccess: (created) => {
              toast.success(t('automations.created'));
              navigate(paths.automation(created.id), { replace: true });
            },
          })
        }
      />
    </main>
  );
}

/** One rule: edit it, pause or delete it, try it on a record, and read its run log. */
export function AutomationDetail({ automationId, pipelines }: { automationId: string; pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const automation = useAutomation(automationId);
  useDocumentTitle(automation.data?.name ?? t('automations.title'));
  if (automation.isError && errorCode(automation.error) === 'forbidden') return <Forbidden i18n={i18n} />;
  return (
    <main className="page page--narrow" id="main">
      <Link to={paths.automations} className="back-link">
        {t('automations.back')}
      </Link>
      {automation.isPending && <Skeleton className="skeleton--block" />}
      {automation.isError && <ErrorState title={t('automations.loadFailed')} error={automation.error} onRetry={() => void automation.refetch()} />}
      {automation.data && (
        <>
          <RuleSettings automation={automation.data} pipelines={pipelines} i18n={i18n} />
          <DryRunBox automation={automation.data} i18n={i18n} />
          <RunLog automation={automation.data} i18n={i18n} />
        </>
      )}
    </main>
  );
}

function RuleSettings({ automation, pipelines, i18n }: { automation: Automation; pipelines: Pipeline[]; i18n: I18n }) {
  const { t } = i18n;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const update = useUpdateAutomation();
  const remove = useDeleteAutomation();
  const [confirm, setConfirm] = useState(false);
  // The builder keeps its own edits; it starts from the rule as first read and is not reset when
  // the rule is read again, so that a stale save loses nothing.
  const [initial] = useState(() => ruleToForm(automation, i18n.locale));
  const stale = isApiError(update.error) && update.error.isStale;

  const save = (form: RuleForm) =>
    update.mutate(
      { automation, changes: ruleToRequest(form) },
      {
        onSuccess: () => toast.success(t('automations.saved')),
        onError: (error) => {
          // Read the rule again, so that saving once more goes with its current version.
          if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: automationQueryKey(automation.id) });
        },
      },
    );

  let alert = null;
  if (stale) alert = <FormAlert>{t('automations.stale')}</FormAlert>;
  else if (update.error && Object.keys(fieldErrorMap(update.error)).length === 0) alert = <FormAlert>{describeError(update.error, t)}</FormAlert>;
  else if (update.error) alert = <FormAlert>{t('errors.validation')}</FormAlert>;

  return (
    <>
      <header className="automation-header">
        <h1 className="page__title">{automation.name}</h1>
        <span className={`badge badge--run-${automation.active ? 'succeeded' : 'failed'}`}>
          {automation.active ? t('automations.status.active') : t('automations.status.paused')}
        </span>
        <Button variant="danger" onClick={() => setConfirm(true)}>
          {t('automations.delete')}
        </Button>
      </header>
      <p className="page__intro">{describeTrigger(automation.trigger, t, stageNamer(pipelines))}</p>
      <section className="settings__section" aria-labelledby="rule-settings">
        <h2 id="rule-settings" className="section-title">
          {t('automations.builder.title')}
        </h2>
        <RuleBuilder
          initial={initial}
          pipelines={pipelines}
          fieldErrors={fieldErrorMap(update.error)}
          alert={alert}
          busy={update.isPending}
          submitLabel={update.isPending ? t('common.saving') : t('automations.save')}
          onSubmit={save}
        />
      </section>
      {confirm && (
        <Dialog title={t('automations.deleteTitle')} onClose={() => setConfirm(false)}>
          <p>{t('automations.deleteBody')}</p>
          {remove.error && (
            <FormAlert>{isApiError(remove.error) && remove.error.isStale ? t('automations.staleDelete') : describeError(remove.error, t)}</FormAlert>
          )}
          <div className="form__actions">
            <Button onClick={() => setConfirm(false)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(automation, {
                  onSuccess: () => {
                    toast.success(t('automations.deleted'));
                    navigate(paths.automations);
                  },
                  onError: (error) => {
                    if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: automationQueryKey(automation.id) });
                  },
                })
              }
            >
              {t('automations.delete')}
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}

/** `value`, once it has stopped changing for `delayMs`. */
function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** A value as the dry run shows it: text as is, anything else as its JSON. */
function shown(value: unknown, i18n: I18n): string {
  if (value === null || value === undefined) return i18n.t('automations.test.noValue');
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return i18n.number(value);
  if (Array.isArray(value)) return value.map((item) => shown(item, i18n)).join(i18n.t('common.listSeparator'));
  return JSON.stringify(value);
}

function DryRunBox({ automation, i18n }: { automation: Automation; i18n: I18n }) {
  const { t } = i18n;
  const test = useTestAutomation();
  const runs = useRuns(automation.id);
  const records = useRunRecords(runs.data?.pages.flatMap((page) => page.data) ?? []);
  const [recordId, setRecordId] = useState('');
  const subject = subjectOf(automation.trigger.type);
  const searchable = subject === 'deal' || subject === 'lead' ? subject : null;
  const [name, setName] = useState('');
  const query = useDebounced(name.trim(), 250);
  const hits = useRecordSearch(searchable && query.length > 0 ? query : null, searchable ?? 'deal');
  const fieldError = fieldErrorMap(test.error)['record_id'];

  const run = (id: string) => test.mutate({ automation, recordId: toLatinDigits(id.trim()) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(recordId);
  };

  return (
    <section className="settings__section dry-run" aria-labelledby="dry-run" data-testid="dry-run">
      <h2 id="dry-run" className="section-title">
        {t('automations.test.title')}
      </h2>
      <p className="field__hint">{t(subject === 'lead' ? 'automations.test.introLead' : 'automations.test.introDeal')}</p>
      {searchable && (
        <div className="dry-run__search">
          <TextField
            type="search"
            label={t(searchable === 'lead' ? 'automations.test.findLead' : 'automations.test.findDeal')}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          {query.length > 0 && hits.data && (
            <ul className="dry-run__hits" data-testid="dry-run-hits">
              {hits.data.length === 0 && <li className="muted">{t('automations.test.noHits')}</li>}
              {hits.data.slice(0, 8).map((hit) => (
                <li key={hit.id}>
                  <button
                    type="button"
                    className="dry-run__hit"
                    onClick={() => {
                      setRecordId(hit.id);
                      run(hit.id);
                    }}
                  >
                    <span className="dry-run__hit-title">{hit.title}</span>
                    {hit.subtitle && <span className="muted">{hit.subtitle}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form className="dry-run__form" onSubmit={submit} noValidate>
        <TextField
          label={t('automations.test.recordId')}
          dir="ltr"
          value={recordId}
          list="dry-run-records"
          onChange={(event) => setRecordId(event.target.value)}
          error={fieldError}
        />
        <datalist id="dry-run-records">
          {[...records].map(([id, record]) =>
            record ? (
              <option key={id} value={id}>
                {record.name}
              </option>
            ) : null,
          )}
        </datalist>
        <Button type="submit" busy={test.isPending}>
          {t('automations.test.run')}
        </Button>
      </form>
      {test.error && !fieldError && <FormAlert>{describeError(test.error, t)}</FormAlert>}
      {test.data && (
        <div className="dry-run__result" data-testid="dry-run-result" data-matches={test.data.matches}>
          <p>
            <span className={`badge badge--check-${test.data.matches ? 'holds' : 'fails'}`}>
              {test.data.matches ? t('automations.test.wouldRun') : t('automations.test.wouldNotRun')}
            </span>
          </p>
          {test.data.conditions.length > 0 && (
            <ul className="dry-run__checks">
              {test.data.conditions.map((check, index) => (
                <CheckRow key={index} check={check} subject={subject} i18n={i18n} />
              ))}
            </ul>
          )}
          {test.data.matches && test.data.actions.length > 0 && (
            <p>{t('automations.test.actions', { actions: test.data.actions.map((action) => actionLabel(action, t)).join(t('common.listSeparator')) })}</p>
          )}
        </div>
      )}
    </section>
  );
}

function CheckRow({ check, subject, i18n }: { check: ConditionCheck; subject: ReturnType<typeof subjectOf>; i18n: I18n }) {
  const { t } = i18n;
  return (
    <li className="dry-run__check" data-testid="dry-run-check" data-holds={check.holds}>
      <span className="dry-run__value">
        {fieldLabel(subject, check.field, t)} {operatorLabel(check.op, t)} {shown(check.value, i18n)}
        <br />
        <span className="muted">{t('automations.test.actual', { value: shown(check.actual, i18n) })}</span>
      </span>
      <span className={`badge badge--check-${check.holds ? 'holds' : 'fails'}`}>{check.holds ? t('automations.test.holds') : t('automations.test.fails')}</span>
    </li>
  );
}

function RunLog({ automation, i18n }: { automation: Automation; i18n: I18n }) {
  const { t } = i18n;
  const runs = useRuns(automation.id);
  const items = runs.data?.pages.flatMap((page) => page.data) ?? [];
  const records = useRunRecords(items);
  return (
    <section className="settings__section" aria-labelledby="run-log">
      <div className="section-header">
        <h2 id="run-log" className="section-title">
          {t('automations.log.title')}
        </h2>
        <Button size="sm" variant="ghost" busy={runs.isFetching} onClick={() => void runs.refetch()}>
          {t('common.reload')}
        </Button>
      </div>
      {runs.isPending && <Skeleton className="skeleton--block" />}
      {runs.isError && <ErrorState title={t('automations.log.loadFailed')} error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && <EmptyState title={t('automations.log.empty')} />}
      {items.length > 0 && (
        <ol className="run-list" data-testid="run-log">
          {items.map((run) => (
            <RunRow key={run.id} run={run} record={records.get(run.subject_id)} i18n={i18n} />
          ))}
        </ol>
      )}
      {runs.hasNextPage && (
        <div className="form__actions form__actions--start">
          <Button onClick={() => void runs.fetchNextPage()} busy={runs.isFetchingNextPage}>
            {t('automations.log.loadMore')}
          </Button>
        </div>
      )}
    </section>
  );
}

const runStatuses = ['running', 'succeeded', 'failed'] as const;
const outcomeStatuses = ['done', 'skipped', 'failed'] as const;

const subjectTypes = ['deal', 'lead', 'activity', 'contact'] as const;

/**
 * A run's record: a deal or lead by its name once loaded (or said to be gone), a contact's page,
 * or what kind of record it was.
 */
function RunRecord({ run, record, i18n }: { run: AutomationRun; record: RecordName | null | undefined; i18n: I18n }) {
  const { t } = i18n;
  const kind = subjectTypes.find((candidate) => candidate === run.subject_type);
  if (record) {
    return (
      <Link to={record.href} className="run__record">
        {record.name}
      </Link>
    );
  }
  if (kind === 'contact') {
    return (
      <Link to={paths.contact(run.subject_id)} className="run__record">
        {t('automations.log.subject.contact')}
      </Link>
    );
  }
  if (record === null && (kind === 'deal' || kind === 'lead')) return <span className="run__record">{t(`automations.log.gone.${kind}`)}</span>;
  return <span className="run__record">{kind ? t(`automations.log.subject.${kind}`) : run.subject_type}</span>;
}

function RunRow({ run, record, i18n }: { run: AutomationRun; record: RecordName | null | undefined; i18n: I18n }) {
  const { t } = i18n;
  const status = runStatuses.find((candidate) => candidate === run.status) ?? 'running';
  return (
    <li className="run" data-testid="run" data-status={run.status}>
      <div className="run__summary">
        <span className={`badge badge--run-${status}`}>{t(`automations.runStatus.${status}`)}</span>
        <RunRecord run={run} record={record} i18n={i18n} />
        <span className="muted">{t('automations.log.depth', { depth: run.depth })}</span>
        <time className="muted run__time" dateTime={run.created_at}>
          {i18n.dateTime(run.created_at)}
        </time>
      </div>
      {run.outcomes.length > 0 && (
        <ol className="run__outcomes" data-testid="run-outcomes">
          {run.outcomes.map((outcome, index) => {
            const outcomeStatus = outcomeStatuses.find((candidate) => candidate === outcome.status) ?? 'failed';
            return (
              <li key={index} className="run__outcome" data-testid="run-outcome" data-action={outcome.action} data-status={outcome.status}>
                <span>{actionLabel(outcome.action, t)}</span>
                <span className={`badge badge--outcome-${outcomeStatus}`}>{t(`automations.outcome.${outcomeStatus}`)}</span>
                <span className="run__detail" dir="auto">
                  {outcome.detail ?? ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </li>
  );
}
