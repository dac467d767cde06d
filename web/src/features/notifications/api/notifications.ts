import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { Me, NotificationList, NotificationPreferences, UpdateMeInput } from '../../../lib/api/types';
import { meQueryKey } from '../../../lib/session/use-session';

/** Every query of the user's notifications: the stream's `notification.created` refreshes them all. */
export const notificationsQueryKey = ['notifications'] as const;
const listKey = [...notificationsQueryKey, 'list'] as const;
const preferencesKey = ['notification-preferences'] as const;
const calendarKey = ['calendar-feed'] as const;

/** How many notifications the bell's panel lists. */
export const panelSize = 30;

/** The signed-in user's newest notifications and unread count (the bell). */
export function useNotifications() {
  return useQuery({
    queryKey: listKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: panelSize } }, signal })),
    // The stream refreshes it when one arrives; this catches up after a long sleep.
    refetchInterval: 5 * 60_000,
  });
}

/** Marks one notification read, at once in the cached list. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onMutate: (id) => {
      queryClient.setQueryData<NotificationList>(listKey, (list) => {
        if (!list) return list;
        const target = list.data.find((n) => n.id === id);
        if (!target || target.read_at) return list;
        const now = new Date().toISOString();
        return {
          ...list,
          unread_count: Math.max(0, list.unread_count - 1),
          data: list.data.map((n) => (n.id === id ? { ...n, read_at: now } : n)),
        };
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
}

/** Marks every notification read. */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: preferencesKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me/notification-preferences', { signal })),
  });
}

export function useSaveNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (preferences: NotificationPreferences) => unwrap(await api.PUT('/api/v1/me/notification-preferences', { body: preferences })),
    onSuccess: (saved) => queryClient.setQueryData(preferencesKey, saved),
  });
}

/** Changes the user's own time zone or language; the signed-in user's copy follows. */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: UpdateMeInput) => unwrap(await api.PATCH('/api/v1/me', { body: input })),
    onSuccess: (me) => queryClient.setQueryData<Me>(meQueryKey, me),
  });
}

export function useCalendarFeed() {
  return useQuery({
    queryKey: calendarKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me/calendar', { signal })),
  });
}

export function useRotateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/calendar/rotate')),
    onSuccess: (feed) => queryClient.setQueryData(calendarKey, feed),
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { error, response } = await api.DELETE('/api/v1/me/calendar');
      if (error && response.status !== 404) unwrap({ error, response });
    },
    onSuccess: () => queryClient.setQueryData(calendarKey, { url: null, path: null, created_at: null }),
  });
}
