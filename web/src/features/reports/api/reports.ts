import { type FetchStatus, keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { CalendarReportQuery, GroupedReportQuery, ReportQuery } from '../utils/report-filters';
import type { RfmSource } from '../utils/rfm-data';

/** `['reports', report, query]`: one cache entry per report and filters. */
export const reportQueryKey = (report: string, query: ReportQuery | CalendarReportQuery) => ['reports', report, query] as const;

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

/**
 * The win rate of several periods (the trend's months), one request each under the same keys as
 * `useWinRate`, combined into one query-like result: pending until every period has arrived,
 * failed when any failed (retrying refetches those).
 */
export function useWinRates(queries: ReportQuery[]) {
  return useQueries({
    queries: queries.map((query) => ({
      ...freshness,
      queryKey: reportQueryKey('win-rate', query),
      queryFn: async ({ signal }: { signal: AbortSignal }) => unwrap(await api.GET('/api/v1/reports/win-rate', { params: { query }, signal })),
    })),
    combine: (results) => {
      const failed = results.find((result) => result.isError);
      const complete = results.every((result) => result.data !== undefined);
      return {
        data: complete ? results.map((result) => result.data!) : undefined,
        isPending: !complete,
        isError: failed !== undefined,
        error: failed?.error ?? null,
        isFetching: results.some((result) => result.isFetching),
        fetchStatus: (['fetching', 'paused'] as const).find((status) => results.some((result) => result.fetchStatus === status)) ?? ('idle' as FetchStatus),
        refetch: () => Promise.all(results.filter((result) => result.isError).map((result) => result.refetch())),
      };
    },
  });
}

export function useFunnel(query: ReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('funnel', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/funnel', { params: { query }, signal })),
  });
}

/** By expected close month, quarter or year, on the workspace's calendar. */
export function useForecast(query: GroupedReportQuery) {
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

/** Leads by the month they came in, on the workspace's calendar, and when they were won. */
export function useCohorts(query: CalendarReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('cohorts', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/cohorts', { params: { query }, signal })),
  });
}

/** How many rotting deals the card lists; the count and value cover all of them. */
export const rottingPageSize = 10;

/** Open deals idle in their stage past its limit, longest idle first (the first page). */
export function useRotting(query: ReportQuery) {
  const withLimit = { ...query, limit: rottingPageSize };
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('rotting', withLimit),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/rotting', { params: { query: withLimit }, signal })),
  });
}

/** Invoiced and paid by month, quarter or year, on the workspace's calendar. */
export function useRevenue(query: GroupedReportQuery) {
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('revenue', query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/revenue', { params: { query }, signal })),
  });
}

/** How many customers the RFM card lists; the segments count all of them. */
export const rfmPageSize = 10;

/** Customers scored by recency, frequency and money, a purchase being a paid invoice or a won deal. */
export function useRfm(query: ReportQuery, source: RfmSource) {
  const withSource = { ...query, source, limit: rfmPageSize };
  return useQuery({
    ...freshness,
    queryKey: reportQueryKey('rfm', withSource),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/reports/rfm', { params: { query: withSource }, signal })),
  });
}
