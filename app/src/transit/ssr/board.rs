//! The next departures at a set of stops, for any moment: candidate calls per service window
//! from SQL, merged and expanded by the `gtfs` crate (which owns the service-day arithmetic).

use super::store::{self, ActiveFeed, BoardStops};
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
    /// The trip's `stop_sequence` here.
    pub seq: i64,
    pub stop_headsign: Option<String>,
}

/// What a board needs about a feed version: its calendar and zone, built once per version.
pub struct Timetable {
    pub calendar: ServiceCalendar,
    pub zone: TimeZone,
}

/// The next `limit` departures at `at` for each board, in one pass over the service windows
/// for all of them.
pub async fn next_departures(
    db: &mut sqlx::SqliteConnection,
    feed: &ActiveFeed,
    timetable: &Timetable,
    boards: &[BoardStops],
    at: Timestamp,
    limit: usize,
) -> Result<Vec<Vec<gtfs::Departure<Call>>>, AppError> {
    let templates = if feed.has_frequencies {
        let all_stops: Vec<i64> = boards.iter().flat_map(|b| b.stop_idxs.iter().copied()).collect();
        frequency_templates(&store::frequency_calls(&mut *db, feed.version, &all_stops).await?)
    } else {
        vec![]
    };
    let max_secs = u32::try_from(feed.max_departure.max(0)).unwrap_or(u32::MAX);
    let mut found: Vec<Vec<gtfs::Departure<Call>>> = vec![vec![]; boards.len()];
    // Boards that still want more: a quiet stop is asked again over the longer horizon.
    let mut pending: Vec<(usize, &BoardStops)> = boards.iter().enumerate().collect();
    for hours in HORIZONS_HOURS {
        let windows = gtfs::time::service_windows(at, &timetable.zone, SignedDuration::from_hours(hours), max_secs);
        let mut candidates_by_window = vec![];
        for window in &windows {
            let services = timetable.calendar.active_services(window.date);
            let rows =
                store::calls(db, feed.version, &pending, &services, (window.from_secs, window.to_secs), limit as i64)
                    .await?;
            candidates_by_window.push((services, rows));
        }
        for &(board, stops) in &pending {
            let days: Vec<ServiceDay<'_, Call>> = windows
                .iter()
                .zip(&candidates_by_window)
                .map(|(window, (services, rows))| {
                    let scheduled = rows.iter().filter(|row| row.board == board as i64).map(|row| Candidate {
                        key: Call {
                            trip_idx: row.trip_idx,
                            stop_idx: row.stop_idx,
                            seq: row.seq,
                            stop_headsign: row.stop_headsign.clone(),
                        },
                        departure_secs: row.departure as u32,
                        // The query already left out calls where nobody may board.
                        pickup_type: PickupDropOff::Regular,
                        is_last_stop: false,
                        frequency: None,
                    });
                    let frequent = templates
                        .iter()
                        .filter(|f| services.binary_search(&(f.service as u32)).is_ok() && f.serves(stops))
                        .map(|f| Candidate {
                            key: f.call.clone(),
                            departure_secs: f.departure,
                            pickup_type: PickupDropOff::Regular,
                            is_last_stop: false,
                            frequency: Some(FrequencyTemplate { trip_start_secs: f.trip_start, headways: &f.headways }),
                        });
                    ServiceDay { window: *window, candidates: scheduled.chain(frequent).collect() }
                })
                .collect();
            found[board] = gtfs::next_departures(&days, limit);
        }
        pending.retain(|(board, _)| found[*board].len() < limit);
        if pending.is_empty() {
            break;
        }
    }
    Ok(found)
}

/// A frequency-based trip's call at a stop: its service, its template time and its headways.
struct FrequencyCall {
    call: Call,
    service: i64,
    route_idx: i64,
    departure: u32,
    trip_start: u32,
    headways: Vec<Headway>,
}

impl FrequencyCall {
    fn serves(&self, board: &BoardStops) -> bool {
        board.stop_idxs.contains(&self.call.stop_idx)
            && (board.route_idxs.is_empty() || board.route_idxs.contains(&self.route_idx))
    }
}

/// Frequency rows grouped per (trip, stop, sequence) call.
fn frequency_templates(rows: &[store::FrequencyCallRow]) -> Vec<FrequencyCall> {
    let mut by_call: BTreeMap<(i64, i64, i64), FrequencyCall> = BTreeMap::new();
    for row in rows {
        let entry = by_call.entry((row.trip_idx, row.stop_idx, row.seq)).or_insert_with(|| FrequencyCall {
            call: Call {
                trip_idx: row.trip_idx,
                stop_idx: row.stop_idx,
                seq: row.seq,
                stop_headsign: row.stop_headsign.clone(),
            },
            service: row.service_idx,
            route_idx: row.route_idx,
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
