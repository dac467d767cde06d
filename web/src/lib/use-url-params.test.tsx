// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useUrlParams } from './use-url-params';

const at = (url: string) =>
  function Router({ children }: { children: ReactNode }) {
    return <MemoryRouter initialEntries={[url]}>{children}</MemoryRouter>;
  };

const withParam = (name: string, value: string | null) => (current: URLSearchParams) => {
  const next = new URLSearchParams(current);
  if (value === null) next.delete(name);
  else next.set(name, value);
  return next;
};

describe('useUrlParams', () => {
  it('builds two updates made before the next render on each other', () => {
    const { result } = renderHook(() => useUrlParams(), { wrapper: at('/contacts?q=ahmadi') });
    act(() => {
      const [, update] = result.current;
      update(withParam('q', null));
      update(withParam('sort', 'name'));
    });
    expect(result.current[0].toString()).toBe('sort=name');
  });

  it('builds on the router again once it has rendered a newer address', () => {
    const { result } = renderHook(() => useUrlParams(), { wrapper: at('/contacts?tag=vip') });
    act(() => result.current[1](withParam('q', 'sara')));
    expect(result.current[0].toString()).toBe('tag=vip&q=sara');
    act(() => result.current[1](withParam('tag', null)));
    expect(result.current[0].toString()).toBe('q=sara');
  });
});
