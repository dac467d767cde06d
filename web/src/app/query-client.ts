import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api/api-error';
import type { ErrorCode } from '../lib/api/types';

/** Causes that may pass on a second try: the database unavailable for a moment, a fault of the server. */
const transientCodes: readonly ErrorCode[] = ['unavailable', 'internal'];

/**
 * Retries, twice, only what may succeed on a second try: an unreachable server, a transient
 * cause, or an error page without a problem body from something in front of the server (a proxy
 * answering 502 while the server restarts), which has nothing but its status to go by.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error) || error.isNetwork) return true;
  if (error.code) return transientCodes.includes(error.code);
  return error.problem === null && error.status >= 500;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
