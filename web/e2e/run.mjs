// The end-to-end suite: the real `kariz` binary (KARIZ_BIN, default ../target/debug/kariz) on a
// free port with a fresh SQLite database, serving the built SPA (run `npm run build` first), and
// Debian's Chromium driven by playwright-core; webhooks are delivered to a receiver in this process. `npm run e2e -- <text>` runs the matching tests.
import { runTests } from './support/harness.mjs';
import { startServer } from './support/server.mjs';
import './tests/auth.e2e.mjs';
import './tests/board.e2e.mjs';
import './tests/deal.e2e.mjs';
import './tests/leads.e2e.mjs';
import './tests/leads-import.e2e.mjs';
import './tests/leads-editing.e2e.mjs';
import './tests/activities.e2e.mjs';
import './tests/settings.e2e.mjs';
import './tests/persian.e2e.mjs';
import './tests/search.e2e.mjs';
import './tests/customer-page.e2e.mjs';
import './tests/reports.e2e.mjs';
import './tests/reports-periods.e2e.mjs';
import './tests/opportunities.e2e.mjs';
import './tests/archived-pipelines.e2e.mjs';
import './tests/task-templates.e2e.mjs';
import './tests/webhooks.e2e.mjs';
import './tests/automations.e2e.mjs';
import './tests/customers.e2e.mjs';
import './tests/bulk-views.e2e.mjs';
import './tests/customer-records.e2e.mjs';
import './tests/live.e2e.mjs';
import './tests/notifications.e2e.mjs';
import './tests/deal-rules.e2e.mjs';
import './tests/products.e2e.mjs';
import './tests/documents.e2e.mjs';
import './tests/emails.e2e.mjs';
import './tests/inputs.e2e.mjs';
import './tests/money.e2e.mjs';
import './tests/members.e2e.mjs';
import './tests/api-keys.e2e.mjs';
import './tests/audit-log.e2e.mjs';
import './tests/intake.e2e.mjs';
import './tests/workspace-settings.e2e.mjs';
import './tests/custom-fields.e2e.mjs';
import './tests/scoring.e2e.mjs';
import './tests/board-layout.e2e.mjs';
import './tests/board-keyboard.e2e.mjs';
import './tests/board-cards.e2e.mjs';
import './tests/phone.e2e.mjs';
import './tests/forms.e2e.mjs';
import './tests/screens.e2e.mjs';

const filter = process.argv[2];
let result = { passed: 0, failed: 1 };
let server;
try {
  // The webhook tests deliver to a receiver on 127.0.0.1, which the server refuses by default.
  // Every test signs up a workspace from 127.0.0.1, far more often than the per-IP limits allow.
  const unlimited = { KARIZ_RATE_LIMIT_SIGNUP: 'off', KARIZ_RATE_LIMIT_SIGN_IN: 'off', KARIZ_RATE_LIMIT_USER: 'off' };
  server = await startServer({ env: { KARIZ_WEBHOOKS_ALLOW_PRIVATE: 'true', ...unlimited } });
  console.log(`kariz at ${server.baseUrl}`);
  // Where the server's SQLite database lives, for the few tests that back-date a row (support/backdate.mjs).
  process.env.KARIZ_E2E_DATA_DIR = server.dataDir;
  result = await runTests({ baseUrl: server.baseUrl, filter });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await server?.stop();
}
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1);
