import { type APIRequestContext } from '@playwright/test';
import { LIVE_SOURCE } from '../playwright.config';
import { expect, test } from './fixtures';
import { open, signUp, uniqueUser } from './helpers';

// Live times in the browser: a server of its own polls end2end/realtime-source.mjs every second;
// each test puts a GTFS Realtime message there (a delay, a cancellation, a skipped stop, an
// added trip, an alert) about the real Caltrain trips of a Tuesday morning, and reads the stop
// page and MyBM, hydrated and with JavaScript off.

test.use({ timezoneId: 'America/Los_Angeles' });

const MILLBRAE = '/stops/caltrain:place_MLBR';
const AT = '2026-12-01T08:00:00-08:00';

type Departure = {
  trip_id: string;
  service_date: string;
  local_time: string;
  status: string;
  unix: number;
  stop_id: string;
  route: { id: string };
};

/**
 * Makes the first departure at Millbrae 7 minutes late, the second cancelled, the third skip
 * the stop, adds an extra trip, and waits until bmw has polled it.
 */
async function liveTimes(request: APIRequestContext): Promise<[Departure, Departure]> {
  const board = `/api/stops/caltrain:place_MLBR/departures?at=${encodeURIComponent(AT)}&limit=4`;
  // By timetable: the board may already be live (the other project's test put the same message),
  // and then it is in the order trains will leave, with the extra trip.
  const timetable = ((await (await request.get(board)).json()).departures as Departure[])
    .filter((d) => d.trip_id !== 'extra-1' && d.unix >= Date.parse(AT) / 1000)
    .sort((a, b) => a.unix - b.unix);
  const [late, cancelled, skipped] = timetable;
  const trip = (d: Departure) => ({ tripId: d.trip_id, startDate: d.service_date.replaceAll('-', '') });
  const local = (id: string) => id.replace(/^caltrain:/, '');
  const message = {
    header: { gtfsRealtimeVersion: '2.0', timestamp: Math.floor(Date.now() / 1000) },
    entity: [
      { id: 'late', tripUpdate: { trip: trip(late), delay: 420 } },
      { id: 'cancelled', tripUpdate: { trip: { ...trip(cancelled), scheduleRelationship: 'CANCELED' } } },
      {
        id: 'skipped',
        tripUpdate: { trip: trip(skipped), stopTimeUpdate: [{ stopId: local(skipped.stop_id), scheduleRelationship: 'SKIPPED' }] },
      },
      {
        id: 'extra',
        tripUpdate: {
          trip: { tripId: 'extra-1', routeId: local(late.route.id), startDate: trip(late).startDate, scheduleRelationship: 'NEW' },
          tripProperties: { tripHeadsign: 'Special event train' },
          stopTimeUpdate: [{ stopSequence: 1, stopId: local(late.stop_id), departure: { time: late.unix + 60 } }],
        },
      },
      {
        id: 'lift',
        alert: {
          informedEntity: [{ stopId: 'place_MLBR' }],
          headerText: { translation: [{ text: 'Elevator out of service', language: 'en' }] },
          descriptionText: { translation: [{ text: 'Use the ramp at the north end.', language: 'en' }] },
        },
      },
    ],
  };
  expect((await request.put(LIVE_SOURCE, { data: message })).status()).toBe(204);
  await expect
    .poll(async () => (await (await request.get(board)).json()).departures.map((d: Departure) => d.status))
    .toContain('cancelled');
  return [late, cancelled];
}

test('the stop page shows the delay, the cancellation, the alert and that the times are live', async ({ page, request }, info) => {
  const [late] = await liveTimes(request);
  // From another moment, through the date/time form: a server function once hydrated.
  await open(page, `${MILLBRAE}?at=2026-12-01T06:00`, info);
  await page.getByLabel('Leave at').fill('2026-12-01T08:00');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\?at=2026-12-01T08(%3A|:)00$/);

  await expect(page.getByTestId('live-note')).toContainText('Live times, updated');
  await expect(page.getByTestId('alerts')).toContainText('Elevator out of service');
  await expect(page.getByTestId('alerts')).toContainText('Use the ramp at the north end.');
  const departures = page.getByTestId('departures');
  const delayed = departures.locator('li[data-status="late"]').first();
  await expect(delayed).toContainText('7 min late');
  // The timetable's time, struck through, then the predicted one.
  await expect(delayed.locator('s.was')).toHaveText(late.local_time);
  const cancelled = departures.locator('li[data-status="cancelled"]');
  await expect(cancelled).toHaveCount(1);
  await expect(cancelled).toContainText('cancelled');
  await expect(departures.locator('li[data-status="skipped"]')).toContainText('skips this stop');
  const extra = departures.locator('li[data-status="added"]');
  await expect(extra).toContainText('extra trip');
  await expect(extra).toContainText('Special event train');
});

test('MyBM says when to leave by the predicted time, and shows the alert', async ({ page, request }, info) => {
  await liveTimes(request);
  await signUp(page, info, uniqueUser('live', info));
  await expect(page).toHaveURL(/\/account$/);
  await open(page, MILLBRAE, info);
  const save = page.getByTestId('save-stop');
  await save.getByLabel('Walk (min)').fill('3');
  await save.getByRole('button', { name: 'Save stop' }).click();
  await expect(save.getByText('Saved in')).toContainText('My stops');

  await open(page, `/mybm?at=${encodeURIComponent(AT)}`, info);
  const row = page.getByTestId('bookmark').filter({ hasText: 'Millbrae' });
  await expect(row).toContainText('Live times, updated');
  await expect(row).toContainText('Elevator out of service');
  const delayed = row.locator('li[data-status="late"]').first();
  await expect(delayed).toContainText('7 min late');
  await expect(delayed).toContainText(/leave in \d+ min/);
  await expect(row.locator('li[data-status="cancelled"]')).not.toContainText('leave in');
});
