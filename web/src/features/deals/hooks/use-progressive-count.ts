import { startTransition, useEffect, useState } from 'react';

/**
 * How many of a column's loaded cards to render. A board opens with the first screenful of each
 * column (so it is on screen and draggable as soon as possible), and the rest of the loaded cards
 * follow in small low-priority steps that leave the main thread free for the user's input.
 * Once a column has caught up it renders every card at once (pages loaded on scroll, moves).
 *
 * The rendered cards are always a prefix of the loaded ones, so a drop index still names the
 * right neighbours (see dropNeighbours).
 */
export function useProgressiveCount(total: number, first = 12, step = 12): number {
  const [count, setCount] = useState(first);
  const [caughtUp, setCaughtUp] = useState(total <= first);

  useEffect(() => {
    if (caughtUp) return;
    if (count >= total) {
      setCaughtUp(true);
      return;
    }
    const timer = setTimeout(() => startTransition(() => setCount((current) => current + step)), 0);
    return () => clearTimeout(timer);
  }, [caughtUp, count, total, step]);

  return caughtUp ? total : Math.min(count, total);
}
