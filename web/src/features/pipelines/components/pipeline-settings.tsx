import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline, Stage } from '../../../lib/api/types';
import { commonCurrencies, isCommonCurrency } from '../../../lib/format/currencies';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { canManagePipelines, useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useArchivedPipelines, useCreateStage, useDeletePipeline, useDeleteStage, usePipeline, useUpdatePipeline, useUpdateStage } from '../api/pipelines';
import { DealFieldsSection, RequiredFieldsEditor } from './deal-rules-settings';
import { parseWholeNumber } from './stage-inputs';
import './pipeline-settings.css';

/** `stageExtra` is what the app adds under each stage for admins and managers (its follow-up tasks). */
export function PipelineSettings({ pipelineId, stageExtra }: { pipelineId: string; stageExtra?: (stage: Stage) => ReactNode }) {
  const { t } = useI18n();
  const pipeline = usePipeline(pipelineId);
  const me = useMe();
  useDocumentTitle(pipeline.data ? t('pipelines.settings.title', { name: pipeline.data.name }) : t('nav.settings'));

  if (pipeline.isPending) {
    return (
      <main className="page page--narrow" id="main" aria-busy="true">
        <Skeleton className="skeleton--title" />
        <Skeleton className="skeleton--block" />
        <Skeleton className="skeleton--block" />
      </main>
    );
  }
  if (pipeline.isError) {
    return (
      <main className="page page--narrow" id="main">
        <ErrorState title={t('pipelines.loadFailed')} error={pipeline.error} onRetry={() => void pipeline.refetch()} />
      </main>
    );
  }
  const data = pipeline.data;
  return (
    <main className="page page--narrow settings" id="main">
      <Link to={paths.board(data.id)} className="back-link">
        {t('pipelines.settings.backToBoard')}
      </Link>
      <h1 className="page__title">{t('pipelines.settings.title', { name: data.name })}</h1>
      {me.data && !canManagePipelines(me.data.user.role) && <FormAlert>{t('pipelines.settings.forbidden')}</FormAlert>}
      <PipelineSection pipeline={data} />
      <StagesSection
        pipeline={data}
        stageExtra={me.data && canManagePipelines(me.data.user.role) ? stageExtra : undefined}
        canManage={!!me.data && canManagePipelines(me.data.user.role)}
      />
      <DealFieldsSection pipelineId={data.id} canManage={!!me.data && canManagePipelines(me.data.user.role)} />
      <DangerSection pipeline={data} />
      <ArchivedPipelinesSection currentId={data.id} canManage={!!me.data && canManagePipelines(me.data.user.role)} />
    </main>
  );
}

function PipelineSection({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useI18n();
  const update = useUpdatePipeline(pipeline.id);
  const [name, setName] = useState(pipeline.name);
  const [currency, setCurrency] = useState(pipeline.currency);
  const errors = fieldErrorMap(update.error);
  useEffect(() => {
    setName(pipeline.name);
    setCurrency(pipeline.currency);
  }, [pipeline.name, pipeline.currency]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name, currency }, { onSuccess: () => toast.success(t('pipelines.settings.saved')) });
  };

  return (
    <section className="settings__section" aria-labelledby="pipeline-section">
      <h2 id="pipeline-section" className="section-title">
        {t('pipelines.settings.pipelineSection')}
      </h2>
      <form className="form form--inline" onSubmit={submit} noValidate>
        {update.error && !errors.name && !errors.currency && <FormAlert>{describeError(update.error, t)}</FormAlert>}
        <TextField label={t('pipelines.settings.name')} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required />
        <SelectField label={t('pipelines.settings.currency')} value={currency} onChange={(event) => setCurrency(event.target.value)} error={errors.currency}>
          {!isCommonCurrency(currency) && <option value={currency}>{currency}</option>}
          {commonCurrencies.map((code) => (
            <option key={code} value={code}>
              {t(`currencies.${code}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" busy={update.isPending}>
          {t('pipelines.settings.savePipeline')}
        </Button>
      </form>
    </section>
  );
}

function StagesSection({ pipeline, stageExtra, canManage }: { pipeline: Pipeline; stageExtra: ((stage: Stage) => ReactNode) | undefined; canManage: boolean }) {
  const { t } = useI18n();
  const [deleting, setDeleting] = useState<Stage | null>(null);
  return (
    <section className="settings__section" aria-labelledby="stages-section">
      <h2 id="stages-section" className="section-title">
        {t('pipelines.settings.stagesSection')}
      </h2>
      <p className="page__intro">{t('pipelines.settings.stagesIntro')}</p>
      <ol className="stage-lines" data-testid="stage-list">
        {/* The column headings, once; each row's inputs keep their own labels for screen readers. */}
        <li className="stage-lines__head" aria-hidden="true">
          <span />
          <span>{t('pipelines.settings.stageName')}</span>
          <span>{t('pipelines.settings.probability')}</span>
          <span>{t('pipelines.settings.rottingDays')}</span>
          <span />
        </li>
        {pipeline.stages.map((stage, index) => (
          <StageRow
            key={stage.id}
            pipelineId={pipeline.id}
            stage={stage}
            index={index}
            last={index === pipeline.stages.length - 1}
            onDelete={() => setDeleting(stage)}
            extra={
              canManage || stageExtra ? (
                <>
                  {canManage && <RequiredFieldsEditor pipelineId={pipeline.id} stage={stage} />}
                  {stageExtra?.(stage)}
                </>
              ) : null
            }
          />
        ))}
      </ol>
      <AddStageForm pipeline={pipeline} />
      {deleting && <DeleteStageDialog pipeline={pipeline} stage={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

interface StageRowProps {
  pipelineId: string;
  stage: Stage;
  index: number;
  last: boolean;
  onDelete: () => void;
  extra: ReactNode;
}

function StageRow({ pipelineId, stage, index, last, onDelete, extra }: StageRowProps) {
  const { t, locale } = useI18n();
  const update = useUpdateStage(pipelineId);
  const reorder = useUpdateStage(pipelineId);
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState(localizeDigits(String(stage.probability), locale));
  const [rottingDays, setRottingDays] = useState(stage.rotting_days == null ? '' : localizeDigits(String(stage.rotting_days), locale));
  const errors = fieldErrorMap(update.error);
  useEffect(() => {
    setName(stage.name);
    setProbability(localizeDigits(String(stage.probability), locale));
    setRottingDays(stage.rotting_days == null ? '' : localizeDigits(String(stage.rotting_days), locale));
  }, [stage.name, stage.probability, stage.rotting_days, locale]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { stageId: stage.id, name, probability: parseWholeNumber(probability) ?? -1, rotting_days: parseWholeNumber(rottingDays) },
      { onSuccess: (saved) => toast.success(t('pipelines.settings.stageSaved', { name: saved.name })) },
    );
  };
  const move = (to: number) =>
    reorder.mutate(
      { stageId: stage.id, position: to },
      {
        onSuccess: () => toast.success(t('pipelines.settings.stageMoved', { name: stage.name })),
        onError: (error) => toast.error(describeError(error, t)),
      },
    );

  return (
    <li className="stage-line" data-testid="stage-row">
      <form className="stage-line__form" onSubmit={save} noValidate>
        <span className="stage-line__number" aria-hidden="true">
          {localizeDigits(String(index + 1), locale)}
        </span>
        <TextField label={t('pipelines.settings.stageName')} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required />
        <TextField
          label={t('pipelines.settings.probability')}
          inputMode="numeric"
          value={probability}
          onChange={(event) => setProbability(event.target.value)}
          error={errors.probability}
        />
        <TextField
          label={t('pipelines.settings.rottingDays')}
          inputMode="numeric"
          placeholder={t('pipelines.settings.never')}
          value={rottingDays}
          onChange={(event) => setRottingDays(event.target.value)}
          error={errors.rotting_days}
        />
        <div className="stage-line__actions">
          <Button type="submit" size="sm" variant="primary" busy={update.isPending}>
            {t('pipelines.settings.saveStage')}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={index === 0 || reorder.isPending}
            onClick={() => move(index - 1)}
            aria-label={t('pipelines.settings.moveEarlier', { name: stage.name })}
          >
            <span aria-hidden="true" className="arrow-earlier" />
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={last || reorder.isPending}
            onClick={() => move(index + 1)}
            aria-label={t('pipelines.settings.moveLater', { name: stage.name })}
          >
            <span aria-hidden="true" className="arrow-later" />
          </Button>
          <Button size="sm" variant="danger" onClick={onDelete} aria-label={t('pipelines.settings.deleteStageNamed', { name: stage.name })}>
            {t('pipelines.settings.deleteStage')}
          </Button>
        </div>
        {update.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      </form>
      {extra && (
        // What a deal needs to enter the stage and the tasks it then gets: folded, so that the
        // stages read as a list; the summary names the required fields so nothing hides unseen.
        <details className="stage-line__more" data-testid="stage-rules">
          <summary>
            {t('pipelines.settings.stageRules')}
            {(stage.required_fields ?? []).length > 0 && (
              <span className="muted">{` · ${t('pipelines.settings.requiredCount', { count: (stage.required_fields ?? []).length })}`}</span>
            )}
          </summary>
          {extra}
        </details>
      )}
    </li>
  );
}

function AddStageForm({ pipeline }: { pipeline: Pipeline }) {
  const { t, locale } = useI18n();
  const create = useCreateStage(pipeline.id);
  const [name, setName] = useState('');
  const [probability, setProbability] = useState(localizeDigits('50', locale));
  const [rottingDays, setRottingDays] = useState('');
  const errors = fieldErrorMap(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, probability: parseWholeNumber(probability) ?? -1, rotting_days: parseWholeNumber(rottingDays) },
      {
        onSuccess: (stage) => {
          toast.success(t('pipelines.settings.stageAdded', { name: stage.name }));
          setName('');
        },
      },
    );
  };

  return (
    <form className="add-stage" onSubmit={submit} noValidate aria-labelledby="add-stage-title">
      <h3 id="add-stage-title" className="subsection-title">
        {t('pipelines.settings.addStage')}
      </h3>
      <div className="stage-row__form">
        <TextField
          label={t('pipelines.settings.stageName')}
          name="new-stage-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
          required
        />
        <TextField
          label={t('pipelines.settings.probability')}
          inputMode="numeric"
          value={probability}
          onChange={(event) => setProbability(event.target.value)}
          error={errors.probability}
        />
        <TextField
          label={t('pipelines.settings.rottingDays')}
          inputMode="numeric"
          placeholder={t('pipelines.settings.never')}
          value={rottingDays}
          onChange={(event) => setRottingDays(event.target.value)}
          error={errors.rotting_days}
        />
        <div className="stage-row__actions">
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('pipelines.settings.addStageSubmit')}
          </Button>
        </div>
      </div>
      {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
    </form>
  );
}

function DeleteStageDialog({ pipeline, stage, onClose }: { pipeline: Pipeline; stage: Stage; onClose: () => void }) {
  const { t } = useI18n();
  const remove = useDeleteStage(pipeline.id);
  const others = pipeline.stages.filter((other) => other.id !== stage.id);
  const index = pipeline.stages.findIndex((other) => other.id === stage.id);
  // The neighbouring column is the natural default: the one before it, or else the one after.
  const [target, setTarget] = useState(others[Math.max(0, index - 1)]?.id ?? '');

  return (
    <Dialog title={t('pipelines.settings.deleteDialog.title', { name: stage.name })} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          remove.mutate(
            { stageId: stage.id, moveDealsTo: target || null },
            {
              onSuccess: () => {
                toast.success(t('pipelines.settings.stageDeleted', { name: stage.name }));
                onClose();
              },
            },
          );
        }}
      >
        {others.length === 0 ? (
          <p>{t('pipelines.settings.deleteDialog.onlyStage')}</p>
        ) : (
          <>
            <p>{t('pipelines.settings.deleteDialog.body')}</p>
            <SelectField
              label={t('pipelines.settings.deleteDialog.target')}
              value={target}
              onChange={(event) => setTarget(event.target.value)}
              name="move_deals_to"
            >
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.name}
                </option>
              ))}
            </SelectField>
          </>
        )}
        {remove.error && <FormAlert>{describeError(remove.error, t)}</FormAlert>}
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="danger" busy={remove.isPending} disabled={others.length === 0}>
            {t('pipelines.settings.deleteDialog.confirm')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DangerSection({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const update = useUpdatePipeline(pipeline.id);
  const remove = useDeletePipeline(pipeline.id);
  const [confirming, setConfirming] = useState(false);

  return (
    <section className="settings__section settings__section--danger" aria-labelledby="danger-section">
      <h2 id="danger-section" className="section-title">
        {t('pipelines.settings.dangerSection')}
      </h2>
      {pipeline.archived && <p>{t('pipelines.settings.archived')}</p>}
      {update.error && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      <div className="form__actions form__actions--start">
        <Button
          busy={update.isPending}
          onClick={() =>
            update.mutate(
              { archived: !pipeline.archived },
              { onSuccess: () => toast.success(t(pipeline.archived ? 'pipelines.settings.unarchivedToast' : 'pipelines.settings.archivedToast')) },
            )
          }
        >
          {pipeline.archived ? t('pipelines.settings.unarchive') : t('pipelines.settings.archive')}
        </Button>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t('pipelines.settings.deletePipeline')}
        </Button>
      </div>
      {confirming && (
        <Dialog title={t('pipelines.settings.deletePipelineTitle', { name: pipeline.name })} onClose={() => setConfirming(false)}>
          <p>{t('pipelines.settings.deletePipelineBody')}</p>
          {remove.error && <FormAlert>{describeError(remove.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    toast.success(t('pipelines.settings.pipelineDeleted', { name: pipeline.name }));
                    navigate(paths.home);
                  },
                })
              }
            >
              {t('pipelines.settings.deletePipeline')}
            </Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/**
 * The workspace's archived pipelines, apart from the active ones (the board's switcher leaves them
 * out): each opens its settings, and can be brought back.
 */
function ArchivedPipelinesSection({ currentId, canManage }: { currentId: string; canManage: boolean }) {
  const { t } = useI18n();
  const archived = useArchivedPipelines();
  if (!archived.data || archived.data.length === 0) return null;
  return (
    <section className="settings__section" aria-labelledby="archived-section" data-testid="archived-pipelines">
      <h2 id="archived-section" className="section-title">
        {t('pipelines.settings.archivedSection')}
      </h2>
      <p className="page__intro">{t('pipelines.settings.archivedIntro')}</p>
      <ul className="archived-pipelines">
        {archived.data.map((pipeline) => (
          <ArchivedPipelineRow key={pipeline.id} pipeline={pipeline} current={pipeline.id === currentId} canManage={canManage} />
        ))}
      </ul>
    </section>
  );
}

function ArchivedPipelineRow({ pipeline, current, canManage }: { pipeline: Pipeline; current: boolean; canManage: boolean }) {
  const { t } = useI18n();
  const update = useUpdatePipeline(pipeline.id);
  return (
    <li className="archived-pipelines__item" data-testid="archived-pipeline">
      {current ? (
        <bdi className="archived-pipelines__name">{pipeline.name}</bdi>
      ) : (
        <Link to={paths.pipelineSettings(pipeline.id)} className="archived-pipelines__name">
          {pipeline.name}
        </Link>
      )}
      {canManage && (
        <Button
          size="sm"
          busy={update.isPending}
          aria-label={t('pipelines.settings.unarchiveNamed', { name: pipeline.name })}
          // The row leaves the list as soon as the lists are refetched, before a `mutate` callback
          // would run: the promise still settles.
          onClick={() =>
            update.mutateAsync({ archived: false }).then(
              () => toast.success(t('pipelines.settings.unarchivedNamed', { name: pipeline.name })),
              (error: unknown) => toast.error(describeError(error, t)),
            )
          }
        >
          {t('pipelines.settings.unarchive')}
        </Button>
      )}
    </li>
  );
}
