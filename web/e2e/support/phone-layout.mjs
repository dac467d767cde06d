// What "fits a phone" means for a screen: the page does not scroll sideways, and nothing inside
// the given boxes sticks out of them (support/layout.mjs measures that).
import assert from 'node:assert/strict';
import { overflowProblems } from './layout.mjs';

export const phone = { width: 390, height: 844 };
export const desktop = { width: 1440, height: 900 };

/**
 * @param {import('playwright-core').Page} page
 * @param {string[]} containerSelectors
 * @param {string} label what is being checked, for the message
 */
export async function assertFits(page, containerSelectors, label) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${label}: the page scrolls sideways (${scrollWidth}px in ${clientWidth}px)`);
  const problems = [];
  for (const selector of containerSelectors) problems.push(...(await overflowProblems(page, selector)));
  assert.deepEqual(problems, [], `${label}: nothing sticks out`);
}
