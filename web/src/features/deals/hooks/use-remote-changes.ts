import { useSyncExternalStore } from 'react';

/**
 * Which deals others changed while this page was open: the version that arrived (for the drawer,
 * to tell someone else's change from its own) and, for a few seconds, a highlight on the card.
 */
const versions = new Map<string, number>();
const highlighted = new Set<string>();
const listeners = new Set<() => void>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** How long a changed card stays highlighted, in milliseconds (the CSS animation's length). */
export const highlightDuration = 2_400;

function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Records that someone else changed `dealId` to `version`. */
export function markRemoteChange(dealId: string, version: number): void {
  versions.set(dealId, version);
  highlighted.add(dealId);
  clearTimeout(timers.get(dealId));
  timers.set(
    dealId,
    setTimeout(() => {
      highlighted.delete(dealId);
      timers.delete(dealId);
      notify();
    }, highlightDuration),
  );
  notify();
}

/** The last version of `dealId` that someone else made, or null. */
export function useRemoteVersion(dealId: string): number | null {
  return useSyncExternalStore(
    subscribe,
    () => versions.get(dealId) ?? null,
    () => null,
  );
}

/** Whether the card of `dealId` was just changed by someone else. */
export function useRemoteHighlight(dealId: string): boolean {
  return useSyncExternalStore(
    subscribe,
    () => highlighted.has(dealId),
    () => false,
  );
}
