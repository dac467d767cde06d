import { keepPreviousData, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { Deal, Lead } from '../../../lib/api/types';
import { paths } from '../../../lib/paths';
import type { Automation, AutomationRun, CreateAutomationInput } from '../utils/rule-form';

export const automationsQueryKey = ['automations'] as const;
export const automationQueryKey = (id: string) => ['automation', id] as const;
export const runsQueryKey = (id: string) => ['automation', id, 'runs'] as const;

export function useAutomations() {
  return useQuery({
    queryKey: automationsQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/automations', { signal })).data,
  });
}

export function useAutomation(id: string) {
  return useQuery({
    queryKey: automationQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/automations/{id}', { params: { path: { id } }, signal })),
  });
}

/**
 * A rule's run log, newest first, a page at a time. While a run on screen is still running it
 * refreshes every few seconds, so its outcomes show up on their own.
 */
export function useRuns(automationId: string) {
  return useInfiniteQuery({
    queryKey: runsQueryKey(automationId),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/automations/{id}/runs', {
          params: { path: { id: automationId }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.data.some((run) => run.status === 'running')) ? 3_000 : false),
  });
}

function useRefreshAutomation() {
  const queryClient = useQueryClient();
  return (automation: Automation) => {
    queryClient.setQueryData(automationQueryKey(automation.id), automation);
    return queryClient.invalidateQueries({ queryKey: automationsQueryKey });
  };
}

export function useCreateAutomation() {
  const refresh = useRefreshAutomation();
  return useMutation({
    mutationFn: async (input: CreateAutomationInput) => unwrap(await api.POST('/api/v1/automations', { body: input })),
    onSuccess: refresh,
  });
}

/** Saves a change with the version read; a stale version is a 412 and nothing is written. */
export function useUpdateAutomation() {
  const refresh = useRefreshAutomation();
  return useMutation({
    mutationFn: async ({ automation, changes }: { automation: Automation; changes: Partial<CreateAutomationInput> }) =>
      unwrap(
        await api.PATCH('/api/v1/automations/{id}', {
          params: { path: { id: automation.id }, header: { 'If-Match': `"${automation.version}"` } },
          body: changes,
        }),
      ),
    onSuccess: refresh,
  });
}

export function useDeleteAutomation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (automation: Automation) => {
      await unwrap(
        await api.DELETE('/api/v1/automations/{id}', { params: { path: { id: automation.id }, header: { 'If-Match': `"${automation.version}"` } } }),
      );
      return automation;
    },
    onSuccess: (automation) => {
      queryClient.removeQueries({ queryKey: automationQueryKey(automation.id) });
      return queryClient.invalidateQueries({ queryKey: automationsQueryKey });
    },
  });
}

/** A dry run of the rule against a deal or lead: nothing changes. */
export function useTestAutomation() {
  return useMutation({
    mutationFn: async ({ automation, recordId }: { automation: Automation; recordId: string }) =>
      unwrap(await api.POST('/api/v1/automations/{id}/test', { params: { path: { id: automation.id } }, body: { record_id: recordId } })),
  });
}

/** What a run was about, named, with where it opens. */
export interface RecordName {
  name: string;
  href: string;
}

/**
 * Deal titles and lead names for the run log, which carries only ids: a name once loaded, `null`
 * for a record that is gone (or out of sight), nothing while loading. They share the deals' and
 * leads' own cache keys, so the drawer a link opens shows at once.
 */
export function useRunRecords(runs: AutomationRun[]): Map<string, RecordName | null> {
  const subjects = [
    ...new Map(
      runs.filter((run) => run.subject_type === 'deal' || run.subject_type === 'lead').map((run) => [run.subject_id, run.subject_type as 'deal' | 'lead']),
    ),
  ];
  return useQueries({
    queries: subjects.map(([id, kind]) => ({
      queryKey: [kind, id],
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<Deal | Lead> =>
        kind === 'deal'
          ? unwrap(await api.GET('/api/v1/deals/{id}', { params: { path: { id } }, signal }))
          : unwrap(await api.GET('/api/v1/leads/{id}', { params: { path: { id } }, signal })),
      staleTime: 60_000,
      retry: false,
    })),
    combine: (results) => {
      const names = new Map<string, RecordName | null>();
      results.forEach((result, index) => {
        const [id, kind] = subjects[index]!;
        if (result.isError) names.set(id, null);
        const data = result.data;
        if (!data) return;
        if (kind === 'deal' && 'title' in data) names.set(id, { name: data.title, href: paths.deal(data.pipeline_id, data.id) });
        if (kind === 'lead' && 'name' in data) names.set(id, { name: data.name, href: paths.lead(data.id) });
      });
      return names;
    },
  });
}

/** Deals or leads whose name matches `query` (debounced and trimmed), for the dry run's picker. */
export function useRecordSearch(query: string | null, kind: 'deal' | 'lead') {
  return useQuery({
    // The search feature's key: the hits are the same, whoever asks.
    queryKey: ['search', query ?? ''],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/search', { params: { query: { q: query ?? '' } }, signal })),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    select: (result) => result.data.filter((hit) => hit.type === kind),
  });
}
