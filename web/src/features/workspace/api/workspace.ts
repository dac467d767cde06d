import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { Me, UpdateWorkspaceInput } from '../../../lib/api/types';
import { meQueryKey } from '../../../lib/session/use-session';

/** Changes the workspace's settings (admins); the signed-in user's copy of the workspace follows. */
export function useUpdateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: UpdateWorkspaceInput) => unwrap(await api.PATCH('/api/v1/workspace', { body: input })),
    onSuccess: (workspace) => {
      queryClient.setQueryData<Me>(meQueryKey, (me) => (me ? { ...me, workspace } : me));
      // Lists, boards and reports may now show more or fewer records to members.
      return queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
    },
  });
}
