import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { column, eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

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
  await page.screenshot({ path: `${artifactsDir}settings-en.png`, fullPage: true });

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
});
