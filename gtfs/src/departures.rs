//! Next departures at a stop from candidate rows, independent of how they were fetched.
//!
//! The caller (SQL in the app, or [`MemorySink`](crate::MemorySink) rows in tests) gets the
//! [`ServiceWindow`]s from [`service_windows`](crate::time::service_windows) and, for each
//! window, the stop_times at the stop whose trip's service runs on `window.date`. Scheduled
//! rows may be pre-filtered to `from_secs..=to_secs`; rows of frequency-based trips must not
//! be, as their times are only a template.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::model::PickupDropOff;
use crate::time::ServiceWindow;

/// One frequencies.txt row of a trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headway {
    pub start_secs: u32,
    /// Inclusive.
    pub end_secs: u32,
    pub headway_secs: u32,
    pub exact_times: bool,
}

/// A stop_time at the queried stop on one service date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a, K> {
    /// The caller's handle for the trip/row (index, id, struct…), passed through to the result.
    pub key: K,
    pub departure_secs: u32,
    pub pickup_type: PickupDropOff,
    /// No one boards at a trip's last stop, whatever pickup_type says.
    pub is_last_stop: bool,
    /// Set for frequency-based trips: `departure_secs` is then a template time.
    pub frequency: Option<FrequencyTemplate<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequencyTemplate<'a> {
    /// The template's departure from its first stop; the stop's offset is measured from it.
    pub trip_start_secs: u32,
    pub headways: &'a [Headway],
}

/// Candidates of one service window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDay<'a, K> {
    pub window: ServiceWindow,
    pub candidates: Vec<Candidate<'a, K>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure<K> {
    pub key: K,
    pub service_date: Date,
    /// GTFS seconds on `service_date` (may exceed 24 h).
    pub departure_secs: u32,
    pub at: Timestamp,
    /// False for `exact_times = 0` frequencies: only "every `headway_secs`" is promised.
    pub exact: bool,
    pub headway_secs: Option<u32>,
}

/// The first `limit` departures, earliest first, over all windows.
pub fn next_departures<K: Clone + PartialEq>(days: &[ServiceDay<'_, K>], limit: usize) -> Vec<Departure<K>> {
    let mut out = Vec::new();
    for day in days {
        let w = &day.window;
        for c in day.candidates.iter().filter(|c| c.pickup_type != PickupDropOff::NotAvailable && !c.is_last_stop) {
            match &c.frequency {
                None if (w.from_secs..=w.to_secs).contains(&c.departure_secs) => {
                    out.push(departure(c, w, c.departure_secs, true, None));
                }
                None => {}
                Some(template) => expand(c, template, w, limit, &mut out),
            }
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.service_date.cmp(&b.service_date)));
    dedup_same_instant(&mut out);
    out.truncate(limit);
    out
}

/// Back-to-back frequency rows (06:00–08:00, 08:00–10:00) both produce 08:00 since `end` is
/// inclusive; keep one. `out` is sorted by instant, so duplicates share an instant group.
fn dedup_same_instant<K: PartialEq>(out: &mut Vec<Departure<K>>) {
    let mut kept: Vec<Departure<K>> = Vec::with_capacity(out.len());
    for d in out.drain(..) {
        let same_instant = kept.iter().rev().take_while(|k| k.at == d.at);
        if !same_instant.into_iter().any(|k| k.key == d.key && k.service_date == d.service_date) {
            kept.push(d);
        }
    }
    *out = kept;
}

fn departure<K: Clone>(
    c: &Candidate<'_, K>,
    w: &ServiceWindow,
    secs: u32,
    exact: bool,
    headway: Option<u32>,
) -> Departure<K> {
    Departure {
        key: c.key.clone(),
        service_date: w.date,
        departure_secs: secs,
        at: w.instant(secs),
        exact,
        headway_secs: headway,
    }
}

/// Departures of a frequency-based trip at this stop: `start + k·headway + offset` for every k
/// with `start + k·headway ≤ end`, clipped to the window; at most `limit` per headway row.
fn expand<K: Clone>(
    c: &Candidate<'_, K>,
    template: &FrequencyTemplate<'_>,
    w: &ServiceWindow,
    limit: usize,
    out: &mut Vec<Departure<K>>,
) {
    let offset = c.departure_secs.saturating_sub(template.trip_start_secs);
    for h in template.headways.iter().filter(|h| h.headway_secs > 0) {
        let first = h.start_secs + offset;
        let k0 = if w.from_secs > first { (w.from_secs - first).div_ceil(h.headway_secs) } else { 0 };
        let mut trip_start = h.start_secs + k0 * h.headway_secs;
        let mut emitted = 0;
        while trip_start <= h.end_secs && trip_start + offset <= w.to_secs && emitted < limit {
            let headway = (!h.exact_times).then_some(h.headway_secs);
            out.push(departure(c, w, trip_start + offset, h.exact_times, headway));
            trip_start += h.headway_secs;
            emitted += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{service_windows, zone};
    use jiff::SignedDuration;
    use jiff::civil::date;

    fn window(from: u32, to: u32) -> ServiceWindow {
        let tz = zone("UTC").unwrap();
        let d = date(2026, 6, 1);
        ServiceWindow { date: d, day_start: crate::time::service_day_start(d, &tz), from_secs: from, to_secs: to }
    }

    fn scheduled(key: u32, secs: u32) -> Candidate<'static, u32> {
        Candidate {
            key,
            departure_secs: secs,
            pickup_type: PickupDropOff::Regular,
            is_last_stop: false,
            frequency: None,
        }
    }

    #[test]
    fn sorts_filters_and_limits() {
        let mut no_pickup = scheduled(3, 150);
        no_pickup.pickup_type = PickupDropOff::NotAvailable;
        let mut last = scheduled(4, 160);
        last.is_last_stop = true;
        let day = ServiceDay {
            window: window(100, 1000),
            candidates: vec![
                scheduled(1, 300),
                scheduled(2, 200),
                no_pickup,
                last,
                scheduled(5, 50),
                scheduled(6, 400),
            ],
        };
        let keys: Vec<u32> = next_departures(&[day], 2).iter().map(|d| d.key).collect();
        assert_eq!(keys, vec![2, 1]);
    }

    #[test]
    fn frequency_expansion_offsets_from_trip_start() {
        let headways = [Headway { start_secs: 3600, end_secs: 7200, headway_secs: 600, exact_times: true }];
        let c = Candidate {
            key: 7,
            departure_secs: 3600 + 120, // two minutes after the template's first stop
            pickup_type: PickupDropOff::Regular,
            is_last_stop: false,
            frequency: Some(FrequencyTemplate { trip_start_secs: 3600, headways: &headways }),
        };
        let deps = next_departures(&[ServiceDay { window: window(4000, 10_000), candidates: vec![c] }], 100);
        let secs: Vec<u32> = deps.iter().map(|d| d.departure_secs).collect();
        // trip starts 4200..=7200 step 600, plus 120 s offset
        assert_eq!(secs, vec![4320, 4920, 5520, 6120, 6720, 7320]);
        assert!(deps.iter().all(|d| d.exact && d.headway_secs.is_none()));
    }

    #[test]
    fn approximate_frequencies_carry_the_headway_and_adjacent_ranges_do_not_duplicate() {
        let headways = [
            Headway { start_secs: 0, end_secs: 1200, headway_secs: 600, exact_times: false },
            Headway { start_secs: 1200, end_secs: 2400, headway_secs: 1200, exact_times: false },
        ];
        let c = Candidate {
            key: 1,
            departure_secs: 0,
            pickup_type: PickupDropOff::Regular,
            is_last_stop: false,
            frequency: Some(FrequencyTemplate { trip_start_secs: 0, headways: &headways }),
        };
        let deps = next_departures(&[ServiceDay { window: window(0, 5000), candidates: vec![c] }], 100);
        let secs: Vec<u32> = deps.iter().map(|d| d.departure_secs).collect();
        assert_eq!(secs, vec![0, 600, 1200, 2400]);
        assert!(deps.iter().all(|d| !d.exact));
        assert_eq!(deps[0].headway_secs, Some(600));
    }

    #[test]
    fn yesterday_25_10_is_found_at_01_05() {
        let tz = zone("America/New_York").unwrap();
        let now: Timestamp = "2026-06-02T05:05:00Z".parse().unwrap(); // 01:05 EDT
        let windows = service_windows(now, &tz, SignedDuration::from_hours(1), 30 * 3600);
        let days: Vec<ServiceDay<'_, &str>> = windows
            .iter()
            .map(|w| ServiceDay {
                window: *w,
                candidates: vec![Candidate {
                    key: "late",
                    departure_secs: 25 * 3600 + 600,
                    pickup_type: PickupDropOff::Regular,
                    is_last_stop: false,
                    frequency: None,
                }],
            })
            .collect();
        let deps = next_departures(&days, 5);
        assert_eq!(deps.len(), 1);
        assert_eq!(deps[0].service_date, date(2026, 6, 1));
        assert_eq!(crate::time::rfc3339(deps[0].at, &tz), "2026-06-02T01:10:00-04:00");
    }
}
