import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';

/** The same key the pipeline settings write under when they define a deal field. */
export const dealFieldsQueryKey = ['custom-fields', 'deal'] as const;
export const lostReasonsQueryKey = ['lost-reasons'] as const;

/** The workspace's deal custom fields, for the drawer and the board's required-fields dialog. */
export function useDealFields() {
  const query = useQuery({
    queryKey: dealFieldsQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity: 'deal' } }, signal })),
    select: (list) => list.data,
    staleTime: 5 * 60_000,
  });
  return { ...query, definitions: query.data ?? [] };
}

/** The workspace's lost reasons in list order (inactive ones too: a lost deal may name one). */
export function useLostReasons() {
  const query = useQuery({
    queryKey: lostReasonsQueryKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/lost-reasons', { signal })),
    select: (list) => list.data,
    staleTime: 60_000,
  });
  return { ...query, reasons: query.data ?? [] };
}
