import { test as base, expect } from '@playwright/test';

/**
 * Every test fails if one of our pages threw (an uncaught exception or rejected promise, such
 * as a wasm bundle that cannot start) or logged an error to the console. Failed network
 * requests are not page errors (tests provoke 401s and 422s on purpose), and neither is what
 * an attacker's page in a test logs.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use, info) => {
      const origins = [info.project.use.baseURL, info.project.metadata?.api as string | undefined]
        .filter((url): url is string => !!url)
        .map((url) => new URL(url).origin);
      const ours = (url: string) => origins.some((origin) => url.startsWith(origin));
      const errors: string[] = [];
      page.on('pageerror', (error) => {
        if (ours(page.url())) errors.push(`${page.url()}: ${error.name}: ${error.message}`);
      });
      page.on('console', (message) => {
        const where = message.location().url || page.url();
        if (message.type() === 'error' && ours(where) && !message.text().startsWith('Failed to load resource')) {
          errors.push(`${where}: console: ${message.text()}`);
        }
      });
      await use(errors);
      expect(errors, 'errors logged by our pages').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
