//! The next departures at a set of stops, for any moment: candidate calls per service window
//! from SQL, merged and expanded by the `gtfs` crate (which owns the service-day arithmetic).

use super::store::{self, ActiveFeed};
use crate::error::AppError;
use gtfs::{Candidate, FrequencyTemplate, Headway, PickupDropOff, ServiceCalendar, ServiceDay};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use std::collections::BTreeMap;

/// Look this far ahead first; a quiet stop is asked again over a whole day and a half.
const HORIZONS_HOURS: [i64; 2] = [3, 36];

/// A moment asked about: RFC 3339 (`2026-10-15T08:00:00-07:00`), or a date and time without
/// offset (`2026-10-15T08:00`, what `<input type="datetime-local">` sends) in `zone`.
pub fn parse_moment(text: &str, zone: &TimeZone) -> Result<Timestamp, String> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Ok(at);
    }
    text.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|local| local.to_zoned(zone.clone()).ok())
        .map(|zoned| zoned.timestamp())
        .ok_or_else(|| {
            format!(
                "at must be an RFC 3339 time such as 2026-10-15T08:00:00-07:00, or a local date and time such as \
                 2026-10-15T08:00 (got {text:?})."
            )
        })
}

/// One call of one trip at one stop: the key of a departure.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub trip_idx: i64,
    pub stop_idx: i64,
    pub stop_headsign: Option<String>,
}

/// What a board needs about a feed version: its calendar and zone, built once per version.
pub struct Timetable {
    pub calendar: ServiceCalendar,
    pub zone: TimeZone,
}

pub async fn next_departures(
    db: &mut sqlx::SqliteConnection,
    feed: &ActiveFeed,
    timetable: &Timetable,
    stop_idxs: &[i64],
    at: Timestamp,
    limit: usize,
) -> Result<Vec<gtfs::Departure<Call>>, AppError> {
    let frequency_calls =
        if feed.has_frequencies { store::frequency_calls(&mut *db, feed.version, stop_idxs).await? } else { vec![] };
    let templates = frequency_templates(&frequency_calls);
    let max_secs = u32::try_from(feed.max_departure.max(0)).unwrap_or(u32::MAX);
    let mut found = vec![];
    for hours in HORIZONS_HOURS {
        let windows = gtfs::time::service_windows(at, &timetable.zone, SignedDuration::from_hours(hours), max_secs);
        let mut days = vec![];
        for window in windows {
            let services = timetable.calendar.active_services(window.date);
            let rows =
                store::calls(db, feed.version, stop_idxs, &services, (window.from_secs, window.to_secs), limit as i64)
                    .await?;
            let mut candidates: Vec<Candidate<'_, Call>> = rows
                .into_iter()
                .map(|row| Candidate {
                    key: Call { trip_idx: row.trip_idx, stop_idx: row.stop_idx, stop_headsign: row.stop_headsign },
                    departure_secs: row.departure as u32,
                    // The query already left out calls where nobody may board.
                    pickup_type: PickupDropOff::Regular,
                    is_last_stop: false,
                    frequency: None,
                })
                .collect();
            for f in &templates {
                if services.binary_search(&(f.service as u32)).is_ok() {
                    candidates.push(Candidate {
                        key: f.call.clone(),
                        departure_secs: f.departure,
                        pickup_type: PickupDropOff::Regular,
                        is_last_stop: false,
                        frequency: Some(FrequencyTemplate { trip_start_secs: f.trip_start, headways: &f.headways }),
                    });
                }
            }
            days.push(ServiceDay { window, candidates });
        }
        found = gtfs::next_departures(&days, limit);
        if found.len() >= limit {
            break;
        }
    }
    Ok(found)
}

/// A frequency-based trip's call at a stop: its service, its template time and its headways.
struct FrequencyCall {
    call: Call,
    service: i64,
    departure: u32,
    trip_start: u32,
    headways: Vec<Headway>,
}

/// Frequency rows grouped per (trip, stop, sequence) call.
fn frequency_templates(rows: &[store::FrequencyCallRow]) -> Vec<FrequencyCall> {
    let mut by_call: BTreeMap<(i64, i64, i64), FrequencyCall> = BTreeMap::new();
    for row in rows {
        let entry = by_call.entry((row.trip_idx, row.stop_idx, row.seq)).or_insert_with(|| FrequencyCall {
            call: Call { trip_idx: row.trip_idx, stop_idx: row.stop_idx, stop_headsign: row.stop_headsign.clone() },
            service: row.service_idx,
            departure: row.departure as u32,
            trip_start: row.first_departure as u32,
            headways: vec![],
        });
        entry.headways.push(Headway {
            start_secs: row.start_secs as u32,
            end_secs: row.end_secs as u32,
            headway_secs: row.headway_secs as u32,
            exact_times: row.exact_times,
        });
    }
    by_call.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::parse_moment;

    #[test]
    fn moments_are_rfc3339_or_local_to_the_agency() {
        let zone = gtfs::time::zone("America/Los_Angeles").unwrap();
        let exact = parse_moment("2026-10-15T08:00:00-07:00", &zone).unwrap();
        assert_eq!(parse_moment("2026-10-15T15:00:00Z", &zone).unwrap(), exact);
        assert_eq!(parse_moment("2026-10-15T08:00", &zone).unwrap(), exact, "local, from a date/time picker");
        assert!(parse_moment("tomorrow", &zone).unwrap_err().contains("RFC 3339"));
        assert!(parse_moment("2026-13-45T08:00", &zone).is_err());
    }
}
