import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { card, column, columnTitles, eventually, openSignedIn } from '../support/board.mjs';
import { demoBoard, demoTitles } from '../support/demo-board.mjs';

const phone = { width: 390, height: 844 };

/** The page's sideways scroll, and the header's height and children that stick out of the screen. */
async function pageLayout(page) {
  return page.evaluate(() => {
    const header = document.querySelector('.header');
    const outside = [...header.querySelectorAll('*')]
      .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
      .filter((element) => {
        const rect = element.getBoundingClientRect();
        // Visually hidden text (1 px, clipped) does not count.
        return rect.width > 1 && (rect.left < -0.5 || rect.right > window.innerWidth + 0.5 || rect.bottom > header.getBoundingClientRect().bottom + 0.5);
      })
      .map((element) => element.className || element.tagName);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      headerHeight: header.getBoundingClientRect().height,
      outside,
    };
  });
}

/** A box's start, width and height, to the pixel. */
async function roundedBox(locator) {
  const box = await locator.boundingBox();
  return box && [Math.round(box.x), Math.round(box.width), Math.round(box.height)];
}

/** A touch drag through the DevTools protocol: press, hold past the long press, glide, release. */
async function touchDrag(page, from, path, { holdAtEndMs = 150 } = {}) {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    const touch = (type, point) => session.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point.x, y: point.y }] : [] });
    await touch('touchStart', from);
    await page.waitForTimeout(400);
    let at = from;
    for (const to of path) {
      for (let step = 1; step <= 12; step++) {
        await touch('touchMove', { x: at.x + ((to.x - at.x) * step) / 12, y: at.y + ((to.y - at.y) * step) / 12 });
        await page.waitForTimeout(16);
      }
      at = to;
    }
    await page.waitForTimeout(holdAtEndMs);
    await touch('touchMove', at);
    await touch('touchEnd');
  } finally {
    await session.detach().catch(() => undefined);
  }
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const rtl = locale === 'fa';

  test(`phone (${locale}): at 390×844 the header fits, the menu holds every screen and switch, columns snap one at a time, touch drag works, drawers fill the screen`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, api, pipeline, deals } = await demoBoard(baseUrl, locale);
    for (const name of ['Reza Karimi', 'Mina Rahimi']) {
      await api.post('/leads', {
        name,
        company: 'Pars Logistics Holding International',
        email: `${name.split(' ')[0].toLowerCase()}@example.com`,
        phone: '0912 123 4567',
        source: 'website',
      });
    }
    const titles = demoTitles(locale);
    await page.setViewportSize(phone);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
    await card(page, titles[0][0]).waitFor();

    // The header fits on one line, nothing sticks out, the page does not scroll sideways.
    const board = await pageLayout(page);
    assert.equal(board.scrollWidth, phone.width);
    assert.equal(board.headerHeight, 56, 'the header keeps its one line');
    assert.deepEqual(board.outside, [], 'nothing in the header is off-screen');
    await captureScreenshot(page, `${artifactsDir}board-phone-${locale}.png`);

    // The notifications panel opens inside the screen.
    await page.locator('.bell__button').click();
    const bell = await page.getByTestId('notification-panel').boundingBox();
    assert.ok(bell && bell.x >= 0 && bell.x + bell.width <= phone.width, 'the notifications panel is inside the screen');
    await page.locator('.bell__button').click();
    await page.getByTestId('notification-panel').waitFor({ state: 'detached' });

    // One column at a time: as wide as the screen less a glimpse of the next, snapping into place.
    const first = await column(page, 0).boundingBox();
    assert.ok(first && Math.abs(first.width - (phone.width - 56)) <= 1, `a column is the screen's width less 56 px (${first?.width})`);
    assert.equal(await page.getByTestId('board').evaluate((element) => getComputedStyle(element).scrollSnapType), 'x mandatory');
    await page.getByTestId('board-more-after').waitFor();
    await page.getByTestId('board').evaluate((element, sign) => element.scrollBy({ left: sign * 200 }), rtl ? -1 : 1);
    await eventually(async () => {
      const second = await column(page, 1).boundingBox();
      assert.ok(second);
      // Snapped: the second column starts at the board's padding, on the reading side.
      const start = rtl ? phone.width - (second.x + second.width) : second.x;
      assert.ok(Math.abs(start - 12) <= 1, `the second column snapped to the start (${start})`);
    });
    await page.getByTestId('board').evaluate((element) => element.scrollTo({ left: 0 }));
    await eventually(async () =>
      assert.ok(Math.abs(((await column(page, 0).boundingBox())?.x ?? 0) - (rtl ? phone.width - 12 - (phone.width - 56) : 12)) <= 1),
    );

    // Touch drag: a long press lifts the card, the finger moves it below the next card.
    const lifted = await card(page, titles[0][0]).locator('.card__handle').boundingBox();
    const below = await card(page, titles[0][1]).boundingBox();
    assert.ok(lifted && below);
    const from = { x: lifted.x + lifted.width / 2, y: lifted.y + 20 };
    await touchDrag(page, from, [{ x: from.x, y: below.y + below.height - 10 }]);
    await eventually(async () => assert.deepEqual(await columnTitles(page, 0), [titles[0][1], titles[0][0]]));
    await eventually(async () => {
      const order = (await api.get(`/deals?stage_id=${pipeline.stages[0].id}&sort=position`)).data.map((deal) => deal.title);
      assert.deepEqual(order, [titles[0][1], titles[0][0]]);
    });

    // And across stages: held at the screen's edge, the board scrolls on to the next stages.
    const moving = await card(page, titles[0][1]).locator('.card__handle').boundingBox();
    assert.ok(moving);
    const start = { x: moving.x + moving.width / 2, y: moving.y + 20 };
    const edge = { x: rtl ? 6 : phone.width - 6, y: start.y + 60 };
    await touchDrag(page, start, [edge], { holdAtEndMs: 700 });
    const movedDeal = deals.find((deal) => deal.title === titles[0][1]);
    await eventually(async () => assert.notEqual((await api.get(`/deals/${movedDeal.id}`)).stage_id, pipeline.stages[0].id, 'the card went to a later stage'));

    // The deal drawer fills the screen.
    await page.getByTestId('board').evaluate((element) => element.scrollTo({ left: 0 }));
    await card(page, titles[0][0]).locator('.card__handle').click();
    await page.getByTestId('deal-drawer').waitFor();
    // Once it has slid in.
    await eventually(async () =>
      assert.deepEqual(await roundedBox(page.locator('dialog.dialog--drawer')), [0, phone.width, phone.height], 'the drawer is full-screen'),
    );
    await captureScreenshot(page, `${artifactsDir}drawer-phone-${locale}.png`);
    await page.keyboard.press('Escape');
    await page.getByTestId('deal-drawer').waitFor({ state: 'detached' });

    // The menu: every screen, the language and Rial/Toman switches, the account's entries and sign
    // out, each inside the screen (the panel scrolls when they are many).
    await page.getByTestId('phone-menu-button').click();
    const menu = page.getByTestId('phone-menu');
    await menu.waitFor();
    await eventually(async () =>
      assert.deepEqual(await roundedBox(page.locator('dialog.phone-menu')), [0, phone.width, phone.height], 'the menu panel is full-screen'),
    );
    const names =
      locale === 'en'
        ? [
            'Leads',
            'Contacts',
            'Organizations',
            'Opportunities',
            'Agenda',
            'Dates',
            'Reports',
            'English',
            'فارسی',
            'Rial',
            'Toman',
            'Workspace',
            'Lost reasons',
            'Webhooks',
            'Emails',
            'Change password',
            'Sign out',
          ]
        : [
            'سرنخ‌ها',
            'مخاطبان',
            'سازمان‌ها',
            'فرصت‌ها',
            'کارها',
            'مناسبت‌ها',
            'گزارش‌ها',
            'English',
            'فارسی',
            'ریال',
            'تومان',
            'فضای کار',
            'دلایل از دست رفتن',
            'وب‌هوک‌ها',
            'ایمیل‌ها',
            'تغییر گذرواژه',
            'خروج',
          ];
    for (const name of names) {
      const item = menu.getByRole('link', { name, exact: true }).or(menu.getByRole('button', { name, exact: true }));
      await item.first().scrollIntoViewIfNeeded();
      const box = await item.first().boundingBox();
      assert.ok(box, `${name} is in the menu`);
      // Within a pixel: the menu's last entry, scrolled to the panel's end, may end a fraction of one past it.
      assert.ok(
        box.x >= 0 && box.x + box.width <= phone.width && box.y >= 0 && box.y + box.height <= phone.height + 1,
        `${name} is inside the screen: ${JSON.stringify(box)}`,
      );
    }
    assert.equal(await menu.getByRole('link').count(), 6, 'every screen of the header');
    await menu.evaluate((element) => element.closest('.dialog__body')?.scrollTo({ top: 0 }));
    await captureScreenshot(page, `${artifactsDir}menu-phone-${locale}.png`);

    // Toman from the menu applies at once; a link closes the menu and opens its screen.
    await menu.getByRole('button', { name: locale === 'en' ? 'Toman' : 'تومان', exact: true }).click();
    await eventually(async () =>
      assert.match((await card(page, titles[0][0]).locator('.card__amount').textContent()) ?? '', locale === 'en' ? /Toman/ : /تومان/),
    );
    await menu.getByRole('link', { name: locale === 'en' ? 'Leads' : 'سرنخ‌ها', exact: true }).click();
    await page.waitForURL(/\/leads$/);
    await menu.waitFor({ state: 'detached' });

    // The leads table scrolls inside its box; the page does not scroll sideways.
    await page.getByTestId('leads-table').waitFor();
    const leads = await pageLayout(page);
    assert.equal(leads.scrollWidth, phone.width, 'the leads screen does not scroll sideways');
    const scroller = await page
      .locator('.table-scroll')
      .first()
      .evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { left: rect.left, right: rect.right };
      });
    assert.ok(scroller.left >= 0 && scroller.right <= phone.width, 'the table box is inside the screen');
    await captureScreenshot(page, `${artifactsDir}leads-phone-${locale}.png`);

    // Sign out is in the menu too.
    await page.getByTestId('phone-menu-button').click();
    await menu.getByRole('button', { name: locale === 'en' ? 'Sign out' : 'خروج', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
  });
}
