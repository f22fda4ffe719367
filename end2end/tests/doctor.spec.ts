import { expect, test } from './fixtures';
import { isHydrated, open } from './helpers';

// /doctor: the offline verdict for typed origins (a GET form, with or without JavaScript), and
// the in-browser truth test against this deployment's own API. Runs in the main projects and in
// every topology project (see playwright.config.ts), so the truth test meets each topology's
// real cookie: first-party, Domain-scoped, and partitioned cross-site.

test('the form explains two typed origins, refusals included', async ({ page }, info) => {
  await open(page, '/doctor', info);
  await page.getByLabel('Page origin').fill('https://bmw-app.test');
  await page.getByLabel('API origin').fill('https://bmw-api.test');
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page).toHaveURL(/\/doctor\?page=https%3A%2F%2Fbmw-app\.test&api=https%3A%2F%2Fbmw-api\.test$/);
  await expect(page.getByTestId('doctor-relation')).toHaveText('cross-site');
  await expect(page.locator('[data-engine="chromium"] .status')).toHaveText('pass');
  await expect(page.locator('[data-engine="safari"] .status')).toHaveText('fail');
  await expect(page.getByTestId('doctor-result')).toContainText('Partitioned');

  await open(page, '/doctor?page=http%3A%2F%2Fbmw-app.test&api=http%3A%2F%2Fbmw-api.test', info);
  await expect(page.getByTestId('doctor-refusal')).toContainText('Fix:');
  await open(page, '/doctor?page=localhost%3A3000', info);
  await expect(page.getByTestId('doctor-error')).toContainText('no scheme');
});

test('the browser check: the API sets a session-like cookie and this browser sends it back', async ({ page }, info) => {
  await open(page, '/doctor', info);
  const api = new URL((info.project.metadata?.api as string | undefined) ?? info.project.use.baseURL!).origin;
  // With no origins typed, the verdict is this deployment's own.
  await expect(page.getByTestId('doctor-result')).toContainText(api);
  const button = page.getByTestId('doctor-browser-check');
  if (!isHydrated(info)) {
    await expect(button).toBeDisabled();
    return;
  }
  const calls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/fn/doctor_probe')) calls.push(new URL(req.url()).origin);
  });
  await button.click();
  const result = page.getByTestId('doctor-browser-result');
  await expect(result).toContainText('The browser stored the cookie and sent it back.');
  await expect(result).toContainText(`CORS allowed it: this page read the answer of ${api}`);
  expect(calls.length).toBe(2);
  expect(calls.every((origin) => origin === api), `${calls} all went to ${api}`).toBe(true);
});
