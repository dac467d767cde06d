// Accessibility checks with axe-core, run inside the page: the WCAG 2 A and AA rules, failing on
// what axe rates serious or critical (missing names and labels, contrast, landmarks, lang…).
import axe from 'axe-core';

const failingImpacts = new Set(['serious', 'critical']);

/**
 * The serious and critical violations axe finds on the page as it is now, one readable line per
 * rule: `rule (impact): help — the first elements — what to fix`.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export async function accessibilityProblems(page) {
  // Through the DevTools protocol rather than a <script> tag, which the SPA's
  // Content-Security-Policy refuses (and the suite fails on a refused script).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the script just added to the page.
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '', impact: node.impact })),
    }));
  });
  const problems = [];
  for (const violation of violations) {
    const nodes = violation.nodes.filter((node) => failingImpacts.has(node.impact ?? violation.impact));
    if (nodes.length === 0) continue;
    const targets = nodes.slice(0, 4).map((node) => node.target);
    const more = nodes.length > targets.length ? ` and ${nodes.length - targets.length} more` : '';
    const fix = nodes[0].summary.replace(/\s+/g, ' ').trim();
    problems.push(`${violation.id} (${nodes[0].impact ?? violation.impact}): ${violation.help} — ${targets.join(' | ')}${more} — ${fix}`);
  }
  return problems;
}

/**
 * Throws, listing every serious or critical violation, when axe finds any on the page.
 * @param {import('playwright-core').Page} page
 * @param {string} [where] what the page shows, for the message
 */
export async function assertAccessible(page, where = page.url()) {
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) throw new Error(`${where}: ${problems.length} serious or critical accessibility violation(s):\n  ${problems.join('\n  ')}`);
}
