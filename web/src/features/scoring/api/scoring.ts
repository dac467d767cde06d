import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import type { ScoringRuleInput } from '../utils/draft';

export type ScoringRule = components['schemas']['ScoringRuleResponse'];
export type ScoringPreview = components['schemas']['ScoringPreviewResponse'];

const rulesKey = ['scoring-rules'] as const;

export function useScoringRules() {
  return useQuery({
    queryKey: rulesKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/scoring-rules', { signal })),
    select: (list) => list.data,
  });
}

/**
 * What the draft rules would do to the inbox, asked again as the draft changes (the last answer
 * stays on screen meanwhile). `rules` is null while the draft has a number that does not parse.
 */
export function useScoringPreview(rules: ScoringRuleInput[] | null) {
  return useQuery({
    queryKey: ['scoring-rules', 'preview', rules],
    queryFn: async ({ signal }) => unwrap(await api.POST('/api/v1/scoring-rules/preview', { body: { rules: rules ?? [] }, signal })),
    enabled: rules !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/**
 * Replaces the whole rule set (the API re-scores every lead in the same request). The route takes
 * no version: the set is replaced whole, so the last save wins.
 */
export function useSaveScoringRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rules: ScoringRuleInput[]) => unwrap(await api.PUT('/api/v1/scoring-rules', { body: { rules } })),
    onSuccess: async () => {
      // Every lead's score may have moved: the inbox and drawers read them again.
      await Promise.all([queryClient.invalidateQueries({ queryKey: rulesKey }), queryClient.invalidateQueries({ queryKey: ['leads'] })]);
    },
  });
}

/** The lead custom fields a rule can look at. */
export function useLeadFieldKeys() {
  return useQuery({
    queryKey: ['custom-fields', 'lead'],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity: 'lead' } }, signal })),
    select: (list) => list.data,
  });
}
