import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// The release smoke suite: what ships, run the way it ships. `cargo xtask dist` (and so
// `cargo xtask test`) builds the release runtime tree, starts it exactly as the container
// image starts it, once alone and once as a split pair (pages + API, two containers on one
// volume), and passes their origins here.
const origin = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through \`cargo xtask dist\``);
  return value;
};

export default defineConfig({
  testDir: './smoke',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: { launchOptions: chromium, trace: 'retain-on-failure', javaScriptEnabled: true },
  projects: [
    { name: 'release', testMatch: 'single.spec.ts', use: { baseURL: origin('BMW_SMOKE_SINGLE') } },
    {
      name: 'release-split',
      testMatch: 'split.spec.ts',
      metadata: { api: origin('BMW_SMOKE_API') },
      use: { baseURL: origin('BMW_SMOKE_PAGES') },
    },
  ],
});
