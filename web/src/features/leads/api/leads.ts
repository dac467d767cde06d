import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ifMatch } from '../../../lib/api/client';
import { isApiError, unwrap } from '../../../lib/api/api-error';
import type {
  DisqualifyLeadInput,
  DuplicateCheckInput,
  Lead,
  LeadInput,
  Opportunity,
  Qualification,
  QualifyLeadInput,
  UpdateLeadInput,
} from '../../../lib/api/types';
import { inboxLeads, type LeadFilters, leadListQuery } from '../utils/lead-inbox';
import { personalDataFileName } from '../utils/lead-privacy';
import { saveFile } from '../../../lib/save-file';

export const pageSize = 50;

export const leadsQueryKey = (filters: LeadFilters) => ['leads', filters] as const;
export const leadQueryKey = (id: string) => ['lead', id] as const;
export const leadScoreQueryKey = (id: string) => ['lead', id, 'score'] as const;
export const leadDuplicatesQueryKey = (id: string) => ['lead', id, 'duplicates'] as const;
export const opportunityQueryKey = (id: string) => ['opportunity', id] as const;

/** The inbox, best score first, a page at a time: "load more" follows the API's `next_cursor`. */
export function useLeads(filters: LeadFilters) {
  const query = useInfiniteQuery({
    queryKey: leadsQueryKey(filters),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await api.GET('/api/v1/leads', { params: { query: leadListQuery(filters, { cursor: pageParam, limit: pageSize }) }, signal })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Changing a filter keeps the previous list on screen until the new one arrives.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const inbox = useMemo(() => (query.data ? inboxLeads(query.data.pages) : []), [query.data]);
  return { ...query, inbox };
}

export function useLead(id: string) {
  return useQuery({
    queryKey: leadQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/leads/{id}', { params: { path: { id } }, signal })),
  });
}

/** Why the lead has its score: every scoring rule that fired, with its points. */
export function useLeadScore(lead: Lead) {
  return useQuery({
    // The lead's version is part of the key: an edit or a rescore shows a fresh explanation.
    queryKey: [...leadScoreQueryKey(lead.id), lead.version, lead.score],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/leads/{id}/score', { params: { path: { id: lead.id } }, signal })),
  });
}

/** Leads and contacts that look like the same person (same email or phone, or name at the same company). */
export function useLeadDuplicates(lead: Lead) {
  return useQuery({
    // Keyed by the version too: an edit of the email, phone, name or company can change them.
    queryKey: [...leadDuplicatesQueryKey(lead.id), lead.version],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/leads/{id}/duplicates', { params: { path: { id: lead.id } }, signal })),
  });
}

/**
 * The lead as merging `otherId` into it would leave it (`dry_run`: nothing changes), for the
 * user to check before merging; a newer version of the lead asks again.
 */
export function useMergePreview(lead: Lead, otherId: string) {
  return useQuery({
    queryKey: [...leadQueryKey(lead.id), 'merge', otherId, lead.version],
    queryFn: async ({ signal }) =>
      unwrap(await api.POST('/api/v1/leads/{id}/merge', { params: { path: { id: lead.id } }, body: { other_id: otherId, dry_run: true }, signal })).lead,
  });
}

/** The opportunity a qualified lead became, with its deals. */
export function useOpportunity(id: string) {
  return useQuery({
    queryKey: opportunityQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/opportunities/{id}', { params: { path: { id } }, signal })),
  });
}

/** After a refusal because the lead changed meanwhile (412), the drawer reads the newer version. */
function useReloadStaleLead() {
  const queryClient = useQueryClient();
  return (error: Error, { lead }: { lead: Lead }) => {
    if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: leadQueryKey(lead.id), exact: true });
  };
}

/** After any change to a lead: its cached copy is the server's, and every inbox list is refetched. */
function useSyncLead() {
  const queryClient = useQueryClient();
  return (lead: Lead) => {
    queryClient.setQueryData(leadQueryKey(lead.id), lead);
    return queryClient.invalidateQueries({ queryKey: ['leads'] });
  };
}

/**
 * Leads and contacts that look like the person about to be added (nothing is saved): the new-lead
 * dialog asks before it creates.
 */
export function useCheckDuplicates() {
  return useMutation({
    mutationFn: async (input: DuplicateCheckInput) => unwrap(await api.POST('/api/v1/leads/duplicate-check', { body: input })),
  });
}

export function useCreateLead() {
  const sync = useSyncLead();
  return useMutation({
    mutationFn: async (input: LeadInput) => unwrap(await api.POST('/api/v1/leads', { body: input })),
    onSuccess: sync,
  });
}

/**
 * Qualifies a lead (sending the version the drawer read): its opportunity, and usually a deal,
 * appear; the deal's board is refetched so the card is there when the user follows the link.
 */
export function useQualifyLead() {
  const queryClient = useQueryClient();
  const sync = useSyncLead();
  const onError = useReloadStaleLead();
  return useMutation({
    mutationFn: async ({ lead, input }: { lead: Lead; input: QualifyLeadInput }) =>
      unwrap(await api.POST('/api/v1/leads/{id}/qualify', { params: { path: { id: lead.id }, header: ifMatch(lead.version) }, body: input })),
    onSuccess: (result: Qualification) => {
      const opportunity: Opportunity = { ...result.opportunity, deals: result.opportunity.deals ?? (result.deal ? [result.deal] : []) };
      queryClient.setQueryData(opportunityQueryKey(opportunity.id), opportunity);
      // The board feature's key is ['board', pipelineId, filters]; every board of the pipeline is out of date.
      if (result.deal) void queryClient.invalidateQueries({ queryKey: ['board', result.deal.pipeline_id] });
      return sync(result.lead);
    },
    onError,
  });
}

/** Saves the drawer's edits (only what changed), sending the version it read; the API rescores the lead. */
export function useUpdateLead() {
  const sync = useSyncLead();
  const onError = useReloadStaleLead();
  return useMutation({
    mutationFn: async ({ lead, changes }: { lead: Lead; changes: UpdateLeadInput }) =>
      unwrap(await api.PATCH('/api/v1/leads/{id}', { params: { path: { id: lead.id }, header: ifMatch(lead.version) }, body: changes })),
    onSuccess: sync,
    onError,
  });
}

/** Whether a merge was refused because the other lead is gone (merged or deleted meanwhile). */
export function isMergedAway(error: unknown): boolean {
  return isApiError(error) && error.fieldErrors.some((fieldError) => fieldError.field === 'other_id');
}

/**
 * Merges another lead into this one, sending the version the preview was made from; the other
 * lead is deleted, and this one's duplicates and every inbox list are refetched.
 */
export function useMergeLeads() {
  const queryClient = useQueryClient();
  const sync = useSyncLead();
  const reloadStale = useReloadStaleLead();
  return useMutation({
    mutationFn: async ({ lead, otherId }: { lead: Lead; otherId: string }) =>
      unwrap(await api.POST('/api/v1/leads/{id}/merge', { params: { path: { id: lead.id }, header: ifMatch(lead.version) }, body: { other_id: otherId } })),
    onSuccess: (result) => {
      queryClient.removeQueries({ queryKey: leadQueryKey(result.removed_id) });
      void queryClient.invalidateQueries({ queryKey: leadDuplicatesQueryKey(result.lead.id) });
      return sync(result.lead);
    },
    onError: (error, variables) => {
      reloadStale(error, variables);
      if (isMergedAway(error)) void queryClient.invalidateQueries({ queryKey: leadDuplicatesQueryKey(variables.lead.id) });
    },
  });
}

export type LeadStatusAction = { kind: 'disqualify'; input: DisqualifyLeadInput } | { kind: 'reopen' };

/** Disqualifies (with a reason) or reopens a lead, sending the version the caller read. */
export function useChangeLeadStatus() {
  const sync = useSyncLead();
  const onError = useReloadStaleLead();
  return useMutation({
    mutationFn: async ({ lead, action }: { lead: Lead; action: LeadStatusAction }) => {
      const params = { path: { id: lead.id }, header: ifMatch(lead.version) };
      return action.kind === 'disqualify'
        ? unwrap(await api.POST('/api/v1/leads/{id}/disqualify', { params, body: action.input }))
        : unwrap(await api.POST('/api/v1/leads/{id}/reopen', { params }));
    },
    onSuccess: sync,
    onError,
  });
}

/**
 * Downloads the leads the filters select as CSV. The export needs the access token, so it is
 * fetched like any API call and handed to the browser as a file; it is kept as bytes, so the
 * byte-order mark the API starts it with (for spreadsheet programs) stays in the file.
 */
export function useExportLeads() {
  return useMutation({
    mutationFn: async (filters: LeadFilters) => {
      const file = unwrap(await api.GET('/api/v1/leads/export', { params: { query: leadListQuery(filters) }, parseAs: 'blob' }));
      saveFile(file, 'leads.csv');
    },
  });
}

/** Downloads everything held about a lead as a JSON file (the export is recorded in the audit log). */
export function useExportLeadData() {
  return useMutation({
    mutationFn: async (lead: Lead) => {
      const file = unwrap(await api.GET('/api/v1/leads/{id}/export', { params: { path: { id: lead.id } }, parseAs: 'blob' }));
      saveFile(file, personalDataFileName(lead.id));
    },
  });
}

/**
 * Erases a lead's personal data everywhere (admins). Every inbox list is refetched; the lead's
 * own copy is only marked stale, not refetched, so that the drawer showing it can close itself
 * (a later visit asks again and is told it is gone).
 */
export function useEraseLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (lead: Lead) => {
      unwrap(await api.POST('/api/v1/leads/{id}/erase', { params: { path: { id: lead.id } } }));
    },
    onSuccess: (_, lead) => {
      void queryClient.invalidateQueries({ queryKey: leadQueryKey(lead.id), refetchType: 'none' });
      return queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });
}
