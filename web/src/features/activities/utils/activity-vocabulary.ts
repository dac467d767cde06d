import type { ActivityKind, ActivityPriority } from '../../../lib/api/types';

/**
 * The API's activity vocabularies, in the order the SPA offers them. Each value has a label under
 * `activities.kinds.*` and `activities.priorities.*` in the locale files; a unit test checks the
 * lists against the OpenAPI document.
 */
export const activityKinds = ['task', 'call', 'meeting', 'email', 'note'] as const satisfies readonly ActivityKind[];

export const activityPriorities = ['low', 'normal', 'high'] as const satisfies readonly ActivityPriority[];

/** A glyph beside each kind's label (decorative: the label is always shown too). */
export const kindIcons: Record<ActivityKind, string> = {
  task: '☑',
  call: '☎',
  meeting: '👥',
  email: '✉',
  note: '✎',
};

export function isActivityKind(value: string): value is ActivityKind {
  return (activityKinds as readonly string[]).includes(value);
}

export function isActivityPriority(value: string): value is ActivityPriority {
  return (activityPriorities as readonly string[]).includes(value);
}
