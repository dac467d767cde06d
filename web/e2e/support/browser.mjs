// Debian's Chromium through playwright-core. The networking flags matter on this machine: without
// them Chromium's background services try the network and connections are refused.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** @returns {Promise<{ context: import('playwright-core').BrowserContext, close: () => Promise<void> }>} */
export async function launchBrowser({ locale = 'en-US', viewport = { width: 1440, height: 900 } } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'kariz-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    locale,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a screenshot taken through the DevTools protocol (`Page.captureScreenshot`). Playwright's
 * page.screenshot draws right-to-left pages shifted, so Persian screens are captured this way.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 * @param {{ fullPage?: boolean }} [options]
 */
export async function captureScreenshot(page, path, { fullPage = false } = {}) {
  const session = await page.context().newCDPSession(page);
  try {
    /** @type {Record<string, unknown>} */
    const params = { format: 'png' };
    if (fullPage) {
      const { cssContentSize } = await session.send('Page.getLayoutMetrics');
      params.captureBeyondViewport = true;
      params.clip = { x: 0, y: 0, width: Math.ceil(cssContentSize.width), height: Math.ceil(cssContentSize.height), scale: 1 };
    }
    const { data } = await session.send('Page.captureScreenshot', params);
    await writeFile(path, Buffer.from(data, 'base64'));
  } finally {
    await session.detach().catch(() => undefined);
  }
}
