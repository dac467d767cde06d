// Layout checks shared by the admin screens' tests: what must hold on a 390 px phone.
import assert from 'node:assert/strict';

/** A phone in portrait, as the issue measured. */
export const phone = { width: 390, height: 844 };

/**
 * The screen's content (`main`) does not scroll sideways, and every scrolling region (a wide
 * table), form and section of it stays within the viewport, a wide table scrolling inside itself.
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
      regions: [...document.querySelectorAll('main [role="region"], main form, main section')].map((element) => {
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
