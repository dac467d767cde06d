import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { card, column, columnTitles, eventually, moveWithKeyboard, openSignedIn } from '../support/board.mjs';
import { reorderColumn, workspaceWithPipeline } from '../support/fixtures.mjs';

test('Persian: right-to-left layout, Persian digits, Jalali dates and tomans, kept after a reload', async ({ page, baseUrl }) => {
  const { pair, pipeline } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    calendar: 'jalali',
    stages: [
      { name: 'سرنخ', probability: 10, rotting_days: 30 },
      { name: 'پیشنهاد', probability: 50 },
      { name: 'مذاکره', probability: 80 },
    ],
    deals: [
      { title: 'تمدید ناوگان', amount_minor: 25_000_000, expected_close_date: '2026-03-21' },
      { title: 'حسگرهای انبار', amount_minor: 1_250_000_000, expected_close_date: '2027-01-10' },
      { title: 'Cold storage', amount_minor: 80_000_000, stage: 1 },
    ],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await card(page, 'تمدید ناوگان').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  await page.screenshot({ path: `${artifactsDir}board-en.png` });

  await page.getByRole('button', { name: 'فارسی' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');

  // Persian digits with the Persian thousands separator, in tomans (a tenth of the rials).
  const fleet = card(page, 'تمدید ناوگان');
  assert.match((await fleet.locator('.card__amount').textContent()) ?? '', /^۲٬۵۰۰٬۰۰۰ تومان$/);
  // Jalali dates: 21 March 2026 is 1 Farvardin 1405; 10 January 2027 is 20 Dey 1405.
  const fleetDate = (await fleet.locator('.card__date').getAttribute('title')) ?? '';
  assert.match(fleetDate, /۱ فروردین ۱۴۰۵/);
  assert.match((await card(page, 'حسگرهای انبار').locator('.card__date').getAttribute('title')) ?? '', /۲۰ دی ۱۴۰۵/);
  assert.match((await column(page, 0).getByTestId('column-count').textContent()) ?? '', /^۲ معامله$/);
  assert.doesNotMatch((await page.locator('[data-testid="board"]').textContent()) ?? '', /[0-9]/, 'no ASCII digits on the Persian board');

  // Columns flow right to left: the first stage is the rightmost.
  const first = await column(page, 0).boundingBox();
  const second = await column(page, 1).boundingBox();
  assert.ok(first && second && first.x > second.x, 'the first column is to the right of the second');
  await page.screenshot({ path: `${artifactsDir}board-fa.png` });

  // The drawer opens from the left, with Jalali dates in the history.
  await fleet.locator('.card__handle').click();
  const drawer = page.getByTestId('deal-drawer');
  await drawer.getByTestId('stage-history').waitFor();
  const box = await page.locator('dialog.dialog--drawer').boundingBox();
  assert.ok(box && box.x < 5, 'the drawer is docked on the left');
  assert.match((await drawer.getByTestId('stage-history').textContent()) ?? '', /ساخته‌شده در سرنخ.*۱۴۰۵/);
  assert.equal(await drawer.getByLabel('تاریخ پیش‌بینی‌شدهٔ بستن').inputValue(), '۱۴۰۵/۰۱/۰۱');
  await page.screenshot({ path: `${artifactsDir}drawer-fa.png` });

  // A Jalali date typed in Persian digits is saved as the matching Gregorian date.
  await drawer.getByLabel('تاریخ پیش‌بینی‌شدهٔ بستن').fill('۱۴۰۵/۰۹/۰۳');
  await drawer.getByRole('button', { name: 'ذخیرهٔ تغییرات' }).click();
  await page.getByTestId('toast-success').waitFor();
  await page.keyboard.press('Escape');
  await page.waitForURL(new RegExp(`/pipelines/${pipeline.id}$`));

  // The choice persists.
  await page.reload();
  await card(page, 'تمدید ناوگان').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.match((await card(page, 'تمدید ناوگان').locator('.card__date').getAttribute('title')) ?? '', /۳ آذر ۱۴۰۵/);

  // Rials on request.
  await page.getByRole('button', { name: 'ریال', exact: true }).click();
  assert.match((await card(page, 'تمدید ناوگان').locator('.card__amount').textContent()) ?? '', /^۲۵٬۰۰۰٬۰۰۰ ریال$/);
});

test('Persian: a keyboard move to the next stage goes left', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    deals: [{ title: 'تمدید ناوگان', amount_minor: 25_000_000 }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });
  await moveWithKeyboard(page, 'تمدید ناوگان', ['ArrowLeft']);
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, pipeline.stages[1].id));
});

test('Persian: a refused move says why in Persian, in a toast at the bottom left', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    deals: [{ title: 'الف' }, { title: 'ب' }, { title: 'پ' }, { title: 'تمدید ناوگان', stage: 1 }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale: 'fa' });
  await card(page, 'تمدید ناوگان').waitFor();
  // Someone else turns the first column upside down after the board was read.
  await reorderColumn(api, pipeline.stages[0].id, [deals[2], deals[1], deals[0]]);
  // The first stage is on the right: the card goes right, then down between two cards.
  await moveWithKeyboard(page, 'تمدید ناوگان', ['ArrowRight', 'ArrowDown']);
  const toast = page.getByTestId('toast-error');
  await toast.waitFor();
  assert.equal(
    await toast.locator('.toast__message').textContent(),
    'در این فاصله کارت‌های اطراف جایی که «تمدید ناوگان» را رها کردید جابه‌جا شده بودند، پس جابه‌جایی برگردانده شد. تابلو اکنون جای تازهٔ آن‌ها را نشان می‌دهد؛ دوباره رهایش کنید.',
  );
  await eventually(async () => assert.deepEqual(await columnTitles(page, 0), ['پ', 'ب', 'الف']));
  assert.deepEqual(await columnTitles(page, 1), ['تمدید ناوگان']);
  assert.equal((await api.get(`/deals/${deals[3].id}`)).stage_id, pipeline.stages[1].id);

  // Right to left: the toast sits at the bottom left, its text runs right to left from its right
  // edge, and the dismiss button is at its left end.
  const toastBox = await toast.boundingBox();
  const messageBox = await toast.locator('.toast__message').boundingBox();
  const dismissBox = await toast.getByRole('button', { name: 'بستن پیام' }).boundingBox();
  assert.ok(toastBox && messageBox && dismissBox);
  assert.ok(toastBox.x < 40 && toastBox.y + toastBox.height > 900 - 40, 'the toast is at the bottom left');
  assert.ok(dismissBox.x + dismissBox.width < messageBox.x + 4, 'dismiss is left of the message');
  assert.ok(toastBox.x + toastBox.width - (messageBox.x + messageBox.width) < 20, 'the message starts at the right edge');
  assert.equal(await toast.locator('.toast__message').evaluate((element) => getComputedStyle(element).direction), 'rtl');
  await captureScreenshot(page, `${artifactsDir}move-refused-fa.png`);
});
