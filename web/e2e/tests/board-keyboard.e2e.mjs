import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { demoBoard, demoTitles } from '../support/demo-board.mjs';

/** Where the focus is on the board: the column's index and the item's row (0 = the add button), or null outside it. */
async function focusAt(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    const columns = [...document.querySelectorAll('[data-testid="board-column"]')];
    const column = columns.findIndex((element) => element.contains(active));
    if (column === -1) return null;
    const items = [...columns[column].querySelectorAll('[data-board-nav]')];
    return { column, row: items.indexOf(active), title: active?.querySelector('.card__title')?.textContent ?? null };
  });
}

async function press(page, key, times = 1) {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const forward = locale === 'en' ? 'ArrowRight' : 'ArrowLeft';
  const backward = locale === 'en' ? 'ArrowLeft' : 'ArrowRight';

  test(`board keyboard (${locale}): Tab reaches the board once, the arrows go between columns and cards in the reading direction, space still moves a card`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, api, pipeline, deals } = await demoBoard(baseUrl, locale);
    const titles = demoTitles(locale);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
    await page.getByText(titles[7][0]).waitFor();

    // Tab from the top of the page: the board is one stop, at its first card.
    await page.locator('body').focus();
    let tabs = 0;
    while ((await focusAt(page)) === null && tabs < 60) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    assert.ok(tabs < 40, `the board is reached in ${tabs} Tab presses`);
    assert.deepEqual(await focusAt(page), { column: 0, row: 1, title: titles[0][0] });

    // Seven presses of the forward arrow reach the eighth column; the row is kept.
    await press(page, 'ArrowDown');
    assert.deepEqual(await focusAt(page), { column: 0, row: 2, title: titles[0][1] });
    await press(page, forward, 7);
    assert.deepEqual(await focusAt(page), { column: 7, row: 2, title: titles[7][1] });
    // The focused card is in view (the board scrolled to it) and ringed.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    assert.deepEqual(ring, { style: 'solid', width: '3px' });
    const focused = await page.evaluate(() => {
      const rect = document.activeElement.getBoundingClientRect();
      const board = document.querySelector('[data-testid="board"]').getBoundingClientRect();
      return rect.left >= board.left && rect.right <= board.right;
    });
    assert.ok(focused, 'the focused card is scrolled into view');
    await captureScreenshot(page, `${artifactsDir}board-keyboard-${locale}.png`);
    // An arrow at the edge stays put.
    await press(page, forward);
    assert.equal((await focusAt(page))?.column, 7);
    // Up and down between the cards; above the first card is the column's add button.
    await press(page, 'ArrowDown');
    assert.deepEqual(await focusAt(page), { column: 7, row: 3, title: titles[7][2] });
    await press(page, 'ArrowUp', 3);
    assert.deepEqual(await focusAt(page), { column: 7, row: 0, title: null });
    // And back: seven presses of the other arrow; Home and End jump to the first and last stage.
    await press(page, 'ArrowDown');
    await press(page, backward, 7);
    assert.deepEqual(await focusAt(page), { column: 0, row: 1, title: titles[0][0] });
    await press(page, 'End');
    assert.equal((await focusAt(page))?.column, 7);
    await press(page, 'Home');
    assert.equal((await focusAt(page))?.column, 0);

    // One Tab stop on the board: from a card, Tab goes to its menu and then out of the board.
    await press(page, forward, 3);
    assert.deepEqual(await focusAt(page), { column: 3, row: 1, title: titles[3][0] });
    assert.equal(await page.locator('[data-testid="board"] [data-board-nav][tabindex="0"]').count(), 1);
    await press(page, 'Tab');
    assert.match((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '', new RegExp(titles[3][0]));
    await press(page, 'Tab');
    assert.equal(await focusAt(page), null, 'the next Tab leaves the board');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.deepEqual(await focusAt(page), { column: 3, row: 1, title: titles[3][0] }, 'Shift+Tab comes back to the same card');

    // The keyboard move is unchanged: space lifts, the forward arrow moves it one stage on, space drops.
    await page.keyboard.press('Space');
    await page.waitForTimeout(150);
    await page.keyboard.press(forward);
    await page.waitForTimeout(150);
    await page.keyboard.press('Space');
    const moved = deals.find((deal) => deal.title === titles[3][0]);
    await eventually(async () => assert.equal((await api.get(`/deals/${moved.id}`)).stage_id, pipeline.stages[4].id));
    await eventually(async () => assert.equal((await focusAt(page))?.column, 4, 'the moved card keeps the focus'));
    // …and the arrows go on from where it now is.
    await press(page, backward);
    assert.equal((await focusAt(page))?.column, 3);
  });
}
