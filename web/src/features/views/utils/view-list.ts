import { sameFilters, type ViewFilters } from './view-filters';

/** What these helpers need of a saved view. */
export interface ViewLike {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  sort?: string | null;
  shared: boolean;
  owner_id: string;
}

/** The views a user sees, in two groups: their own personal views, and the shared ones. */
export function groupViews<V extends ViewLike>(views: readonly V[], locale: string): { personal: V[]; shared: V[] } {
  const byName = (a: V, b: V) => a.name.localeCompare(b.name, locale);
  return {
    personal: views.filter((view) => !view.shared).sort(byName),
    shared: views.filter((view) => view.shared).sort(byName),
  };
}

/** The view whose filters and sort the screen is showing, if any (a personal one first). */
export function matchingView<V extends ViewLike>(views: readonly V[], current: { filters: ViewFilters; sort?: string | null }): V | undefined {
  const matches = views.filter((view) => sameFilters(view.filters, current.filters) && (view.sort ?? null) === (current.sort ?? null));
  return matches.find((view) => !view.shared) ?? matches[0];
}

/** Whether a user may rename, share or delete a view: its creator, or an admin for a shared one. */
export function canChangeView(view: ViewLike, user: { id: string; role: string } | undefined): boolean {
  if (!user) return false;
  return view.owner_id === user.id || (view.shared && user.role === 'admin');
}

/**
 * The file a segment downloads to: the view's name (in any script) made safe for a file name,
 * after the kind of records it holds: "contacts - VIP Tehran.csv".
 */
export function segmentFileName(name: string): string {
  const safe = name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 80)
    .trim();
  return safe ? `contacts - ${safe}.csv` : 'contacts.csv';
}
