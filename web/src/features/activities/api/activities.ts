import { type MutateOptions, type QueryClient, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ifMatch } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type {
  Activity,
  ActivityList,
  Agenda,
  CreateActivityInput,
  CreateTaskTemplateInput,
  Deal,
  Lead,
  TaskTemplate,
  UpdateActivityInput,
  UpdateTaskTemplateInput,
} from '../../../lib/api/types';
import { paths } from '../../../lib/paths';
import { replaceInAgenda, replaceInList, withDone } from '../utils/agenda';

/** The agenda covers today and this many days after it. */
export const agendaDays = 7;

export const agendaQueryKey = ['agenda'] as const;
export const activitiesQueryKey = (link: ActivityLink) => ['activities', link] as const;
export const taskTemplatesQueryKey = (stageId: string) => ['stage', stageId, 'task-templates'] as const;

/** What a list of activities (and a new one) is about: a deal, a lead, a contact or an organization. */
export type ActivityLink = { deal_id: string } | { lead_id: string } | { contact_id: string } | { organization_id: string };

/** The signed-in user's open activities with a due time: overdue, today and the coming days. */
export function useAgenda() {
  return useQuery({
    queryKey: agendaQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me/agenda', { params: { query: { days: agendaDays } }, signal })),
  });
}

/** A deal's, lead's, contact's or organization's activities (the first 200: a drawer lists them, it does not page). */
export function useActivities(link: ActivityLink) {
  return useQuery({
    queryKey: activitiesQueryKey(link),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/activities', { params: { query: { ...link, limit: 200 } }, signal })),
  });
}

/** What an agenda entry is about, named, with where it opens. */
export interface SubjectName {
  name: string;
  href: string;
}

/**
 * Deal titles and lead names for agenda entries, which carry only ids. They share the deals' and
 * leads' own cache keys, so a drawer opened from the agenda shows at once.
 */
export function useSubjects(subjects: { kind: 'deal' | 'lead'; id: string }[]): Map<string, SubjectName> {
  return useQueries({
    queries: subjects.map(({ kind, id }) => ({
      // The data under these keys is the whole deal or lead, as the deals and leads features keep it.
      queryKey: [kind, id],
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<Deal | Lead> =>
        kind === 'deal'
          ? unwrap(await api.GET('/api/v1/deals/{id}', { params: { path: { id } }, signal }))
          : unwrap(await api.GET('/api/v1/leads/{id}', { params: { path: { id } }, signal })),
      staleTime: 60_000,
    })),
    combine: (results) => {
      const names = new Map<string, SubjectName>();
      results.forEach((result, index) => {
        const subject = subjects[index]!;
        const data = result.data;
        if (!data) return;
        if (subject.kind === 'deal' && 'title' in data) names.set(subject.id, { name: data.title, href: paths.deal(data.pipeline_id, data.id) });
        if (subject.kind === 'lead' && 'name' in data) names.set(subject.id, { name: data.name, href: paths.lead(data.id) });
      });
      return names;
    },
  });
}

/** Writes an activity into every cached agenda and activity list that holds it. */
function putActivity(queryClient: QueryClient, activity: Activity) {
  queryClient.setQueryData<Agenda>(agendaQueryKey, (agenda) => (agenda ? replaceInAgenda(agenda, activity) : agenda));
  for (const [key, list] of queryClient.getQueriesData<ActivityList>({ queryKey: ['activities'] })) {
    if (list) queryClient.setQueryData(key, { ...list, data: replaceInList(list.data, activity) });
  }
}

export function useCreateActivity(link: ActivityLink) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateActivityInput) => unwrap(await api.POST('/api/v1/activities', { body: input })),
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: activitiesQueryKey(link) }), queryClient.invalidateQueries({ queryKey: agendaQueryKey })]),
  });
}

/** Every cached list and agenda is read again after an activity changed or went. */
function refreshActivities(queryClient: QueryClient) {
  return Promise.all([queryClient.invalidateQueries({ queryKey: ['activities'] }), queryClient.invalidateQueries({ queryKey: agendaQueryKey })]);
}

/** Changes an activity with the version it was read at (a stale one is refused, 412). */
export function useUpdateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ activity, input }: { activity: Activity; input: UpdateActivityInput }) =>
      unwrap(await api.PATCH('/api/v1/activities/{id}', { params: { path: { id: activity.id }, header: ifMatch(activity.version) }, body: input })),
    onSuccess: (saved) => {
      putActivity(queryClient, saved);
      return refreshActivities(queryClient);
    },
  });
}

export function useDeleteActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (activity: Activity) => {
      await unwrap(await api.DELETE('/api/v1/activities/{id}', { params: { path: { id: activity.id }, header: ifMatch(activity.version) } }));
      return activity;
    },
    onSettled: () => refreshActivities(queryClient),
  });
}

/**
 * Completes an activity or opens it again. The change shows at once (synchronously, so a checkbox
 * never flickers back) everywhere the activity is cached; the server's copy (with its new version)
 * replaces it, and a refusal puts back what was there. Toggles run one at a time, each sending the
 * version the one before it returned.
 */
export function useToggleDone() {
  const queryClient = useQueryClient();
  const { mutate } = useMutation({
    scope: { id: 'activity-done' },
    mutationFn: async ({ activity, done }: { activity: Activity; done: boolean; before: Activity }) => {
      const params = { path: { id: activity.id }, header: ifMatch(latestCopy(queryClient, activity).version) };
      return unwrap(done ? await api.POST('/api/v1/activities/{id}/complete', { params }) : await api.POST('/api/v1/activities/{id}/reopen', { params }));
    },
    onError: (_error, { before }) => {
      putActivity(queryClient, before);
      // A refusal (most often a newer version elsewhere) reads the lists again for the next try.
      void queryClient.invalidateQueries({ queryKey: agendaQueryKey });
      void queryClient.invalidateQueries({ queryKey: ['activities'] });
    },
    onSuccess: (saved) => putActivity(queryClient, saved),
  });
  return useCallback(
    (activity: Activity, done: boolean, options?: MutateOptions<Activity, Error, { activity: Activity; done: boolean; before: Activity }>) => {
      // A refetch in flight would overwrite the optimistic copy with the old one.
      void queryClient.cancelQueries({ queryKey: agendaQueryKey });
      void queryClient.cancelQueries({ queryKey: ['activities'] });
      const before = latestCopy(queryClient, activity);
      putActivity(queryClient, withDone(before, done ? new Date().toISOString() : null));
      mutate({ activity, done, before }, options);
    },
    [queryClient, mutate],
  );
}

/** The newest cached copy of an activity (an earlier toggle may have changed its version). */
function latestCopy(queryClient: QueryClient, activity: Activity): Activity {
  const agenda = queryClient.getQueryData<Agenda>(agendaQueryKey);
  const lists = queryClient.getQueriesData<ActivityList>({ queryKey: ['activities'] }).flatMap(([, list]) => list?.data ?? []);
  const copies = [...(agenda ? [...agenda.overdue, ...agenda.today, ...agenda.upcoming] : []), ...lists].filter((item) => item.id === activity.id);
  return copies.reduce((newest, copy) => (copy.version > newest.version ? copy : newest), activity);
}

export function useTaskTemplates(stageId: string) {
  return useQuery({
    queryKey: taskTemplatesQueryKey(stageId),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/stages/{id}/task-templates', { params: { path: { id: stageId } }, signal })).data,
  });
}

export function useCreateTaskTemplate(stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateTaskTemplateInput) =>
      unwrap(await api.POST('/api/v1/stages/{id}/task-templates', { params: { path: { id: stageId } }, body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskTemplatesQueryKey(stageId) }),
  });
}

/** Changes a follow-up's subject, kind, priority or delay (the API has no versions for templates). */
export function useUpdateTaskTemplate(stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...input }: UpdateTaskTemplateInput & { id: string }) =>
      unwrap(await api.PATCH('/api/v1/task-templates/{id}', { params: { path: { id } }, body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskTemplatesQueryKey(stageId) }),
  });
}

export function useDeleteTaskTemplate(stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (template: TaskTemplate) => {
      await unwrap(await api.DELETE('/api/v1/task-templates/{id}', { params: { path: { id: template.id } } }));
      return template;
    },
    onSuccess: (template) => {
      queryClient.setQueryData<TaskTemplate[]>(taskTemplatesQueryKey(stageId), (list) => list?.filter((item) => item.id !== template.id));
      return queryClient.invalidateQueries({ queryKey: taskTemplatesQueryKey(stageId) });
    },
  });
}
