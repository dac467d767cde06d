import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/api-error';
import type { Role } from '../api/types';
import { tokenStore } from './token-store';

/** Whether this browser holds a session (its refresh-token cookie, as the stored marker says); it may still turn out to be expired. */
export function useHasSession(): boolean {
  return useSyncExternalStore(
    tokenStore.subscribe,
    () => tokenStore.get() !== null,
    () => false,
  );
}

export const meQueryKey = ['me'] as const;

/** The signed-in user and their workspace. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/me')),
    staleTime: 5 * 60_000,
  });
}

/** Whether the signed-in user may change pipelines and stages (admins and managers). */
export function canManagePipelines(role: Role | undefined): boolean {
  return role === 'admin' || role === 'manager';
}
