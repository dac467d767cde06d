import assert from 'node:assert/strict';
import { artifactsDir, test } from '../support/harness.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { assertFits, desktop, phone } from '../support/phone-layout.mjs';

const words = {
  en: {
    account: 'Account',
    nav: 'Opportunities',
    open: 'Open',
    won: 'Won',
    oneDeal: '1 deal',
    twoDeals: '2 deals',
    title: 'Title',
    amount: /^Amount/,
    close: 'Expected close date',
    add: 'Add deal',
    added: 'Deal “Second phase” added.',
    amountTyped: '2500',
    closeTyped: '2027-01-10',
    amountShown: '2,500 Rial',
    // Rials in English, tomans (ten rials) in Persian.
    amountMinor: 2_500,
  },
  fa: {
    account: 'حساب کاربری',
    nav: 'فرصت‌ها',
    open: 'باز',
    won: 'موفق',
    oneDeal: '۱ معامله',
    twoDeals: '۲ معامله',
    title: 'عنوان',
    amount: /^مبلغ/,
    close: 'تاریخ پیش‌بینی‌شدهٔ بستن',
    add: 'افزودن معامله',
    added: 'معاملهٔ «Second phase» افزوده شد.',
    amountTyped: '۲۵۰۰',
    closeTyped: '۱۴۰۵/۱۰/۲۰',
    amountShown: '۲٬۵۰۰ تومان',
    amountMinor: 25_000,
  },
};

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  const w = words[locale];
  test(`opportunities (${locale}): the list from the account menu, an opportunity's page with its deals and derived status, adding a deal, desktop and phone`, async ({
    page,
    baseUrl,
  }) => {
    const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, { currency: 'IRR' });
    const lead = await api.post('/leads', { name: 'Sara Ahmadi', company: 'Pars Logistics' });
    await api.post(`/leads/${lead.id}/qualify`, {
      pipeline_id: pipeline.id,
      title: 'Fleet renewal',
      need: 'Twelve refrigerated trucks',
      amount_minor: 3_000_000,
      version: lead.version,
    });
    const [opportunity] = (await api.get('/opportunities')).data;

    // The account menu leads to the list: the opportunity, open, with its one deal.
    await page.setViewportSize(desktop);
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`, { locale });
    await page.getByRole('button', { name: w.account, exact: true }).click();
    await page.getByRole('menuitem', { name: w.nav, exact: true }).click();
    await page.waitForURL(/\/opportunities$/);
    const item = page.getByTestId('opportunity-item');
    await item.waitFor();
    assert.equal(await item.count(), 1);
    assert.equal((await item.getByTestId('opportunity-status').textContent())?.trim(), w.open);
    assert.equal((await item.getByTestId('opportunity-deal-count').textContent())?.trim(), w.oneDeal);
    await assertFits(page, ['.opportunities'], `${locale} list, desktop`);

    // Its page: what the lead needed, its deal linking to the board.
    await item.getByRole('link', { name: 'Fleet renewal' }).click();
    await page.waitForURL(new RegExp(`/opportunities/${opportunity.id}$`));
    await page.getByTestId('opportunity-facts').getByText('Twelve refrigerated trucks').waitFor();
    const deals = page.getByTestId('opportunity-deal');
    await eventually(async () => assert.equal(await deals.count(), 1));

    // Another deal, the amount in the language's digits (tomans in Persian) and a date in its calendar.
    const form = page.getByTestId('opportunity-add-deal');
    await form.getByLabel(w.title, { exact: true }).fill('Second phase');
    await form.getByLabel(w.amount).fill(w.amountTyped);
    await form.getByLabel(w.close, { exact: true }).fill(w.closeTyped);
    await form.getByRole('button', { name: w.add, exact: true }).click();
    await page.getByText(w.added).waitFor();
    await eventually(async () => assert.equal(await deals.count(), 2));
    const added = deals.filter({ hasText: 'Second phase' });
    assert.equal(((await added.locator('.opportunity-deal__amount').textContent()) ?? '').trim(), w.amountShown);
    const stored = (await api.get(`/opportunities/${opportunity.id}`)).deals.find((deal) => deal.title === 'Second phase');
    assert.deepEqual([stored.amount_minor, stored.expected_close_date, stored.opportunity_id], [w.amountMinor, '2027-01-10', opportunity.id]);
    assert.equal(await added.getByRole('link').getAttribute('href'), `/pipelines/${pipeline.id}/deals/${stored.id}`);
    await assertFits(page, ['.opportunities'], `${locale} page, desktop`);
    await captureScreenshot(page, `${artifactsDir}opportunity-${locale}-desktop.png`, { fullPage: true });

    // One deal won: the opportunity is won.
    const first = (await api.get(`/opportunities/${opportunity.id}`)).deals.find((deal) => deal.title !== 'Second phase');
    await api.post(`/deals/${first.id}/win`, undefined, { 'if-match': `"${first.version}"` });
    await page.reload();
    await eventually(async () =>
      assert.equal((await page.getByTestId('opportunity-page').getByTestId('opportunity-status').first().textContent())?.trim(), w.won),
    );

    // A phone: the list from the menu, and the page, fit the screen.
    await page.setViewportSize(phone);
    await page.getByTestId('phone-menu-button').click();
    await page.getByTestId('phone-menu').getByRole('button', { name: w.nav, exact: true }).click();
    await page.waitForURL(/\/opportunities$/);
    await item.waitFor();
    assert.equal((await item.getByTestId('opportunity-deal-count').textContent())?.trim(), w.twoDeals);
    await assertFits(page, ['.opportunities'], `${locale} list, phone`);
    await captureScreenshot(page, `${artifactsDir}opportunities-${locale}-phone.png`);
    await item.getByRole('link', { name: 'Fleet renewal' }).click();
    await eventually(async () => assert.equal(await deals.count(), 2));
    await assertFits(page, ['.opportunities'], `${locale} page, phone`);
    await captureScreenshot(page, `${artifactsDir}opportunity-${locale}-phone.png`, { fullPage: true });
  });
}
