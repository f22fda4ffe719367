import { expect, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'Tram-stop-Penguin-42';

/** A username no other test (or earlier run) has used. */
export function uniqueUser(prefix: string, info: TestInfo): string {
  const project = `${isHttps(info) ? 's' : ''}${isHydrated(info) ? 'h' : 'n'}`;
  return `${prefix}${project}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 32);
}

export function isHydrated(info: TestInfo): boolean {
  return info.project.use.javaScriptEnabled !== false;
}

export function isHttps(info: TestInfo): boolean {
  return (info.project.use.baseURL ?? '').startsWith('https:');
}

/** Our cookie names (the session's two and the device cookie): `__Host-` prefixed over https. */
export function cookieName(info: TestInfo, base: 'bmw_access' | 'bmw_refresh' | 'bmw_device'): string {
  return isHttps(info) ? `__Host-${base}` : base;
}

/**
 * Opens a page. In the hydrated project, waits until the wasm has hydrated it, so clicks are
 * handled by Leptos and not by the browser's plain form submission.
 */
export async function open(page: Page, path: string, info: TestInfo): Promise<void> {
  await page.goto(path);
  if (isHydrated(info)) {
    await expect(page.locator('[data-hydrated="true"]')).toBeAttached();
  }
}

export async function signUp(page: Page, info: TestInfo, username: string, password = PASSWORD): Promise<void> {
  await open(page, '/signup', info);
  await page.fill('input[name="name"]', 'Test Rider');
  await page.fill('input[name="email"]', `${username}@example.com`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signIn(page: Page, info: TestInfo, username: string, password = PASSWORD, path = '/signin'): Promise<void> {
  await open(page, path, info);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
