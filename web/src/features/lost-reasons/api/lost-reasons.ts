import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { LostReason, Me } from '../../../lib/api/types';
import { meQueryKey } from '../../../lib/session/use-session';

/** The key the lose dialog reads the reasons under too. */
const lostReasonsKey = ['lost-reasons'] as const;

export function useLostReasonList() {
  const query = useQuery({
    queryKey: lostReasonsKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/lost-reasons', { signal })),
    select: (list) => list.data,
  });
  return { ...query, reasons: query.data ?? [] };
}

export function useCreateLostReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => unwrap(await api.POST('/api/v1/lost-reasons', { body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lostReasonsKey }),
  });
}

export type LostReasonChange = { name?: string; active?: boolean; position?: number };

/** Renames, (de)activates or moves a reason with the version the list read. */
export function useUpdateLostReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ reason, change }: { reason: LostReason; change: LostReasonChange }) =>
      unwrap(await api.PATCH('/api/v1/lost-reasons/{id}', { params: { path: { id: reason.id }, header: ifMatch(reason.version) }, body: change })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lostReasonsKey }),
  });
}

export function useDeleteLostReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (reason: LostReason) =>
      unwrap(await api.DELETE('/api/v1/lost-reasons/{id}', { params: { path: { id: reason.id }, header: ifMatch(reason.version) } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lostReasonsKey }),
  });
}

/** Whether losing a deal needs a managed reason (the workspace's setting; admins). */
export function useRequireLostReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (required: boolean) => unwrap(await api.PATCH('/api/v1/workspace', { body: { lost_reason_required: required } })),
    onSuccess: (workspace) => queryClient.setQueryData<Me>(meQueryKey, (me) => (me ? { ...me, workspace } : me)),
  });
}
