/**
 * A saved view's filters are its list's own query parameters, by name, each a string. These
 * functions move them between a view and a URL (the list screens keep their filters in the URL)
 * and compare them, so a screen can tell which saved view it is showing.
 */
export type ViewFilters = Record<string, string>;

/** Query parameters that page a list rather than filter it: never part of a view. */
const pagingParams = new Set(['cursor', 'limit', 'sort']);

/** The filters as strings, without empty values (numbers and booleans become their text). */
export function normalizeFilters(filters: Record<string, unknown>): ViewFilters {
  const normalized: ViewFilters = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value === null || value === undefined) continue;
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    if (text !== '') normalized[name] = text;
  }
  return normalized;
}

/**
 * The filters a URL holds. With `names`, only those parameters count (a screen's own filters,
 * leaving out whatever else its URL carries); without, every parameter but paging and sorting.
 */
export function viewFiltersFromParams(params: URLSearchParams, names?: readonly string[]): ViewFilters {
  const filters: Record<string, string> = {};
  for (const [name, value] of params) {
    if (names ? !names.includes(name) : pagingParams.has(name)) continue;
    filters[name] = value;
  }
  return normalizeFilters(filters);
}

/**
 * A URL's parameters with a view's filters applied: the screen's filter parameters (`names`, or
 * every one but paging and sorting) are replaced by the view's, anything else is kept.
 */
export function viewFiltersToParams(
  filters: Record<string, unknown>,
  base: URLSearchParams = new URLSearchParams(),
  names?: readonly string[],
): URLSearchParams {
  const next = new URLSearchParams();
  for (const [name, value] of base) {
    const isFilter = names ? names.includes(name) : !pagingParams.has(name);
    if (!isFilter) next.append(name, value);
  }
  for (const [name, value] of Object.entries(normalizeFilters(filters))) {
    if (names && !names.includes(name)) continue;
    next.set(name, value);
  }
  return next;
}

/** Whether two sets of filters select the same records (order and empty values do not matter). */
export function sameFilters(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const left = normalizeFilters(a);
  const right = normalizeFilters(b);
  const names = Object.keys(left);
  return names.length === Object.keys(right).length && names.every((name) => left[name] === right[name]);
}
