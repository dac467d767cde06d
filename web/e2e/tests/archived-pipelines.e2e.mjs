import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { assertFits, desktop, phone } from '../support/phone-layout.mjs';

const words = {
  en: {
    archive: 'Archive pipeline',
    archived: 'Pipeline archived',
    restore: 'Restore pipeline Renewals',
    restored: 'Renewals restored',
    section: 'Archived pipelines',
  },
  fa: {
    archive: 'بایگانی قیف',
    archived: 'قیف بایگانی شد',
    restore: 'بازگرداندن قیف Renewals',
    restored: 'Renewals بازگردانده شد',
    section: 'قیف‌های بایگانی‌شده',
  },
};

/** The pipelines the board's switcher offers. @param {import('playwright-core').Page} page */
async function switcherNames(page) {
  return page.getByTestId('pipeline-switcher').locator('option').allTextContents();
}

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const w = words[locale];
  test(`archived pipelines (${locale}): archiving hides a pipeline from the board's switcher, settings list it apart and restore it; settings fit a phone`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, {
      currency: 'IRR',
      stages: [
        { name: locale === 'fa' ? 'سرنخ تازه' : 'Lead in', probability: 10, rotting_days: 14 },
        { name: locale === 'fa' ? 'پیشنهاد فرستاده‌شده' : 'Proposal sent', probability: 50, rotting_days: 14 },
        { name: locale === 'fa' ? 'قرارداد فرستاده‌شده' : 'Contract sent', probability: 80 },
      ],
    });
    const renewals = await api.post('/pipelines', { name: 'Renewals', currency: 'IRR', stages: [{ name: 'Due', probability: 40 }] });

    await page.setViewportSize(desktop);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${renewals.id}/settings`, { locale });
    await eventually(async () => assert.ok((await switcherNames(page)).includes('Renewals')));
    await page.getByRole('button', { name: w.archive, exact: true }).click();
    await page.getByText(w.archived, { exact: true }).waitFor();
    // The switcher offers active pipelines only.
    await eventually(async () => assert.ok(!(await switcherNames(page)).includes('Renewals')));
    assert.ok((await switcherNames(page)).includes('New business'));

    // Another pipeline's settings list the archived one apart, linking to its settings.
    await page.goto(`${baseUrl}/pipelines/${pipeline.id}/settings`);
    const archived = page.getByTestId('archived-pipelines');
    await archived.getByRole('heading', { name: w.section }).waitFor();
    assert.deepEqual(await archived.getByTestId('archived-pipeline').allTextContents(), [`Renewals${locale === 'fa' ? 'بازگرداندن قیف' : 'Restore pipeline'}`]);
    assert.equal(await archived.getByRole('link', { name: 'Renewals' }).getAttribute('href'), `/pipelines/${renewals.id}/settings`);
    await assertFits(page, ['.settings'], `${locale} settings, desktop`);
    await captureScreenshot(page, `${artifactsDir}archived-pipelines-${locale}-desktop.png`, { fullPage: true });

    // A phone: every stage row and the archived list fit the screen.
    await page.setViewportSize(phone);
    await page.waitForTimeout(200);
    await assertFits(page, ['.settings', '[data-testid="stage-row"]'], `${locale} settings, phone`);
    await captureScreenshot(page, `${artifactsDir}pipeline-settings-${locale}-phone.png`, { fullPage: true });
    await page.getByTestId('stage-row').first().scrollIntoViewIfNeeded();
    await captureScreenshot(page, `${artifactsDir}pipeline-settings-${locale}-phone-stages.png`);

    // Restored: out of the archived list, back in the switcher.
    await archived.getByRole('button', { name: w.restore, exact: true }).click();
    await page.getByText(w.restored, { exact: true }).waitFor();
    await archived.waitFor({ state: 'detached' });
    assert.equal((await api.get(`/pipelines/${renewals.id}`)).archived, false);
    await page.setViewportSize(desktop);
    await eventually(async () => assert.ok((await switcherNames(page)).includes('Renewals')));
  });
}
