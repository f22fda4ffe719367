import type { Browser, BrowserContext, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, isHydrated, open, signUp, uniqueUser } from './helpers';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/** Another device: its own browser context (cookie jar), signed in through the API. */
async function otherDevice(browser: Browser, info: TestInfo, username: string, password = PASSWORD): Promise<BrowserContext> {
  const device = await browser.newContext({ baseURL: info.project.use.baseURL, userAgent: IPHONE });
  const res = await device.request.post('/api/auth/signin', { data: { username, password } });
  expect(res.status()).toBe(200);
  return device;
}

test('the sessions list shows every device, and one can be signed out', async ({ page, browser }, info) => {
  const username = uniqueUser('multi', info);
  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  const phone = await otherDevice(browser, info, username);

  await open(page, '/account', info);
  const sessions = page.getByTestId('sessions').locator('li');
  await expect(sessions).toHaveCount(2);
  await expect(page.getByTestId('sessions').locator('li.current')).toContainText('This device');
  const phoneRow = sessions.filter({ hasText: 'iPhone' });
  await expect(phoneRow).toContainText('127.0.0.1');

  await phoneRow.getByRole('button', { name: /^Sign out/ }).click();
  await expect(sessions).toHaveCount(1);
  expect((await phone.request.get('/api/auth/me')).status()).toBe(401);
  expect((await page.request.get('/api/auth/me')).status()).toBe(200);
  await phone.close();
});

test('changing the password signs out the other sessions', async ({ page, browser }, info) => {
  const username = uniqueUser('pw', info);
  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  const phone = await otherDevice(browser, info, username);
  const newPassword = 'a-brand-new-passphrase-7';

  await open(page, '/account', info);
  await page.fill('input[name="current_password"]', PASSWORD);
  await page.fill('input[name="new_password"]', newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Password changed');

  expect((await phone.request.get('/api/auth/me')).status()).toBe(401);
  await open(page, '/account', info);
  await expect(page.getByTestId('account-username')).toHaveText(username);
  await expect(page.getByTestId('sessions').locator('li')).toHaveCount(1);

  const fresh = await browser.newContext({ baseURL: info.project.use.baseURL });
  const signIn = (password: string) => fresh.request.post('/api/auth/signin', { data: { username, password } });
  expect((await signIn(PASSWORD)).status()).toBe(401);
  expect((await signIn(newPassword)).status()).toBe(200);
  await Promise.all([phone.close(), fresh.close()]);
});

test('password-change mistakes are explained next to the field', async ({ page }, info) => {
  await signUp(page, info, uniqueUser('pwbad', info));
  await expect(page).toHaveURL(/\/account$/);
  await open(page, '/account', info);
  await page.fill('input[name="current_password"]', 'not-my-password');
  await page.fill('input[name="new_password"]', 'password1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#field-new_password-error')).toContainText('too common');

  await page.fill('input[name="current_password"]', 'not-my-password');
  await page.fill('input[name="new_password"]', 'another-fine-passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#field-current_password-error')).toHaveText('That is not your current password.');
  await expect(page.getByRole('status')).toHaveCount(0);
});

test('pages hydrate under the Content-Security-Policy without violations', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'needs JavaScript');
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  for (const path of ['/', '/signin', '/signup']) await open(page, path, info);
  await signUp(page, info, uniqueUser('csp', info));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('[data-hydrated="true"]')).toBeAttached();
  const csp = (await page.request.get('/')).headers()['content-security-policy'];
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(problems).toEqual([]);
});
