// The screens walk: every screen of the SPA, in English and Persian, at desktop and phone sizes,
// filled with a workspace's realistic data. On each, axe finds no serious or critical violation,
// nothing overflows the screen sideways, and a screenshot `<screen>-<lang>-<size>.png` is saved
// in e2e/artifacts/ for a reviewer to look at (README's screenshots are refreshed from them:
// `npm run screenshots`). A new screen is one more line in `screens`.
import assert from 'node:assert/strict';
import { accessibilityProblems } from '../support/a11y.mjs';
import { apiClient } from '../support/api.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { holdRefreshToken, uniqueEmail } from '../support/board.mjs';
import { demoBoard } from '../support/demo-board.mjs';
import { assertFitsWidth, phone } from '../support/layout.mjs';

const sizes = { desktop: { width: 1440, height: 900 }, phone };

/** What the workspace holds, in each language: people, companies, leads, notes. */
const content = {
  en: {
    member: 'Bita Rahimi',
    organizations: ['Pars Logistics', 'Caspian Foods'],
    contacts: ['Omid Tehrani', 'Narges Moradi', 'Reza Karimi'],
    leads: ['Mina Rahimi', 'Kian Farahani', 'Leila Sadeghi', 'Arash Kamali', 'Parisa Nouri'],
    company: 'Alborz Pharma',
    tasks: ['Send the revised quote', 'Call the purchasing manager', 'Product demo', 'Visit notes: they want 80 trucks'],
    lostReason: 'Price too high',
    product: ['GPS tracker T4', 'GPS-T4'],
    template: ['Proposal follow-up', 'Your quote, {{contact.first_name}}', 'Hello {{contact.first_name}},\nour quote for {{deal.title}} is {{deal.amount}}.'],
    view: 'Hot leads from the website',
    automation: 'Follow up big proposals',
    field: 'Fleet size',
    query: 'Pars',
    rules: ['Came through the website', 'Reachable by phone'],
    archived: 'Trade fair 2025',
    documents: {
      seller: 'Pars Trading Co.',
      address: '12 Vali-e Asr Ave, Tehran',
      lines: [
        ['GPS tracker T4', '12', 125_000_000],
        ['Installation', '1', 40_000_000],
      ],
    },
  },
  fa: {
    member: 'بیتا رحیمی',
    organizations: ['لجستیک پارس', 'غذای کاسپین'],
    contacts: ['امید تهرانی', 'نرگس مرادی', 'رضا کریمی'],
    leads: ['مینا رحیمی', 'کیان فراهانی', 'لیلا صادقی', 'آرش کمالی', 'پریسا نوری'],
    company: 'داروسازی البرز',
    tasks: ['فرستادن پیش‌فاکتور تازه', 'تماس با مدیر خرید', 'جلسهٔ نمایش محصول', 'یادداشت بازدید: ۸۰ کامیون می‌خواهند'],
    lostReason: 'قیمت بالا',
    product: ['ردیاب خودرو T4', 'GPS-T4'],
    template: ['پیگیری پیشنهاد', 'پیشنهاد ما، {{contact.first_name}}', '{{contact.first_name}} عزیز،\nپیشنهاد ما برای {{deal.title}} {{deal.amount}} است.'],
    view: 'سرنخ‌های داغ از وب‌سایت',
    automation: 'پیگیری پیشنهادهای بزرگ',
    field: 'تعداد ناوگان',
    query: 'پارس',
    rules: ['از وب‌سایت آمده', 'تلفن دارد'],
    archived: 'نمایشگاه ۱۴۰۴',
    documents: {
      seller: 'بازرگانی پارس',
      address: 'تهران، خیابان ولیعصر، پلاک ۱۲',
      lines: [
        ['ردیاب خودرو T4', '12', 125_000_000],
        ['نصب و راه‌اندازی', '1', 40_000_000],
      ],
    },
  },
};

/**
 * A workspace as a team would have it after a few weeks: the demo's eight-stage board, a second
 * member, customers, leads in every state, activities (one given to the admin, which rings the
 * bell), a won and a lost deal, an email, a webhook, an automation, a saved view, custom fields,
 * an exchange rate and API keys. All through the API.
 * @param {string} baseUrl
 * @param {'en' | 'fa'} locale
 */
async function teamWorkspace(baseUrl, locale) {
  const text = content[locale];
  const { pair, api, pipeline, deals } = await demoBoard(baseUrl, locale);
  const me = await api.get('/me');
  const email = uniqueEmail('bita');
  const password = 'another-correct-horse';
  if (locale === 'fa') {
    await api.patch(`/pipelines/${pipeline.id}`, { name: 'فروش سازمانی', version: pipeline.version });
    await api.patch('/workspace', { name: 'بازرگانی پارس', time_zone: 'Asia/Tehran' });
  }
  await api.put('/scoring-rules', {
    rules: [
      { name: text.rules[0], condition: { kind: 'source_in', sources: ['website'] }, points: 20 },
      { name: text.rules[1], condition: { kind: 'field_present', field: 'phone' }, points: 10 },
    ],
  });
  const member = await api.post('/users', { email, name: text.member, role: 'member', password });
  const memberApi = apiClient(baseUrl, (await apiClient(baseUrl).post('/auth/login', { email, password })).access_token);

  await api.post('/custom-fields', { entity: 'contact', key: 'fleet_size', label: text.field, kind: 'number' });
  await api.post('/custom-fields', { entity: 'deal', key: 'fleet_size', label: text.field, kind: 'number' });
  const organizations = [];
  for (const [index, name] of text.organizations.entries()) {
    organizations.push(await api.post('/organizations', { name, domain: `org${index}.example.ir`, city: 'Tehran', country: 'IR' }));
  }
  const contacts = [];
  for (const [index, name] of text.contacts.entries()) {
    contacts.push(
      await api.post('/contacts', {
        name,
        email: `contact${index}@org${index % 2}.example.ir`,
        phone: `0912 123 45${index}0`,
        city: 'Tehran',
        country: 'IR',
        organization_id: organizations[index % 2].id,
        custom_fields: { fleet_size: 40 + index },
        tags: index === 0 ? ['vip'] : [],
      }),
    );
  }
  const leads = [];
  for (const [index, name] of text.leads.entries()) {
    leads.push(
      await api.post('/leads', {
        name,
        company: text.company,
        email: `lead${index}@example.ir`,
        phone: `0935 000 00${index}0`,
        source: index % 2 === 0 ? 'website' : 'referral',
        tags: index === 0 ? ['hot'] : [],
      }),
    );
  }
  await api.patch(`/leads/${leads[1].id}`, { status: 'working', version: leads[1].version });
  await api.post(`/leads/${leads[2].id}/disqualify`, { reason: 'no_budget' });
  const qualified = await api.post(`/leads/${leads[3].id}/qualify`, { pipeline_id: pipeline.id, amount_minor: 900_000_000, version: leads[3].version });
  // Last year's pipeline, archived: pipeline settings lists it apart.
  const old = await api.post('/pipelines', { name: text.archived, currency: pipeline.currency, stages: [{ name: text.archived, probability: 50 }] });
  await api.patch(`/pipelines/${old.id}`, { archived: true, version: old.version });

  const hour = 3_600_000;
  const [quote, call, demo, note] = text.tasks;
  await api.post('/activities', { kind: 'task', subject: quote, deal_id: deals[0].id, due_at: new Date(Date.now() + hour).toISOString(), priority: 'high' });
  await api.post('/activities', { kind: 'call', subject: call, deal_id: deals[1].id, due_at: new Date(Date.now() - 50 * hour).toISOString() });
  await api.post('/activities', { kind: 'meeting', subject: demo, contact_id: contacts[0].id, due_at: new Date(Date.now() + 74 * hour).toISOString() });
  await api.post('/activities', { kind: 'note', subject: note, lead_id: leads[0].id });
  // The member gives the admin a task: the admin's bell has something to show.
  await memberApi.post('/activities', {
    kind: 'task',
    subject: quote,
    lead_id: leads[0].id,
    owner_id: me.user.id,
    due_at: new Date(Date.now() + 26 * hour).toISOString(),
  });

  const lostReason = await api.post('/lost-reasons', { name: text.lostReason });
  await api.post('/products', { name: text.product[0], sku: text.product[1], unit_price_minor: 125_000_000, tax_rate_bp: 1000 });
  const [won, lost] = [deals[deals.length - 1], deals[deals.length - 2]];
  await api.post(`/deals/${won.id}/win`, undefined, { 'if-match': `"${won.version}"` });
  await api.post(`/deals/${lost.id}/lose`, { reason_id: lostReason.id, version: lost.version });

  const [templateName, subject, body] = text.template;
  await api.post('/email-templates', { name: templateName, locale, subject, body });
  await api.post(`/contacts/${contacts[0].id}/emails`, { subject, body });
  const { webhook } = await api.post('/webhooks', {
    url: 'http://127.0.0.1:9/kariz-hook',
    description: 'ERP',
    event_types: ['deal.stage_changed', 'deal.won'],
  });
  const automation = await api.post('/automations', {
    name: text.automation,
    trigger: { type: 'deal.stage_changed', stage_id: pipeline.stages[4].id },
    conditions: [{ field: 'amount_minor', op: 'gte', value: 100_000_000 }],
    actions: [{ type: 'create_task', title: quote, due_in_days: 2 }],
  });
  await api.post('/views', { entity: 'leads', name: text.view, filters: { source: 'website' }, shared: true });
  await api.post('/exchange-rates', { currency: 'USD', rate_date: new Date().toISOString().slice(0, 10), rate: '820000' });
  // The first deal priced line by line, quoted (sent) and billed (issued, part paid); the seller on the documents.
  await api.patch('/workspace/documents', { legal_name: text.documents.seller, economic_code: '4111-2222-3333', address: text.documents.address, version: 0 });
  const priced = await api.get(`/deals/${deals[0].id}`);
  await api.put(
    `/deals/${priced.id}/line-items`,
    { items: text.documents.lines.map(([name, quantity, price]) => ({ name, quantity, unit_price_minor: price, tax_rate_bp: 1000 })) },
    { 'if-match': `"${priced.version}"` },
  );
  const buyer = { name: text.organizations[0], phone: '+982188776655' };
  const sentQuote = await api.post(`/deals/${priced.id}/quotes`, { buyer });
  await api.post(`/quotes/${sentQuote.id}/send`, undefined);
  const invoice = await api.post(`/deals/${priced.id}/invoices`, { buyer });
  await api.post(`/invoices/${invoice.id}/issue`, {});
  await api.post(`/invoices/${invoice.id}/payments`, { amount_minor: 500_000_000, method: 'bank_transfer', reference: '88123' });
  await api.post('/api-keys', { name: 'ERP sync', scopes: ['write'] });
  await api.post('/api-keys', { name: 'Website form', scopes: ['intake'] });
  return {
    pair,
    pipeline,
    deals,
    lead: leads[0],
    contact: contacts[0],
    organization: organizations[0],
    opportunity: qualified.opportunity,
    webhook,
    automation,
    member,
    quote: sentQuote,
    invoice,
  };
}

/** @typedef {Awaited<ReturnType<typeof teamWorkspace>>} Workspace */
/** @typedef {import('playwright-core').Page} Page */

/** Opens the bell's panel. @param {Page} page */
async function openNotifications(page) {
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-item').first().waitFor();
}

/** Types into the search box (the header's, or on a phone the menu's) and waits for hits. @param {Page} page */
async function searchFor(page, locale) {
  if (!(await page.locator('.header > .global-search [role="combobox"]').isVisible())) await page.getByTestId('phone-menu-button').click();
  const box = page.locator('[role="combobox"]:visible').first();
  await box.click();
  await box.pressSequentially(content[locale].query, { delay: 20 });
  await page.getByRole('listbox').getByRole('option').first().waitFor();
}

/** Opens the account menu, or on a phone the menu panel. @param {Page} page */
async function openMenu(page) {
  const phoneMenu = page.getByTestId('phone-menu-button');
  if (await phoneMenu.isVisible()) {
    await phoneMenu.click();
    await page.getByTestId('phone-menu').waitFor();
  } else {
    await page.locator('.header__account button[aria-haspopup]').click();
    await page.getByRole('menuitem').first().waitFor();
  }
}

/** Opens the form that saves the lead inbox's filters as a view (the shared view is in its list). @param {Page} page */
async function openSaveView(page) {
  await page.getByTestId('saved-views').locator('button').first().click();
  await page.getByTestId('view-form').waitFor();
}

/** Opens the lead inbox's CSV import wizard. @param {Page} page @param {'en' | 'fa'} locale */
async function openLeadImport(page, locale) {
  await page.getByRole('button', { name: locale === 'fa' ? 'وارد کردن CSV' : 'Import CSV' }).click();
  await page.getByRole('dialog').waitFor();
}

/** Clicks the first element matching `selector` (a button) and waits for the form it opens. */
function press(selector, formTestId) {
  return async (/** @type {Page} */ page) => {
    await page.locator(selector).first().click();
    await page.getByTestId(formTestId).waitFor();
  };
}

/**
 * Every screen: its artifact name, where it is, what shows it has loaded, and what to open on it
 * (a panel, a menu). `signedOut` screens are walked before signing in; `viewport` ones (drawers,
 * panels) are captured as the screen shows them rather than the whole page.
 * @type {{ name: string, path: (w: Workspace) => string, ready: string, open?: (page: Page, locale: 'en' | 'fa') => Promise<void>, signedOut?: boolean, viewport?: boolean }[]}
 */
const screens = [
  { name: 'sign-in', path: () => '/sign-in', ready: 'main.auth form', signedOut: true },
  { name: 'sign-up', path: () => '/sign-up', ready: 'main.auth form', signedOut: true },
  { name: 'board', path: (w) => `/pipelines/${w.pipeline.id}`, ready: '[data-testid="deal-card"]', viewport: true },
  {
    name: 'deal',
    path: (w) => `/pipelines/${w.pipeline.id}/deals/${w.deals[0].id}`,
    ready: '[data-testid="deal-drawer"] [data-testid="deal-form"]',
    viewport: true,
  },
  { name: 'new-deal', path: (w) => `/pipelines/${w.pipeline.id}?new_deal=1`, ready: '[data-testid="create-deal-form"]', viewport: true },
  {
    name: 'lose-deal',
    path: (w) => `/pipelines/${w.pipeline.id}/deals/${w.deals[0].id}`,
    ready: '[data-testid="deal-form"]',
    open: press('[data-testid="deal-drawer"] .button--danger', 'lose-deal-form'),
    viewport: true,
  },
  { name: 'new-pipeline', path: () => '/pipelines/new', ready: 'main form' },
  { name: 'opportunities', path: () => '/opportunities', ready: '[data-testid="opportunity-item"]' },
  { name: 'opportunity', path: (w) => `/opportunities/${w.opportunity.id}`, ready: '[data-testid="opportunity-deal"]' },
  { name: 'pipeline-settings', path: (w) => `/pipelines/${w.pipeline.id}/settings`, ready: '[data-testid="stage-row"]' },
  { name: 'leads', path: () => '/leads', ready: '[data-testid="lead-row"]' },
  { name: 'lead', path: (w) => `/leads/${w.lead.id}`, ready: '[data-testid="lead-drawer"] [data-testid="lead-fields"]', viewport: true },
  { name: 'new-lead', path: () => '/leads', ready: '[data-testid="lead-row"]', open: press('main .button--primary', 'create-lead-form'), viewport: true },
  {
    name: 'qualify-lead',
    path: (w) => `/leads/${w.lead.id}`,
    ready: '[data-testid="lead-fields"]',
    open: press('[data-testid="lead-drawer"] .button--primary', 'qualify-lead-form'),
    viewport: true,
  },
  {
    name: 'disqualify-lead',
    path: (w) => `/leads/${w.lead.id}`,
    ready: '[data-testid="lead-fields"]',
    open: press('[data-testid="lead-drawer"] .button--danger', 'disqualify-lead-form'),
    viewport: true,
  },
  { name: 'lead-import', path: () => '/leads', ready: '[data-testid="lead-row"]', open: openLeadImport, viewport: true },
  { name: 'views', path: () => '/leads', ready: '[data-testid="lead-row"]', open: openSaveView, viewport: true },
  { name: 'contacts', path: () => '/contacts', ready: '[data-testid="contact-row"]' },
  { name: 'new-contact', path: () => '/contacts', ready: '[data-testid="contact-row"]', open: press('main .button--primary', 'contact-form'), viewport: true },
  { name: 'contact', path: (w) => `/contacts/${w.contact.id}`, ready: '[data-testid="customer-profile"]' },
  { name: 'organizations', path: () => '/organizations', ready: '[data-testid="organization-row"]' },
  { name: 'organization', path: (w) => `/organizations/${w.organization.id}`, ready: '[data-testid="organization-person"]' },
  { name: 'upcoming-dates', path: () => '/contacts/upcoming-dates', ready: 'main h1' },
  { name: 'agenda', path: () => '/agenda', ready: '[data-testid="agenda-count"]' },
  { name: 'reports', path: () => '/reports', ready: '[data-testid="funnel-step"]' },
  { name: 'notifications', path: () => '/agenda', ready: '[data-testid="agenda-count"]', open: openNotifications, viewport: true },
  { name: 'search', path: (w) => `/pipelines/${w.pipeline.id}`, ready: '[data-testid="deal-card"]', open: searchFor, viewport: true },
  { name: 'menu', path: (w) => `/pipelines/${w.pipeline.id}`, ready: '[data-testid="deal-card"]', open: openMenu, viewport: true },
  { name: 'automations', path: () => '/settings/automations', ready: '[data-testid="automation-row"]' },
  { name: 'automation', path: (w) => `/settings/automations/${w.automation.id}`, ready: 'main form' },
  { name: 'new-automation', path: () => '/settings/automations/new', ready: 'main form' },
  { name: 'emails', path: () => '/settings/emails', ready: '[data-testid="email-row"]' },
  { name: 'webhooks', path: () => '/settings/webhooks', ready: '[data-testid="webhook-list"]' },
  { name: 'webhook', path: (w) => `/settings/webhooks/${w.webhook.id}`, ready: '#delivery-log' },
  { name: 'workspace', path: () => '/settings/workspace', ready: '[data-testid="visibility-form"]' },
  { name: 'members', path: () => '/settings/members', ready: '[data-testid="member-row"]' },
  { name: 'api-keys', path: () => '/settings/api-keys', ready: '[data-testid="api-key-form"]' },
  { name: 'audit-log', path: () => '/settings/audit-log', ready: '[data-testid="audit-row"]' },
  { name: 'website-form', path: () => '/settings/website-form', ready: '[data-testid="intake-screen"]' },
  { name: 'custom-fields', path: () => '/settings/custom-fields', ready: '[data-testid="field-row"]' },
  { name: 'scoring', path: () => '/settings/scoring', ready: '[data-testid="preview-row"]' },
  { name: 'lost-reasons', path: () => '/settings/lost-reasons', ready: '[data-testid="lost-reason-row"]' },
  { name: 'products', path: () => '/settings/products', ready: '[data-testid="product-row"]' },
  { name: 'documents', path: () => '/documents', ready: '[data-testid="quote-row"]' },
  { name: 'quote', path: (w) => `/documents/quotes/${w.quote.id}`, ready: '[data-testid="document-sheet"] [data-testid="document-lines"]' },
  { name: 'invoice', path: (w) => `/documents/invoices/${w.invoice.id}`, ready: '[data-testid="document-sheet"] [data-testid="payment-row"]' },
  {
    name: 'record-payment',
    path: (w) => `/documents/invoices/${w.invoice.id}`,
    ready: '[data-testid="payment-row"]',
    open: press('[data-testid="document-actions"] .button--primary', 'payment-form'),
    viewport: true,
  },
  { name: 'document-settings', path: () => '/settings/documents', ready: '[data-testid="document-settings-form"]' },
  { name: 'notification-settings', path: () => '/account/notifications', ready: '[data-testid="notification-preferences"]' },
  { name: 'change-password', path: () => '/account/password', ready: '[data-testid="change-password-form"]' },
  { name: 'not-found', path: () => '/no-such-screen', ready: 'main .state' },
];

/** Waits until the screen has loaded: its marker shows, no skeleton or busy region is left, fonts are in. @param {Page} page */
async function settled(page, ready) {
  await page.locator(ready).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.skeleton, [aria-busy="true"]') && document.fonts.status === 'loaded');
}

/**
 * The page itself scrolls sideways (the header, a dialog or anything outside `main`): names the
 * outermost elements that reach past the screen's edges.
 * @param {Page} page
 */
function pageOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    if (scroll <= width) return [];
    const outside = (element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || box.left < -1);
    };
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((element) => outside(element) && !(element.parentElement && outside(element.parentElement)))
      .slice(0, 3)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} (${Math.round(element.getBoundingClientRect().left)}…${Math.round(element.getBoundingClientRect().right)})`,
      );
    return [`the page scrolls sideways: ${scroll} px in ${width} px, past the edge: ${culprits.join(', ')}`];
  });
}

/**
 * Visits one screen, checks it and saves its screenshot; returns what is wrong with it.
 * @param {Page} page
 */
async function walkScreen(page, baseUrl, workspace, screen, locale, size) {
  await page.goto(`${baseUrl}${screen.path(workspace)}`);
  await settled(page, screen.ready);
  if (screen.open) await screen.open(page, locale);
  const problems = [];
  if (!screen.signedOut) {
    try {
      await assertFitsWidth(page);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  problems.push(...(await pageOverflow(page)));
  // Colours are measured once transitions have ended (a hover or an opening panel).
  await page.waitForTimeout(200);
  problems.push(...(await accessibilityProblems(page)));
  await captureScreenshot(page, `${artifactsDir}${screen.name}-${locale}-${size}.png`, { fullPage: !screen.viewport });
  return problems;
}

/** `KARIZ_SCREENS=board,reports npm run e2e -- screens` walks only those screens (while fixing them). */
const only = process.env.KARIZ_SCREENS?.split(',');

for (const locale of /** @type {const} */ (['en', 'fa'])) {
  for (const [size, viewport] of Object.entries(sizes)) {
    test(
      `screens (${locale}, ${size}): every screen passes axe (no serious or critical violation), fits the width, and is saved as a screenshot`,
      async ({ page, baseUrl }) => {
        const workspace = await teamWorkspace(baseUrl, locale);
        await page.setViewportSize(viewport);
        // Still pictures, and colours measured at rest rather than mid-transition.
        await page.emulateMedia({ reducedMotion: 'reduce' });
        await page.goto(`${baseUrl}/sign-in`);
        await page.evaluate((language) => localStorage.setItem('kariz.locale', language), locale);
        /** @type {string[]} */
        const problems = [];
        let signedIn = false;
        for (const screen of screens.filter((entry) => !only || only.includes(entry.name))) {
          if (!screen.signedOut && !signedIn) {
            await holdRefreshToken(page, baseUrl, workspace.pair.refresh_token);
            signedIn = true;
          }
          const found = await walkScreen(page, baseUrl, workspace, screen, locale, size).catch((error) => [
            `could not be walked: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
          ]);
          problems.push(...found.map((problem) => `${screen.name}: ${problem}`));
        }
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        if (problems.length > 0) throw new Error(`${locale} ${size}: ${problems.length} problem(s):\n${problems.join('\n')}`);
      },
      { timeoutMs: 600_000 },
    );
  }
}
