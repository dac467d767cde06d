import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { columnTitles, eventually, moveWithKeyboard, openSignedIn } from '../support/board.mjs';
import { workspaceWithLeads, workspaceWithPipeline } from '../support/fixtures.mjs';

/** The browser's local date (YYYY-MM-DD) and time (HH:mm) now: due now is always in today's bucket. */
async function localNow(page) {
  return page.evaluate(() => {
    const now = new Date();
    const pad = (value) => String(value).padStart(2, '0');
    return { date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`, time: `${pad(now.getHours())}:${pad(now.getMinutes())}` };
  });
}

const activityRow = (scope, subject) => scope.locator('[data-testid="activity"]', { has: scope.page().locator('.activity__title', { hasText: subject }) });

test('a task made in the deal drawer is on the agenda today, and is completed (and undone) there', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal' }] });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/deals/${deals[0].id}`);
  const section = page.getByTestId('deal-drawer').getByTestId('activity-section');
  await section.getByRole('button', { name: '+ New task' }).click();
  const form = section.getByTestId('activity-form');

  // A blank subject goes to the server, and its field error shows under the field.
  await form.getByLabel('Subject').fill('');
  await form.getByRole('button', { name: 'Add task' }).click();
  await form.locator('.field--invalid', { hasText: 'Subject' }).locator('.field__error').waitFor();

  const now = await localNow(page);
  await form.getByLabel('Subject').fill('Call about the fleet quote');
  await form.getByLabel('Priority').selectOption('high');
  await form.getByLabel('Due date').fill(now.date);
  await form.getByLabel('Due time').fill(now.time);
  await form.getByRole('button', { name: 'Add task' }).click();
  await page.getByTestId('toast-success').filter({ hasText: '“Call about the fleet quote” added' }).waitFor();
  await activityRow(section, 'Call about the fleet quote').waitFor();
  const [created] = (await api.get(`/activities?deal_id=${deals[0].id}`)).data;
  assert.equal(created.kind, 'task');
  assert.equal(created.priority, 'high');
  assert.equal(created.deal_id, deals[0].id);

  // The agenda, from the header: under today, with what it is about linking back to the deal.
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agenda' }).click();
  await page.waitForURL(/\/agenda$/);
  const today = page.getByTestId('agenda-today');
  const row = activityRow(today, 'Call about the fleet quote');
  await row.waitFor();
  await row.getByText('High priority').waitFor();
  assert.match((await row.getByTestId('activity-due').textContent()) ?? '', /^Due /);
  await row.getByRole('link', { name: 'About Fleet renewal' }).waitFor();
  assert.equal(await page.getByTestId('agenda-overdue').getByTestId('activity').count(), 0);

  // Completing: checked at once, done on the server; unchecking opens it again.
  const check = row.getByRole('checkbox', { name: 'Mark “Call about the fleet quote” done' });
  await check.check();
  assert.equal(await row.getAttribute('data-done'), 'true');
  await eventually(async () => assert.ok((await api.get(`/activities/${created.id}`)).done_at));
  await page.getByTestId('toast-success').filter({ hasText: '“Call about the fleet quote” is done' }).waitFor();
  await page.getByTestId('agenda-count').getByText('Nothing left to do').waitFor();
  await check.uncheck();
  await eventually(async () => assert.equal((await api.get(`/activities/${created.id}`)).done_at, null));
  await check.check();
  await eventually(async () => assert.ok((await api.get(`/activities/${created.id}`)).done_at));

  // Read again, the agenda no longer has it; the link opens the deal drawer.
  await page.reload();
  await page.getByTestId('agenda-count').getByText('Nothing left to do').waitFor();
  assert.equal(await page.getByTestId('activity').count(), 0);
});

test('a failed completion rolls back', async ({ page, baseUrl }) => {
  const { pair, api, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal' }] });
  const task = await api.post('/activities', { kind: 'task', subject: 'Send the contract', deal_id: deals[0].id, due_at: new Date().toISOString() });
  await openSignedIn(page, baseUrl, pair, '/agenda');
  const row = activityRow(page.getByTestId('agenda-today'), 'Send the contract');
  await row.getByRole('link', { name: 'About Fleet renewal' }).waitFor();
  // Someone else edits it meanwhile: the version the agenda read is stale, and the API refuses.
  await api.patch(`/activities/${task.id}`, { priority: 'high', version: task.version });
  // The refusal comes back so fast that the box may already be unchecked again: click, not check.
  await row.getByRole('checkbox').click();
  await page.getByTestId('toast-error').filter({ hasText: '“Send the contract” could not be changed' }).waitFor();
  await eventually(async () => assert.equal(await row.getAttribute('data-done'), 'false'));
  assert.equal((await api.get(`/activities/${task.id}`)).done_at, null);

  // The link opens the deal in its drawer on the board.
  await row.getByRole('link', { name: 'About Fleet renewal' }).click();
  await page.getByTestId('deal-drawer').waitFor();
  await activityRow(page.getByTestId('activity-section'), 'Send the contract').waitFor();
});

test('a stage’s follow-up tasks: set in stage settings, created when a deal is moved into the stage', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Warehouse sensors' }] });
  const proposal = pipeline.stages[1];
  await api.post(`/stages/${proposal.id}/task-templates`, { subject: 'Send the proposal', kind: 'email', priority: 'high', due_in_hours: 0 });

  // The settings screen lists it; one more is added and one deleted through the UI.
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/settings`);
  // A stage's entry rules and follow-ups are folded under its row.
  await page.getByTestId('stage-row').nth(1).getByTestId('stage-rules').locator('summary').click();
  const templates = page.getByTestId('stage-row').nth(1).getByTestId('task-templates');
  await templates.getByTestId('task-template').filter({ hasText: 'Send the proposal' }).waitFor();
  const form = templates.getByTestId('task-template-form');
  await form.getByLabel('Subject').fill('Book a demo');
  await form.getByLabel('Kind').selectOption('meeting');
  await form.getByLabel('Due in').fill('2');
  await form.getByLabel('Unit').selectOption('days');
  await form.getByRole('button', { name: 'Add follow-up' }).click();
  await templates.getByTestId('task-template').filter({ hasText: 'Book a demo' }).getByText('due 2 days after entering').waitFor();
  await form.getByLabel('Subject').fill('Throwaway');
  await form.getByLabel('Due in').fill('5');
  await form.getByRole('button', { name: 'Add follow-up' }).click();
  await templates.getByRole('button', { name: 'Delete the follow-up “Throwaway”' }).click();
  await eventually(async () => assert.equal(await templates.getByTestId('task-template').count(), 2));
  const stored = (await api.get(`/stages/${proposal.id}/task-templates`)).data;
  assert.deepEqual(
    stored.map((template) => [template.subject, template.kind, template.due_in_hours]),
    [
      ['Send the proposal', 'email', 0],
      ['Book a demo', 'meeting', 48],
    ],
  );

  // Moving the card into the stage on the board gives the deal both tasks.
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}`);
  await moveWithKeyboard(page, 'Warehouse sensors', ['ArrowRight']);
  await eventually(async () => assert.deepEqual(await columnTitles(page, 1), ['Warehouse sensors']));
  await eventually(async () => assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, proposal.id));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agenda' }).click();
  const today = activityRow(page.getByTestId('agenda-today'), 'Send the proposal');
  await today.getByRole('link', { name: 'About Warehouse sensors' }).waitFor();
  await today.getByText('Follow-up of the stage').waitFor();
  await today.getByText('Email').waitFor();
  await activityRow(page.getByTestId('agenda-upcoming'), 'Book a demo').getByText('in 2 days').waitFor();
});

test('the lead drawer logs a call against the lead', async ({ page, baseUrl }) => {
  const { pair, api, leads } = await workspaceWithLeads(baseUrl, { leads: [{ name: 'Reza Karimi', email: 'reza@example.com' }] });
  await openSignedIn(page, baseUrl, pair, `/leads/${leads[0].id}`);
  const section = page.getByTestId('lead-drawer').getByTestId('activity-section');
  await section.getByText('No activities yet.').waitFor();
  await section.getByRole('button', { name: 'Log activity' }).click();
  const form = section.getByTestId('activity-form');
  await form.getByLabel('Subject').fill('Introductory call');
  await form.getByLabel('Notes').fill('Wants a demo next week');
  await form.getByRole('button', { name: 'Log it' }).click();
  const row = activityRow(section, 'Introductory call');
  await row.getByText(/^Done /).waitFor();
  await row.getByText('Wants a demo next week').waitFor();
  const [logged] = (await api.get(`/activities?lead_id=${leads[0].id}`)).data;
  assert.equal(logged.kind, 'call');
  assert.ok(logged.done_at);
  assert.equal(logged.due_at, null);
});

test('the agenda in Persian: right to left, Persian digits, Jalali dates', async ({ page, baseUrl }) => {
  const { pair, api, deals } = await workspaceWithPipeline(baseUrl, { currency: 'IRR', deals: [{ title: 'قرارداد ناوگان' }] });
  const hour = 3_600_000;
  const now = Date.now();
  await api.post('/activities', { kind: 'task', subject: 'پیگیری پیش‌فاکتور', deal_id: deals[0].id, due_at: new Date(now).toISOString(), priority: 'high' });
  await api.post('/activities', { kind: 'call', subject: 'تماس با مدیر خرید', deal_id: deals[0].id, due_at: new Date(now - 50 * hour).toISOString() });
  await api.post('/activities', { kind: 'meeting', subject: 'جلسهٔ نمایش', deal_id: deals[0].id, due_at: new Date(now + 74 * hour).toISOString() });
  await openSignedIn(page, baseUrl, pair, '/agenda', { locale: 'fa' });

  await page.getByRole('heading', { name: 'کارها', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fa');
  const today = activityRow(page.getByTestId('agenda-today'), 'پیگیری پیش‌فاکتور');
  await today.getByText('اولویت بالا').waitFor();
  await today.getByRole('link', { name: 'دربارهٔ قرارداد ناوگان' }).waitFor();
  await activityRow(page.getByTestId('agenda-overdue'), 'تماس با مدیر خرید').getByText('تماس').first().waitFor();
  await activityRow(page.getByTestId('agenda-upcoming'), 'جلسهٔ نمایش').waitFor();

  for (const due of await page.getByTestId('activity-due').allTextContents()) {
    assert.match(due, /[۰-۹]/, `Persian digits in "${due}"`);
    assert.doesNotMatch(due, /[0-9]/, `no Latin digits in "${due}"`);
    assert.match(due, /فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند/, `a Jalali month in "${due}"`);
  }
  const count = (await page.getByTestId('agenda-count').textContent()) ?? '';
  assert.match(count, /۳/);

  // Right to left: the checkbox sits at the row's right edge.
  const row = await today.boundingBox();
  const box = await today.getByRole('checkbox').boundingBox();
  assert.ok(row && box && box.x > row.x + row.width / 2, 'the checkbox is on the right');
  await page.screenshot({ path: `${artifactsDir}agenda-fa.png`, fullPage: true });
});
