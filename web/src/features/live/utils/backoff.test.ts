import { describe, expect, it } from 'vitest';
import { backoffSteps, reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('grows with each attempt and stays at the last step', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 50].map((attempt) => reconnectDelay(attempt, middle))).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000]);
  });

  it('spreads each delay by at most a fifth either way', () => {
    expect(reconnectDelay(0, () => 0)).toBe(800);
    expect(reconnectDelay(0, () => 0.999_999)).toBe(1_200);
    expect(reconnectDelay(4, () => 0)).toBe(24_000);
  });

  it('treats a negative attempt as the first', () => {
    expect(reconnectDelay(-3, () => 0.5)).toBe(backoffSteps[0]);
  });
});
