// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useProgressiveCount } from './use-progressive-count';

describe('useProgressiveCount', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('renders the first screenful, then the rest in steps', async () => {
    const { result } = renderHook(({ total }) => useProgressiveCount(total, 12, 12), { initialProps: { total: 50 } });
    expect(result.current).toBe(12);
    const seen = [result.current];
    for (let step = 0; step < 10 && result.current < 50; step++) {
      await act(async () => {
        await vi.runOnlyPendingTimersAsync();
      });
      seen.push(result.current);
    }
    expect(seen).toEqual([12, 24, 36, 48, 50]);
  });

  it('renders small columns at once', () => {
    const { result } = renderHook(() => useProgressiveCount(5, 12, 12));
    expect(result.current).toBe(5);
  });

  it('once caught up, renders every new card at once', async () => {
    const { result, rerender } = renderHook(({ total }) => useProgressiveCount(total, 12, 12), { initialProps: { total: 20 } });
    await act(async () => {
      await vi.runAllTimersAsync();
    });
    expect(result.current).toBe(20);
    rerender({ total: 70 });
    expect(result.current).toBe(70);
  });
});
