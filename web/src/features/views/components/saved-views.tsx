import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, TextField } from '../../../components/field';
import { Menu, type MenuItem } from '../../../components/menu';
import { toast } from '../../../components/toast';
import { fieldErrorMap, isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import type { SavedView, ViewEntity } from '../../../lib/api/types';
import { useCreateView, useDeleteView, useExportSegment, useUpdateView, useViews } from '../api/views';
import type { ViewFilters } from '../utils/view-filters';
import { canChangeView, groupViews, matchingView } from '../utils/view-list';

export interface SavedViewsProps {
  entity: ViewEntity;
  /** What the screen shows now: its list's query parameters, and its sort (null for the list's default). */
  current: { filters: ViewFilters; sort?: string | null };
  /** Show a view: the screen replaces its filters (and sort) with the view's. */
  onApply: (view: SavedView) => void;
}

type Editing = { kind: 'create' } | { kind: 'edit'; view: SavedView } | { kind: 'delete'; view: SavedView } | null;

/**
 * The saved views of a list: a picker with the user's personal views and the shared ones, the
 * one the screen shows selected; "Save view…" stores the current filters under a name; the
 * creator (or an admin, for a shared view) can rename, share and delete the selected view. A
 * contacts view's menu also downloads its segment (its contacts as CSV).
 */
export function SavedViews({ entity, current, onApply }: SavedViewsProps) {
  const { t, locale } = useI18n();
  const views = useViews(entity);
  const me = useMe().data?.user;
  const [editing, setEditing] = useState<Editing>(null);
  const list = views.data ?? [];
  const { personal, shared } = groupViews(list, locale);
  const active = matchingView(list, current);

  const exportSegment = useExportSegment();
  const actions: MenuItem[] = [{ label: t('views.saveAs'), onSelect: () => setEditing({ kind: 'create' }) }];
  // A contacts view is a segment: its contacts download as the server selects them for the view.
  if (active && entity === 'contacts') {
    actions.push({
      label: t('views.exportSegment'),
      onSelect: () => exportSegment.mutate(active, { onError: (error) => toast.error(t('views.exportSegmentFailed', { reason: describeError(error, t) })) }),
    });
  }
  if (active && canChangeView(active, me)) {
    actions.push({ label: t('views.edit', { name: active.name }), onSelect: () => setEditing({ kind: 'edit', view: active }) });
    actions.push({ label: t('views.delete', { name: active.name }), onSelect: () => setEditing({ kind: 'delete', view: active }), danger: true });
  }
  // A dialog follows the list: after a conflict the list is read again, and the dialog then holds the newer version.
  const latest = (view: SavedView) => list.find((candidate) => candidate.id === view.id) ?? view;

  return (
    <div className="saved-views" data-testid="saved-views">
      <select
        className="input input--compact saved-views__picker"
        name="view"
        aria-label={t('views.label')}
        value={active?.id ?? ''}
        disabled={views.isPending}
        onChange={(event) => {
          const view = list.find((candidate) => candidate.id === event.target.value);
          if (view) onApply(view);
        }}
      >
        <option value="">{views.isError ? t('views.loadFailed') : list.length === 0 ? t('views.none') : t('views.choose')}</option>
        {personal.length > 0 && (
          <optgroup label={t('views.personal')}>
            {personal.map((view) => (
              <option key={view.id} value={view.id}>
                {view.name}
              </option>
            ))}
          </optgroup>
        )}
        {shared.length > 0 && (
          <optgroup label={t('views.shared')}>
            {shared.map((view) => (
              <option key={view.id} value={view.id}>
                {view.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {!active && (
        <Button size="sm" variant="ghost" title={t('views.saveAs')} onClick={() => setEditing({ kind: 'create' })}>
          {t('views.saveShort')}
        </Button>
      )}
      {active && <Menu label={t('views.actions')} items={actions} trigger={<span aria-hidden="true">⋯</span>} />}

      {editing?.kind === 'create' && <ViewDialog entity={entity} current={current} onClose={() => setEditing(null)} />}
      {editing?.kind === 'edit' && <ViewDialog entity={entity} current={current} view={latest(editing.view)} onClose={() => setEditing(null)} />}
      {editing?.kind === 'delete' && <DeleteViewDialog entity={entity} view={latest(editing.view)} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** The name and sharing of a new view (the current filters), or of an existing one. */
function ViewDialog({ entity, current, view, onClose }: { entity: ViewEntity; current: SavedViewsProps['current']; view?: SavedView; onClose: () => void }) {
  const { t } = useI18n();
  const create = useCreateView(entity);
  const update = useUpdateView(entity);
  const mutation = view ? update : create;
  const [name, setName] = useState(view?.name ?? '');
  const [shared, setShared] = useState(view?.shared ?? false);
  const errors = fieldErrorMap(mutation.error);
  const stale = isApiError(mutation.error) && mutation.error.isStale;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (view) {
      update.mutate({ view, changes: { name: name.trim(), shared } }, { onSuccess: onClose });
    } else {
      create.mutate({ name: name.trim(), shared, filters: current.filters, sort: current.sort ?? null }, { onSuccess: onClose });
    }
  };

  return (
    <Dialog title={view ? t('views.editTitle', { name: view.name }) : t('views.saveTitle')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="view-form">
        {mutation.error && !errors.name && <FormAlert>{stale ? t('views.conflict') : describeError(mutation.error, t)}</FormAlert>}
        <TextField
          label={t('views.name')}
          name="name"
          required
          autoFocus
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
        />
        <label className="checkbox">
          <input type="checkbox" name="shared" checked={shared} onChange={(event) => setShared(event.target.checked)} />
          <span>{t('views.shareWithWorkspace')}</span>
        </label>
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={mutation.isPending} disabled={name.trim() === ''}>
            {mutation.isPending ? t('common.saving') : t('common.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteViewDialog({ entity, view, onClose }: { entity: ViewEntity; view: SavedView; onClose: () => void }) {
  const { t } = useI18n();
  const remove = useDeleteView(entity);
  const stale = isApiError(remove.error) && remove.error.isStale;
  return (
    <Dialog title={t('views.deleteTitle', { name: view.name })} onClose={onClose}>
      <div className="form" data-testid="delete-view">
        {remove.error && <FormAlert>{stale ? t('views.conflict') : describeError(remove.error, t)}</FormAlert>}
        <p>{view.shared ? t('views.deleteSharedBody') : t('views.deleteBody')}</p>
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(view, { onSuccess: onClose })}>
            {remove.isPending ? t('common.deleting') : t('common.delete')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
