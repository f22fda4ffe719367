import { expect, test } from './fixtures';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHydrated, signUp, uniqueUser } from './helpers';

// The attacker's page is served from another port on the same host: another origin, but the
// same site, so SameSite=Lax cookies travel with its requests. Only the CSRF check and the
// absence of CORS stand in the way, which is exactly what these tests prove in a real browser.

function attackerServer(target: string): Promise<http.Server> {
  const pages: Record<string, string> = {
    '/read': `<title>reading</title><script>
      fetch('${target}/api/auth/me', { credentials: 'include' })
        .then((r) => r.text()).then((t) => { document.title = 'read ' + t; })
        .catch(() => { document.title = 'blocked'; });
    </script>`,
    '/sign-out': `<form method="post" action="${target}/api/auth/signout"><button>Win a prize</button></form>`,
    '/server-fn': `<form method="post" action="${target}/api/fn/sign_out"><button>Win a prize</button></form>`,
  };
  const server = http.createServer((req, res) => {
    res.writeHead(pages[req.url ?? ''] ? 200 : 404, { 'content-type': 'text/html' });
    res.end(pages[req.url ?? ''] ?? 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('a page on another port can neither read nor change the signed-in user', async ({ page }, info) => {
  const target = info.project.use.baseURL!;
  await signUp(page, info, uniqueUser('csrf', info));
  await expect(page).toHaveURL(/\/account$/);
  const server = await attackerServer(target);
  const attacker = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    if (isHydrated(info)) {
      await page.goto(`${attacker}/read`);
      await expect(page).toHaveTitle('blocked'); // CORS: the answer is hidden from the page
    }
    for (const path of ['/sign-out', '/server-fn']) {
      await page.goto(`${attacker}${path}`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(target) && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Win a prize' }).click(),
      ]);
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'csrf' });
    }
    // Still signed in, with the same session.
    await page.goto(`${target}/account`);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId('account-username')).toBeVisible();
  } finally {
    server.close();
  }
});
