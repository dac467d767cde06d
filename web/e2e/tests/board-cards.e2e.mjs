import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertAccessible } from '../support/a11y.mjs';
import { card, eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { overflowProblems, phone } from '../support/layout.mjs';

const day = 24 * 60 * 60 * 1000;

/** The short date a card shows: day and month, Jalali with Persian digits in Persian. */
function shortDate(at, locale) {
  return locale === 'fa'
    ? { day: at.toLocaleDateString('fa-IR-u-ca-persian', { day: 'numeric' }), month: at.toLocaleDateString('fa-IR-u-ca-persian', { month: 'long' }) }
    : { day: String(at.getDate()), month: at.toLocaleDateString('en-GB', { month: 'short' }) };
}

/** Whether the box of `inner` lies within the box of `outer`. */
async function inside(inner, outer) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  assert.ok(a && b, 'both are on screen');
  return a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1 && a.y >= b.y - 1 && a.y + a.height <= b.y + b.height + 1;
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  test(`board cards (${locale}): a card shows its next activity's date, an overdue one a mark with a word and an icon, one without tasks nothing; at desktop and phone sizes`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
      deals: [
        { title: 'Overdue follow-up', amount_minor: 1_200_000, tags: ['vip'] },
        { title: 'Future follow-up', amount_minor: 800_000, expected_close_date: '2030-01-10' },
        { title: 'No tasks yet', amount_minor: 300_000 },
      ],
    });
    const now = Date.now();
    // Two days ago: overdue in any time zone. In five days (noon, away from any day's edge).
    const overdueAt = new Date(now - 2 * day);
    const futureAt = new Date(now + 5 * day);
    futureAt.setHours(12, 0, 0, 0);
    await api.post('/activities', { kind: 'task', subject: 'Call back', deal_id: deals[0].id, due_at: overdueAt.toISOString() });
    await api.post('/activities', { kind: 'task', subject: 'Later', deal_id: deals[0].id, due_at: futureAt.toISOString() });
    await api.post('/activities', { kind: 'task', subject: 'Send the offer', deal_id: deals[1].id, due_at: futureAt.toISOString() });
    // A done task and a task without a due time give no next activity.
    await api.post('/activities', { kind: 'task', subject: 'Done', deal_id: deals[2].id, due_at: overdueAt.toISOString(), done_at: overdueAt.toISOString() });
    await api.post('/activities', { kind: 'note', subject: 'A note', deal_id: deals[2].id });

    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
    const overdue = card(page, 'Overdue follow-up');
    const future = card(page, 'Future follow-up');
    const none = card(page, 'No tasks yet');
    for (const size of ['desktop', 'phone']) {
      if (size === 'phone') await page.setViewportSize(phone);
      await overdue.getByTestId('card-overdue').waitFor();

      // Overdue: the word beside an icon, the due date, and a whole sentence for screen readers.
      const mark = overdue.getByTestId('card-overdue');
      const overdueDate = shortDate(overdueAt, locale);
      const text = (await mark.textContent()) ?? '';
      assert.ok(text.includes(locale === 'en' ? 'Overdue' : 'عقب‌افتاده'), text);
      assert.ok(text.includes(overdueDate.day) && text.includes(overdueDate.month), `${text} has ${JSON.stringify(overdueDate)}`);
      assert.equal(await mark.locator('.card__next-icon').isVisible(), true, 'an icon, not colour alone');
      const spoken = (await mark.locator('.visually-hidden').textContent()) ?? '';
      assert.ok(spoken.startsWith(locale === 'en' ? 'Overdue activity, due' : 'فعالیت عقب‌افتاده، موعد'), spoken);
      assert.equal(await overdue.getByTestId('card-next-activity').count(), 0);

      // Upcoming: its date, short; no mark.
      const next = future.getByTestId('card-next-activity');
      const futureDate = shortDate(futureAt, locale);
      const shown = (await next.textContent()) ?? '';
      assert.ok(shown.includes(futureDate.day) && shown.includes(futureDate.month), `${shown} has ${JSON.stringify(futureDate)}`);
      if (locale === 'fa') assert.doesNotMatch(shown, /[0-9]/, 'Persian digits only');
      assert.equal(await future.getByTestId('card-overdue').count(), 0);

      // No next activity: nothing in its place.
      assert.equal(await none.getByTestId('card-next-activity').count(), 0);
      assert.equal(await none.getByTestId('card-overdue').count(), 0);

      // The mark and the date fit in their cards; nothing sticks out of a card.
      assert.ok(await inside(mark, overdue), 'the overdue mark is inside its card');
      assert.ok(await inside(next, future), 'the date is inside its card');
      assert.deepEqual(await overflowProblems(page, '[data-testid="deal-card"]'), []);
      // The chip's red on pink, and the date's grey, read well enough (axe's contrast rule).
      await assertAccessible(page, `the board's cards (${locale}, ${size})`);
      await captureScreenshot(page, `${artifactsDir}board-cards-${size}-${locale}.png`);
    }

    // Done, the card's next activity is the later task, which is not overdue (the stream or the
    // next read brings it).
    const [call] = (await api.get(`/activities?deal_id=${deals[0].id}`)).data.filter((activity) => activity.subject === 'Call back');
    await api.post(`/activities/${call.id}/complete`, {}, { 'If-Match': `"${call.version}"` });
    await eventually(async () => assert.equal(await overdue.getByTestId('card-overdue').count(), 0), { timeoutMs: 10_000 });
    await overdue.getByTestId('card-next-activity').waitFor();
  });
}
