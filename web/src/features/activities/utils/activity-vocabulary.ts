import type { ActivityKind, ActivityPriority } from '../../../lib/api/types';
import { activityKinds, activityPriorities, isOneOf } from '../../../lib/api/vocabularies';

/**
 * The API's activity vocabularies come from the OpenAPI document (lib/api/vocabularies.ts). Each
 * value has a label under `activities.kinds.*` and `activities.priorities.*` in the locale files
 * (the pickers' `t(\`activities.kinds.${kind}\`)` does not compile without one).
 */
export { activityKinds, activityPriorities };

/** A glyph beside each kind's label (decorative: the label is always shown too). */
export const kindIcons: Record<ActivityKind, string> = {
  task: '☑',
  call: '☎',
  meeting: '👥',
  email: '✉',
  note: '✎',
};

export function isActivityKind(value: string): value is ActivityKind {
  return isOneOf(activityKinds, value);
}

export function isActivityPriority(value: string): value is ActivityPriority {
  return isOneOf(activityPriorities, value);
}
