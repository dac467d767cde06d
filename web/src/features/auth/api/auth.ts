import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { LoginInput, PasswordChangeInput, SignupInput, TokenPair } from '../../../lib/api/types';
import { tokenStore } from '../../../lib/session/token-store';
import { meQueryKey } from '../../../lib/session/use-session';

function startSession(queryClient: ReturnType<typeof useQueryClient>, pair: TokenPair) {
  // A different account may have used this tab before: forget everything cached for it.
  queryClient.clear();
  tokenStore.set(pair);
  queryClient.setQueryData(meQueryKey, { user: pair.user, workspace: pair.workspace });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: LoginInput) => unwrap(await api.POST('/api/v1/auth/login', { body: input })),
    onSuccess: (pair) => startSession(queryClient, pair),
  });
}

export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: SignupInput) => unwrap(await api.POST('/api/v1/auth/signup', { body: input })),
    onSuccess: (pair) => startSession(queryClient, pair),
  });
}

/** Revokes the refresh token (its cookie) on the server, best effort, and forgets the session here. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (tokenStore.get()) await api.POST('/api/v1/auth/logout', { body: {} }).catch(() => undefined);
    },
    onSettled: () => {
      tokenStore.clear();
      queryClient.clear();
    },
  });
}

/**
 * Changes the signed-in user's password. The server signs every other session out and answers a
 * new sign-in for this one: its access token is adopted, its refresh token set as the cookie.
 */
export function useChangePassword() {
  return useMutation({
    mutationFn: async (input: PasswordChangeInput) => unwrap(await api.POST('/api/v1/me/password', { body: input })),
    onSuccess: (pair) => tokenStore.set(pair),
  });
}
