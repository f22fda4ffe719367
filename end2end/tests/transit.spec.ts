import { expect, test } from './fixtures';
import { isHydrated, open } from './helpers';

// The real Caltrain feed, imported when the test server starts. Boards are read at a fixed
// moment (the date/time picker), so the answers do not depend on today's date.

test.use({ timezoneId: 'Europe/Paris' });

const MILLBRAE = '/stops/caltrain:place_MLBR';

test('search, open a stop, read its departures at a chosen time', async ({ page }, info) => {
  await open(page, '/', info);
  await page.getByPlaceholder('Stop or route').fill('milbrae');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/stops\?q=milbrae$/);
  await page.getByRole('link', { name: /^Millbrae/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`${MILLBRAE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Millbrae');

  await page.getByLabel('Leave at').fill('2026-11-23T08:00');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\?at=2026-11-23T08(%3A|:)00$/);
  const departures = page.getByTestId('departures').locator('li');
  await expect(departures).toHaveCount(10);
  await expect(departures.first()).toContainText('08:04');
  await expect(departures.first()).toContainText('San Francisco');
  await expect(departures.first()).toContainText('Platform');

  // Later shows the departures after the last one listed.
  await page.getByRole('link', { name: 'Later →' }).click();
  await expect(page.getByTestId('departures').locator('li').first()).not.toContainText('08:04');
});

test('times say they are the agency’s, and when the device is elsewhere', async ({ page }, info) => {
  await open(page, `${MILLBRAE}?at=2026-11-23T08:00:00-08:00`, info);
  const note = page.getByTestId('zone-note');
  await expect(note).toContainText('America/Los_Angeles');
  if (isHydrated(info)) await expect(note).toContainText('Your device is set to Europe/Paris');
  else await expect(note).not.toContainText('Your device');
});

test('a route badge leads to the route and its stops in order', async ({ page }, info) => {
  await open(page, `${MILLBRAE}?at=2026-11-23T08:00:00-08:00`, info);
  await page.getByTestId('departures').getByRole('link', { name: 'Express' }).first().click();
  await expect(page).toHaveURL(/\/routes\/caltrain:/);
  await expect(page.getByTestId('route')).toContainText('Towards San Francisco');
  await expect(page.getByRole('link', { name: 'Millbrae Caltrain Northbound' })).toBeVisible();
});

test('an unknown stop is a 404 page that says so', async ({ page }) => {
  const response = await page.goto('/stops/caltrain:NOPE');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('no such stop');
});

test('a search with no match says what to try', async ({ page }, info) => {
  await open(page, '/stops?q=zzqqxx', info);
  await expect(page.getByTestId('no-results')).toContainText('Nothing matches');
});

test('near me finds the stations around the browser', async ({ page, context }, info) => {
  test.skip(!isHydrated(info), 'geolocation needs JavaScript; the button only appears hydrated');
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 37.6001, longitude: -122.3866 });
  await open(page, '/', info);
  await page.getByTestId('near-me').click();
  await expect(page).toHaveURL(/\/stops\?near=37\.60/);
  await expect(page.getByTestId('stop-list').locator('li').first()).toContainText('Millbrae');
});
