import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { assertFits, desktop, phone } from '../support/phone-layout.mjs';

const words = {
  en: {
    edit: (subject) => `Edit the follow-up “${subject}”`,
    subject: 'Subject',
    dueIn: 'Due in',
    save: 'Save follow-up',
    saved: 'Follow-up “Send the revised proposal” saved',
    cancel: 'Cancel',
    two: '2',
    three: '3',
    due: 'due 3 days after entering',
  },
  fa: {
    edit: (subject) => `ویرایش پیگیری «${subject}»`,
    subject: 'موضوع',
    dueIn: 'موعد پس از',
    save: 'ذخیرهٔ پیگیری',
    saved: 'پیگیری «Send the revised proposal» ذخیره شد',
    cancel: 'انصراف',
    two: '۲',
    three: '۳',
    due: 'موعد ۳ روز پس از ورود',
  },
};

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const w = words[locale];
  test(`stage follow-ups (${locale}): a follow-up task is edited in place (subject, delay), desktop and phone`, async ({ page, baseUrl }) => {
    const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
    const proposal = pipeline.stages[1];
    await api.post(`/stages/${proposal.id}/task-templates`, { subject: 'Send the proposal', kind: 'email', priority: 'high', due_in_hours: 48 });

    await page.setViewportSize(desktop);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}/settings`, { locale });
    await page.getByTestId('stage-row').nth(1).getByTestId('stage-rules').locator('summary').click();
    const templates = page.getByTestId('stage-row').nth(1).getByTestId('task-templates');
    await templates.getByRole('button', { name: w.edit('Send the proposal'), exact: true }).click();

    // The form holds the follow-up as it is: 48 hours read as 2 days.
    const form = templates.getByTestId('task-template-edit');
    assert.equal(await form.getByLabel(w.subject, { exact: true }).inputValue(), 'Send the proposal');
    assert.equal(await form.getByLabel(w.dueIn, { exact: true }).inputValue(), w.two);
    await form.getByLabel(w.subject, { exact: true }).fill('Send the revised proposal');
    await form.getByLabel(w.dueIn, { exact: true }).fill(w.three);
    await form.getByRole('button', { name: w.save, exact: true }).click();
    await page.getByText(w.saved, { exact: true }).waitFor();
    await form.waitFor({ state: 'detached' });
    await templates.getByTestId('task-template').filter({ hasText: 'Send the revised proposal' }).getByText(w.due).waitFor();
    const [stored] = (await api.get(`/stages/${proposal.id}/task-templates`)).data;
    assert.deepEqual([stored.subject, stored.kind, stored.priority, stored.due_in_hours], ['Send the revised proposal', 'email', 'high', 72]);
    await assertFits(page, ['.settings'], `${locale} desktop`);

    // On a phone the edit form wraps inside its stage; cancelling leaves the follow-up as it was.
    await page.setViewportSize(phone);
    await templates.getByRole('button', { name: w.edit('Send the revised proposal'), exact: true }).click();
    await form.waitFor();
    await eventually(async () => assertFits(page, ['.settings', '[data-testid="stage-row"]'], `${locale} phone`));
    await form.scrollIntoViewIfNeeded();
    await captureScreenshot(page, `${artifactsDir}task-template-edit-${locale}-phone.png`);
    await form.getByRole('button', { name: w.cancel, exact: true }).click();
    await form.waitFor({ state: 'detached' });
    assert.equal((await api.get(`/stages/${proposal.id}/task-templates`)).data[0].due_in_hours, 72);
  });
}
