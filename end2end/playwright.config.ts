import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// The server under test: the dev build from `cargo leptos build`, on its own port, with a fresh
// temporary data directory (database and JWT secret) for every run.
export const PORT = 3100;
export const BASE_URL = `http://127.0.0.1:${PORT}`;
// The same app over built-in TLS, with a certificate generated for localhost (a name both
// Chromium and the tests' own Node-side requests resolve).
export const TLS_PORT = 3143;
export const TLS_URL = `https://localhost:${TLS_PORT}`;

// Split deployments: pages and API as two processes on two origins (end2end/serve-split.sh).
// *.test names reach loopback through --host-resolver-rules; https ones use a generated
// certificate for both names.
const splits = [
  // `cookie`: what the API's session cookie must look like in the browser.
  { name: 'split-ports', pages: 'http://localhost:3210', api: 'http://localhost:3211', tls: '',
    cookie: { name: 'bmw_access', domain: 'localhost', sameSite: 'Lax', secure: false } },
  { name: 'split-subdomains', pages: 'https://app.bmw.example.test:3220', api: 'https://api.bmw.example.test:3221', tls: 'app.bmw.example.test,api.bmw.example.test',
    cookie: { name: '__Secure-bmw_access', domain: '.bmw.example.test', sameSite: 'Lax', secure: true } },
  { name: 'split-cross-site', pages: 'https://bmw-app.test:3230', api: 'https://bmw-api.test:3231', tls: 'bmw-app.test,bmw-api.test',
    cookie: { name: '__Host-bmw_access', domain: 'bmw-api.test', sameSite: 'None', secure: true } },
];
const port = (origin: string) => new URL(origin).port;
// Every test signs its users up from 127.0.0.1, far beyond the 10 sign-ups an hour one address
// gets by default (the attack suite tests that limit).
const manyUsers = { BMW_SIGN_UPS_PER_ADDRESS: '100000' };
// The flow of topologies.spec.ts also runs against the two single-origin servers below.
const singles = [
  { name: 'single-http', pages: BASE_URL, api: BASE_URL,
    cookie: { name: 'bmw_access', domain: '127.0.0.1', sameSite: 'Lax', secure: false } },
  { name: 'single-https', pages: TLS_URL, api: TLS_URL,
    cookie: { name: '__Host-bmw_access', domain: 'localhost', sameSite: 'Lax', secure: true } },
];

// Live times: a server of its own, polling a GTFS Realtime source (end2end/realtime-source.mjs)
// that realtime.spec.ts fills, so no other test sees its delays and alerts.
export const LIVE_PORT = 3161;
export const LIVE_SOURCE = 'http://127.0.0.1:3160/feed';

// The real Caltrain feed (fetched, pinned, by `cargo xtask test`) is imported at the main
// server's start: transit.spec.ts searches and reads its boards.
const caltrain = process.env.BMW_TEST_CALTRAIN;
if (!caltrain) throw new Error('BMW_TEST_CALTRAIN is not set: run the browser tests with `cargo xtask test e2e`');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'hydrated', testIgnore: ['topologies.spec.ts', 'realtime.spec.ts'], use: { javaScriptEnabled: true } },
    { name: 'no-js', testIgnore: ['topologies.spec.ts', 'realtime.spec.ts'], use: { javaScriptEnabled: false } },
    ...[true, false].map((js) => ({
      name: `live-${js ? 'hydrated' : 'no-js'}`,
      testMatch: 'realtime.spec.ts',
      use: { baseURL: `http://127.0.0.1:${LIVE_PORT}`, javaScriptEnabled: js },
    })),
    ...[...singles, ...splits].flatMap((split) =>
      [true, false].map((js) => ({
        name: `${split.name}-${js ? 'hydrated' : 'no-js'}`,
        // The doctor's in-browser check meets each topology's real cookie.
        testMatch: ['topologies.spec.ts', 'doctor.spec.ts'],
        metadata: { api: split.api, cookie: split.cookie },
        use: { baseURL: split.pages, ignoreHTTPSErrors: true, javaScriptEnabled: js },
      })),
    ),
    // Single origin over https: the sign-in flows again, with Secure __Host- cookies.
    { name: 'https-hydrated', testMatch: 'auth.spec.ts', use: { baseURL: TLS_URL, ignoreHTTPSErrors: true, javaScriptEnabled: true } },
    { name: 'https-no-js', testMatch: 'auth.spec.ts', use: { baseURL: TLS_URL, ignoreHTTPSErrors: true, javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: 'sh -c \'exec target/debug/bmw --data-dir "$(mktemp -d)"\'',
      cwd: '..',
      // Answers (not 404) once the configured feed is imported.
      url: `${BASE_URL}/api/stops/caltrain:place_MLBR`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
        LEPTOS_SITE_ROOT: 'target/site',
        RUST_LOG: 'warn',
        BMW_FEEDS: `caltrain=${caltrain}`,
        ...manyUsers,
      },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node end2end/realtime-source.mjs ${new URL(LIVE_SOURCE).port}`,
      cwd: '..',
      url: new URL('/healthz', LIVE_SOURCE).href,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'sh -c \'exec target/debug/bmw --data-dir "$(mktemp -d)"\'',
      cwd: '..',
      url: `http://127.0.0.1:${LIVE_PORT}/api/stops/caltrain:place_MLBR`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${LIVE_PORT}`,
        LEPTOS_SITE_ROOT: 'target/site',
        RUST_LOG: 'warn',
        BMW_FEEDS: `caltrain=${caltrain}`,
        BMW_REALTIME: `caltrain=${LIVE_SOURCE}`,
        BMW_REALTIME_POLL_SECS: '1',
        ...manyUsers,
      },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'sh -c \'exec target/debug/bmw --data-dir "$(mktemp -d)"\'',
      cwd: '..',
      url: `https://127.0.0.1:${TLS_PORT}/healthz`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${TLS_PORT}`,
        LEPTOS_SITE_ROOT: 'target/site',
        BMW_TLS_SELF_SIGNED: 'localhost',
        RUST_LOG: 'warn',
        ...manyUsers,
      },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    ...splits.map((split) => ({
      command: `bash end2end/serve-split.sh ${port(split.pages)} ${port(split.api)} ${split.pages} ${split.api}`,
      cwd: '..',
      url: `${split.tls ? 'https' : 'http'}://127.0.0.1:${port(split.pages)}/healthz`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { LEPTOS_SITE_ROOT: 'target/site', BMW_TLS_SELF_SIGNED: split.tls, RUST_LOG: 'warn', ...manyUsers },
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    })),
  ],
});
