// Helpers for driving the board like a user: sessions, cards, columns and real mouse drags.
import assert from 'node:assert/strict';

let counter = 0;
/** A unique email per test, so every test has its own workspace. */
export function uniqueEmail(label = 'user') {
  counter += 1;
  return `${label}-${process.pid}-${counter}@example.com`;
}

/**
 * Puts a refresh token where the SPA's browser keeps it: the HttpOnly cookie the server sets for
 * its refresh and sign-out routes, with the page's marker that a session exists.
 * @param {import('playwright-core').Page} page
 */
export async function holdRefreshToken(page, baseUrl, refreshToken) {
  const { hostname } = new URL(baseUrl);
  await page
    .context()
    .addCookies([{ name: 'kariz_refresh', value: refreshToken, domain: hostname, path: '/api/v1/auth', httpOnly: true, sameSite: 'Strict', secure: false }]);
  await page.evaluate(() => localStorage.setItem('kariz.session', '1'));
}

/**
 * Opens `path` signed in with the given token pair, as a returning user would be (the browser
 * holds the refresh token in its cookie), in the given language.
 * @param {import('playwright-core').Page} page
 */
export async function openSignedIn(page, baseUrl, pair, path, { locale = 'en' } = {}) {
  await page.goto(`${baseUrl}/sign-in`);
  await holdRefreshToken(page, baseUrl, pair.refresh_token);
  await page.evaluate((language) => localStorage.setItem('kariz.locale', language), locale);
  await page.goto(`${baseUrl}${path}`);
}

/** @param {import('playwright-core').Page} page */
export function column(page, index) {
  return page.locator('[data-testid="board-column"]').nth(index);
}

/** @param {import('playwright-core').Page} page */
export function card(page, title) {
  return page.locator('[data-testid="deal-card"]', { has: page.locator('.card__title', { hasText: title }) });
}

/** The card titles of a column, top to bottom. */
export async function columnTitles(page, index) {
  return column(page, index).locator('.card__title').allTextContents();
}

/**
 * Drags a card with the real mouse: press on the card, move past the drag threshold, glide to
 * the target in small steps (as a hand would), and release.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} source
 * @param {import('playwright-core').Locator} target
 * @param {{ offsetY?: number, whileDragging?: () => Promise<unknown> }} [options]
 */
export async function dragWithMouse(page, source, target, { offsetY = 40, whileDragging = async () => undefined } = {}) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  assert.ok(from && to, 'both the card and the target must be on screen');
  offsetY = Math.min(offsetY, to.height - 12);
  await page.mouse.move(from.x + from.width / 2, from.y + 20);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 8, from.y + 28, { steps: 4 });
  // Something that happens while the card is in the hand (someone else's change, say).
  await whileDragging();
  await page.mouse.move(to.x + to.width / 2, to.y + offsetY, { steps: 24 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

/**
 * Moves a card with the keyboard: focus its handle, lift it with Space, press each key (with a
 * pause, as the drag library animates), and drop it with Space.
 * @param {import('playwright-core').Page} page
 * @param {string} title
 * @param {string[]} keys
 */
export async function moveWithKeyboard(page, title, keys) {
  await card(page, title).locator('.card__handle').focus();
  await page.keyboard.press('Space');
  for (const key of keys) {
    await page.waitForTimeout(150);
    await page.keyboard.press(key);
  }
  await page.waitForTimeout(150);
  await page.keyboard.press('Space');
}

/** Polls `check` until it passes (returns without throwing) or the time runs out. */
export async function eventually(check, { timeoutMs = 10_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
