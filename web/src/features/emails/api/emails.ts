import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { CreateEmailTemplateInput, EmailTemplate, UpdateEmailTemplateInput } from '../../../lib/api/types';
import { isEmailStatus } from '../utils/email-status';

export const emailsQueryKey = (status: string) => ['emails', status] as const;
export const emailTemplatesQueryKey = ['email-templates'] as const;

/**
 * The email log, newest first, a page at a time. While an email on screen is still queued or
 * being sent it refreshes every few seconds, so retries and their outcomes show up on their own.
 */
export function useEmails(status: string) {
  return useInfiniteQuery({
    queryKey: emailsQueryKey(status),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/emails', {
          params: { query: { limit: 25, ...(isEmailStatus(status) ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.data.some((email) => email.status === 'queued' || email.status === 'sending')) ? 5_000 : false,
  });
}

export function useEmailTemplates() {
  return useQuery({
    queryKey: emailTemplatesQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/email-templates', { signal })).data,
  });
}

export function useCreateEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateEmailTemplateInput) => unwrap(await api.POST('/api/v1/email-templates', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: emailTemplatesQueryKey }),
  });
}

export function useUpdateEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ template, changes }: { template: EmailTemplate; changes: UpdateEmailTemplateInput }) =>
      unwrap(
        await api.PATCH('/api/v1/email-templates/{id}', {
          params: { path: { id: template.id } },
          body: { ...changes, version: template.version },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: emailTemplatesQueryKey }),
  });
}

export function useDeleteEmailTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (template: EmailTemplate) =>
      unwrap(
        await api.DELETE('/api/v1/email-templates/{id}', {
          params: { path: { id: template.id }, header: ifMatch(template.version) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: emailTemplatesQueryKey }),
  });
}

/** Renders a saved template with sample values: what an email from it would look like. */
export function usePreviewEmailTemplate() {
  return useMutation({
    mutationFn: async (template: EmailTemplate) =>
      unwrap(await api.POST('/api/v1/email-templates/{id}/preview', { params: { path: { id: template.id } }, body: {} })),
  });
}
