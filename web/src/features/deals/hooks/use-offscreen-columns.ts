import { type RefObject, useCallback, useEffect, useState } from 'react';
import { type OffscreenColumns, offscreenColumns } from '../utils/offscreen-columns';

const columnSelector = '[data-testid="board-column"]';

function measure(scroller: HTMLElement): OffscreenColumns {
  const box = scroller.getBoundingClientRect();
  const left = box.left + scroller.clientLeft;
  const view = { left, right: left + scroller.clientWidth };
  const columns = [...scroller.querySelectorAll(columnSelector)].map((column) => column.getBoundingClientRect());
  return offscreenColumns(view, columns);
}

/**
 * How many columns the board's scroll area hides on each side, kept current as it scrolls or
 * resizes, and a way to bring the next hidden one on a side into view.
 */
export function useOffscreenColumns(scroller: RefObject<HTMLElement | null>, columnCount: number) {
  const [counts, setCounts] = useState<OffscreenColumns>({ before: 0, after: 0 });

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const next = measure(element);
        setCounts((current) => (current.before === next.before && current.after === next.after ? current : next));
      });
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, [scroller, columnCount]);

  const reveal = useCallback(
    (side: keyof OffscreenColumns) => {
      const element = scroller.current;
      if (!element) return;
      const columns = [...element.querySelectorAll<HTMLElement>(columnSelector)];
      const { before, after } = measure(element);
      const target = side === 'before' ? columns[before - 1] : columns[columns.length - after];
      if (!target) return;
      // Scrolled by hand rather than by scrollIntoView, which would also move the board down to
      // the column's top; the padding keeps the column off the area's edge.
      const box = element.getBoundingClientRect();
      const column = target.getBoundingClientRect();
      const padding = 12;
      const left = box.left + element.clientLeft;
      const right = left + element.clientWidth;
      const delta = column.right > right ? column.right - right + padding : column.left - left - padding;
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      element.scrollBy({ left: delta, behavior: smooth ? 'smooth' : 'auto' });
    },
    [scroller],
  );

  return { ...counts, reveal };
}
