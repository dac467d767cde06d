/**
 * Runs each named task once after a burst of requests for it has paused for `delayMs` (an import
 * of 200 leads refreshes the inbox once, not 200 times). `cancel` drops whatever is waiting.
 */
export function debouncedTasks(delayMs: number) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    schedule(name: string, task: () => void): void {
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => {
          timers.delete(name);
          task();
        }, delayMs),
      );
    },
    cancel(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
