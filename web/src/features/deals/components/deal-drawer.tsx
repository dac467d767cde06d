import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { isApiError } from '../../../lib/api/api-error';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, Pipeline, User } from '../../../lib/api/types';
import { daysSince } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useChangeDealStatus, useDeal, useDeleteDeal, useMoveDealToStage, useUpdateDeal } from '../api/deals';
import { useRemoteVersion } from '../hooks/use-remote-changes';
import { type DealFormValues, dealToFormValues, type FormErrorCode, parseDealForm, sameFormValues } from '../utils/deal-form-values';
import { useLostReasons } from '../api/deal-rules';
import { CustomerPicker } from './customer-picker';
import { DealCustomFieldsSection } from './deal-custom-fields';
import { DealFields, formErrorMessage } from './deal-fields';
import { DealLineItems } from './deal-line-items';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { LoseDealDialog } from './lose-deal-dialog';
import { StageHistory } from './stage-history';
import './remote-change.css';

interface DealDrawerProps {
  dealId: string;
  pipeline: Pipeline;
  members: User[];
  membersById: Map<string, User>;
  i18n: I18n;
  onClose: () => void;
  /** What the app adds below the fields (the deal's activities), composed from another feature. */
  extra?: ((deal: Deal) => ReactNode) | undefined;
  /** What the app adds under the line items (the deal's quotes and invoices), from another feature. */
  documents?: ((deal: Deal) => ReactNode) | undefined;
}

/** The deal's details beside the board: its fields, status actions and stage history. */
export function DealDrawer({ dealId, pipeline, members, membersById, i18n, onClose, extra, documents }: DealDrawerProps) {
  const { t } = i18n;
  const deal = useDeal(dealId);
  return (
    <Dialog variant="drawer" title={deal.data?.title ?? t('deal.drawer.label')} label={t('deal.drawer.label')} onClose={onClose}>
      {deal.isPending && (
        <div aria-busy="true">
          <Skeleton className="skeleton--title" />
          <Skeleton className="skeleton--block" />
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {deal.isError && <ErrorState title={t('deal.drawer.loadFailed')} error={deal.error} onRetry={() => void deal.refetch()} />}
      {deal.data && (
        <DealDetails
          key={deal.data.id}
          deal={deal.data}
          pipeline={pipeline}
          members={members}
          membersById={membersById}
          i18n={i18n}
          onClose={onClose}
          extra={extra}
          documents={documents}
          reload={() => void deal.refetch()}
        />
      )}
    </Dialog>
  );
}

function DealDetails({
  deal,
  pipeline,
  members,
  membersById,
  i18n,
  onClose,
  extra,
  documents,
  reload,
}: Omit<DealDrawerProps, 'dealId'> & { deal: Deal; reload: () => void }) {
  const { t } = i18n;
  const update = useUpdateDeal();
  const relink = useUpdateDeal();
  const change = useChangeDealStatus();
  const moveTo = useMoveDealToStage();
  const remove = useDeleteDeal();
  const dates = useDateEntry();
  const form = { ...dates, irrUnit: i18n.irrUnit };
  const [values, setValues] = useState<DealFormValues>(() => dealToFormValues(deal, form));
  // The deal as the form was filled from it, to tell the user's edits from others' changes.
  const [base, setBase] = useState(deal);
  const [updatedRemotely, setUpdatedRemotely] = useState(false);
  const [formErrors, setFormErrors] = useState<Record<string, FormErrorCode>>({});
  const [losing, setLosing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const { reasons } = useLostReasons();
  const lostFor = deal.lost_reason_id ? reasons.find((reason) => reason.id === deal.lost_reason_id)?.name : undefined;

  // A new language (or calendar) re-renders the amount and date in its digits and calendar.
  // Only such a change resets the form, never a refetch of the deal.
  useEffect(() => setValues(dealToFormValues(deal, form)), [form.locale, form.calendar, form.irrUnit]);

  // Someone else changed the deal while it is open (its newest version came from the event
  // stream). An untouched form takes their version, with a note; edits are never overwritten:
  // the user is told, and saving sends the version the form was filled from, which is refused.
  const remoteVersion = useRemoteVersion(deal.id);
  const changedRemotely = remoteVersion === deal.version && deal.version > base.version;
  const edited = !sameFormValues(values, dealToFormValues(base, form));
  const takeLatest = () => {
    setValues(dealToFormValues(deal, form));
    setBase(deal);
    update.reset();
  };
  // Only a new remote version (or the end of the edits) re-fills the form.
  useEffect(() => {
    if (!changedRemotely || edited) return;
    takeLatest();
    setUpdatedRemotely(true);
  }, [changedRemotely, edited, deal]);

  const stage = pipeline.stages.find((candidate) => candidate.id === deal.stage_id);
  const errors: Record<string, string> = { ...localizedFieldErrors(update.error, t) };
  for (const [field, code] of Object.entries(formErrors)) errors[field] = formErrorMessage(code, i18n);
  const stale = isApiError(update.error) && update.error.isStale;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDealForm(values, form);
    if (!parsed.ok) {
      setFormErrors(parsed.errors);
      return;
    }
    setFormErrors({});
    const { stage_id: _stage, ...changes } = parsed.value;
    update.mutate(
      { deal: changedRemotely ? base : deal, changes },
      {
        onSuccess: (saved) => {
          setValues(dealToFormValues(saved, form));
          setBase(saved);
          setUpdatedRemotely(false);
          toast.success(t('deal.drawer.saved'));
        },
      },
    );
  };

  const changeStatus = (action: 'win' | 'reopen') =>
    change.mutate(
      { deal, action: { kind: action } },
      {
        onSuccess: (next) => toast.success(t(action === 'win' ? 'board.actions.won' : 'board.actions.reopened', { title: next.title })),
        onError: (error) => toast.error(t('board.actions.failed', { title: deal.title, reason: describeError(error, t) })),
      },
    );

  const link = (changes: { contact_id: string | null } | { organization_id: string | null }) =>
    relink.mutate(
      { deal, changes },
      {
        onSuccess: () => toast.success(t('customerPage.dealLinks.saved')),
        onError: (error) => toast.error(t('customerPage.dealLinks.failed', { reason: describeError(error, t) })),
      },
    );

  const statusLine =
    deal.status === 'open' ? t('deal.drawer.status.open') : t(`deal.drawer.status.${deal.status}`, { date: deal.closed_at ? i18n.date(deal.closed_at) : '' });

  return (
    <div className="deal-details" data-testid="deal-drawer" data-deal-id={deal.id}>
      <div className="deal-summary">
        <p className={`badge badge--${deal.status}`}>{statusLine}</p>
        {deal.status === 'lost' && lostFor && (
          <p className="deal-summary__reason" data-testid="deal-lost-reason">
            {t('dealRules.lose.lostFor', { reason: lostFor })}
          </p>
        )}
        {deal.status === 'lost' && deal.lost_reason && <p className="deal-summary__reason">{t('deal.drawer.lostReason', { reason: deal.lost_reason })}</p>}
        <p className="deal-summary__amount">{i18n.money(deal.amount_minor, deal.currency)}</p>
        <p className="muted">{t('deal.drawer.weighted', { value: i18n.money(deal.weighted_amount_minor, deal.currency) })}</p>
        <p className="muted">
          {t('deal.drawer.inStage', {
            stage: stage?.name ?? t('deal.history.deletedStage'),
            days: t('deal.drawer.days', { count: daysSince(deal.stage_entered_at) }),
          })}
        </p>
        <p className="muted">{t('deal.drawer.created', { date: i18n.date(deal.created_at) })}</p>
      </div>

      <div className="deal-actions">
        {deal.status === 'open' ? (
          <>
            <Button variant="primary" className="button--won" busy={change.isPending} onClick={() => changeStatus('win')}>
              {t('deal.drawer.markWon')}
            </Button>
            <Button variant="danger" onClick={() => setLosing(true)}>
              {t('deal.drawer.markLost')}
            </Button>
          </>
        ) : (
          <Button busy={change.isPending} onClick={() => changeStatus('reopen')}>
            {t('deal.drawer.reopen')}
          </Button>
        )}
        <Button variant="ghost" onClick={() => setConfirmingDelete(true)}>
          {t('deal.drawer.delete')}
        </Button>
      </div>

      <section className="deal-customer" aria-labelledby="deal-customer-title" data-testid="deal-customer">
        <h3 id="deal-customer-title" className="subsection-title">
          {t('customerPage.dealLinks.title')}
        </h3>
        <CustomerPicker kind="contact" value={deal.contact_id ?? null} onChange={(id) => link({ contact_id: id })} busy={relink.isPending} i18n={i18n} />
        <CustomerPicker
          kind="organization"
          value={deal.organization_id ?? null}
          onChange={(id) => link({ organization_id: id })}
          busy={relink.isPending}
          i18n={i18n}
        />
      </section>

      <DealCustomFieldsSection key={deal.version} deal={deal} i18n={i18n} />

      <DealLineItems deal={deal} i18n={i18n} />

      {documents?.(deal)}

      {deal.status === 'open' ? (
        <SelectField
          label={t('deal.fields.stage')}
          name="stage"
          value={deal.stage_id}
          disabled={moveTo.isPending}
          error={moveTo.error ? describeError(moveTo.error, t) : undefined}
          onChange={(event) => moveTo.mutate({ deal, stageId: event.target.value })}
        >
          {pipeline.stages.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <p className="muted">{t('deal.drawer.closedHint')}</p>
      )}

      <form className="form" onSubmit={save} noValidate data-testid="deal-form">
        {changedRemotely && edited && !stale && (
          <FormAlert>
            <span data-testid="deal-changed-remotely">{t('live.dealChanged')}</span>{' '}
            <button type="button" className="link-button" onClick={takeLatest}>
              {t('live.reload')}
            </button>
          </FormAlert>
        )}
        {updatedRemotely && !(changedRemotely && edited) && (
          <p className="remote-notice" role="status" data-testid="deal-updated-remotely">
            {t('live.dealUpdated')}
          </p>
        )}
        {stale && (
          <FormAlert>
            {t('deal.drawer.stale')}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                update.reset();
                // The user has seen the newer version is there: the next save goes over it.
                setBase(deal);
                reload();
              }}
            >
              {t('deal.drawer.reloadDeal')}
            </button>
          </FormAlert>
        )}
        {update.error && !stale && Object.keys(localizedFieldErrors(update.error, t)).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
        {update.error && Object.keys(localizedFieldErrors(update.error, t)).length > 0 && <FormAlert>{t('errors.validation')}</FormAlert>}
        <DealFields
          values={values}
          onChange={(patch) => setValues({ ...values, ...patch })}
          errors={errors}
          stages={pipeline.stages}
          members={members}
          i18n={i18n}
          showStage={false}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={update.isPending}>
            {update.isPending ? t('common.saving') : t('deal.drawer.save')}
          </Button>
        </div>
      </form>

      {extra?.(deal)}

      <StageHistory dealId={deal.id} stages={pipeline.stages} members={membersById} i18n={i18n} />

      {losing && (
        <LoseDealDialog
          deal={deal}
          i18n={i18n}
          onClose={() => setLosing(false)}
          onLost={(lost) => {
            setLosing(false);
            toast.success(t('board.actions.lost', { title: lost.title }));
          }}
        />
      )}
      {confirmingDelete && (
        <Dialog title={t('deal.delete.title', { title: deal.title })} onClose={() => setConfirmingDelete(false)}>
          <p>{t('deal.delete.body')}</p>
          {remove.error && <FormAlert>{describeError(remove.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setConfirmingDelete(false)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(deal, {
                  onSuccess: () => {
                    toast.success(t('deal.delete.deleted', { title: deal.title }));
                    onClose();
                  },
                })
              }
            >
              {t('deal.delete.confirm')}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
