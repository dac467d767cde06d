// Layout checks measured in the page: what a reader would see as broken (text over text, a bar
// with no length, something sticking out of its box, a screen wider than a phone).
import assert from 'node:assert/strict';

/**
 * Boxes that stick out of their container: for every element matching `containerSelector`, its
 * content must not be wider than it (`scrollWidth <= clientWidth`, which also catches a table
 * scrolled inside it) and no visible descendant may reach past its edges.
 * @param {import('playwright-core').Page} page
 * @param {string} containerSelector
 * @returns {Promise<string[]>}
 */
export function overflowProblems(page, containerSelector) {
  return page.evaluate((selector) => {
    const problems = [];
    const name = (element) => element.getAttribute('data-testid') ?? element.className?.baseVal ?? element.className ?? element.tagName;
    // Text kept for screen readers only (clipped to nothing) is not seen, so it cannot stick out.
    const unseen = (element) => {
      for (let at = element; at; at = at.parentElement) {
        if (at.matches('.visually-hidden, title') || getComputedStyle(at).clipPath !== 'none') return true;
      }
      return false;
    };
    for (const container of document.querySelectorAll(selector)) {
      const box = container.getBoundingClientRect();
      const label = name(container);
      if (container.scrollWidth > container.clientWidth + 1) problems.push(`${label}: content ${container.scrollWidth}px wide in ${container.clientWidth}px`);
      for (const scroller of container.querySelectorAll('*')) {
        // Content clipped or scrolled inside a box, unless the box ends it with an ellipsis on purpose.
        const style = getComputedStyle(scroller);
        if (
          scroller instanceof HTMLElement &&
          scroller.scrollWidth > scroller.clientWidth + 1 &&
          style.overflowX !== 'visible' &&
          style.textOverflow !== 'ellipsis' &&
          !unseen(scroller)
        ) {
          problems.push(`${label}: ${name(scroller)} scrolls sideways (${scroller.scrollWidth}px in ${scroller.clientWidth}px)`);
        }
      }
      for (const element of container.querySelectorAll('*')) {
        const rect = element.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0 || unseen(element)) continue;
        if (rect.left < box.left - 1 || rect.right > box.right + 1) {
          problems.push(
            `${label}: ${name(element)} "${(element.textContent ?? '').trim().slice(0, 30)}" spans ${Math.round(rect.left)}–${Math.round(rect.right)}, outside ${Math.round(box.left)}–${Math.round(box.right)}`,
          );
        }
      }
    }
    return problems;
  }, containerSelector);
}

/**
 * Parts of a row that overlap: within every element matching `rowSelector`, the boxes of the
 * elements matching each of `partSelectors` (label, bar, figure…) must not intersect one another.
 * @param {import('playwright-core').Page} page
 * @param {string} rowSelector
 * @param {string[]} partSelectors
 * @returns {Promise<string[]>}
 */
export function overlapProblems(page, rowSelector, partSelectors) {
  return page.evaluate(
    ({ rows, parts }) => {
      const problems = [];
      for (const [index, row] of [...document.querySelectorAll(rows)].entries()) {
        const boxes = parts.map((part) => ({ part, element: row.querySelector(part) })).filter(({ element }) => element);
        if (boxes.length < parts.length) problems.push(`${rows} #${index}: missing ${parts.filter((part) => !row.querySelector(part)).join(', ')}`);
        for (let a = 0; a < boxes.length; a++) {
          for (let b = a + 1; b < boxes.length; b++) {
            const first = boxes[a].element.getBoundingClientRect();
            const second = boxes[b].element.getBoundingClientRect();
            const width = Math.min(first.right, second.right) - Math.max(first.left, second.left);
            const height = Math.min(first.bottom, second.bottom) - Math.max(first.top, second.top);
            if (width > 0.5 && height > 0.5)
              problems.push(`${rows} #${index}: ${boxes[a].part} overlaps ${boxes[b].part} by ${Math.round(width)}×${Math.round(height)}px`);
          }
        }
      }
      return problems;
    },
    { rows: rowSelector, parts: partSelectors },
  );
}

/**
 * Text in a chart that overlaps other text: every pair of `text` elements inside each SVG
 * matching `svgSelector`, and any text reaching outside the SVG.
 * @param {import('playwright-core').Page} page
 * @param {string} svgSelector
 * @returns {Promise<string[]>}
 */
export function chartTextProblems(page, svgSelector) {
  return page.evaluate((selector) => {
    const problems = [];
    for (const svg of document.querySelectorAll(selector)) {
      const frame = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].map((element) => ({ text: element.textContent ?? '', box: element.getBoundingClientRect() }));
      for (const { text, box } of texts) {
        if (box.left < frame.left - 1 || box.right > frame.right + 1) problems.push(`${selector}: "${text}" reaches outside the chart`);
      }
      for (let a = 0; a < texts.length; a++) {
        for (let b = a + 1; b < texts.length; b++) {
          const first = texts[a].box;
          const second = texts[b].box;
          const width = Math.min(first.right, second.right) - Math.max(first.left, second.left);
          const height = Math.min(first.bottom, second.bottom) - Math.max(first.top, second.top);
          if (width > 0.5 && height > 0.5) problems.push(`${selector}: "${texts[a].text}" overlaps "${texts[b].text}"`);
        }
      }
    }
    return problems;
  }, svgSelector);
}

/**
 * Bars whose length does not follow their value: among the `rect[data-value]` inside each
 * element matching `groupSelector`, a bar for a positive value must have a length (width, or
 * height for `axis: 'height'`), and lengths must be proportional to values (within 2% of the
 * longest, or the minimum length a tiny value is drawn with). Returns the problems and how many
 * bars were measured.
 * @param {import('playwright-core').Page} page
 * @param {string} groupSelector
 * @param {{ axis?: 'width' | 'height' }} [options]
 * @returns {Promise<{ problems: string[], measured: number }>}
 */
export function barProblems(page, groupSelector, { axis = 'width' } = {}) {
  return page.evaluate(
    ({ selector, dimension }) => {
      const problems = [];
      let measured = 0;
      for (const group of document.querySelectorAll(selector)) {
        const rects = [...group.querySelectorAll('rect')].filter((rect) => rect.hasAttribute('data-value'));
        const bars = rects.map((rect) => ({
          value: Number(rect.getAttribute('data-value')),
          length: rect.getBoundingClientRect()[dimension],
          full: (rect.ownerSVGElement ?? rect).getBoundingClientRect()[dimension],
        }));
        const longest = bars.reduce((best, bar) => (bar.value > best.value ? bar : best), { value: 0, length: 0, full: 0 });
        for (const bar of bars) {
          measured += 1;
          if (bar.value > 0 && bar.length < 1) problems.push(`${selector}: the bar of ${bar.value} has no ${dimension}`);
          if (bar.value === 0 && bar.length > 0.5) problems.push(`${selector}: the bar of 0 has a ${dimension} of ${bar.length}px`);
          if (bar.value <= 0 || longest.value <= 0) continue;
          const expected = (bar.value / longest.value) * longest.length;
          const tolerance = Math.max(0.02 * longest.length, 0.03 * bar.full, 1);
          if (Math.abs(bar.length - expected) > tolerance) {
            problems.push(
              `${selector}: the bar of ${bar.value} is ${bar.length.toFixed(1)}px, expected ${expected.toFixed(1)}px (${longest.value} is ${longest.length.toFixed(1)}px)`,
            );
          }
        }
      }
      return { problems, measured };
    },
    { selector: groupSelector, dimension: axis },
  );
}

/** A phone in portrait, as the issue measured. */
export const phone = { width: 390, height: 844 };

/**
 * The screen's content (`main`) does not scroll sideways, and every scrolling region (a wide
 * table), form and section of it stays within the viewport, a wide table scrolling inside itself
 * (and what is inside such a scrolling box, like a board's columns, is not measured).
 * (The shared header is the app shell's, and checked by its own tests.)
 * @param {import('playwright-core').Page} page
 */
export async function assertFitsWidth(page) {
  const layout = await page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      scroll: main?.scrollWidth ?? 0,
      width: main?.clientWidth ?? 0,
      viewport: window.innerWidth,
      // A region inside a box that scrolls sideways (a board's columns) is scrolled into view, not cut off.
      regions: [...document.querySelectorAll('main [role="region"], main form, main section')]
        .filter((element) => {
          for (let at = element.parentElement; at && at !== main; at = at.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(at).overflowX)) return false;
          }
          return true;
        })
        .map((element) => {
          const box = element.getBoundingClientRect();
          return { name: element.getAttribute('aria-label') ?? element.getAttribute('data-testid') ?? element.tagName, left: box.left, right: box.right };
        }),
    };
  });
  assert.ok(layout.width > 0, 'the screen has its main content');
  assert.ok(layout.scroll <= layout.width, `the content scrolls sideways: ${layout.scroll} px in ${layout.width} px`);
  for (const region of layout.regions) {
    assert.ok(
      region.left >= -1 && region.right <= layout.viewport + 1,
      `${region.name} leaves the screen: ${region.left}…${region.right} of ${layout.viewport}`,
    );
  }
}

/**
 * Two elements do not overlap (a label and its value, two buttons of a row).
 * @param {import('playwright-core').Locator} first
 * @param {import('playwright-core').Locator} second
 */
export async function assertApart(first, second) {
  const a = await first.boundingBox();
  const b = await second.boundingBox();
  assert.ok(a && b, 'both are on screen');
  const apart = a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
  assert.ok(apart, `they overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}
