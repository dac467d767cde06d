// A minimal test runner for the end-to-end suite: tests run one after another, each in a fresh
// Chromium profile against the one server of the run; failures keep a screenshot and the page's
// console. The last line of output is `N passed, M failed`.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.mjs';

export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** @typedef {{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, baseUrl: string, consoleErrors: string[] }} TestContext */
/** @type {{ name: string, fn: (t: TestContext) => Promise<void>, timeoutMs: number }[]} */
const tests = [];

/**
 * @param {string} name
 * @param {(t: TestContext) => Promise<void>} fn
 * @param {{ timeoutMs?: number }} [options]
 */
export function test(name, fn, options = {}) {
  tests.push({ name, fn, timeoutMs: options.timeoutMs ?? 90_000 });
}

function slug(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** @param {{ baseUrl: string, filter?: string }} options */
export async function runTests({ baseUrl, filter }) {
  await mkdir(artifactsDir, { recursive: true });
  // Failure screenshots of an earlier run would only mislead.
  for (const name of await readdir(artifactsDir)) {
    if (name.startsWith('failure-')) await rm(`${artifactsDir}${name}`);
  }
  const selected = tests.filter((entry) => !filter || entry.name.toLowerCase().includes(filter.toLowerCase()));
  let passed = 0;
  let failed = 0;
  for (const entry of selected) {
    const started = Date.now();
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    /** @type {string[]} */
    const consoleErrors = [];
    /** @type {string[]} */
    const pageErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    let timer;
    try {
      await Promise.race([
        entry.fn({ page, context: browser.context, baseUrl, consoleErrors }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${entry.timeoutMs} ms`)), entry.timeoutMs);
        }),
      ]);
      if (pageErrors.length > 0) throw new Error(`uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
      // The SPA must work under its Content-Security-Policy: a refused script or style is a failure.
      const refused = consoleErrors.filter((message) => message.includes('Content Security Policy'));
      if (refused.length > 0) throw new Error(`the page broke its Content-Security-Policy:\n  ${refused.join('\n  ')}`);
      passed++;
      console.log(`ok    ${entry.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      const shot = `${artifactsDir}failure-${slug(entry.name)}.png`;
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      console.log(`FAIL  ${entry.name} (${Date.now() - started} ms)`);
      console.log(`      ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').join('\n      ')}`);
      if (consoleErrors.length > 0) console.log(`      console errors:\n        ${consoleErrors.join('\n        ')}`);
      console.log(`      screenshot: ${shot}`);
    } finally {
      clearTimeout(timer);
      await browser.close();
    }
  }
  return { passed, failed };
}
