import assert from 'node:assert/strict';
import { apiClient } from '../support/api.mjs';
import { captureScreenshot } from '../support/browser.mjs';
import { eventually, openSignedIn, uniqueEmail } from '../support/board.mjs';
import { workspaceWithPipeline } from '../support/fixtures.mjs';
import { artifactsDir, test } from '../support/harness.mjs';
import { assertApart, assertFitsWidth, phone } from '../support/layout.mjs';
import { inOtherBrowser } from '../support/other-browser.mjs';

/** The member with this email, as the API sees them. */
async function memberByEmail(api, email) {
  const member = (await api.get('/users')).data.find((user) => user.email === email);
  assert.ok(member, `${email} is a member`);
  return member;
}

/** Whether this email and password open a session. */
async function canSignIn(baseUrl, email, password) {
  try {
    await apiClient(baseUrl).post('/auth/login', { email, password });
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds a member through the form with a suggested password, then changes their role and
 * deactivates and reactivates them, checking each step through the API; `labels` are the
 * screen's words in the language under test.
 */
async function manageMember(page, baseUrl, api, labels) {
  const email = uniqueEmail('reza');
  const form = page.getByTestId('invite-form');
  await form.getByLabel(labels.name).fill(labels.memberName);
  await form.getByLabel(labels.email).fill(email);
  await form.getByLabel(labels.role, { exact: true }).selectOption({ label: labels.manager });
  await form.getByRole('button', { name: labels.suggest }).click();
  const password = await form.getByLabel(labels.password).inputValue();
  assert.match(password, /^[A-Za-z0-9]{16}$/);
  await form.getByRole('button', { name: labels.add }).click();

  const row = page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  await row.waitFor();
  let member = await memberByEmail(api, email);
  assert.equal(member.role, 'manager');
  assert.equal(member.name, labels.memberName);
  assert.equal(await canSignIn(baseUrl, email, password), true, 'the suggested password signs the new member in');
  assert.equal(await form.getByLabel(labels.name).inputValue(), '', 'the form is ready for the next member');

  await row.getByLabel(labels.roleOf).selectOption({ label: labels.member });
  await eventually(async () => assert.equal((await memberByEmail(api, email)).role, 'member'));

  await row.getByRole('button', { name: labels.deactivate }).click();
  await page.locator(`[data-testid="member-row"][data-email="${email}"][data-active="false"]`).waitFor();
  member = await memberByEmail(api, email);
  assert.equal(member.active, false);
  assert.equal(await canSignIn(baseUrl, email, password), false, 'a deactivated member cannot sign in');

  await row.getByRole('button', { name: labels.reactivate }).click();
  await page.locator(`[data-testid="member-row"][data-email="${email}"][data-active="true"]`).waitFor();
  assert.equal((await memberByEmail(api, email)).active, true);
  assert.equal(await canSignIn(baseUrl, email, password), true);
  return { email, password, row };
}

test('members: an admin adds a member with a role, changes it, deactivates and reactivates them; others only read', async ({ page, baseUrl }) => {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, `/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Members' }).click();
  await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();

  // The admin's own row can't be changed from here.
  const own = page.locator('[data-testid="member-row"]', { hasText: 'Sara Ahmadi' });
  await own.getByText('You').waitFor();
  assert.equal(await own.locator('select').count(), 0);

  const { email, password, row } = await manageMember(page, baseUrl, api, {
    name: 'Name',
    email: 'Email',
    role: 'Role',
    manager: 'Manager',
    member: 'Member',
    suggest: 'Suggest a password',
    password: 'First password',
    add: 'Add member',
    memberName: 'Reza Karimi',
    roleOf: 'Role of Reza Karimi',
    deactivate: 'Deactivate',
    reactivate: 'Reactivate',
  });
  await assertApart(row.getByLabel('Role of Reza Karimi'), row.getByRole('button', { name: 'Deactivate' }));
  await captureScreenshot(page, `${artifactsDir}members-en.png`, { fullPage: true });

  // On a phone the table scrolls inside its box; the page does not.
  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}members-en-phone.png`, { fullPage: true });

  // The new member (a member now) sees the list but cannot change it; the API refuses them too.
  const memberPair = await apiClient(baseUrl).post('/auth/login', { email, password });
  await inOtherBrowser(baseUrl, memberPair, '/settings/members', async (memberPage) => {
    await memberPage.getByText('Only admins can add members or change their roles.').waitFor();
    await memberPage.locator('[data-testid="member-row"]').nth(1).waitFor();
    assert.equal(await memberPage.getByTestId('invite-form').count(), 0);
    assert.equal(await memberPage.getByTestId('member-table').locator('select, button').count(), 0);
  });
  await assert.rejects(
    apiClient(baseUrl, memberPair.access_token).post('/users', { email: uniqueEmail(), name: 'X', role: 'member', password: 'long-enough-1' }),
    /403/,
  );
});

test('members: the same in Persian, right to left, on a phone too', async ({ page, baseUrl }) => {
  const { pair, api } = await workspaceWithPipeline(baseUrl);
  await openSignedIn(page, baseUrl, pair, '/settings/members', { locale: 'fa' });
  await page.getByRole('heading', { name: 'اعضا', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');

  const { row } = await manageMember(page, baseUrl, api, {
    name: 'نام',
    email: 'ایمیل',
    role: 'نقش',
    manager: 'مدیر',
    member: 'عضو',
    suggest: 'پیشنهاد گذرواژه',
    password: 'گذرواژهٔ نخست',
    add: 'افزودن عضو',
    memberName: 'رضا کریمی',
    roleOf: 'نقش رضا کریمی',
    deactivate: 'غیرفعال کردن',
    reactivate: 'فعال کردن دوباره',
  });
  // Right to left: the name column starts at the table's right edge.
  const table = await page.getByTestId('member-table').boundingBox();
  const nameCell = await row.locator('td').first().boundingBox();
  assert.ok(table && nameCell && Math.abs(table.x + table.width - (nameCell.x + nameCell.width)) < 2, 'the first column is on the right');
  await captureScreenshot(page, `${artifactsDir}members-fa.png`, { fullPage: true });

  await page.setViewportSize(phone);
  await assertFitsWidth(page);
  await captureScreenshot(page, `${artifactsDir}members-fa-phone.png`, { fullPage: true });
});
