import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { artifactsDir, test } from '../support/harness.mjs';
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
    await page.getByRole('link', { name: 'Webhooks' }).click();
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
