/**
 * How long to wait before the next attempt to reopen the event stream: quick at first (a server
 * restart or a dropped Wi-Fi), then slower, never more than half a minute. Each delay is spread by
 * up to a fifth either way, so tabs cut off together do not all come back in the same instant.
 *
 * @param attempt 0 for the first retry after a loss, 1 for the next, …
 * @param random a number in [0, 1), `Math.random` by default (fixed in tests)
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = backoffSteps[Math.min(Math.max(0, attempt), backoffSteps.length - 1)]!;
  const spread = (random() * 2 - 1) * 0.2;
  return Math.round(base * (1 + spread));
}

/** The delays, in milliseconds, before the first, second, … retry; the last repeats. */
export const backoffSteps = [1_000, 2_000, 5_000, 10_000, 30_000] as const;
