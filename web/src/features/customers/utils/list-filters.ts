/**
 * The contact and organization lists' filters and sort, as they live in the URL. The URL's
 * parameter names are the API's own (`q`, `owner_id`, `organization_id`, `city`, `country`, `tag`,
 * `age_min`, `age_max`, `industry`, `sort`, `cf.<key>`), so that a saved view is a query string
 * the list and the API both read.
 */
import { toLatinDigits } from '../../../lib/format/digits';

export type CustomerEntity = 'contact' | 'organization';

/** The sorts the API documents; the first is its default, left out of the URL. */
export const customerSorts = ['-created_at', 'created_at', 'name'] as const;
export type CustomerSort = (typeof customerSorts)[number];

export interface CustomerFilters {
  q: string;
  owner_id: string;
  city: string;
  country: string;
  tag: string;
  /** Contacts only. */
  organization_id: string;
  /** Contacts only: whole years, as typed (Latin or Persian digits). */
  age_min: string;
  age_max: string;
  /** Organizations only. */
  industry: string;
  sort: CustomerSort;
  /** Custom-field filters by key (`cf.<key>=<value>`). */
  custom: Record<string, string>;
}

export const defaultCustomerFilters: CustomerFilters = {
  q: '',
  owner_id: '',
  city: '',
  country: '',
  tag: '',
  organization_id: '',
  age_min: '',
  age_max: '',
  industry: '',
  sort: '-created_at',
  custom: {},
};

type TextFilter = Exclude<keyof CustomerFilters, 'sort' | 'custom'>;

/** The text filters each list offers, in URL order. */
export const filterNames: Record<CustomerEntity, readonly TextFilter[]> = {
  contact: ['q', 'owner_id', 'organization_id', 'city', 'country', 'tag', 'age_min', 'age_max'],
  organization: ['q', 'owner_id', 'industry', 'city', 'country', 'tag'],
};

const customPrefix = 'cf.';

function isSort(value: string | null): value is CustomerSort {
  return (customerSorts as readonly (string | null)[]).includes(value);
}

/** Reads a list's filters from URL parameters; what the list does not offer is ignored. */
export function parseCustomerFilters(entity: CustomerEntity, params: URLSearchParams): CustomerFilters {
  const filters: CustomerFilters = { ...defaultCustomerFilters, custom: {} };
  for (const name of filterNames[entity]) filters[name] = params.get(name)?.trim() ?? '';
  const sort = params.get('sort');
  if (isSort(sort)) filters.sort = sort;
  for (const [name, value] of params) {
    if (name.startsWith(customPrefix) && name.length > customPrefix.length && value.trim()) filters.custom[name.slice(customPrefix.length)] = value.trim();
  }
  return filters;
}

/** Writes filters into URL parameters, keeping any other parameter; defaults are left out. */
export function writeCustomerFilters(entity: CustomerEntity, params: URLSearchParams, filters: CustomerFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of filterNames[entity]) {
    const value = filters[name].trim();
    if (value) next.set(name, value);
    else next.delete(name);
  }
  if (filters.sort === defaultCustomerFilters.sort) next.delete('sort');
  else next.set('sort', filters.sort);
  for (const name of [...next.keys()]) if (name.startsWith(customPrefix)) next.delete(name);
  for (const [key, value] of Object.entries(filters.custom)) if (value.trim()) next.set(`${customPrefix}${key}`, value.trim());
  return next;
}

/** Whether anything narrows the list (the sort does not). */
export function isFiltered(entity: CustomerEntity, filters: CustomerFilters): boolean {
  return filterNames[entity].some((name) => filters[name].trim() !== '') || Object.keys(filters.custom).length > 0;
}

/** An age as the API takes it: a whole number of years, or nothing when blank or not a number. */
function age(text: string): number | undefined {
  const latin = toLatinDigits(text.trim());
  return /^\d{1,3}$/.test(latin) ? Number(latin) : undefined;
}

/** The list's query for the API (without paging): blank filters left out, the country upper-case. */
export function customerListQuery(entity: CustomerEntity, filters: CustomerFilters): Record<string, string | number> {
  const query: Record<string, string | number> = {};
  for (const name of filterNames[entity]) {
    const value = filters[name].trim();
    if (!value) continue;
    if (name === 'age_min' || name === 'age_max') {
      const years = age(value);
      if (years !== undefined) query[name] = years;
    } else {
      query[name] = name === 'country' ? value.toUpperCase() : value;
    }
  }
  if (filters.sort !== defaultCustomerFilters.sort) query.sort = filters.sort;
  for (const [key, value] of Object.entries(filters.custom)) query[`${customPrefix}${key}`] = value;
  return query;
}

/** A list's filters as a saved view holds them: the API's query parameters as text, and the sort (null for the default). */
export interface CustomerViewState {
  filters: Record<string, string>;
  sort: CustomerSort | null;
}

/** What the list shows, as a view: its query without the sort, each value as text, and the sort apart. */
export function customerViewState(entity: CustomerEntity, filters: CustomerFilters): CustomerViewState {
  const { sort: _sort, ...query } = customerListQuery(entity, filters);
  return {
    filters: Object.fromEntries(Object.entries(query).map(([name, value]) => [name, String(value)])),
    sort: filters.sort === defaultCustomerFilters.sort ? null : filters.sort,
  };
}

/**
 * The list's filters from a saved view: every filter of the list is replaced by the view's (what
 * it leaves out is cleared), and so is the sort. A filter this list does not offer is ignored.
 */
export function customerFiltersFromView(entity: CustomerEntity, view: { filters: Record<string, unknown>; sort?: string | null }): CustomerFilters {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(view.filters)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(name, String(value));
  }
  if (view.sort) params.set('sort', view.sort);
  return parseCustomerFilters(entity, params);
}
