import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { type ScoringRule, useSaveScoringRules, useScoringPreview, useScoringRules } from '../api/scoring';
import { type DraftRule, draftOf, emptyRule, moved, parseRules } from '../utils/draft';
import { RuleEditor } from './rule-editor';
import { ScorePreview } from './score-preview';
import './scoring.css';

/** How long typing pauses before the preview is asked again. */
const PREVIEW_DELAY_MS = 350;

/**
 * The workspace's lead-scoring rules: build them with pickers, see what each does to the inbox
 * before saving, and save the whole set (admins and managers; the API re-scores every lead).
 */
export function ScoringScreen() {
  const { t } = useI18n();
  const me = useMe();
  const rules = useScoringRules();
  // Held here, not in the form: saving reads the rules again and the form starts over, while the
  // save's outcome (its message) belongs to the screen.
  const save = useSaveScoringRules();
  useDocumentTitle(t('scoring.title'));
  const canChange = me.data?.user.role === 'admin' || me.data?.user.role === 'manager';

  return (
    <main className="page page--narrow" id="main" data-testid="scoring-screen">
      <h1 className="page__title">{t('scoring.title')}</h1>
      <p className="page__intro">{t('scoring.intro')}</p>
      {me.data && !canChange && <FormAlert>{t('scoring.readOnly')}</FormAlert>}
      {rules.isPending && <Skeleton className="skeleton--block" />}
      {rules.isError && <ErrorState title={t('scoring.loadFailed')} error={rules.error} onRetry={() => void rules.refetch()} />}
      {/* The saved set seeds the form; saving reads it again and the form starts over from it. */}
      {rules.isSuccess && me.data && <RuleBuilder key={JSON.stringify(rules.data)} saved={rules.data} canChange={canChange} save={save} />}
    </main>
  );
}

interface RuleBuilderProps {
  saved: ScoringRule[];
  canChange: boolean;
  save: ReturnType<typeof useSaveScoringRules>;
}

function RuleBuilder({ saved, canChange, save }: RuleBuilderProps) {
  const { t, locale } = useI18n();
  const initial = useMemo(() => saved.map((rule) => localized(draftOf(rule), locale)), [saved, locale]);
  const [drafts, setDraftList] = useState<DraftRule[]>(initial);
  // An edit makes the last save's errors stale.
  const setDrafts = (change: (list: DraftRule[]) => DraftRule[]) => {
    save.reset();
    setDraftList(change);
  };
  const parsed = parseRules(drafts);
  const [previewed, setPreviewed] = useState(parsed.ok ? parsed.rules : null);
  const requested = JSON.stringify(parsed.ok ? parsed.rules : null);
  useEffect(() => {
    const timer = setTimeout(() => setPreviewed(JSON.parse(requested)), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [requested]);
  const preview = useScoringPreview(canChange ? previewed : null);
  const changed = JSON.stringify(drafts.map(withoutKey)) !== JSON.stringify(initial.map(withoutKey));

  // The form's own errors (numbers that do not parse), then the server's: the save's, or else the
  // preview's, which checks the draft as the save would.
  const localErrors: Record<string, string> = parsed.ok
    ? {}
    : Object.fromEntries(Object.entries(parsed.errors).map(([field]) => [field, t('scoring.wholeNumber')]));
  const serverErrors = fieldErrorMap(save.error ?? preview.error);
  const errors = { ...serverErrors, ...localErrors };
  const unplacedError = save.error && Object.keys(fieldErrorMap(save.error)).length === 0 ? save.error : null;

  const update = (index: number, draft: DraftRule) => setDrafts((list) => list.map((item, i) => (i === index ? draft : item)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok) return;
    save.mutate(parsed.rules, {
      onSuccess: (answer) => toast.success(t('scoring.saved', { count: answer.rescored ?? 0 })),
    });
  };

  return (
    <form className="scoring" onSubmit={submit} noValidate data-testid="scoring-form">
      {unplacedError && <FormAlert>{describeError(unplacedError, t)}</FormAlert>}
      {drafts.length === 0 && <p className="scoring__empty">{t('scoring.empty')}</p>}
      <ol className="scoring__rules" aria-label={t('scoring.listLabel')}>
        {drafts.map((draft, index) => (
          <RuleEditor
            key={draft.key}
            draft={draft}
            index={index}
            count={drafts.length}
            errors={errors}
            effect={preview.data?.rules[index]}
            readOnly={!canChange}
            onChange={(next) => update(index, next)}
            onMove={(by) => setDrafts((list) => moved(list, index, by))}
            onRemove={() => setDrafts((list) => list.filter((_, i) => i !== index))}
          />
        ))}
      </ol>
      {canChange && (
        <>
          <div className="scoring__add">
            <Button onClick={() => setDrafts((list) => [...list, localized(emptyRule(), locale)])}>{t('scoring.add')}</Button>
          </div>
          <ScorePreview preview={preview.data} pending={preview.isFetching} failed={preview.isError && Object.keys(serverErrors).length === 0} />
          <div className="form__actions scoring__actions">
            <Button onClick={() => setDrafts(() => initial)} disabled={!changed || save.isPending}>
              {t('scoring.discard')}
            </Button>
            <Button type="submit" variant="primary" busy={save.isPending} disabled={!changed}>
              {t('scoring.save')}
            </Button>
          </div>
        </>
      )}
    </form>
  );
}

/** A draft's numbers in the digits of the language it is edited in. */
function localized(draft: DraftRule, locale: string): DraftRule {
  return { ...draft, points: localizeDigits(draft.points, locale), min: localizeDigits(draft.min, locale) };
}

function withoutKey({ key: _key, ...rest }: DraftRule) {
  return rest;
}
