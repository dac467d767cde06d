import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { ReportQuery } from '../utils/report-filters';

/** `['reports', report, query]`: one cache entry per report and filters. */
export const reportQueryKey = (report: string, query: ReportQuery) => ['reports', report, query] as const;

// Reports change only as deals and leads do: a minute is fresh enough, and changing a filter keeps
// the previous figures on screen until the new ones arrive.
const freshness = { staleTime: 60_000, placeholderData: keepPreviousData } as const;

export function useWinRate(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('win-rate', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/win-rate', { params: { query }, signal })),
  });
}

export function useFunnel(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('funnel', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/funnel', { params: { query }, signal })),
  });
}

export function useForecast(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('forecast', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/forecast', { params: { query }, signal })),
  });
}

export function useLostReasons(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('lost-reasons', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/lost-reasons', { params: { query }, signal })),
  });
}

export function useLeaderboard(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('leaderboard', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/leaderboard', { params: { query }, signal })),
  });
}

/** Stage conversion is per pipeline: the one chosen, else the first (the dashboard decides). */
export function useStageConversion(query: ReportQuery, pipelineId: string | null) {
  const withPipeline = { ...query, pipeline_id: pipelineId ?? '' };
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('stage-conversion', withPipeline),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/stage-conversion', { params: { query: withPipeline }, signal })),
    enabled: pipelineId !== null,
  });
}
