import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { CreatePipelineInput, CreateStageInput, Pipeline, UpdatePipelineInput, UpdateStageInput } from '../../../lib/api/types';

export const pipelinesQueryKey = ['pipelines'] as const;
export const pipelineQueryKey = (id: string) => ['pipeline', id] as const;

/** The workspace's active pipelines with their stages, in their order. */
export function usePipelines() {
  return useQuery({
    queryKey: pipelinesQueryKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/pipelines')).data,
    staleTime: 60_000,
  });
}

/**
 * The workspace's archived pipelines (`GET /pipelines?include_archived=true`, less the active
 * ones), for pipeline settings; under `['pipelines', …]`, so every pipeline change refreshes it.
 */
export function useArchivedPipelines() {
  return useQuery({
    queryKey: [...pipelinesQueryKey, 'archived'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/pipelines', { params: { query: { include_archived: true } } })).data.filter((pipeline) => pipeline.archived),
    staleTime: 60_000,
  });
}

/** One pipeline (archived ones too), for its settings screen. */
export function usePipeline(id: string) {
  return useQuery({
    queryKey: pipelineQueryKey(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/pipelines/{id}', { params: { path: { id } } })),
  });
}

/** After any pipeline or stage change: the lists, the pipeline and its boards are out of date. */
function useInvalidatePipeline() {
  const queryClient = useQueryClient();
  return (pipelineId: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: pipelinesQueryKey }),
      queryClient.invalidateQueries({ queryKey: pipelineQueryKey(pipelineId) }),
      queryClient.invalidateQueries({ queryKey: ['board', pipelineId] }),
    ]);
}

export function useCreatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreatePipelineInput) => unwrap(await api.POST('/api/v1/pipelines', { body: input })),
    onSuccess: (pipeline) => {
      queryClient.setQueryData<Pipeline[]>(pipelinesQueryKey, (list) => (list ? [...list, pipeline] : list));
      void queryClient.invalidateQueries({ queryKey: pipelinesQueryKey });
    },
  });
}

export function useUpdatePipeline(pipelineId: string) {
  const invalidate = useInvalidatePipeline();
  return useMutation({
    mutationFn: async (input: UpdatePipelineInput) => unwrap(await api.PATCH('/api/v1/pipelines/{id}', { params: { path: { id: pipelineId } }, body: input })),
    onSuccess: () => invalidate(pipelineId),
  });
}

export function useDeletePipeline(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/pipelines/{id}', { params: { path: { id: pipelineId } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: pipelineQueryKey(pipelineId) });
      queryClient.removeQueries({ queryKey: ['board', pipelineId] });
      return queryClient.invalidateQueries({ queryKey: pipelinesQueryKey });
    },
  });
}

export function useCreateStage(pipelineId: string) {
  const invalidate = useInvalidatePipeline();
  return useMutation({
    mutationFn: async (input: CreateStageInput) =>
      unwrap(await api.POST('/api/v1/pipelines/{id}/stages', { params: { path: { id: pipelineId } }, body: input })),
    onSuccess: () => invalidate(pipelineId),
  });
}

export function useUpdateStage(pipelineId: string) {
  const invalidate = useInvalidatePipeline();
  return useMutation({
    mutationFn: async ({ stageId, ...input }: UpdateStageInput & { stageId: string }) =>
      unwrap(await api.PATCH('/api/v1/stages/{id}', { params: { path: { id: stageId } }, body: input })),
    onSuccess: () => invalidate(pipelineId),
  });
}

export function useDeleteStage(pipelineId: string) {
  const invalidate = useInvalidatePipeline();
  return useMutation({
    mutationFn: async ({ stageId, moveDealsTo }: { stageId: string; moveDealsTo: string | null }) =>
      unwrap(
        await api.DELETE('/api/v1/stages/{id}', {
          params: { path: { id: stageId }, query: moveDealsTo ? { move_deals_to: moveDealsTo } : {} },
        }),
      ),
    onSuccess: () => invalidate(pipelineId),
  });
}
