import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError, unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import type { CreateViewInput, SavedView, UpdateViewInput, ViewEntity } from '../../../lib/api/types';
import { saveFile } from '../../../lib/save-file';
import { segmentFileName } from '../utils/view-list';

type Schemas = components['schemas'];

export const viewsQueryKey = (entity: ViewEntity) => ['views', entity] as const;

/** The views of one list the user sees: their personal ones and every shared one, by name. */
export function useViews(entity: ViewEntity) {
  return useQuery({
    queryKey: viewsQueryKey(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/views', { params: { query: { entity } }, signal })).data as SavedView[],
    staleTime: 60_000,
  });
}

/** After a refusal because the view changed (or went) meanwhile, the list is read again so the next try sends the new version. */
function useRefreshOnConflict(entity: ViewEntity) {
  const queryClient = useQueryClient();
  return (error: Error) => {
    if (isApiError(error) && (error.isStale || error.code === 'not_found')) void queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) });
  };
}

/** Saves a list's filters (and sort) under a name, personal or shared. */
export function useCreateView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: Omit<CreateViewInput, 'entity'>) =>
      unwrap(await api.POST('/api/v1/views', { body: { ...input, entity } as Schemas['CreateViewRequest'] })) as SavedView,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
  });
}

/** Renames or (un)shares a view, sending the version the list read; a stale one is refused (409). */
export function useUpdateView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  const onError = useRefreshOnConflict(entity);
  return useMutation({
    mutationFn: async ({ view, changes }: { view: SavedView; changes: UpdateViewInput }) =>
      unwrap(
        await api.PATCH('/api/v1/views/{id}', {
          params: { path: { id: view.id }, header: ifMatch(view.version) },
          body: changes as Schemas['UpdateViewRequest'],
        }),
      ) as SavedView,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
    onError,
  });
}

/** Deletes a view, sending the version the list read. */
export function useDeleteView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  const onError = useRefreshOnConflict(entity);
  return useMutation({
    mutationFn: async (view: SavedView) => {
      unwrap(await api.DELETE('/api/v1/views/{id}', { params: { path: { id: view.id }, header: ifMatch(view.version) } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
    onError,
  });
}

/**
 * Downloads a contacts view's segment as CSV: the contacts its saved filters select now, in its
 * sort (the server reads the view, so the file is the segment even if the screen shows more).
 */
export function useExportSegment() {
  return useMutation({
    mutationFn: async (view: SavedView) => {
      const file = unwrap(await api.GET('/api/v1/views/{id}/contacts/export', { params: { path: { id: view.id } }, parseAs: 'blob' }));
      saveFile(file, segmentFileName(view.name));
    },
  });
}
