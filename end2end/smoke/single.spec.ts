import { expect, test } from '../tests/fixtures';
import { open, signIn, signUp, uniqueUser } from '../tests/helpers';

// The release build hydrates: every page, signed out and signed in, and a sign-in done by the
// hydrated app (fetch), not by a plain form post.

const signedOut = ['/', '/signin', '/signup', '/stops?q=millbrae', '/stops/caltrain:place_MLBR', '/routes/caltrain:77122'];
const signedIn = ['/', '/account'];

test('every page hydrates, signed out and signed in', async ({ page }, info) => {
  for (const path of signedOut) await open(page, path, info);
  // A protected page sends a signed-out visitor to sign in, hydrated too.
  await open(page, '/account', info);
  await expect(page).toHaveURL(/\/signin\?next=%2Faccount$/);

  await signUp(page, info, uniqueUser('relpages', info));
  await expect(page).toHaveURL(/\/account$/);
  for (const path of signedIn) await open(page, path, info);
});

test('a hydrated sign-in goes through fetch and lands on the account page', async ({ page }, info) => {
  const username = uniqueUser('relsign', info);
  await signUp(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);

  const documentPosts: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.resourceType() === 'document') documentPosts.push(req.url());
  });
  await signIn(page, info, username);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-username')).toHaveText(username);
  expect(documentPosts, 'the wasm app handled the form').toEqual([]);
});

test('the bundles have hashed names, travel compressed and are cached for good', async ({ page }) => {
  const bundles: { url: string; encoding?: string; cache?: string }[] = [];
  page.on('response', (res) => {
    if (/\/pkg\/bmw\.[^/]+$/.test(res.url())) {
      const headers = res.headers();
      bundles.push({ url: res.url(), encoding: headers['content-encoding'], cache: headers['cache-control'] });
    }
  });
  await page.goto('/');
  await expect(page.locator('[data-hydrated="true"]')).toBeAttached();
  const kinds = bundles.map((b) => b.url.split('.').pop()).sort();
  expect(kinds, 'the page loaded the three bundles').toEqual(['css', 'js', 'wasm']);
  for (const bundle of bundles) {
    expect(bundle.url, 'a content hash in the name').toMatch(/\/pkg\/bmw\.[A-Za-z0-9_-]{8,}\.(css|js|wasm)$/);
    expect(['br', 'gzip'], `${bundle.url} precompressed`).toContain(bundle.encoding);
    expect(bundle.cache, bundle.url).toBe('public, max-age=31536000, immutable');
  }
});
