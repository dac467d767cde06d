import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { card, column, eventually, holdRefreshToken, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { test } from '../support/harness.mjs';

test('a new user signs up, creates a pipeline and adds deals', async ({ page, baseUrl }) => {
  const email = uniqueEmail('signup');
  await page.goto(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Create a workspace' }).click();
  await page.getByLabel('Company or team name').fill('Pars Trading');
  await page.getByLabel('Your name').fill('Sara Ahmadi');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill('too-short');
  await page.getByLabel('Main currency').selectOption('USD');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  // The server's field error shows next to the password.
  await page.locator('.field--invalid', { hasText: 'Password' }).locator('.field__error').waitFor();
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Create workspace' }).click();

  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
  await page.getByRole('link', { name: 'Create a pipeline' }).click();
  await page.getByLabel('Pipeline name').fill('New business');
  await page.getByRole('button', { name: 'Create pipeline' }).click();
  await page.getByRole('heading', { name: 'This pipeline has no deals yet' }).waitFor();
  assert.equal(await page.locator('[data-testid="board-column"]').count(), 4);

  for (const [title, amount] of [
    ['Fleet renewal', '12500'],
    ['Warehouse sensors', '4,200.50'],
  ]) {
    await page.getByRole('button', { name: '+ Add deal' }).click();
    const form = page.getByTestId('create-deal-form');
    await form.getByLabel('Title').fill(title);
    await form.getByLabel(/Amount/).fill(amount);
    await form.getByRole('button', { name: 'Add deal' }).click();
    await card(page, title).waitFor();
  }
  // A deal added from a column's + button lands in that column.
  await column(page, 2).getByRole('button', { name: 'Add a deal to Proposal made' }).click();
  await page.getByTestId('create-deal-form').getByLabel('Title').fill('Cold storage');
  await page.getByTestId('create-deal-form').getByRole('button', { name: 'Add deal' }).click();
  await column(page, 2).locator('.card__title', { hasText: 'Cold storage' }).waitFor();

  assert.equal(await column(page, 0).getByTestId('column-count').textContent(), '2 deals');
  assert.match((await card(page, 'Warehouse sensors').textContent()) ?? '', /\$4,200\.50/);

  // The API agrees.
  const login = await apiClient(baseUrl).post('/auth/login', { email, password: 'correct-horse-battery' });
  const api = apiClient(baseUrl, login.access_token);
  const deals = (await api.get('/deals?limit=10')).data;
  assert.deepEqual(deals.map((deal) => deal.title).sort(), ['Cold storage', 'Fleet renewal', 'Warehouse sensors']);
  assert.equal(deals.find((deal) => deal.title === 'Warehouse sensors').amount_minor, 420_050);
});

test('a user signs in, reloads without signing in again, and signs out', async ({ page, context, baseUrl }) => {
  const email = uniqueEmail('signin');
  await apiClient(baseUrl).post('/auth/signup', { workspace_name: 'Acme', name: 'Omid Karimi', email, password: 'correct-horse-battery' });

  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong-password-here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'don’t match an account' }).waitFor();
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();

  // The session survives a reload (the refresh token is exchanged silently). The refresh token
  // is in an HttpOnly cookie for the auth routes only: no script of the page can read it.
  await page.reload();
  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
  const cookies = await context.cookies(`${baseUrl}/api/v1/auth/refresh`);
  const refreshCookie = cookies.find((cookie) => cookie.name === 'kariz_refresh');
  assert.ok(refreshCookie, JSON.stringify(cookies));
  assert.equal(refreshCookie.httpOnly, true);
  assert.equal(refreshCookie.sameSite, 'Strict');
  assert.equal(refreshCookie.path, '/api/v1/auth');
  const refreshToken = refreshCookie.value;
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
  assert.ok(!stored.includes(refreshToken), 'the refresh token is out of the page’s reach');

  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in$/);
  assert.equal(await page.evaluate(() => localStorage.getItem('kariz.session')), null);
  assert.equal(
    (await context.cookies(`${baseUrl}/api/v1/auth/refresh`)).find((cookie) => cookie.name === 'kariz_refresh'),
    undefined,
    'the cookie is gone',
  );
  // The server revoked the refresh token too.
  const response = await fetch(`${baseUrl}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  assert.equal(response.status, 401);
  // A browser still holding a refused refresh token lands on sign-in, told why.
  await holdRefreshToken(page, baseUrl, refreshToken);
  await page.goto(`${baseUrl}/`);
  await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('kariz.session')), null);
  // Signed-out users are sent to sign-in, and back where they were after signing in.
  await page.goto(`${baseUrl}/pipelines/new`);
  await page.waitForURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/pipelines\/new$/);
});

test('expired access tokens are refreshed silently, once for concurrent requests', async ({ page, baseUrl }) => {
  const email = uniqueEmail('refresh');
  const pair = await apiClient(baseUrl).post('/auth/signup', { workspace_name: 'Acme', name: 'Omid Karimi', email, password: 'correct-horse-battery' });
  await apiClient(baseUrl, pair.access_token).post('/pipelines', { name: 'Sales', stages: [{ name: 'Lead', probability: 10 }] });

  let refreshes = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/auth/refresh')) refreshes += 1;
  });
  // The first calls after start-up are answered 401 together, as if the token had just expired.
  const held = [];
  let release;
  const released = new Promise((resolve) => (release = resolve));
  setTimeout(() => release(), 3_000);
  await page.route(/\/api\/v1\/(me|pipelines)$/, async (route) => {
    if (held.length >= 2) return route.continue();
    held.push(route.request().url());
    if (held.length === 2) release();
    await released;
    await route.fulfill({
      status: 401,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'urn:kariz:problem:unauthenticated',
        code: 'token_expired',
        title: 'Authentication required',
        status: 401,
        detail: 'the access token has expired',
        request_id: 'test',
      }),
    });
  });

  await page.goto(`${baseUrl}/sign-in`);
  await holdRefreshToken(page, baseUrl, pair.refresh_token);
  await page.goto(`${baseUrl}/`);
  await page.locator('[data-testid="board-column"]').first().waitFor();
  assert.equal(held.length, 2, 'both start-up requests were refused');
  // One refresh to start the session, one shared by the two refused requests.
  await eventually(() => assert.equal(refreshes, 2));
  assert.equal(new URL(page.url()).pathname.startsWith('/pipelines/'), true);
});

test('a user changes their password from the account menu; other sessions end', async ({ page, context, baseUrl }) => {
  const email = uniqueEmail('password');
  const pair = await apiClient(baseUrl).post('/auth/signup', { workspace_name: 'Acme', name: 'Omid Karimi', email, password: 'correct-horse-battery' });
  const elsewhere = await apiClient(baseUrl).post('/auth/login', { email, password: 'correct-horse-battery' });
  await openSignedIn(page, baseUrl, pair, '/');
  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  const form = page.getByTestId('change-password-form');

  // A wrong current password, then a guessable new one: each shown next to its field.
  await form.getByLabel('Current password').fill('not-my-password-at-all');
  await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await form.getByLabel('New password again').fill('a brand new passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.locator('.field--invalid', { hasText: 'Current password' }).getByText('This is not your current password').waitFor();
  await form.getByLabel('Current password').fill('correct-horse-battery');
  await form.getByLabel('New password', { exact: true }).fill('password1234');
  await form.getByLabel('New password again').fill('password1234');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.locator('.field--invalid', { hasText: 'New password' }).locator('.field__error').filter({ hasText: 'guess' }).waitFor();

  await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await form.getByLabel('New password again').fill('a brand new passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Password changed' }).waitFor();

  // This tab stays signed in, also after a reload (its new refresh token is in the cookie) ...
  await page.reload();
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  // ... while the other sign-in is over, and only the new password works.
  const refused = await fetch(`${baseUrl}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: elsewhere.refresh_token }),
  });
  assert.equal(refused.status, 401);
  await apiClient(baseUrl).post('/auth/login', { email, password: 'a brand new passphrase' });
  assert.ok((await context.cookies(`${baseUrl}/api/v1/auth/refresh`)).some((cookie) => cookie.name === 'kariz_refresh' && cookie.httpOnly));
});

test('the password form reads right to left in Persian', async ({ page, baseUrl }) => {
  const email = uniqueEmail('password-fa');
  const pair = await apiClient(baseUrl).post('/auth/signup', { workspace_name: 'Pars', name: 'Sara Ahmadi', email, password: 'correct-horse-battery' });
  await openSignedIn(page, baseUrl, pair, '/account/password', { locale: 'fa' });
  await page.getByRole('heading', { name: 'تغییر گذرواژه' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');
  const form = page.getByTestId('change-password-form');
  await form.getByLabel('گذرواژهٔ کنونی').fill('not-my-password-at-all');
  await form.getByLabel('گذرواژهٔ تازه', { exact: true }).fill('a brand new passphrase');
  await form.getByLabel('تکرار گذرواژهٔ تازه').fill('another passphrase');
  await form.getByRole('button', { name: 'تغییر گذرواژه' }).click();
  await form.getByText('دو گذرواژهٔ تازه یکسان نیستند').waitFor();
  // The form flows right to left; the password inputs themselves stay left to right.
  const direction = await form.evaluate((element) => getComputedStyle(element).direction);
  assert.equal(direction, 'rtl');
  assert.equal(await form.getByLabel('گذرواژهٔ کنونی').getAttribute('dir'), 'ltr');
});

test('an email with accounts in two workspaces chooses the workspace to sign in to, in English and Persian', async ({ page, baseUrl }) => {
  const email = uniqueEmail('two-workspaces');
  for (const workspace of ['Pars Trading', 'Caspian Foods']) {
    await apiClient(baseUrl).post('/auth/signup', { workspace_name: workspace, name: 'Sara Ahmadi', email, password: 'correct-horse-battery' });
  }

  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
  const choice = page.getByTestId('workspace-choice');
  assert.deepEqual((await choice.getByRole('button').allTextContents()).sort(), ['Caspian Foods', 'Pars Trading']);
  await choice.getByRole('button', { name: 'Sign in to Caspian Foods' }).click();
  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
  assert.equal(await page.locator('.header__workspace').textContent(), 'Caspian Foods');

  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in$/);
  await page.evaluate(() => localStorage.setItem('kariz.locale', 'fa'));
  await page.reload();
  await page.getByLabel('ایمیل').fill(email);
  await page.getByLabel('گذرواژه').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await page.getByRole('heading', { name: 'یک فضای کار انتخاب کنید' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await page.getByRole('button', { name: 'ورود به Pars Trading' }).click();
  await page.locator('.header__workspace', { hasText: 'Pars Trading' }).waitFor();
});

test('signing up with an email that has an account in another workspace makes a new workspace', async ({ page, baseUrl }) => {
  const email = uniqueEmail('signup-again');
  await apiClient(baseUrl).post('/auth/signup', { workspace_name: 'First Co', name: 'Omid Karimi', email, password: 'the first passphrase' });

  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Company or team name').fill('Second Co');
  await page.getByLabel('Your name').fill('Omid Karimi');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByLabel('Main currency').selectOption('USD');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
  assert.equal(await page.locator('.header__workspace').textContent(), 'Second Co');

  // Two accounts, each with its own password.
  const first = await apiClient(baseUrl).post('/auth/login', { email, password: 'the first passphrase' });
  const second = await apiClient(baseUrl).post('/auth/login', { email, password: 'correct-horse-battery' });
  assert.deepEqual([first.workspace.name, second.workspace.name], ['First Co', 'Second Co']);
});
