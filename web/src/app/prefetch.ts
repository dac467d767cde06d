import type { QueryClient } from '@tanstack/react-query';
import { prefetchBoard } from '../features/deals/api/board';
import { parseBoardFilters } from '../features/deals/hooks/use-board-filters';
import { refreshSession } from '../lib/api/client';
import { tokenStore } from '../lib/session/token-store';

/**
 * The requests a returning user's first screen needs, started while the app's code is still
 * starting: the token refresh, and the board when the address is a board's. Their results land
 * in the query cache where the screens look for them.
 */
export function startCriticalRequests(queryClient: QueryClient, location: Location): void {
  const session = tokenStore.get();
  if (!session) return;
  if (!session.accessToken) void refreshSession();
  const match = /^\/pipelines\/([0-9a-f-]{36})(?:\/deals\/[0-9a-f-]{36})?\/?$/.exec(location.pathname);
  if (match?.[1]) prefetchBoard(queryClient, match[1], parseBoardFilters(new URLSearchParams(location.search)));
}
