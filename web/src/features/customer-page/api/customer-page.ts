import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, readProblem, unwrap } from '../../../lib/api/api-error';
import { api, authFetch } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import type { CreateActivityInput } from '../../../lib/api/types';
import { saveFile } from '../../../lib/save-file';

type Schemas = components['schemas'];
export type Contact = Schemas['ContactResponse'];
export type Organization = Schemas['OrganizationResponse'];
export type CustomerSummary = Schemas['CustomerSummaryResponse'];
export type TimelineEntry = Schemas['TimelineEntryResponse'];
export type TimelinePage = Schemas['TimelineResponse'];
export type Attachment = Schemas['AttachmentResponse'];
export type AttachmentList = Schemas['AttachmentList'];
export type ImportantDate = Schemas['ImportantDateResponse'];
export type UpcomingDate = Schemas['UpcomingDateResponse'];

/** A customer page shows a person (a contact) or a company (an organization). */
export type CustomerKind = 'contact' | 'organization';
export type Customer = { kind: 'contact'; record: Contact } | { kind: 'organization'; record: Organization };

/** What a file is kept with: exactly one of these. */
export type AttachmentLink = { deal_id: string } | { lead_id: string } | { contact_id: string } | { organization_id: string };

// The keys are shared with the customers feature's lists and forms, so that an edit there shows here.
export const contactQueryKey = (id: string) => ['contact', id] as const;
export const organizationQueryKey = (id: string) => ['organization', id] as const;
export const timelineQueryKey = (kind: CustomerKind, id: string) => ['timeline', kind, id] as const;
export const summaryQueryKey = (kind: CustomerKind, id: string) => ['summary', kind, id] as const;
export const attachmentsQueryKey = (link: AttachmentLink) => ['attachments', link] as const;
export const upcomingDatesQueryKey = (days: number, today: string) => ['upcoming-dates', days, today] as const;
export const customFieldsQueryKey = (entity: CustomerKind) => ['custom-fields', entity] as const;

/** The largest file the server takes by default (`KARIZ_MAX_ATTACHMENT_MB`). */
export const maxUploadBytes = 25 * 1024 * 1024;

/** Timeline entries per page. */
export const timelinePageSize = 25;

export function useContact(id: string, enabled = true) {
  return useQuery({
    queryKey: contactQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/contacts/{id}', { params: { path: { id } }, signal })),
    enabled,
  });
}

export function useOrganization(id: string, enabled = true) {
  return useQuery({
    queryKey: organizationQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/organizations/{id}', { params: { path: { id } }, signal })),
    enabled,
  });
}

/** The workspace's custom fields of contacts or organizations, to label a record's values. */
export function useCustomFieldLabels(entity: CustomerKind) {
  return useQuery({
    queryKey: customFieldsQueryKey(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity } }, signal })),
    select: (list) => new Map(list.data.map((field) => [field.key, field] as const)),
    staleTime: 5 * 60_000,
  });
}

/** The customer's key figures: open and won value per currency, last and next activity. */
export function useSummary(kind: CustomerKind, id: string) {
  return useQuery({
    queryKey: summaryQueryKey(kind, id),
    queryFn: async ({ signal }) =>
      kind === 'contact'
        ? unwrap(await api.GET('/api/v1/contacts/{id}/summary', { params: { path: { id } }, signal }))
        : unwrap(await api.GET('/api/v1/organizations/{id}/summary', { params: { path: { id } }, signal })),
  });
}

/** The customer's timeline, newest first, a page at a time (the next by the previous page's cursor). */
export function useTimeline(kind: CustomerKind, id: string) {
  return useInfiniteQuery({
    queryKey: timelineQueryKey(kind, id),
    initialPageParam: null as string | null,
    queryFn: async ({ signal, pageParam }): Promise<TimelinePage> => {
      const query = { limit: timelinePageSize, ...(pageParam ? { cursor: pageParam } : {}) };
      return kind === 'contact'
        ? unwrap(await api.GET('/api/v1/contacts/{id}/timeline', { params: { path: { id }, query }, signal }))
        : unwrap(await api.GET('/api/v1/organizations/{id}/timeline', { params: { path: { id }, query }, signal }));
    },
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export type TimelineData = InfiniteData<TimelinePage, string | null>;

/** What changed about a customer shows on its timeline and in its key figures: read them again. */
function useRefreshCustomers() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: ['timeline'] }), queryClient.invalidateQueries({ queryKey: ['summary'] })]);
}

/** A note about the customer (an activity of kind `note`). */
export function useAddNote() {
  const refresh = useRefreshCustomers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateActivityInput) => unwrap(await api.POST('/api/v1/activities', { body: input })),
    onSuccess: () =>
      Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: ['activities'] }), queryClient.invalidateQueries({ queryKey: ['agenda'] })]),
  });
}

/** The files kept with a deal, lead, contact or organization (the first 200). */
export function useAttachments(link: AttachmentLink) {
  return useQuery({
    queryKey: attachmentsQueryKey(link),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/attachments', { params: { query: { ...link, limit: 200 } }, signal })),
  });
}

/**
 * Uploads one file as multipart form data, the link first (the server reads it before the file).
 * openapi-fetch would serialize the body as JSON, so the request is built here and sent through
 * the same authenticated fetch.
 */
export async function uploadAttachment(link: AttachmentLink, file: File): Promise<Attachment> {
  const form = new FormData();
  for (const [name, value] of Object.entries(link)) form.append(name, value);
  form.append('file', file, file.name);
  const response = await authFetch(new Request(new URL('/api/v1/attachments', window.location.origin), { method: 'POST', body: form }));
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as Attachment;
}

export function useUploadAttachment(link: AttachmentLink) {
  const queryClient = useQueryClient();
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: (file: File) => uploadAttachment(link, file),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: attachmentsQueryKey(link) }), refresh()]),
  });
}

export function useDeleteAttachment(link: AttachmentLink) {
  const queryClient = useQueryClient();
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: async (attachment: Attachment) => {
      await unwrap(await api.DELETE('/api/v1/attachments/{id}', { params: { path: { id: attachment.id } } }));
      return attachment;
    },
    onSuccess: (attachment) => {
      queryClient.setQueryData<AttachmentList>(
        attachmentsQueryKey(link),
        (list) => list && { ...list, data: list.data.filter((item) => item.id !== attachment.id) },
      );
      return Promise.all([queryClient.invalidateQueries({ queryKey: attachmentsQueryKey(link) }), refresh()]);
    },
  });
}

/**
 * Downloads a file: its content is read with the access token (a plain link could not send it)
 * and handed to the browser as a download under the file's name.
 */
export async function downloadAttachment(attachment: Attachment): Promise<void> {
  const response = await authFetch(new Request(new URL(`/api/v1/attachments/${attachment.id}/content`, window.location.origin)));
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  saveFile(await response.blob(), attachment.file_name);
}

/**
 * Contacts' and organizations' important dates in the next `days` days, soonest first. The window
 * starts on the user's own today (YYYY-MM-DD, local), not the server's UTC one, so that the days
 * until each date are counted from the same day the page counts from.
 */
export function useUpcomingDates(days: number, today: string) {
  return useQuery({
    queryKey: upcomingDatesQueryKey(days, today),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/contacts/upcoming-dates', { params: { query: { days, today } }, signal })).data,
  });
}

/** A call logged as done now about a contact (from the upcoming dates); same refreshes as a note. */
export const useLogCall = useAddNote;
