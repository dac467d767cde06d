import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api/api-error';

/** Retries only what may succeed on a second try: unreachable servers and 5xx, twice. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (!isApiError(error)) return failureCount < 2;
  return (error.isNetwork || error.status >= 500) && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
