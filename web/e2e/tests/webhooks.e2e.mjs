import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { artifactsDir, test } from '../support/harness.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';

/** A local endpoint that records every message it receives and answers 200. */
async function startReceiver() {
  /** @type {{ headers: import('node:http').IncomingHttpHeaders, body: string }[]} */
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('thanks');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/kariz-hook`, received, close: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}

/** Standard Webhooks: v1 signature = base64 HMAC-SHA256 of `id.timestamp.body`, keyed by the secret's bytes. */
function signatureValid(secret, headers, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return String(headers['webhook-signature'])
    .split(' ')
    .some((signature) => signature === `v1,${expected}`);
}

test('webhooks: subscribe, see the secret once, follow the delivery log and redeliver', async ({ page, baseUrl }) => {
  const receiver = await startReceiver();
  try {
    const { pair, api, pipeline, deals } = await workspaceWithPipeline(baseUrl, { deals: [{ title: 'Fleet renewal' }] });
    await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'No webhook subscriptions yet' }).waitFor();

    const form = page.getByTestId('webhook-form');
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('Description').fill('ERP sync');
    await form.getByLabel('All events').uncheck();
    await form.getByLabel('Deal won').check();
    await form.getByLabel('Pipeline').selectOption({ label: 'New business' });
    await form.getByRole('button', { name: 'Subscribe' }).click();

    // The secret, once.
    const secret = await page.getByTestId('webhook-secret').inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    const row = page.getByTestId('webhook-list').locator('.webhook-row');
    assert.match((await row.textContent()) ?? '', /ERP sync.*Deal moved to another stage, Deal won · New business.*Active/);
    const [subscription] = (await api.get('/webhooks')).data;
    assert.deepEqual(subscription.event_types, ['deal.stage_changed', 'deal.won']);
    assert.equal(subscription.pipeline_id, pipeline.id);

    await row.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { name: receiver.url }).waitFor();
    await page.getByText('No deliveries yet. Send a test ping, or change a deal.').waitFor();

    // A test ping shows up in the log once delivered (the log refreshes while anything is pending).
    await page.getByRole('button', { name: 'Send a test ping' }).click();
    const log = page.getByTestId('delivery-log');
    await log.locator('[data-event-type="ping"][data-status="succeeded"]').waitFor({ timeout: 20_000 });

    // A stage change reaches the receiver, signed with the secret the UI showed.
    const current = await api.get(`/deals/${deals[0].id}`);
    await api.post(`/deals/${deals[0].id}/move`, { stage_id: pipeline.stages[1].id }, { 'If-Match': `"${current.version}"` });
    const stageChanged = await eventually(
      () => {
        const message = receiver.received.find((entry) => JSON.parse(entry.body).type === 'deal.stage_changed');
        assert.ok(message, 'the stage change was delivered');
        return message;
      },
      { timeoutMs: 20_000 },
    );
    assert.ok(signatureValid(secret, stageChanged.headers, stageChanged.body), 'the signature verifies with the secret shown once');
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Reload' }).click();
        await log.locator('[data-event-type="deal.stage_changed"][data-status="succeeded"]').waitFor({ timeout: 1_000 });
      },
      { timeoutMs: 20_000 },
    );
    await log.locator('[data-event-type="deal.stage_changed"] .delivery__summary').getByText('HTTP 200').waitFor();

    // Redeliver it: the receiver gets the same message id again.
    await log.locator('[data-event-type="deal.stage_changed"]').getByRole('button', { name: 'Redeliver' }).click();
    await eventually(
      () => {
        const copies = receiver.received.filter((entry) => entry.headers['webhook-id'] === stageChanged.headers['webhook-id']);
        assert.equal(copies.length, 2);
      },
      { timeoutMs: 20_000 },
    );
    await log.locator('[data-event-type="deal.stage_changed"]', { hasText: 'Redelivery' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${artifactsDir}webhook-log-en.png`, fullPage: true });

    // Pausing is one click, and shows.
    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await page.locator('.webhook-header').getByText('Stopped').waitFor();
    await page.getByRole('button', { name: 'Resume deliveries' }).waitFor();
    assert.equal((await api.get(`/webhooks/${subscription.id}`)).active, false);
  } finally {
    await receiver.close();
  }
});

/** The box of a locator, which must be on screen. */
async function box(locator) {
  const found = await locator.boundingBox();
  assert.ok(found, 'the element is on screen');
  return found;
}

test('webhooks: editing a subscription keeps its lead, contact and activity event types, in English and Persian', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  const held = ['lead.created', 'contact.created', 'activity.created', 'deal.won'];
  const { webhook } = await api.post('/webhooks', { url: 'http://127.0.0.1:9/kariz-hook', description: 'CRM sync', event_types: held });
  await openSignedIn(page, baseUrl, pair, `/settings/webhooks/${webhook.id}`);
  const editor = page.locator('section[aria-labelledby="webhook-settings"]');
  await editor.getByLabel('Description').waitFor();

  // Every type the subscription holds shows ticked, in its group; the others are offered unticked.
  const groups = editor.getByTestId('event-types').locator('.event-group > legend');
  assert.deepEqual(await groups.allTextContents(), [
    'Deals',
    'Leads',
    'Contacts and opportunities',
    'Activities and tasks',
    'Files',
    'Emails',
    'Products',
    'Quotes, invoices and payments',
  ]);
  for (const label of ['Lead created', 'Contact created', 'Activity logged or task added', 'Deal won']) {
    assert.equal(await editor.getByLabel(label, { exact: true }).isChecked(), true, `${label} is ticked`);
  }
  for (const label of [
    'Deal lost',
    'Lead qualified',
    'Lead erased (personal data removed)',
    'Opportunity created',
    'Contact erased (personal data removed)',
    'Task completed',
  ]) {
    assert.equal(await editor.getByLabel(label, { exact: true }).isChecked(), false, `${label} is offered unticked`);
  }
  // Every event type the API has but `ping` (quotes, invoices and payments included).
  assert.equal(await editor.locator('.event-group input[type="checkbox"]').count(), 37);
  // Left to right: each group's checkboxes start at its left edge, the box before its label.
  const leadsGroup = editor.locator('.event-group[data-group="leads"]');
  const firstLead = leadsGroup.locator('.checkbox').first();
  assert.ok(Math.abs((await box(firstLead)).x - (await box(leadsGroup)).x) < 2, 'the first checkbox is at the left edge');
  const inputEn = await box(firstLead.locator('input'));
  const labelEn = await box(firstLead);
  assert.ok(inputEn.x + inputEn.width < labelEn.x + 24, 'the box comes first, on the left');
  await captureScreenshot(page, `${artifactsDir}webhook-editor-en.png`, { fullPage: true });

  // Changing only the description keeps every event type.
  await editor.getByLabel('Description').fill('CRM sync, nightly');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Subscription saved' }).waitFor();
  let stored = await api.get(`/webhooks/${webhook.id}`);
  assert.equal(stored.description, 'CRM sync, nightly');
  assert.deepEqual([...stored.event_types].sort(), [...held].sort());

  // Ticking and unticking deal types leaves the lead, contact and activity types alone.
  await editor.getByLabel('Deal lost', { exact: true }).check();
  await editor.getByLabel('Deal won', { exact: true }).uncheck();
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await eventually(async () => {
    stored = await api.get(`/webhooks/${webhook.id}`);
    assert.deepEqual([...stored.event_types].sort(), ['activity.created', 'contact.created', 'deal.lost', 'lead.created']);
  });

  // In Persian: right to left, the groups and labels translated, and the same types kept.
  await page.evaluate(() => localStorage.setItem('kariz.locale', 'fa'));
  await page.reload();
  await editor.getByLabel('توضیح').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.deepEqual(await groups.allTextContents(), [
    'معامله‌ها',
    'سرنخ‌ها',
    'مخاطبان و فرصت‌های فروش',
    'فعالیت‌ها و کارها',
    'فایل‌ها',
    'ایمیل‌ها',
    'کالاها و خدمات',
    'پیش‌فاکتورها، فاکتورها و پرداخت‌ها',
  ]);
  for (const label of ['ساخت سرنخ', 'ساخت مخاطب', 'ثبت فعالیت یا افزودن کار', 'از دست رفتن معامله']) {
    assert.equal(await editor.getByLabel(label, { exact: true }).isChecked(), true, `${label} is ticked`);
  }
  // The checkboxes are right-aligned: each group starts at its right edge, the box right of its label.
  const groupBox = await box(leadsGroup);
  const firstLeadFa = await box(firstLead);
  assert.ok(Math.abs(firstLeadFa.x + firstLeadFa.width - (groupBox.x + groupBox.width)) < 2, 'the first checkbox is at the right edge');
  assert.ok(firstLeadFa.x > groupBox.x + groupBox.width / 2, 'the first checkbox is in the right half');
  const input = await box(firstLead.locator('input'));
  assert.ok(input.x > firstLeadFa.x + firstLeadFa.width - 24, 'the box comes first, on the right');
  const legend = await box(leadsGroup.locator('legend'));
  assert.ok(Math.abs(legend.x + legend.width - (groupBox.x + groupBox.width)) < 2, 'the group title is right-aligned');
  await captureScreenshot(page, `${artifactsDir}webhook-editor-fa.png`, { fullPage: true });

  await editor.getByLabel('انجام شدن کار', { exact: true }).check();
  await editor.getByRole('button', { name: 'ذخیرهٔ تغییرات' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'اشتراک ذخیره شد' }).waitFor();
  stored = await api.get(`/webhooks/${webhook.id}`);
  assert.deepEqual([...stored.event_types].sort(), ['activity.created', 'contact.created', 'deal.lost', 'lead.created', 'task.completed']);
  assert.equal(stored.description, 'CRM sync, nightly');
});
