import { expect, test } from '../tests/fixtures';
import { open, signUp, uniqueUser } from '../tests/helpers';

// The release build in the 3000/8080-style split: the hydrated pages call the API origin with
// credentials, and the browser keeps and sends the API's session cookie.

test('the hydrated pages call the API origin with the session cookie', async ({ page }, info) => {
  const api = info.project.metadata.api as string;
  const calls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/fn/')) calls.push(req.url());
  });
  const username = uniqueUser('relsplit', info);
  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  expect(calls.length, 'server-function calls').toBeGreaterThan(0);
  expect(calls.filter((url) => !url.startsWith(api))).toEqual([]);

  const me = await page.evaluate(async (api) => {
    const res = await fetch(`${api}/api/auth/me`, { credentials: 'include' });
    return { status: res.status, body: await res.json() };
  }, api);
  expect(me.status).toBe(200);
  expect(me.body.user.username).toBe(username);

  await open(page, '/account', info);
  await expect(page.getByTestId('account-username')).toHaveText(username);
});
