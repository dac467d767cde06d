import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { column, eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { overflowProblems } from '../support/layout.mjs';

/**
 * The stages read as a compact list: one line per stage (its name, probability, rotting days and
 * buttons side by side), nothing sticking out of a stage's box or the section, and the section
 * short enough to take in at once.
 * @param {import('playwright-core').Page} page
 */
async function assertStagesCompact(page, language) {
  const problems = [...(await overflowProblems(page, '[data-testid="stage-row"]')), ...(await overflowProblems(page, '.settings__section'))];
  const rows = await page.getByTestId('stage-row').evaluateAll((elements) =>
    elements.map((row) => {
      const centre = (element) => {
        const box = element.getBoundingClientRect();
        return box.top + box.height / 2;
      };
      const parts = [...row.querySelectorAll('.stage-line__form input, .stage-line__actions button')];
      const centres = parts.map(centre);
      return {
        parts: parts.length,
        spread: Math.max(...centres) - Math.min(...centres),
        height: row.getBoundingClientRect().height,
        // A field's error message adds its line under the field.
        hasError: row.querySelector('.field__error') !== null,
      };
    }),
  );
  for (const [index, row] of rows.entries()) {
    if (row.parts < 7) problems.push(`stage ${index + 1}: ${row.parts} inputs and buttons found`);
    if (row.spread > 4) problems.push(`stage ${index + 1}: its inputs and buttons are not on one line (${row.spread.toFixed(1)}px apart)`);
    if (row.height > (row.hasError ? 130 : 100)) problems.push(`stage ${index + 1} is ${Math.round(row.height)}px tall`);
  }
  const list = await page.getByTestId('stage-list').boundingBox();
  if (!list || list.height > rows.length * 100 + 40) problems.push(`the stage list is ${list?.height}px tall for ${rows.length} stages`);
  assert.deepEqual(problems, [], `${language}: the stages are compact`);
}

test('pipeline settings add, rename, reorder and delete stages', async ({ page, baseUrl }) => {
  const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, {
    deals: [{ title: 'Fleet renewal', stage: 1 }],
  });
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('link', { name: 'Pipeline settings' }).click();
  await page.getByRole('heading', { name: 'Settings of “New business”' }).waitFor();
  const rows = page.getByTestId('stage-row');
  assert.equal(await rows.count(), 3);

  // Rename the first stage and give it rotting days.
  await rows.nth(0).getByLabel('Name').fill('Qualified lead');
  await rows.nth(0).getByLabel('Rotting after (days)').fill('7');
  await rows.nth(0).getByRole('button', { name: 'Save stage' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Stage “Qualified lead” saved' }).waitFor();

  // A probability out of range is refused by the server, with its message next to the field.
  await rows.nth(1).getByLabel('Probability (%)').fill('140');
  await rows.nth(1).getByRole('button', { name: 'Save stage' }).click();
  await rows.nth(1).locator('.field--invalid .field__error').waitFor();

  // Add a stage at the end, then move it one place earlier.
  const add = page.locator('.add-stage');
  await add.getByLabel('Name').fill('Contract sent');
  await add.getByLabel('Probability (%)').fill('90');
  await add.getByRole('button', { name: 'Add stage' }).click();
  await eventually(async () => assert.equal(await rows.count(), 4));
  await page.getByRole('button', { name: 'Move “Contract sent” earlier' }).click();
  await eventually(async () => assert.equal(await rows.nth(2).getByLabel('Name').inputValue(), 'Contract sent'));
  await assertStagesCompact(page, 'English');
  // A stage's entry rules and follow-ups fold under it; opened, they stay inside its box.
  await rows.nth(1).getByText('Entry rules and follow-up tasks').click();
  await rows.nth(1).getByTestId('required-fields-editor').getByLabel('Amount').waitFor();
  assert.deepEqual(await overflowProblems(page, '[data-testid="stage-row"]'), [], 'an opened stage keeps its rules inside its box');
  await captureScreenshot(page, `${artifactsDir}settings-en.png`, { fullPage: true });
  await rows.nth(1).getByText('Entry rules and follow-up tasks').click();

  // Delete "Proposal", which holds a deal, moving its deals to "Qualified lead".
  await page.getByRole('button', { name: 'Delete stage “Proposal”' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the stage “Proposal”?' });
  await dialog.getByLabel('Move its deals to').selectOption({ label: 'Qualified lead' });
  await dialog.getByRole('button', { name: 'Delete stage' }).click();
  await eventually(async () => assert.equal(await rows.count(), 3));

  const stored = await api.get(`/pipelines/${pipeline.id}`);
  assert.deepEqual(
    stored.stages.map((stage) => [stage.name, stage.probability, stage.rotting_days ?? null]),
    [
      ['Qualified lead', 10, 7],
      ['Contract sent', 90, null],
      ['Negotiation', 80, null],
    ],
  );
  assert.equal((await api.get(`/deals/${deals[0].id}`)).stage_id, stored.stages[0].id);

  // The board follows.
  await page.getByRole('link', { name: 'Back to the board' }).click();
  await column(page, 0).getByText('Fleet renewal').waitFor();
  assert.equal(await column(page, 1).locator('.column__title').textContent(), 'Contract sent');

  // In Persian the stages are as compact, right to left.
  await page.goto(`${baseUrl}/pipelines/${pipeline.id}/settings`);
  await page.getByRole('button', { name: 'فارسی' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl'));
  await page.getByText('شرط‌های ورود و کارهای پیگیری').first().waitFor();
  await assertStagesCompact(page, 'Persian');
  const number = await rows.first().locator('.stage-line__number').boundingBox();
  const name = await rows.first().getByLabel('نام').boundingBox();
  assert.ok(number && name && number.x > name.x, 'the stage number is at the right, before its name');
  await captureScreenshot(page, `${artifactsDir}settings-fa.png`, { fullPage: true });
});
