import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, isApiError, readProblem } from '../../../lib/api/api-error';
import { authFetch, ifMatch } from '../../../lib/api/client';
import type { ViewFilters } from '../utils/view-filters';

export type ViewEntity = 'deals' | 'leads' | 'contacts' | 'organizations';

export interface SavedView {
  id: string;
  entity: ViewEntity;
  name: string;
  filters: ViewFilters;
  sort: string | null;
  shared: boolean;
  owner_id: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CreateViewInput {
  entity: ViewEntity;
  name: string;
  filters: ViewFilters;
  sort?: string | null;
  shared: boolean;
}

export interface UpdateViewInput {
  name?: string;
  shared?: boolean;
}

export const viewsQueryKey = (entity: ViewEntity) => ['views', entity] as const;

async function call<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const request = new Request(new URL(`/api/v1${path}`, window.location.origin), {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const response = await authFetch(request);
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The views of one list the user sees: their personal ones and every shared one. */
export function useViews(entity: ViewEntity) {
  return useQuery({
    queryKey: viewsQueryKey(entity),
    queryFn: async ({ signal }) => (await call<{ data: SavedView[] }>('GET', `/views?entity=${entity}`, { signal })).data,
    staleTime: 60_000,
  });
}

/** After a refusal because the view changed meanwhile, the list is read again so the next try sends the new version. */
function useRefreshOnConflict(entity: ViewEntity) {
  const queryClient = useQueryClient();
  return (error: Error) => {
    if (isApiError(error) && (error.isStale || error.code === 'not_found')) void queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) });
  };
}

export function useCreateView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: Omit<CreateViewInput, 'entity'>) => call<SavedView>('POST', '/views', { body: { ...input, entity } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
  });
}

/** Renames or (un)shares a view, sending the version the list read; a stale one is refused (409). */
export function useUpdateView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  const onError = useRefreshOnConflict(entity);
  return useMutation({
    mutationFn: async ({ view, changes }: { view: SavedView; changes: UpdateViewInput }) =>
      call<SavedView>('PATCH', `/views/${view.id}`, { body: changes, headers: ifMatch(view.version) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
    onError,
  });
}

export function useDeleteView(entity: ViewEntity) {
  const queryClient = useQueryClient();
  const onError = useRefreshOnConflict(entity);
  return useMutation({
    mutationFn: async (view: SavedView) => call<void>('DELETE', `/views/${view.id}`, { headers: ifMatch(view.version) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewsQueryKey(entity) }),
    onError,
  });
}
