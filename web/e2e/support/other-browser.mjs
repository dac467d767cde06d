// A second person at another computer: a browser of their own, so that their session does not
// race the first one's refresh cookie in a shared profile.
import { launchBrowser } from './browser.mjs';
import { openSignedIn } from './board.mjs';

/**
 * Opens `path` signed in with `pair` in a fresh browser, runs `check` on that page, and closes it.
 * @param {string} baseUrl
 * @param {{ refresh_token: string }} pair
 * @param {string} path
 * @param {(page: import('playwright-core').Page) => Promise<void>} check
 * @param {{ locale?: string }} [options]
 */
export async function inOtherBrowser(baseUrl, pair, path, check, options = {}) {
  const other = await launchBrowser();
  try {
    const page = await other.context.newPage();
    await openSignedIn(page, baseUrl, pair, path, options);
    await check(page);
  } finally {
    await other.close();
  }
}
