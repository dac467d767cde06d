import { useCallback, useRef } from 'react';
import { type NavigateOptions, useSearchParams } from 'react-router';

/**
 * The URL's search parameters, with updates that build on each other. React Router hands a
 * functional update the parameters of the last render, so two changes made before the next render
 * (clear the filters, then pick a sort) would lose the first; here an update builds on the last
 * one written until the router has rendered any newer URL.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const seen = useRef(search);
  const written = useRef<string | null>(null);
  if (seen.current !== search) {
    // The router caught up (with this hook's update, or a navigation of its own).
    seen.current = search;
    written.current = null;
  }
  const update = useCallback(
    (next: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) =>
      setParams((current) => {
        const result = next(written.current === null ? current : new URLSearchParams(written.current));
        written.current = result.toString();
        return result;
      }, options),
    [setParams],
  );
  return [params, update] as const;
}
