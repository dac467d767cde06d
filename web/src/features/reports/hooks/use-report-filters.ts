import { useCallback, useMemo } from 'react';
import { parseReportFilters, type ReportFilters, writeReportFilters } from '../utils/report-filters';
import { useUrlParams } from '../../../lib/use-url-params';

/** The dashboard's filters live in the URL (`?pipeline=…&period=…&owner=…`), so a view can be bookmarked. */
export function useReportFilters() {
  const [params, setParams] = useUrlParams();
  const search = params.toString();
  const filters = useMemo(() => parseReportFilters(new URLSearchParams(search)), [search]);
  const setFilters = useCallback(
    (patch: Partial<ReportFilters>) => setParams((current) => writeReportFilters(current, { ...parseReportFilters(current), ...patch })),
    [setParams],
  );
  return { filters, setFilters };
}
