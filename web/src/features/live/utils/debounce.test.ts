import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debouncedTasks } from './debounce';

describe('debouncedTasks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a task once after a burst has paused, each name on its own', () => {
    const tasks = debouncedTasks(300);
    const leads = vi.fn();
    const agenda = vi.fn();
    for (let i = 0; i < 5; i++) {
      tasks.schedule('leads', leads);
      vi.advanceTimersByTime(100);
    }
    tasks.schedule('agenda', agenda);
    expect(leads).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(leads).toHaveBeenCalledTimes(1);
    expect(agenda).toHaveBeenCalledTimes(1);
  });

  it('drops waiting tasks when cancelled', () => {
    const tasks = debouncedTasks(300);
    const task = vi.fn();
    tasks.schedule('leads', task);
    tasks.cancel();
    vi.advanceTimersByTime(1_000);
    expect(task).not.toHaveBeenCalled();
  });
});
