import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/api-error';
import type { User } from '../api/types';

export const membersQueryKey = ['users'] as const;

/** The workspace's members, for owner names, the owner filter and owner pickers. */
export function useMembers() {
  const query = useQuery({
    queryKey: membersQueryKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/users')).data,
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map<string, User>((query.data ?? []).map((user) => [user.id, user])), [query.data]);
  return { ...query, members: query.data ?? [], byId };
}

/** Up to two initials for an avatar: "Sara Ahmadi" → "SA", "سارا احمدی" → "سا". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return [...words[0]!].slice(0, 2).join('');
  return words
    .slice(0, 2)
    .map((word) => [...word][0])
    .join('');
}
