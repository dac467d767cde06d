import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { column, eventually, openSignedIn } from '../support/board.mjs';
import { demoBoard, demoTitles } from '../support/demo-board.mjs';

/** The page's own scroll and the boxes of the header, the board and its columns. */
async function layout(page) {
  return page.evaluate(() => {
    const box = (element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    };
    const board = document.querySelector('[data-testid="board"]');
    const view = { left: board.getBoundingClientRect().left + board.clientLeft, right: 0 };
    view.right = view.left + board.clientWidth;
    const columns = [...document.querySelectorAll('[data-testid="board-column"]')].map(box);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      scrollX: window.scrollX,
      scrollY: window.scrollY,
      header: box(document.querySelector('.header')),
      board: box(board),
      boardScroll: { left: board.scrollLeft, top: board.scrollTop, width: board.scrollWidth, height: board.scrollHeight },
      fullyVisible: columns.filter((c) => c.left >= view.left - 1 && c.right <= view.right + 1).length,
      columns,
    };
  });
}

/** The header's height and how many of its links are scrolled out of its links' strip. */
async function headerLinks(page) {
  return page.evaluate(() => {
    const nav = document.querySelector('.header__nav').getBoundingClientRect();
    const links = [...document.querySelectorAll('.header__link')].map((link) => link.getBoundingClientRect());
    return {
      height: document.querySelector('.header').getBoundingClientRect().height,
      hidden: links.filter((link) => link.left < nav.left - 1 || link.right > nav.right + 1).length,
      links: links.length,
    };
  });
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  test(`board layout (${locale}): the board scrolls in its own area under a fixed header, eight compact columns fit at 1440 px, a hint names the stages off-screen`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, pipeline } = await demoBoard(baseUrl, locale);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
    const titles = demoTitles(locale);
    await page.getByText(titles[7][0]).waitFor();

    const wide = await layout(page);
    assert.equal(wide.scrollWidth, wide.clientWidth, 'the page itself never scrolls sideways');
    assert.equal(wide.columns.length, 8);
    assert.ok(wide.fullyVisible >= 7, `at least seven of the eight columns fit at 1440 px (${wide.fullyVisible} do)`);
    // Columns are in stage order along the reading direction.
    const order = wide.columns.map((box) => box.left);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => (locale === 'fa' ? b - a : a - b)),
    );
    assert.ok(wide.board.bottom <= 900 + 1, 'the board ends at the bottom of the window');
    // The header keeps its one line, with every link in sight.
    assert.deepEqual(await headerLinks(page), { height: 56, hidden: 0, links: 6 });
    assert.equal(await page.getByTestId('phone-menu-button').isVisible(), false, 'no menu button on a wide screen');
    // Persian text is set in the bundled Vazirmatn, which English never loads.
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return {
        loaded: [...document.fonts].filter((font) => font.status === 'loaded').map((font) => font.family.replaceAll('"', '')),
        family: getComputedStyle(document.querySelector('.card__title')).fontFamily,
      };
    });
    if (locale === 'fa') {
      assert.ok(fonts.loaded.includes('Vazirmatn Variable'), 'Vazirmatn is loaded');
      assert.match(fonts.family, /^"?Vazirmatn Variable/);
      // Its licence is served with it, as the SIL Open Font License asks.
      const licence = await fetch(`${baseUrl}/licenses/vazirmatn-OFL.txt`);
      assert.equal(licence.status, 200);
      assert.match(await licence.text(), /SIL Open Font License, Version 1\.1/);
    } else {
      assert.ok(!fonts.loaded.includes('Vazirmatn Variable'), 'English does not load Vazirmatn');
      assert.doesNotMatch(fonts.family, /Vazirmatn/);
    }
    await captureScreenshot(page, `${artifactsDir}board-desktop-${locale}.png`);
    // The account menu opens under its button, inside the window.
    await page.getByRole('button', { name: locale === 'en' ? 'Account' : 'حساب کاربری' }).click();
    const menu = await page.getByRole('menu').boundingBox();
    assert.ok(menu && menu.x >= 0 && menu.x + menu.width <= 1440 && menu.y >= 0 && menu.y + menu.height <= 900, 'the account menu is inside the window');
    await captureScreenshot(page, `${artifactsDir}menu-desktop-${locale}.png`);
    await page.keyboard.press('Escape');

    // A narrower window: the board scrolls in its area, and a hint at its end says how many
    // stages are beyond it; the header and the page stay where they are.
    await page.setViewportSize({ width: 1000, height: 800 });
    const after = page.getByTestId('board-more-after');
    await after.waitFor();
    const narrow = await layout(page);
    // The header keeps its links in sight; search, the switches and the account are in the menu.
    assert.deepEqual(await headerLinks(page), { height: 56, hidden: 0, links: 6 });
    await page.getByTestId('phone-menu-button').click();
    await page
      .getByTestId('phone-menu')
      .getByRole('button', { name: locale === 'en' ? 'Toman' : 'تومان', exact: true })
      .waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('phone-menu').waitFor({ state: 'detached' });
    assert.equal(narrow.scrollWidth, narrow.clientWidth);
    const hidden = 8 - narrow.fullyVisible;
    assert.ok(hidden >= 2, `some columns are off-screen at 1000 px (${hidden})`);
    assert.equal(await after.textContent(), locale === 'en' ? `${hidden} more stages` : `${hidden.toLocaleString('fa-IR')} مرحلهٔ دیگر`);
    assert.equal(await page.getByTestId('board-more-before').count(), 0, 'nothing before the first stage');
    // The hint sits at the board's inline end: the right in English, the left in Persian.
    const hint = await after.boundingBox();
    assert.ok(hint);
    if (locale === 'en') assert.ok(hint.x + hint.width > narrow.board.right - 40);
    else assert.ok(hint.x < narrow.board.left + 40);
    await captureScreenshot(page, `${artifactsDir}board-hint-${locale}.png`);

    await after.click();
    // The next stage comes into view, and the stages now behind are counted at the start.
    await page.getByTestId('board-more-before').waitFor();
    assert.ok((await layout(page)).boardScroll.left !== 0);
    // Scrolled to the last stage, the board shows it whole; the header has not moved.
    await page.getByTestId('board').evaluate((board) => board.scrollBy({ left: getComputedStyle(board).direction === 'rtl' ? -5000 : 5000 }));
    await eventually(async () => assert.equal(await page.getByTestId('board-more-after').count(), 0));
    const scrolled = await layout(page);
    assert.deepEqual(scrolled.header, narrow.header, 'the header stays put');
    assert.equal(scrolled.scrollX, 0);
    assert.equal(scrolled.scrollWidth, scrolled.clientWidth);
    const last = scrolled.columns[7];
    assert.ok(last.left >= scrolled.board.left && last.right <= scrolled.board.right, 'the last column is in view');
    assert.equal(
      await page.getByTestId('board-more-before').textContent(),
      locale === 'en' ? `${8 - scrolled.fullyVisible} earlier stages` : `${(8 - scrolled.fullyVisible).toLocaleString('fa-IR')} مرحلهٔ پیشین`,
    );
    // A tall column scrolls the board down, under the header, with its column header in sight.
    await page.setViewportSize({ width: 1000, height: 420 });
    await page.getByTestId('board').evaluate((board) => board.scrollBy({ top: 400 }));
    await eventually(async () => assert.ok((await layout(page)).boardScroll.top > 0));
    const down = await layout(page);
    assert.equal(down.scrollY, 0, 'the window does not scroll; the board does');
    assert.deepEqual(down.header, narrow.header);
    const heading = await column(page, 7).locator('.column__header').boundingBox();
    assert.ok(heading && heading.y >= down.board.top - 1, 'the column header sticks to the top of the board');
  });
}
