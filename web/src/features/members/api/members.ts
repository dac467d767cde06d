import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import type { Role, User } from '../../../lib/api/types';
import { membersQueryKey } from '../../../lib/members/use-members';

export type InviteInput = components['schemas']['CreateUserRequest'];
export type MemberChange = { role?: Role; active?: boolean };

/** Adds a member with a first password the admin hands over; owner pickers see them at once. */
export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: InviteInput) => unwrap(await api.POST('/api/v1/users', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}

/** Changes a member's role, or deactivates (`active: false`) or reactivates them. */
export function useChangeMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ member, change }: { member: User; change: MemberChange }) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: member.id } }, body: change })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}
