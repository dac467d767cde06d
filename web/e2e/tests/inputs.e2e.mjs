// The shared amount and date inputs, typed into and picked from as a user would, in both languages.
import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithLeads, workspaceWithPipeline } from '../support/fixtures.mjs';
import { overflowProblems } from '../support/layout.mjs';

/** @param {import('playwright-core').Locator} input */
const caret = (input) => input.evaluate((element) => /** @type {HTMLInputElement} */ (element).selectionStart);

/**
 * Types into the budget of the qualify dialog: grouped while typing, in the language's digits,
 * the caret kept after the digit typed in the middle; the lead is then qualified with it.
 * @param {import('playwright-core').Page} page
 */
async function qualifyWithTypedBudget(page, baseUrl, { locale, budgetLabel, qualify, typed, shown, middle, expectedMinor }) {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, { currency: 'USD', leads: [{ name: 'Sara Ahmadi', company: 'Pars Logistics' }] });
  await openSignedIn(page, baseUrl, pair, `/leads/${leads[0].id}`, { locale });
  await page.getByTestId('lead-drawer').getByRole('button', { name: qualify.open, exact: true }).click();
  const form = page.getByTestId('qualify-lead-form');
  const budget = form.getByLabel(budgetLabel);
  await budget.click();
  await page.keyboard.type(typed, { delay: 20 });
  assert.equal(await budget.inputValue(), shown.full, 'grouped as typed, in the language’s digits');
  assert.equal(await caret(budget), shown.full.length, 'the caret stays at the end');
  // A digit typed in the middle: the groups move, the caret stays after it.
  await budget.evaluate((element, at) => /** @type {HTMLInputElement} */ (element).setSelectionRange(at, at), middle.at);
  await page.keyboard.type(middle.digit);
  assert.equal(await budget.inputValue(), middle.shown);
  assert.equal(await caret(budget), middle.caret, 'the caret is after the digit just typed');
  await form.getByRole('button', { name: qualify.submit }).click();
  await eventually(async () => {
    const qualified = await api.get(`/leads/${leads[0].id}`);
    assert.equal(qualified.status, 'qualified');
    assert.equal((await api.get(`/opportunities/${qualified.opportunity_id}`)).budget_minor, expectedMinor);
  });
}

test('an amount input groups digits while typing, in English', async ({ page, baseUrl }) => {
  await qualifyWithTypedBudget(page, baseUrl, {
    locale: 'en',
    budgetLabel: /Budget/,
    qualify: { open: 'Qualify…', submit: 'Qualify' },
    typed: '1250000',
    shown: { full: '1,250,000' },
    // "1,2|50,000" + 9 → "12,9|50,000"
    middle: { at: 3, digit: '9', shown: '12,950,000', caret: 4 },
    expectedMinor: 1_295_000_000,
  });
});

test('an amount input shows Persian digits while typing either digits, in Persian', async ({ page, baseUrl }) => {
  await qualifyWithTypedBudget(page, baseUrl, {
    locale: 'fa',
    budgetLabel: /بودجه/,
    qualify: { open: 'واجد شرایط کردن…', submit: 'واجد شرایط است' },
    // Latin digits, then Persian ones: all shown in Persian, grouped with the Persian separator.
    typed: '125۰۰۰۰',
    shown: { full: '۱٬۲۵۰٬۰۰۰' },
    middle: { at: 3, digit: '۹', shown: '۱۲٬۹۵۰٬۰۰۰', caret: 4 },
    expectedMinor: 1_295_000_000,
  });
});

/**
 * Opens the new-task form of a deal's drawer and its due-date calendar.
 * @param {import('playwright-core').Page} page
 */
async function openTaskCalendar(page, baseUrl, { locale, calendar, newTask, dueDate, choose }) {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { calendar, deals: [{ title: 'Fleet renewal' }] });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`, { locale });
  const section = page.getByTestId('deal-drawer').getByTestId('activity-section');
  await section.getByRole('button', { name: newTask }).click();
  const form = section.getByTestId('activity-form');
  const field = form.getByLabel(dueDate, { exact: true });
  await form.getByRole('button', { name: choose }).click();
  const picker = form.getByTestId('date-picker');
  await picker.waitFor();
  return { api, deal: deals[0], form, field, picker };
}

/**
 * The calendar button sits at the inline end of the date input, touching it: at its right in
 * English, at its left in Persian.
 * @param {import('playwright-core').Locator} field
 */
async function assertToggleAtInlineEnd(field, dir) {
  const [input, toggle] = await field.evaluate((element) => [element, element.nextElementSibling].map((part) => part?.getBoundingClientRect().toJSON()));
  const gap = dir === 'rtl' ? input.left - toggle.right : toggle.left - input.right;
  assert.ok(Math.abs(gap) <= 1, `the calendar button touches the input at its ${dir === 'rtl' ? 'left' : 'right'} (gap ${gap}px)`);
  assert.ok(Math.abs(input.top - toggle.top) <= 1 && Math.abs(input.bottom - toggle.bottom) <= 1, 'the button is as tall as the input');
}

/**
 * The calendar lies inside the window and its days do not overlap one another.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} picker
 */
async function assertCalendarLaidOut(page, picker) {
  const box = await picker.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && viewport && box.x >= 0 && box.x + box.width <= viewport.width, 'the calendar is inside the window');
  assert.deepEqual(await overflowProblems(page, '[data-testid="date-picker"]'), []);
  // Nothing covers or clips it: the first weekday, the first and the last day are what a click there hits.
  const hidden = await picker.evaluate((element) =>
    [element.querySelector('th'), element.querySelector('.date-picker__day'), [...element.querySelectorAll('.date-picker__day')].at(-1)]
      .filter((target) => {
        const box = target.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return !hit || !target.contains(hit);
      })
      .map((target) => target.textContent),
  );
  assert.deepEqual(hidden, [], 'every part of the calendar can be seen and clicked');
  const days = await picker.locator('.date-picker__day').evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON()));
  assert.ok(days.length >= 28 && days.length % 7 === 0, `whole weeks (${days.length} days)`);
  for (let index = 1; index < days.length; index++) {
    if (index % 7 === 0) continue;
    const [before, after] = [days[index - 1], days[index]];
    assert.ok(before.right <= after.left + 0.5 || after.right <= before.left + 0.5, `day ${index} does not overlap the day before it`);
  }
}

test('a date is picked from a Gregorian calendar in English, by mouse and by keyboard', async ({ page, baseUrl }) => {
  const { api, deal, form, field, picker } = await openTaskCalendar(page, baseUrl, {
    locale: 'en',
    calendar: 'gregorian',
    newTask: '+ New task',
    dueDate: 'Due date',
    choose: 'Choose a date',
  });
  const today = await page.evaluate(() => {
    const now = new Date();
    return {
      month: now.toLocaleString('en-US', { month: 'long', year: 'numeric' }),
      first: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-01`,
    };
  });
  assert.equal(await picker.getByTestId('date-picker-title').textContent(), today.month);
  assert.equal(await picker.locator('th').first().textContent(), 'Su');
  await assertToggleAtInlineEnd(field, 'ltr');
  await assertCalendarLaidOut(page, picker);
  await captureScreenshot(page, `${artifactsDir}date-picker-en.png`);

  // The first of the month, by mouse; then the next month's 2nd by keyboard.
  await picker.locator(`button[data-date="${today.first}"]`).click();
  assert.equal(await field.inputValue(), today.first);
  assert.equal(await picker.count(), 0, 'the calendar closes once a day is picked');
  await form.getByRole('button', { name: 'Choose a date' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-date')), today.first));
  await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowRight');
  const picked = await page.evaluate(() => document.activeElement?.getAttribute('data-date'));
  assert.match(picked ?? '', /^\d{4}-\d{2}-02$/);
  await page.keyboard.press('Enter');
  assert.equal(await field.inputValue(), picked);

  // Escape closes it without changing the date; the task is saved for the day picked.
  await form.getByRole('button', { name: 'Choose a date' }).click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  assert.equal(await field.inputValue(), picked);
  await form.getByLabel('Subject').fill('Call about the quote');
  await form.getByRole('button', { name: 'Add task' }).click();
  await eventually(async () => {
    const [task] = (await api.get(`/activities?deal_id=${deal.id}`)).data;
    assert.equal(new Date(task.due_at).toLocaleDateString('sv-SE'), picked);
  });
});

test('a date is picked from a Jalali calendar in Persian, the arrows following right to left', async ({ page, baseUrl }) => {
  const { api, deal, form, field, picker } = await openTaskCalendar(page, baseUrl, {
    locale: 'fa',
    calendar: 'jalali',
    newTask: '+ کار تازه',
    dueDate: 'تاریخ موعد',
    choose: 'انتخاب تاریخ',
  });
  const jalaliMonths = /^(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2}$/;
  assert.match((await picker.getByTestId('date-picker-title').textContent()) ?? '', jalaliMonths);
  assert.equal(await picker.locator('th').first().textContent(), 'ش', 'weeks start on Saturday');
  await assertToggleAtInlineEnd(field, 'rtl');
  assert.doesNotMatch((await picker.textContent()) ?? '', /[0-9]/, 'Persian digits only');
  // The first day of the week is at the right.
  const [saturday, sunday] = await picker.locator('th').evaluateAll((cells) => cells.slice(0, 2).map((cell) => cell.getBoundingClientRect().x));
  assert.ok(saturday > sunday, 'Saturday is right of Sunday');
  await assertCalendarLaidOut(page, picker);
  await captureScreenshot(page, `${artifactsDir}date-picker-fa.png`);

  // The 10th of the Jalali month shown, by mouse: the field shows it in Jalali, Persian digits.
  const tenth = picker.locator('.date-picker__day:not(.date-picker__day--outside)', { hasText: /^۱۰$/ });
  const tenthIso = await tenth.getAttribute('data-date');
  await tenth.click();
  assert.match(await field.inputValue(), /^۱۴[۰-۹]{2}\/[۰-۹]{2}\/۱۰$/);
  // By keyboard, ArrowLeft is the next day in right-to-left.
  await form.getByRole('button', { name: 'انتخاب تاریخ' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-date')), tenthIso));
  await page.keyboard.press('ArrowLeft');
  const next = await page.evaluate(() => document.activeElement?.getAttribute('data-date'));
  assert.equal(next, new Date(Date.parse(`${tenthIso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  await page.keyboard.press('Enter');
  assert.match(await field.inputValue(), /^۱۴[۰-۹]{2}\/[۰-۹]{2}\/۱۱$/);

  // Typed in Latin digits, the same date is read.
  await form.getByLabel('موضوع').fill('تماس دربارهٔ پیش‌فاکتور');
  await form.getByRole('button', { name: 'افزودن کار' }).click();
  await eventually(async () => {
    const [task] = (await api.get(`/activities?deal_id=${deal.id}`)).data;
    assert.equal(new Date(task.due_at).toLocaleDateString('sv-SE'), next);
  });
});

/**
 * Saves the task with the day picked (the 10th of the month shown) and checks the day it is due.
 * @returns {Promise<string>} the day's ISO date
 */
async function pickTenthAndSave(page, { api, deal, form, picker }, { subject, add, tenth }) {
  const day = picker.locator('.date-picker__day:not(.date-picker__day--outside)', { hasText: tenth });
  const iso = await day.getAttribute('data-date');
  await day.click();
  await form.getByLabel(subject).fill('Follow up');
  await form.getByRole('button', { name: add }).click();
  await eventually(async () => {
    const [task] = (await api.get(`/activities?deal_id=${deal.id}`)).data;
    assert.equal(new Date(task.due_at).toLocaleDateString('sv-SE'), iso);
  });
  return iso;
}

test('dates follow the workspace’s calendar, not the language: a Jalali workspace in English', async ({ page, baseUrl }) => {
  // An English reader of a Jalali workspace: Jalali months in English words, Latin digits, weeks from Sunday.
  const english = await openTaskCalendar(page, baseUrl, { locale: 'en', calendar: 'jalali', newTask: '+ New task', dueDate: 'Due date', choose: 'Choose a date' });
  const jalaliMonth = /^(Farvardin|Ordibehesht|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand) 14\d{2}$/;
  assert.match((await english.picker.getByTestId('date-picker-title').textContent()) ?? '', jalaliMonth);
  assert.equal(await english.picker.locator('th').first().textContent(), 'Su');
  assert.match((await english.form.textContent()) ?? '', /Year\/month\/day on the Jalali calendar, such as 1405\/01\/15/);
  await assertCalendarLaidOut(page, english.picker);
  await captureScreenshot(page, `${artifactsDir}date-picker-en-jalali.png`);
  const tenthOfJalaliMonth = await pickTenthAndSave(page, english, { subject: 'Subject', add: 'Add task', tenth: /^10$/ });
  // 10th of a Jalali month is not the 10th of a Gregorian one (their months start 10–11 days apart).
  assert.doesNotMatch(tenthOfJalaliMonth, /-10$/);
});

test('dates follow the workspace’s calendar, not the language: a Gregorian workspace in Persian', async ({ page, baseUrl }) => {
  // A Persian reader of a Gregorian workspace: Gregorian months in Persian words, Persian digits, weeks from Saturday.
  const persian = await openTaskCalendar(page, baseUrl, { locale: 'fa', calendar: 'gregorian', newTask: '+ کار تازه', dueDate: 'تاریخ موعد', choose: 'انتخاب تاریخ' });
  const gregorianMonth = /^(ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر)ٔ? ۲۰[۰-۹]{2}$/;
  assert.match((await persian.picker.getByTestId('date-picker-title').textContent()) ?? '', gregorianMonth);
  assert.equal(await persian.picker.locator('th').first().textContent(), 'ش');
  assert.doesNotMatch((await persian.picker.textContent()) ?? '', /[0-9]/, 'Persian digits only');
  assert.equal(await persian.field.getAttribute('placeholder'), '۲۰۲۶-۰۴-۰۴');
  await assertCalendarLaidOut(page, persian.picker);
  await captureScreenshot(page, `${artifactsDir}date-picker-fa-gregorian.png`);
  const day = persian.picker.locator('.date-picker__day:not(.date-picker__day--outside)', { hasText: /^۱۰$/ });
  await day.click();
  assert.match(await persian.field.inputValue(), /^۲۰[۰-۹]{2}-[۰-۹]{2}-۱۰$/);
  await persian.form.getByRole('button', { name: 'انتخاب تاریخ' }).click();
  const tenthOfGregorianMonth = await pickTenthAndSave(page, persian, { subject: 'موضوع', add: 'افزودن کار', tenth: /^۱۰$/ });
  assert.match(tenthOfGregorianMonth, /-10$/);
});
