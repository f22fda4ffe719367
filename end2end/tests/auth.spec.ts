import { expect, test } from './fixtures';
import { PASSWORD, cookieName, isHttps, isHydrated, open, signIn, signUp, uniqueUser } from './helpers';

// Every test runs twice: hydrated (wasm) and with JavaScript disabled (plain HTML forms).

test('sign up, account, sign out, sign in, account', async ({ page, context }, info) => {
  const username = uniqueUser('rider', info);
  // In the hydrated project, forms must go through fetch, never a full-page form post.
  const documentPosts: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.resourceType() === 'document') documentPosts.push(req.url());
  });

  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-username')).toHaveText(username);
  await expect(page.getByTestId('account-email')).toHaveText(`${username}@example.com`);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Create an account' })).toBeVisible();
  // The session's cookies are gone; the device cookie stays (it lets this browser past the
  // account's sign-in backoff).
  const left = (await context.cookies()).filter((c) => c.name.includes('bmw_')).map((c) => c.name);
  expect(left).toEqual([cookieName(info, 'bmw_device')]);

  await signIn(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-username')).toHaveText(username);
  await expect(page.getByRole('navigation')).toContainText('Test Rider');

  if (isHydrated(info)) expect(documentPosts).toEqual([]);
  else expect(documentPosts.length).toBe(3);
});

test('session and device cookies are HttpOnly, SameSite=Lax, host-only, path /, Secure over https', async ({ page, context }, info) => {
  await signUp(page, info, uniqueUser('cookie', info));
  await expect(page).toHaveURL(/\/account$/);
  const cookies = await context.cookies();
  const host = new URL(info.project.use.baseURL!).hostname;
  for (const base of ['bmw_access', 'bmw_refresh', 'bmw_device'] as const) {
    const name = cookieName(info, base);
    const cookie = cookies.find((c) => c.name === name);
    expect(cookie, `${name} is set`).toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: isHttps(info), path: '/', domain: host });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000);
  }
  // HttpOnly: page scripts cannot read the tokens.
  if (isHydrated(info)) expect(await page.evaluate(() => document.cookie)).not.toContain('bmw_');
  if (isHttps(info)) {
    const hsts = (await page.request.get('/healthz')).headers()['strict-transport-security'];
    expect(hsts).toMatch(/^max-age=/);
  }
});

test('a protected page sends you to sign in, then back', async ({ page, request }, info) => {
  const username = uniqueUser('back', info);
  const created = await request.post('/api/auth/signup', {
    data: { username, password: PASSWORD, email: `${username}@example.com`, name: 'Back Again' },
  });
  expect(created.status()).toBe(201);

  await open(page, '/account', info);
  await expect(page).toHaveURL(/\/signin\?next=%2Faccount$/);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-name')).toHaveText('Back Again');
});

test('invalid sign-up input is explained next to each field', async ({ page }, info) => {
  await open(page, '/signup', info);
  await page.fill('input[name="name"]', 'Someone');
  await page.fill('input[name="email"]', 'not-an-email');
  await page.fill('input[name="username"]', 'x!');
  await page.fill('input[name="password"]', 'short');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.locator('#field-email-error')).toContainText('valid email');
  await expect(page.locator('#field-username-error')).toContainText('3 to 32');
  await expect(page.locator('#field-password-error')).toContainText('at least 8');
  await expect(page.locator('#field-name-error')).toBeEmpty();
  await expect(page).toHaveURL(/\/signup/);
});

test('a taken username and wrong credentials are reported inline', async ({ page, request }, info) => {
  const username = uniqueUser('taken', info);
  await request.post('/api/auth/signup', {
    data: { username, password: PASSWORD, email: `${username}@example.com`, name: 'First' },
  });

  await signUp(page, info, username);
  await expect(page.locator('#field-username-error')).toHaveText('That username is taken.');

  await signIn(page, info, username, 'wrong-password-1');
  await expect(page.locator('.form-error')).toHaveText('Wrong username or password.');
  await expect(page).toHaveURL(/\/signin/);
});
