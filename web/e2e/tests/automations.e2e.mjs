import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { apiClient } from '../support/api.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** What the builder's controls are called, in each language. */
const words = {
  en: {
    newRule: 'New rule',
    name: 'Name',
    when: 'When',
    trigger: 'A deal moves to a stage',
    intoStage: 'Into stage',
    addCondition: 'Add a condition',
    field: 'Field',
    amount: 'Amount',
    operator: 'Operator',
    atLeast: 'is at least',
    valueMinor: 'Value (minor units)',
    addAction: 'Add an action',
    actionType: 'Action',
    addTag: 'Add a tag',
    tag: 'Tag',
    createTask: 'Create a task',
    taskTitle: 'Task title',
    dueInDays: 'Due in days',
    create: 'Create rule',
    reload: 'Reload',
    runDone: 'Done',
    depth: 'Depth 1',
    outcomeAddTag: 'Add a tag',
    outcomeTask: 'Create a task',
    test: 'Test',
    recordId: 'Record id',
    wouldNotRun: 'The rule would not run',
    wouldRun: 'The rule would run',
  },
  fa: {
    newRule: 'قاعدهٔ تازه',
    name: 'نام',
    when: 'وقتی',
    trigger: 'معامله به مرحله‌ای می‌رود',
    intoStage: 'به مرحلهٔ',
    addCondition: 'افزودن شرط',
    field: 'فیلد',
    amount: 'مبلغ',
    operator: 'عملگر',
    atLeast: 'دست‌کم',
    valueMinor: 'مقدار (کوچک‌ترین واحد)',
    addAction: 'افزودن کار',
    actionType: 'کار',
    addTag: 'افزودن برچسب',
    tag: 'برچسب',
    createTask: 'ساخت کار',
    taskTitle: 'عنوان کار',
    dueInDays: 'چند روز بعد',
    create: 'ساخت قاعده',
    reload: 'بارگذاری دوباره',
    runDone: 'انجام شد',
    depth: 'عمق ۱',
    outcomeAddTag: 'افزودن برچسب',
    outcomeTask: 'ساخت کار',
    test: 'آزمون',
    recordId: 'شناسهٔ رکورد',
    wouldNotRun: 'قاعده اجرا نمی‌شود',
    wouldRun: 'قاعده اجرا می‌شود',
  },
};

/** The box of a locator, which must be on screen. */
async function box(locator) {
  const found = await locator.boundingBox();
  assert.ok(found, 'the element is on screen');
  return found;
}

/** Every box of `inner` lies within `outer`'s box (a pixel of rounding allowed). */
async function assertInside(inner, outer, what) {
  const container = await box(outer);
  for (const element of await inner.all()) {
    const found = await box(element);
    assert.ok(
      found.x >= container.x - 1 &&
        found.y >= container.y - 1 &&
        found.x + found.width <= container.x + container.width + 1 &&
        found.y + found.height <= container.y + container.height + 1,
      `${what} stays inside its card: ${JSON.stringify(found)} in ${JSON.stringify(container)}`,
    );
  }
}

/** The page does not scroll sideways: nothing is wider than the window. */
async function assertNoHorizontalOverflow(page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `the page is not wider than the window (${scroll} > ${client})`);
}

/**
 * Builds "a deal moves into Proposal, amount at least 1000 → add the tag `proposal`, create a task"
 * in the builder, as a user does, in the page's language.
 * @param {import('playwright-core').Page} page
 * @param {typeof words.en} w
 */
async function buildRule(page, w, name) {
  await page.getByRole('link', { name: w.newRule }).click();
  const builder = page.getByTestId('rule-builder');
  await builder.getByLabel(w.name, { exact: true }).fill(name);
  const trigger = builder.getByTestId('rule-trigger');
  await trigger.getByLabel(w.when, { exact: true }).selectOption({ label: w.trigger });
  await trigger.getByLabel(w.intoStage, { exact: true }).selectOption({ label: 'Proposal' });

  await builder.getByRole('button', { name: w.addCondition }).click();
  const condition = builder.getByTestId('condition-row').first();
  await condition.getByLabel(w.field, { exact: true }).selectOption({ label: w.amount });
  await condition.getByLabel(w.operator, { exact: true }).selectOption({ label: w.atLeast });
  await condition.getByLabel(w.valueMinor, { exact: true }).fill('1000');

  const actions = builder.getByTestId('action-row');
  await actions.nth(0).getByLabel(w.actionType, { exact: true }).selectOption({ label: w.addTag });
  await actions.nth(0).getByLabel(w.tag, { exact: true }).fill('proposal');
  await builder.getByRole('button', { name: w.addAction }).click();
  await actions.nth(1).getByLabel(w.actionType, { exact: true }).selectOption({ label: w.createTask });
  await actions.nth(1).getByLabel(w.dueInDays, { exact: true }).fill('2');
  return { builder, condition, actions };
}

/** Moves a deal to a stage through the API, as a colleague on the board would. */
async function move(api, deal, stageId) {
  const current = await api.get(`/deals/${deal.id}`);
  await api.post(`/deals/${deal.id}/move`, { stage_id: stageId }, { 'If-Match': `"${current.version}"` });
}

/** Reloads the run log until a finished run appears, and returns it. */
async function waitForRun(page, w) {
  const log = page.getByTestId('run-log');
  await eventually(
    async () => {
      await page.getByRole('button', { name: w.reload, exact: true }).click();
      await log.locator('[data-testid="run"][data-status="succeeded"]').first().waitFor({ timeout: 1_000 });
    },
    { timeoutMs: 20_000 },
  );
  return log.locator('[data-testid="run"]');
}

/** The builder's rows and the run log: fields on one line start level, and nothing leaves its card. */
async function assertLayout(page, condition) {
  const fields = condition.locator(':scope > .field');
  const tops = await Promise.all((await fields.all()).map(async (field) => (await box(field)).y));
  assert.equal(tops.length, 3, 'field, operator and value');
  assert.ok(Math.max(...tops) - Math.min(...tops) < 2, `the condition's fields are aligned (${tops.join(', ')})`);
  await assertInside(condition.locator('.input'), condition, 'a condition field');
  // Every input of a row starts at the same height (no label wraps onto a second line).
  for (const row of [condition, ...(await page.getByTestId('action-row').all())]) {
    const inputTops = await Promise.all((await row.locator(':scope > .field > .input').all()).map(async (input) => (await box(input)).y));
    assert.ok(Math.max(...inputTops) - Math.min(...inputTops) < 2, `a row's inputs are level (${inputTops.join(', ')})`);
  }
  // "Remove" stands level with the row's inputs.
  for (const row of [condition, ...(await page.getByTestId('action-row').all())]) {
    const input = await box(row.locator('.input').first());
    const remove = await box(row.locator('.rule-row__remove'));
    const middle = remove.y + remove.height / 2;
    assert.ok(middle > input.y && middle < input.y + input.height, `Remove is level with the inputs (${middle} in ${input.y}…${input.y + input.height})`);
  }
  for (const row of await page.getByTestId('action-row').all()) await assertInside(row.locator('.input'), row, 'an action field');
  for (const run of await page.locator('[data-testid="run"]').all())
    await assertInside(run.locator('.run__summary > *, [data-testid="run-outcome"] > *'), run, 'a run’s part');
  await assertNoHorizontalOverflow(page);
}

test('automations: build a rule in the builder, see it run on a moved deal in its run log', async ({ page, baseUrl }) => {
  const w = words.en;
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [
      { title: 'Fleet renewal', amount_minor: 250_000 },
      { title: 'Spare parts', amount_minor: 500 },
    ],
  });
  const [big, small] = deals;
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Automations' }).click();
  await page.getByRole('heading', { name: 'No automation rules yet' }).waitFor();

  const { builder, condition, actions } = await buildRule(page, w, 'Big deals into Proposal');
  // Days that are not a number are held back before sending, beside their field.
  await actions.nth(1).getByLabel(w.dueInDays, { exact: true }).fill('soon');
  await builder.getByRole('button', { name: w.create }).click();
  await actions.nth(1).getByText('A whole number of days').waitFor();
  assert.equal((await api.get('/automations')).data.length, 0, 'nothing was sent');
  await actions.nth(1).getByLabel(w.dueInDays, { exact: true }).fill('2');
  // The task has no title yet: the server's refusal shows beside that action's field.
  await builder.getByRole('button', { name: w.create }).click();
  const titleError = actions.nth(1).locator('.field--invalid .field__error');
  await titleError.waitFor();
  assert.equal(await actions.nth(1).getByLabel(w.taskTitle, { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await actions.nth(0).locator('.field__error').count(), 0, 'the tag action is fine');
  await actions.nth(1).getByLabel(w.taskTitle, { exact: true }).fill('Send the proposal');
  await builder.getByRole('button', { name: w.create }).click();
  await page.getByRole('heading', { name: 'Big deals into Proposal' }).waitFor();
  await page.getByText('When a deal moves into Proposal').first().waitFor();

  const [rule] = (await api.get('/automations')).data;
  assert.deepEqual(rule.trigger, { type: 'deal.stage_changed', stage_id: pipeline.stages[1].id });
  assert.deepEqual(rule.conditions, [{ field: 'amount_minor', op: 'gte', value: 1000 }]);
  assert.deepEqual(
    rule.actions.map((action) => action.type),
    ['add_tag', 'create_task'],
  );
  assert.equal(rule.actions[1].due_in_days, 2);

  // Both deals move into Proposal; only the big one passes the condition.
  await page.getByText('No runs yet. The rule runs on changes made after it was created.').waitFor();
  await move(api, big, pipeline.stages[1].id);
  await move(api, small, pipeline.stages[1].id);
  const runs = await waitForRun(page, w);
  const run = runs.first();
  await run.getByRole('link', { name: 'Fleet renewal' }).waitFor();
  assert.equal(await run.getByRole('link', { name: 'Fleet renewal' }).getAttribute('href'), `/pipelines/${pipeline.id}/deals/${big.id}`);
  const outcomes = run.getByTestId('run-outcome');
  assert.deepEqual(await outcomes.evaluateAll((items) => items.map((item) => [item.getAttribute('data-action'), item.getAttribute('data-status')])), [
    ['add_tag', 'done'],
    ['create_task', 'done'],
  ]);
  assert.match((await run.textContent()) ?? '', /Done.*Fleet renewal.*Depth 1/);
  assert.equal(await run.locator('.badge--outcome-done').count(), 2);
  assert.deepEqual((await api.get(`/deals/${big.id}`)).tags, ['proposal']);
  assert.deepEqual((await api.get(`/deals/${small.id}`)).tags, []);
  await page.waitForTimeout(1_500);
  await page.getByRole('button', { name: w.reload, exact: true }).click();
  assert.equal(await runs.count(), 1, 'the deal under the amount ran nothing');

  // The dry run explains why the small deal did not qualify.
  const dryRun = page.getByTestId('dry-run');
  await dryRun.getByLabel(w.recordId).fill(small.id);
  await dryRun.getByRole('button', { name: w.test, exact: true }).click();
  await dryRun.getByText(w.wouldNotRun).waitFor();
  const check = dryRun.getByTestId('dry-run-check');
  assert.equal(await check.getAttribute('data-holds'), 'false');
  assert.match((await check.textContent()) ?? '', /Amount is at least 1,000.*The record has: 500.*Does not hold/);

  await assertLayout(page, page.getByTestId('condition-row').first());
  // The sticky header would cover the middle of a full-page capture taken scrolled down.
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreenshot(page, `${artifactsDir}automations-en.png`, { fullPage: true });

  // A save over someone else's change keeps the edits and says so; saving again goes through.
  await api.patch(`/automations/${rule.id}`, { name: 'Renamed elsewhere' }, { 'If-Match': `"${rule.version}"` });
  const editor = page.getByTestId('rule-builder');
  await editor.getByLabel(w.name, { exact: true }).fill('Big deals, edited');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await editor.getByText('Someone changed this rule since you opened it. Your edits are still here').waitFor();
  assert.equal(await editor.getByLabel(w.name, { exact: true }).inputValue(), 'Big deals, edited');
  await eventually(async () => {
    await editor.getByRole('button', { name: 'Save rule' }).click();
    await page.getByTestId('toast-success').filter({ hasText: 'Rule saved' }).waitFor({ timeout: 1_000 });
  });
  assert.equal((await api.get(`/automations/${rule.id}`)).name, 'Big deals, edited');

  // The list: the rule's sentence, and pausing it is one click.
  await page.getByRole('link', { name: 'All automations' }).click();
  const row = page.getByTestId('automation-row');
  assert.match((await row.textContent()) ?? '', /Big deals, edited.*When a deal moves into Proposal.*1 condition, 2 actions.*Active/);
  await row.getByLabel('Active').uncheck();
  await page.getByTestId('toast-success').filter({ hasText: 'Rule paused' }).waitFor();
  await row.getByLabel('Paused').waitFor();
  assert.equal((await api.get(`/automations/${rule.id}`)).active, false);
  await assertInside(row.locator('.automation-row__main, .checkbox'), row, 'a rule’s part');
});

test('automations: the same rule built and run in Persian, right to left', async ({ page, baseUrl }) => {
  const w = words.fa;
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    deals: [{ title: 'قرارداد ناوگان', amount_minor: 90_000_000 }],
  });
  await openSignedIn(page, baseUrl, pair, '/settings/automations', { locale: 'fa' });
  await page.getByRole('heading', { name: 'هنوز قاعدهٔ خودکارسازی‌ای نیست' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');

  const { builder, condition, actions } = await buildRule(page, w, 'معامله‌های بزرگ');
  await actions.nth(1).getByLabel(w.taskTitle, { exact: true }).fill('فرستادن پیشنهاد');
  // Right to left: the field comes first, on the right; the value is left of it.
  const fieldBox = await box(condition.getByLabel(w.field, { exact: true }));
  const valueBox = await box(condition.getByLabel(w.valueMinor, { exact: true }));
  assert.ok(fieldBox.x > valueBox.x, 'the field is right of its value');
  await builder.getByRole('button', { name: w.create }).click();
  await page.getByRole('heading', { name: 'معامله‌های بزرگ' }).waitFor();
  await page.getByText('وقتی معامله‌ای به Proposal می‌رود').first().waitFor();

  await move(api, deals[0], pipeline.stages[1].id);
  const run = (await waitForRun(page, w)).first();
  assert.match((await run.textContent()) ?? '', new RegExp(`${w.runDone}.*قرارداد ناوگان.*${w.depth}`));
  const outcomes = run.getByTestId('run-outcome');
  assert.deepEqual(
    (await outcomes.allTextContents()).map((text) => text.trim()),
    [`${w.outcomeAddTag}${w.runDone}`, `${w.outcomeTask}${w.runDone}`],
  );
  // The time is in Persian digits (a Jalali date), with no Latin digit left.
  const time = (await run.locator('time').textContent()) ?? '';
  assert.match(time, /[۰-۹]/);
  assert.doesNotMatch(time, /[0-9]/);
  assert.deepEqual((await api.get(`/deals/${deals[0].id}`)).tags, ['proposal']);

  const dryRun = page.getByTestId('dry-run');
  // Picked by its title rather than pasted.
  await dryRun.getByLabel('یافتن معامله با عنوانش').fill('ناوگان');
  await dryRun
    .getByTestId('dry-run-hits')
    .getByRole('button', { name: /قرارداد ناوگان/ })
    .click();
  await dryRun.getByText(w.wouldRun, { exact: true }).waitFor();
  assert.equal(await dryRun.getByLabel(w.recordId).inputValue(), deals[0].id);
  assert.match((await dryRun.getByTestId('dry-run-check').textContent()) ?? '', /مبلغ دست‌کم ۱٬۰۰۰.*مقدار رکورد: ۹۰٬۰۰۰٬۰۰۰.*برقرار است/);

  // Right to left in the log too: the status badge starts at the right edge of its run.
  const runBox = await box(run);
  const badge = await box(run.locator('.run__summary > .badge'));
  assert.ok(badge.x + badge.width > runBox.x + runBox.width - 24, 'the status badge is at the right');
  await assertLayout(page, page.getByTestId('condition-row').first());
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreenshot(page, `${artifactsDir}automations-fa.png`, { fullPage: true });
});

test('automations: a member is told rules are for admins and managers; a manager gets the menu entry', async ({ page, baseUrl }) => {
  const { api, pipeline } = await workspaceWithPipeline(baseUrl);
  const password = 'another-correct-horse';
  const memberEmail = uniqueEmail('member');
  await api.post('/users', { email: memberEmail, name: 'Bita Rahimi', role: 'member', password });
  const memberPair = await apiClient(baseUrl).post('/auth/login', { email: memberEmail, password });
  await openSignedIn(page, baseUrl, memberPair, '/settings/automations');
  await page.getByText('Only admins and managers of the workspace can manage automation rules.').waitFor();
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).waitFor();
  assert.equal(await page.getByRole('menuitem', { name: 'Automations' }).count(), 0, 'no menu entry for a member');

  const managerEmail = uniqueEmail('manager');
  await api.post('/users', { email: managerEmail, name: 'Kian Moradi', role: 'manager', password });
  const managerPair = await apiClient(baseUrl).post('/auth/login', { email: managerEmail, password });
  // Another user now: the member's session must not refresh itself over the manager's cookie.
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/sign-in`);
  await page.waitForLoadState('networkidle');
  await openSignedIn(page, baseUrl, managerPair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Automations' }).click();
  await page.getByRole('heading', { name: 'No automation rules yet' }).waitFor();
});
