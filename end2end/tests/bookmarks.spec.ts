import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { isHydrated, open, signUp, uniqueUser } from './helpers';

// MyBM on the real Caltrain feed. Every step is a plain form or link, so the same flow runs
// hydrated (optimistic updates) and with JavaScript off (form posts and redirects).

test.use({ timezoneId: 'America/Los_Angeles' });

/** A Monday morning inside the feed's calendar, so departures do not depend on today. */
const MONDAY_8AM = '2026-11-23T08:00:00-08:00';

const group = (page: Page, name: string) => page.getByTestId('group').filter({ has: page.getByRole('heading', { name, exact: true }) });
const bookmarks = (page: Page) => page.getByTestId('bookmark');

async function saveStop(page: Page, info: Parameters<typeof open>[2], path: string, walk: string, onlyRoute?: string) {
  await open(page, path, info);
  const save = page.getByTestId('save-stop');
  await save.getByLabel('Walk (min)').fill(walk);
  if (onlyRoute) {
    await save.getByText('Only some routes').click();
    await save.getByRole('checkbox', { name: onlyRoute, exact: true }).check();
  }
  await save.getByRole('button', { name: 'Save stop' }).click();
  await expect(save.getByText('Saved in')).toContainText('My stops');
}

test('sign up → search → save → MyBM shows it → walk time → reorder → remove → delete a group', async ({ page }, info) => {
  await signUp(page, info, uniqueUser('bm', info));
  await expect(page).toHaveURL(/\/account$/);

  // A new account has its default group, empty, and says what to do next.
  await open(page, '/', info);
  await expect(page.getByRole('heading', { name: 'No stops saved yet' })).toBeVisible();
  await expect(group(page, 'My stops')).toContainText('No stops in this group yet');

  await page.getByPlaceholder('Stop or route').first().fill('milbrae');
  await page.getByRole('button', { name: 'Search' }).first().click();
  await page.getByRole('link', { name: /^Millbrae/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Millbrae');
  await saveStop(page, info, '/stops/caltrain:place_MLBR', '7', 'Express');
  await saveStop(page, info, '/stops/caltrain:burlingame', '0');

  // MyBM, planned for a Monday 8:00: both stops, in the order saved, with when to leave.
  await open(page, `/mybm?at=${encodeURIComponent(MONDAY_8AM)}`, info);
  await expect(page.getByTestId('planned')).toContainText('2026-11-23 08:00:00-08:00');
  await expect(bookmarks(page)).toHaveCount(2);
  const millbrae = bookmarks(page).filter({ hasText: 'Millbrae' });
  await expect(bookmarks(page).first()).toContainText('Millbrae');
  await expect(millbrae.locator('.route-chip')).toHaveText(['Express']);
  await expect(millbrae).toContainText('7 min walk');
  const leaves = millbrae.locator('.leaves li');
  await expect(leaves).toHaveCount(3);
  for (const leave of await leaves.all()) await expect(leave).toContainText('Express');
  // 08:04 is 4 min away, but the walk takes 7: too late. The later ones say when to leave.
  await expect(leaves.first()).toContainText('08:04');
  await expect(leaves.first()).toContainText('in 4 min');
  await expect(leaves.first()).toContainText('too late to walk');
  await expect(leaves.last()).toContainText(/leave in \d+ min/);

  // Walk time.
  await millbrae.getByText('Edit', { exact: true }).click();
  await millbrae.getByLabel('Walk to the stop (min)').fill('12');
  await millbrae.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(millbrae).toContainText('12 min walk');

  // Reorder with the arrow buttons, in the row's editor.
  await millbrae.getByRole('link', { name: 'Done' }).click();
  await expect(millbrae.getByLabel('Walk to the stop (min)')).toHaveCount(0);
  const burlingame = bookmarks(page).filter({ hasText: 'Burlingame' });
  await burlingame.getByText('Edit', { exact: true }).click();
  await page.getByRole('button', { name: 'Move Burlingame Station up' }).click();
  await expect(bookmarks(page).first()).toContainText('Burlingame');
  await expect(page.getByRole('button', { name: 'Move Burlingame Station up' })).toBeDisabled();

  // A second group, moved above the first, then Millbrae moved into it.
  await page.getByLabel('Name').last().fill('Work');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByTestId('group')).toHaveCount(2);
  await page.getByRole('button', { name: 'Move Work up' }).click();
  await expect(page.getByTestId('group').first().getByRole('heading')).toHaveText('Work');
  await millbrae.getByText('Edit', { exact: true }).click();
  await millbrae.getByLabel('Move to').selectOption({ label: 'Work' });
  await millbrae.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(group(page, 'Work').getByTestId('bookmark')).toContainText('Millbrae');

  // Remove Burlingame.
  await burlingame.getByText('Edit', { exact: true }).click();
  await burlingame.getByRole('button', { name: 'Remove from MyBM' }).click();
  await expect(bookmarks(page)).toHaveCount(1);
  await expect(group(page, 'My stops')).toContainText('No stops in this group yet');

  // Delete "Work": a confirmation first, which can be cancelled; then it goes with its stop.
  const work = group(page, 'Work');
  await work.getByText('Edit group').click();
  await work.getByRole('link', { name: 'Delete group…' }).click();
  await expect(work.getByRole('alertdialog')).toContainText('Delete “Work” and its stop?');
  await work.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page.getByTestId('group')).toHaveCount(2);
  await work.getByText('Edit group').click();
  await work.getByRole('link', { name: 'Delete group…' }).click();
  await work.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page).toHaveURL(/\/mybm/);
  await expect(page.getByTestId('group')).toHaveCount(1);
  await expect(bookmarks(page)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No stops saved yet' })).toBeVisible();
});

test('a refused edit says why on its row, and nothing changes', async ({ page }, info) => {
  await signUp(page, info, uniqueUser('bmerr', info));
  await expect(page).toHaveURL(/\/account$/);
  await open(page, '/mybm', info);
  await page.getByLabel('Name').last().fill('Gym');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByTestId('group')).toHaveCount(2);
  await expect(page.getByLabel('Name').last(), 'the new-group form is ready for the next one').toHaveValue('');

  // "my STOPS" clashes with "My stops" (names are unique per user, ignoring case).
  const gym = group(page, 'Gym');
  await gym.getByText('Edit group').click();
  await gym.getByLabel('Name').fill('my STOPS');
  await gym.getByRole('button', { name: 'Rename' }).click();
  await expect(gym.getByRole('alert')).toContainText('already');
  await expect(page.getByTestId('group').getByRole('heading')).toHaveText(['My stops', 'Gym']);
  // Only that row shows the error.
  await expect(group(page, 'My stops').getByRole('alert')).toHaveCount(0);
});

test('signed out, MyBM asks to sign in and comes back; a stop page offers sign-in to save', async ({ page }, info) => {
  await page.goto('/mybm');
  await expect(page).toHaveURL(/\/signin\?next=%2Fmybm$/);
  await open(page, '/stops/caltrain:place_MLBR', info);
  await expect(page.getByText('to save this stop to MyBM')).toBeVisible();
  await expect(page.getByTestId('save-stop')).toHaveCount(0);
});

test('the hydrated dashboard refreshes itself every 30 s', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'live updates need JavaScript; without it the page has a refresh link');
  await page.clock.install();
  await signUp(page, info, uniqueUser('bmlive', info));
  await expect(page).toHaveURL(/\/account$/);
  await saveStop(page, info, '/stops/caltrain:place_MLBR', '5');
  await open(page, '/mybm', info);
  await expect(bookmarks(page)).toHaveCount(1);
  const loads: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/fn/mybm')) loads.push(request.url());
  });
  // The page's timer started at hydration, a moment before this listener: no load in the first
  // 20 s, then exactly one once 35 s have passed (the 30 s tick, and not yet the 60 s one).
  await page.clock.runFor(20_000);
  expect(loads).toEqual([]);
  await page.clock.runFor(15_000);
  await expect.poll(() => loads.length).toBe(1);
});

test('the minutes count down in the browser, without asking the server', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'without JavaScript the page shows the minutes of its last load');
  // The browser's clock runs five minutes ahead of the server's: every countdown the page shows
  // once hydrated must follow the browser's clock, though the server rendered its own.
  const ahead = 5 * 60_000;
  await page.clock.install({ time: Date.now() + ahead });
  await signUp(page, info, uniqueUser('bmtick', info));
  await expect(page).toHaveURL(/\/account$/);
  await saveStop(page, info, '/stops/caltrain:place_MLBR', '0');
  const loads: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/fn/mybm')) loads.push(request.url());
  });
  const served = await (await page.request.get('/mybm')).text();
  await open(page, '/mybm', info);
  const last = bookmarks(page).locator('.leaves li').last();
  const departs = Date.parse((await last.locator('time').getAttribute('datetime')) ?? '');
  const minutesAt = (now: number) => Math.floor((Math.max(departs - now, 0) / 1000 + 30) / 60);
  // "in 7 min", or "in 2 h 05 min" late at night.
  const minutesIn = (text: string) => {
    const [, hours, minutes] = text.match(/in (?:(\d+) h )?(\d+) min/) ?? [];
    return Number(hours ?? 0) * 60 + Number(minutes);
  };
  const shown = async () => minutesIn((await last.locator('.countdown').textContent()) ?? '');
  const browserNow = await page.evaluate(() => Date.now());
  expect(Math.abs((await shown()) - minutesAt(browserNow))).toBeLessThanOrEqual(1);
  // What the server sent counted from its own clock, five minutes more.
  const serverText = served.split(`datetime="${await last.locator('time').getAttribute('datetime')}"`)[1] ?? '';
  const serverMinutes = minutesIn(serverText.match(/class="countdown">([^<]*)</)?.[1] ?? '');
  expect(serverMinutes - (await shown())).toBeGreaterThanOrEqual(4);
  expect(loads).toEqual([]);
});
