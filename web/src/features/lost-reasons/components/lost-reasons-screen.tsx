import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { LostReason } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateLostReason, useDeleteLostReason, useLostReasonList, useRequireLostReason, useUpdateLostReason } from '../api/lost-reasons';

/**
 * The workspace's reasons for losing a deal (admins): add, rename, reorder, deactivate (an
 * inactive reason stays on the deals lost for it), delete an unused one, and whether losing a
 * deal needs one.
 */
export function LostReasonsScreen() {
  const { t } = useI18n();
  const me = useMe();
  const list = useLostReasonList();
  useDocumentTitle(t('dealRules.lostReasons.title'));
  const admin = me.data?.user.role === 'admin';

  return (
    <main className="page page--narrow settings" id="main" data-testid="lost-reasons-screen">
      <h1 className="page__title">{t('dealRules.lostReasons.title')}</h1>
      <p className="page__intro">{t('dealRules.lostReasons.intro')}</p>
      {me.data && !admin && <FormAlert>{t('dealRules.lostReasons.forbidden')}</FormAlert>}
      {list.isPending && <Skeleton className="skeleton--block" />}
      {list.isError && <ErrorState title={t('dealRules.lostReasons.loadFailed')} error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && list.reasons.length === 0 && <EmptyState title={t('dealRules.lostReasons.empty')} body={t('dealRules.lostReasons.emptyBody')} />}
      {list.isSuccess && list.reasons.length > 0 && (
        <ol className="lost-reason-list" data-testid="lost-reason-list">
          {list.reasons.map((reason, index) => (
            <ReasonRow key={reason.id} reason={reason} index={index} last={index === list.reasons.length - 1} editable={admin} />
          ))}
        </ol>
      )}
      {admin && <AddReasonForm />}
      {admin && me.data && <RequireReason required={me.data.workspace.lost_reason_required} />}
    </main>
  );
}

function ReasonRow({ reason, index, last, editable }: { reason: LostReason; index: number; last: boolean; editable: boolean }) {
  const { t, locale } = useI18n();
  const update = useUpdateLostReason();
  const remove = useDeleteLostReason();
  const [name, setName] = useState(reason.name);
  const errors = fieldErrorMap(update.error);
  const change = (patch: { name?: string; active?: boolean; position?: number }, done: string) =>
    update.mutate({ reason, change: patch }, { onSuccess: () => toast.success(done), onError: (error) => toast.error(describeError(error, t)) });

  const rename = (event: FormEvent) => {
    event.preventDefault();
    change({ name }, t('dealRules.lostReasons.renamed', { name }));
  };

  return (
    <li className={`stage-row lost-reason-row${reason.active ? '' : ' lost-reason-row--inactive'}`} data-testid="lost-reason-row" data-active={reason.active}>
      <form className="stage-row__form lost-reason-row__form" onSubmit={rename} noValidate>
        <span className="stage-row__number" aria-hidden="true">
          {localizeDigits(String(index + 1), locale)}
        </span>
        <TextField
          label={t('dealRules.lostReasons.name')}
          value={name}
          disabled={!editable}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
          required
        />
        {(editable || !reason.active) && (
          <div className="stage-row__actions">
            {!reason.active && <span className="badge">{t('dealRules.lostReasons.inactive')}</span>}
            {editable && (
              <>
                <Button type="submit" size="sm" variant="primary" disabled={name === reason.name} busy={update.isPending}>
                  {t('dealRules.lostReasons.rename')}
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={index === 0 || update.isPending}
                  onClick={() => change({ position: index - 1 }, t('dealRules.lostReasons.moved', { name: reason.name }))}
                  aria-label={t('dealRules.lostReasons.moveEarlier', { name: reason.name })}
                >
                  <span aria-hidden="true">↑</span>
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={last || update.isPending}
                  onClick={() => change({ position: index + 1 }, t('dealRules.lostReasons.moved', { name: reason.name }))}
                  aria-label={t('dealRules.lostReasons.moveLater', { name: reason.name })}
                >
                  <span aria-hidden="true">↓</span>
                </Button>
                <Button
                  size="sm"
                  onClick={() =>
                    change(
                      { active: !reason.active },
                      t(reason.active ? 'dealRules.lostReasons.deactivated' : 'dealRules.lostReasons.activated', { name: reason.name }),
                    )
                  }
                >
                  {reason.active ? t('dealRules.lostReasons.deactivate') : t('dealRules.lostReasons.activate')}
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  busy={remove.isPending}
                  onClick={() =>
                    remove.mutate(reason, {
                      onSuccess: () => toast.success(t('dealRules.lostReasons.deleted', { name: reason.name })),
                      onError: (error) => toast.error(describeError(error, t)),
                    })
                  }
                >
                  {t('dealRules.lostReasons.delete')}
                </Button>
              </>
            )}
          </div>
        )}
      </form>
    </li>
  );
}

function AddReasonForm() {
  const { t } = useI18n();
  const create = useCreateLostReason();
  const [name, setName] = useState('');
  const errors = fieldErrorMap(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name, {
      onSuccess: (reason) => {
        toast.success(t('dealRules.lostReasons.added', { name: reason.name }));
        setName('');
      },
    });
  };
  return (
    <form className="form form--inline" onSubmit={submit} noValidate data-testid="lost-reason-form">
      {create.error && !errors.name && <FormAlert>{describeError(create.error, t)}</FormAlert>}
      <TextField label={t('dealRules.lostReasons.newName')} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required />
      <Button type="submit" variant="primary" busy={create.isPending}>
        {t('dealRules.lostReasons.add')}
      </Button>
    </form>
  );
}

function RequireReason({ required }: { required: boolean }) {
  const { t } = useI18n();
  const update = useRequireLostReason();
  return (
    <label className="checkbox settings__section">
      <input
        type="checkbox"
        checked={required}
        disabled={update.isPending}
        onChange={(event) =>
          update.mutate(event.target.checked, {
            onSuccess: () => toast.success(t('dealRules.lostReasons.requiredSaved')),
            onError: (error) => toast.error(describeError(error, t)),
          })
        }
      />
      <span>{t('dealRules.lostReasons.require')}</span>
    </label>
  );
}
