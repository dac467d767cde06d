import { type FormEvent, type ReactNode, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert } from '../../../components/field';
import { describeError } from '../../../lib/api/describe-error';
import { disqualifyReasons, isOneOf } from '../../../lib/api/vocabularies';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { type BulkAction, type BulkActionType, type BulkEntity, type BulkResult, useBulkAction } from '../api/bulk';
import { type Selection, useSelection } from '../hooks/use-selection';
import { BulkSummary } from './bulk-summary';

/** What the screen offers and knows: the actions, and the choices some of them need. */
export interface BulkContext {
  /** The actions to offer, in this order. */
  actions: readonly BulkActionType[];
  /** Whom records can be assigned to. */
  members?: readonly { id: string; name: string }[];
  /** The stages deals can move to (those of the board's pipeline). */
  stages?: readonly { id: string; name: string }[];
  /** Why leads are disqualified, with their labels. */
  reasons?: readonly { value: string; label: string }[];
  /** A record's name, for the list of failures. */
  nameOf?: (id: string) => string;
  /** The version of a record the screen shows: one changed since is left as it is (a conflict). */
  versionOf?: (id: string) => number | undefined;
}

export interface BulkBarProps {
  entity: BulkEntity;
  selectedIds: readonly string[];
  onClear: () => void;
  onDone: (results: BulkResult[]) => void;
  context: BulkContext;
}

/** The action as the API takes it, or null while its choice is missing. */
function actionOf(type: BulkActionType | '', value: string): BulkAction | null {
  const text = value.trim();
  switch (type) {
    case 'assign':
      return text ? { type, owner_id: text } : null;
    case 'move':
      return text ? { type, stage_id: text } : null;
    case 'tag':
    case 'untag':
      return text ? { type, tag: text } : null;
    case 'disqualify':
      return isOneOf(disqualifyReasons, text) ? { type, reason: text } : null;
    case 'delete':
      return { type };
    default:
      return null;
  }
}

/**
 * The bar shown while rows are selected: pick an action (and its member, stage, tag or reason),
 * confirm a delete, run it on every selected record, then read how many changed and why the
 * others did not. Every list the change touched is refetched.
 */
export function BulkBar({ entity, selectedIds, onClear, onDone, context }: BulkBarProps) {
  const { t } = useI18n();
  const bulk = useBulkAction(entity);
  const [type, setType] = useState<BulkActionType | ''>('');
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const count = selectedIds.length;
  if (count === 0 && !results) return null;
  const action = actionOf(type, value);
  const records = t(`bulk.records.${entity}`, { count });

  const run = () => {
    if (!action) return;
    setResults(null);
    bulk.mutate(
      { ids: [...selectedIds], action, versionOf: context.versionOf },
      {
        onSuccess: (done) => {
          setConfirming(false);
          setType('');
          setValue('');
          setResults(done);
          onDone(done);
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (action?.type === 'delete' && !confirming) setConfirming(true);
    else run();
  };

  let choice: ReactNode = null;
  const choose = (label: string, options: readonly { value: string; label: string }[], placeholder: string) => (
    <select className="input input--compact" name="value" aria-label={label} value={value} onChange={(event) => setValue(event.target.value)}>
      <option value="">{placeholder}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
  if (type === 'assign') {
    const members = (context.members ?? []).map((member) => ({ value: member.id, label: member.name }));
    choice = choose(t('bulk.owner'), members, t('bulk.chooseOwner'));
  } else if (type === 'move') {
    const stages = (context.stages ?? []).map((stage) => ({ value: stage.id, label: stage.name }));
    choice = choose(t('bulk.stage'), stages, t('bulk.chooseStage'));
  } else if (type === 'disqualify') {
    choice = choose(t('bulk.reason'), context.reasons ?? [], t('bulk.chooseReason'));
  } else if (type === 'tag' || type === 'untag') {
    choice = (
      <input
        className="input input--compact"
        name="tag"
        aria-label={t('bulk.tag')}
        maxLength={50}
        value={value}
        placeholder={t('bulk.tagPlaceholder')}
        onChange={(event) => setValue(event.target.value)}
      />
    );
  }

  return (
    <section className="bulk-bar" aria-label={t('bulk.label')} data-testid="bulk-bar">
      {count > 0 && (
        <form className="bulk-bar__form" onSubmit={submit}>
          <p className="bulk-bar__count" aria-live="polite">
            {t('bulk.selected', { count })}
          </p>
          {confirming && action?.type === 'delete' ? (
            <>
              <p className="bulk-bar__confirm" role="alert">
                {t('bulk.confirmDelete', { records })}
              </p>
              <Button type="submit" variant="danger" busy={bulk.isPending}>
                {bulk.isPending ? t('bulk.running') : t('bulk.deleteRecords', { records })}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            </>
          ) : (
            <>
              <select
                className="input input--compact"
                name="action"
                aria-label={t('bulk.action')}
                value={type}
                onChange={(event) => {
                  setType(event.target.value as BulkActionType | '');
                  setValue('');
                }}
              >
                <option value="">{t('bulk.chooseAction')}</option>
                {context.actions.map((option) => (
                  <option key={option} value={option}>
                    {t(`bulk.actions.${option}`)}
                  </option>
                ))}
              </select>
              {choice}
              <Button type="submit" variant={type === 'delete' ? 'danger' : 'primary'} busy={bulk.isPending} disabled={!action}>
                {bulk.isPending ? t('bulk.running') : t('bulk.apply')}
              </Button>
              <button type="button" className="link-button" onClick={onClear}>
                {t('bulk.clear')}
              </button>
            </>
          )}
        </form>
      )}
      {bulk.isError && <FormAlert>{t('bulk.failed', { reason: describeError(bulk.error, t) })}</FormAlert>}
      {results && <BulkSummary results={results} nameOf={context.nameOf} t={t} onDismiss={() => setResults(null)} />}
    </section>
  );
}

export interface BulkSelectionProps {
  entity: BulkEntity;
  /** The ids the list shows, in their order (shift-click ranges follow it). */
  ids: readonly string[];
  context: BulkContext;
  /** The list, drawn with the selection (its checkboxes). */
  children: (selection: Selection) => ReactNode;
}

/**
 * A list's selection and its bulk bar together, for a screen to wrap its list in. After an
 * action only the records it could not change stay selected, to try again or look at.
 */
export function BulkSelection({ entity, ids, context, children }: BulkSelectionProps) {
  const selection = useSelection(ids);
  return (
    <>
      {children(selection)}
      <BulkBar
        entity={entity}
        selectedIds={selection.selectedIds}
        onClear={selection.clear}
        onDone={(results) => selection.set(results.filter((result) => result.status !== 'ok').map((result) => result.id))}
        context={context}
      />
    </>
  );
}
