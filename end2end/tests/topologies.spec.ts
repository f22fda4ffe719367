import { expect, test } from './fixtures';
import { isHydrated, open, signIn, signUp, uniqueUser } from './helpers';

// The same flow in every split deployment (see `splits` in playwright.config.ts), hydrated and
// with JavaScript off: pages on one origin, server functions and API on another.

test('sign up, account, refresh, sign out, sign in, account', async ({ page, context }, info) => {
  const api = info.project.metadata.api as string;
  const serverFnCalls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/fn/')) serverFnCalls.push(req.url());
  });
  const username = uniqueUser('split', info);

  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-username')).toHaveText(username);

  if (isHydrated(info)) {
    // The hydrated app called the API origin, and the browser sent it the session cookie.
    expect(serverFnCalls.length).toBeGreaterThan(0);
    expect(serverFnCalls.filter((url) => !url.startsWith(api))).toEqual([]);
    const refreshed = await page.evaluate(
      async (api) => (await fetch(`${api}/api/auth/refresh`, { method: 'POST', credentials: 'include' })).status,
      api,
    );
    expect(refreshed).toBe(200);
    // The API's cookie, as the topology requires (Domain for sibling hosts; SameSite=None,
    // Secure and partitioned for a cross-site API).
    const want = info.project.metadata.cookie as { name: string; domain: string; sameSite: string; secure: boolean };
    const cookie = (await context.cookies(api)).find((c) => c.name === want.name);
    expect(cookie, `${want.name} for ${api}`).toMatchObject({ ...want, httpOnly: true, path: '/' });
    if (want.sameSite === 'None') expect(cookie!.partitionKey, 'Partitioned (CHIPS)').toBeTruthy();
  }
  // A full page load still knows the user (in a cross-site split, once the browser has asked the API).
  await open(page, '/account', info);
  await expect(page.getByTestId('account-username')).toHaveText(username);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Create an account' })).toBeVisible();

  await signIn(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-username')).toHaveText(username);
});
