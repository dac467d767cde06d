import { Button } from '../../../components/button';
import { SelectField, TextField } from '../../../components/field';
import { activityKinds, comparisons, isOneOf, leadSources } from '../../../lib/api/vocabularies';
import { useI18n } from '../../../lib/i18n/use-i18n';
import type { ScoringPreview } from '../api/scoring';
import { useLeadFieldKeys } from '../api/scoring';
import { type DraftRule, conditionKinds, leadFields } from '../utils/draft';

interface RuleEditorProps {
  draft: DraftRule;
  index: number;
  count: number;
  /** Errors by the API's field path (`rules.{index}.name`…). */
  errors: Record<string, string>;
  effect: ScoringPreview['rules'][number] | undefined;
  readOnly: boolean;
  onChange: (draft: DraftRule) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

/** One rule: its name, points, condition pickers, its effect on the inbox, and moving or removing it. */
export function RuleEditor({ draft, index, count, errors, effect, readOnly, onChange, onMove, onRemove }: RuleEditorProps) {
  const { t, number, locale } = useI18n();
  const at = (field: string) => errors[`rules.${index}.${field}`];
  const title = draft.name.trim() || t('scoring.untitled', { number: number(index + 1) });
  const set = (change: Partial<DraftRule>) => onChange({ ...draft, ...change });

  return (
    <li className="scoring-rule" data-testid="scoring-rule" aria-label={title}>
      <div className="scoring-rule__head">
        <TextField
          className="scoring-rule__name"
          label={t('scoring.name')}
          value={draft.name}
          onChange={(event) => set({ name: event.target.value })}
          error={at('name')}
          disabled={readOnly}
        />
        <TextField
          className="scoring-rule__points"
          label={t('scoring.points')}
          inputMode="numeric"
          dir="ltr"
          value={draft.points}
          onChange={(event) => set({ points: event.target.value })}
          error={at('points')}
          disabled={readOnly}
        />
      </div>
      <div className="scoring-rule__condition">
        <Choice
          label={t('scoring.when')}
          choices={conditionKinds}
          value={draft.kind}
          labelOf={(kind) => t(`scoring.kinds.${kind}`)}
          onPick={(kind) => set({ kind })}
          readOnly={readOnly}
        />
        <ConditionInputs draft={draft} set={set} error={at('condition')} readOnly={readOnly} />
      </div>
      <div className="scoring-rule__foot">
        <p className="scoring-rule__effect" data-testid="rule-effect" aria-live="polite">
          {effect ? t('scoring.effect', { count: effect.matches, points: signed(effect.points, number, locale) }) : t('scoring.effectUnknown')}
        </p>
        {!readOnly && (
          <div className="scoring-rule__tools">
            <Button size="sm" variant="ghost" aria-label={t('scoring.moveUp', { name: title })} disabled={index === 0} onClick={() => onMove(-1)}>
              <span className="arrow-earlier" aria-hidden="true" />
            </Button>
            <Button size="sm" variant="ghost" aria-label={t('scoring.moveDown', { name: title })} disabled={index === count - 1} onClick={() => onMove(1)}>
              <span className="arrow-later" aria-hidden="true" />
            </Button>
            <Button size="sm" variant="danger" aria-label={t('scoring.removeNamed', { name: title })} onClick={onRemove}>
              {t('scoring.remove')}
            </Button>
          </div>
        )}
      </div>
    </li>
  );
}

/**
 * A score change with its sign: +10, −5, 0. In Persian a left-to-right mark keeps the sign before
 * the digits, where right-to-left text would otherwise move it after them.
 */
export function signed(points: number, number: (value: number) => string, locale: string): string {
  const text = points > 0 ? `+${number(points)}` : points < 0 ? `−${number(-points)}` : number(0);
  return locale === 'fa' ? `\u200e${text}` : text;
}

interface ConditionInputsProps {
  draft: DraftRule;
  set: (change: Partial<DraftRule>) => void;
  error: string | undefined;
  readOnly: boolean;
}

/** The pickers of the chosen condition kind; the condition's error shows under the last one. */
function ConditionInputs({ draft, set, error, readOnly }: ConditionInputsProps) {
  const { t } = useI18n();
  const fieldKeys = useLeadFieldKeys();
  // The text a field or custom field is compared with.
  const valueField = (
    <TextField label={t('scoring.value')} value={draft.text} onChange={(event) => set({ text: event.target.value })} error={error} disabled={readOnly} />
  );
  switch (draft.kind) {
    case 'field_present':
    case 'field_equals':
    case 'field_contains':
      return (
        <>
          <Choice
            label={t('scoring.field')}
            choices={leadFields}
            value={draft.field}
            labelOf={(field) => t(`scoring.fields.${field}`)}
            onPick={(field) => set({ field })}
            error={draft.kind === 'field_present' ? error : undefined}
            readOnly={readOnly}
          />
          {draft.kind !== 'field_present' && valueField}
        </>
      );
    case 'source_in':
      return (
        <fieldset className="scoring-rule__sources" aria-describedby={error ? `${draft.key}-sources-error` : undefined} disabled={readOnly}>
          <legend className="field__label">{t('scoring.sources')}</legend>
          <div className="checkbox-grid">
            {leadSources.map((source) => (
              <label key={source} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.sources.includes(source)}
                  onChange={(event) => set({ sources: event.target.checked ? [...draft.sources, source] : draft.sources.filter((s) => s !== source) })}
                />
                <span>{t(source === 'other' ? 'leads.sources.otherSource' : `leads.sources.${source}`)}</span>
              </label>
            ))}
          </div>
          {error && (
            <p className="field__error" id={`${draft.key}-sources-error`} dir="auto">
              {error}
            </p>
          )}
        </fieldset>
      );
    case 'has_tag':
      return (
        <TextField label={t('scoring.tag')} value={draft.text} onChange={(event) => set({ text: event.target.value })} error={error} disabled={readOnly} />
      );
    case 'custom_field':
      return (
        <>
          <SelectField
            label={t('scoring.customField')}
            value={draft.customKey}
            onChange={(event) => set({ customKey: event.target.value })}
            disabled={readOnly}
          >
            <option value="">{t('scoring.chooseField')}</option>
            {withKey(fieldKeys.data ?? [], draft.customKey).map((field) => (
              <option key={field.key} value={field.key}>
                {field.label}
              </option>
            ))}
          </SelectField>
          <Choice
            label={t('scoring.comparison')}
            choices={comparisons}
            value={draft.comparison}
            labelOf={(comparison) => t(`scoring.comparisons.${comparison}`)}
            onPick={(comparison) => set({ comparison })}
            error={draft.comparison === 'present' ? error : undefined}
            readOnly={readOnly}
          />
          {draft.comparison !== 'present' && valueField}
        </>
      );
    case 'submissions_at_least':
      return (
        <TextField
          label={t('scoring.minSubmissions')}
          inputMode="numeric"
          dir="ltr"
          value={draft.min}
          onChange={(event) => set({ min: event.target.value })}
          error={error}
          disabled={readOnly}
        />
      );
    case 'activities_at_least':
      return (
        <>
          <SelectField
            label={t('scoring.activityKind')}
            value={draft.activityKind}
            onChange={(event) => set({ activityKind: isOneOf(activityKinds, event.target.value) ? event.target.value : '' })}
            disabled={readOnly}
          >
            <option value="">{t('scoring.anyActivity')}</option>
            {activityKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`activities.kinds.${kind}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('scoring.minActivities')}
            inputMode="numeric"
            dir="ltr"
            value={draft.min}
            onChange={(event) => set({ min: event.target.value })}
            error={error}
            disabled={readOnly}
          />
        </>
      );
  }
}

/** The lead fields, with a saved rule's key kept even when its field is gone. */
function withKey(fields: readonly { key: string; label: string }[], key: string) {
  return key === '' || fields.some((field) => field.key === key) ? fields : [...fields, { key, label: key }];
}

interface ChoiceProps<T extends string> {
  label: string;
  choices: readonly T[];
  value: T;
  labelOf: (choice: T) => string;
  onPick: (choice: T) => void;
  error?: string | undefined;
  readOnly: boolean;
}

/** A picker of one of a vocabulary's values, each by its label. */
function Choice<T extends string>({ label, choices, value, labelOf, onPick, error, readOnly }: ChoiceProps<T>) {
  return (
    <SelectField
      label={label}
      value={value}
      onChange={(event) => isOneOf(choices, event.target.value) && onPick(event.target.value)}
      error={error}
      disabled={readOnly}
    >
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {labelOf(choice)}
        </option>
      ))}
    </SelectField>
  );
}
