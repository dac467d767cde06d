import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { CreateWebhookInput, Delivery, UpdateWebhookInput, Webhook } from '../../../lib/api/types';
import { isDeliveryStatus } from '../utils/event-types';

export const webhooksQueryKey = ['webhooks'] as const;
export const webhookQueryKey = (id: string) => ['webhook', id] as const;
export const deliveriesQueryKey = (id: string, status: string) => ['webhook', id, 'deliveries', status] as const;

export function useWebhooks() {
  return useQuery({
    queryKey: webhooksQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/webhooks', { signal })).data,
  });
}

export function useWebhook(id: string) {
  return useQuery({
    queryKey: webhookQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/webhooks/{id}', { params: { path: { id } }, signal })),
  });
}

/**
 * The delivery log, newest first, a page at a time. While any delivery on screen is still
 * pending it refreshes every few seconds, so retries and their outcomes show up on their own.
 */
export function useDeliveries(webhookId: string, status: string) {
  return useInfiniteQuery({
    queryKey: deliveriesQueryKey(webhookId, status),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhookId },
            query: { limit: 25, ...(isDeliveryStatus(status) ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.data.some((delivery) => delivery.status === 'pending')) ? 3_000 : false),
  });
}

function useRefreshWebhook() {
  const queryClient = useQueryClient();
  return (webhook: Webhook) => {
    queryClient.setQueryData(webhookQueryKey(webhook.id), webhook);
    return queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
  };
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateWebhookInput) => unwrap(await api.POST('/api/v1/webhooks', { body: input })),
    onSuccess: (created) => {
      queryClient.setQueryData(webhookQueryKey(created.webhook.id), created.webhook);
      return queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
    },
  });
}

export function useUpdateWebhook() {
  const refresh = useRefreshWebhook();
  return useMutation({
    mutationFn: async ({ webhook, changes }: { webhook: Webhook; changes: UpdateWebhookInput }) =>
      unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } }, body: { ...changes, version: webhook.version } })),
    onSuccess: refresh,
  });
}

export function useRotateSecret() {
  const refresh = useRefreshWebhook();
  return useMutation({
    mutationFn: async (webhook: Webhook) => unwrap(await api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id: webhook.id } }, body: {} })),
    onSuccess: (rotated) => refresh(rotated.webhook),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (webhook: Webhook) => {
      await unwrap(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }));
      return webhook;
    },
    onSuccess: (webhook) => {
      queryClient.removeQueries({ queryKey: webhookQueryKey(webhook.id) });
      return queryClient.invalidateQueries({ queryKey: webhooksQueryKey });
    },
  });
}

function useRefreshDeliveries() {
  const queryClient = useQueryClient();
  return (delivery: Delivery) => queryClient.invalidateQueries({ queryKey: ['webhook', delivery.webhook_id, 'deliveries'] });
}

/** Sends a `ping` event now; its delivery appears at the top of the log. */
export function useTestWebhook() {
  const refresh = useRefreshDeliveries();
  return useMutation({
    mutationFn: async (webhook: Webhook) => unwrap(await api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id: webhook.id } } })),
    onSuccess: refresh,
  });
}

/** Sends a delivery's event again (same `webhook-id`) as a new delivery. */
export function useRedeliver() {
  const refresh = useRefreshDeliveries();
  return useMutation({
    mutationFn: async (delivery: Delivery) => unwrap(await api.POST('/api/v1/webhooks/deliveries/{id}/redeliver', { params: { path: { id: delivery.id } } })),
    onSuccess: refresh,
  });
}
