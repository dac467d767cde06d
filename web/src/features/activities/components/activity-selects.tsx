import { SelectField } from '../../../components/field';
import type { ActivityKind, ActivityPriority } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { activityPriorities, isActivityKind, isActivityPriority } from '../utils/activity-vocabulary';

interface SelectProps<T> {
  name: string;
  value: T;
  onChange: (value: T) => void;
  error?: string | undefined;
  t: Translate;
}

/** A kind among `kinds`, for the activity form and a stage's follow-up form. */
export function KindSelect({ kinds, name, value, onChange, error, t }: SelectProps<ActivityKind> & { kinds: readonly ActivityKind[] }) {
  return (
    <SelectField
      label={t('activities.kind')}
      name={name}
      value={value}
      onChange={(event) => isActivityKind(event.target.value) && onChange(event.target.value)}
      error={error}
    >
      {kinds.map((kind) => (
        <option key={kind} value={kind}>
          {t(`activities.kinds.${kind}`)}
        </option>
      ))}
    </SelectField>
  );
}

export function PrioritySelect({ name, value, onChange, error, t }: SelectProps<ActivityPriority>) {
  return (
    <SelectField
      label={t('activities.priority')}
      name={name}
      value={value}
      onChange={(event) => isActivityPriority(event.target.value) && onChange(event.target.value)}
      error={error}
    >
      {activityPriorities.map((priority) => (
        <option key={priority} value={priority}>
          {t(`activities.priorities.${priority}`)}
        </option>
      ))}
    </SelectField>
  );
}
