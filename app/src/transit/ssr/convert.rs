//! Catalog rows into the shapes the API and the pages show.

use super::board::{Call, Timetable};
use super::colors::badge_colors;
use super::store::{self, ActiveFeed, RouteRow, StopRow};
use crate::error::AppError;
use crate::transit::model::{Departure, DepartureStatus, RouteId, RouteKind, RouteSummary, StopId, StopSummary};
use sqlx::SqliteConnection;
use std::collections::HashMap;

pub(super) fn stop_summary(feed: &str, row: &StopRow) -> StopSummary {
    StopSummary {
        id: StopId::new(feed, &row.stop_id),
        name: row.name.clone().unwrap_or_else(|| row.stop_id.clone()),
        code: row.code.clone(),
        lat: row.lat,
        lon: row.lon,
        is_station: row.location_type == 1,
        parent: row.parent_stop_id.as_deref().map(|p| StopId::new(feed, p)),
        platform: row.platform_code.clone(),
        distance_m: None,
    }
}

pub(super) fn route_summary(feed: &str, row: &RouteRow) -> RouteSummary {
    let route_type = u16::try_from(row.route_type).unwrap_or(u16::MAX);
    let (color, text_color) = badge_colors(row.color.as_deref(), row.text_color.as_deref());
    RouteSummary {
        id: RouteId::new(feed, &row.route_id),
        short_name: row.short_name.clone().filter(|s| !s.is_empty()),
        long_name: row.long_name.clone().filter(|s| !s.is_empty()),
        route_type,
        kind: RouteKind::from_route_type(route_type),
        color,
        text_color,
        agency: row.agency.clone(),
    }
}

pub(super) fn calendar_from_rows(
    weekly: &[store::CalendarRow],
    dates: &[store::CalendarDateRow],
) -> Result<gtfs::ServiceCalendar, AppError> {
    let date = |text: &str| text.parse::<jiff::civil::Date>().map_err(AppError::internal);
    let mut calendar = gtfs::ServiceCalendar::new();
    for row in weekly {
        calendar.add_calendar(&gtfs::Calendar {
            service: row.service_idx as u32,
            service_id: row.service_id.clone(),
            weekdays: std::array::from_fn(|day| row.weekdays & (1 << day) != 0),
            start_date: date(&row.start_date)?,
            end_date: date(&row.end_date)?,
        });
    }
    for row in dates {
        calendar.add_calendar_date(&gtfs::CalendarDate {
            service: row.service_idx as u32,
            service_id: row.service_id.clone(),
            date: date(&row.date)?,
            exception: if row.exception == 1 { gtfs::Exception::Added } else { gtfs::Exception::Removed },
        });
    }
    Ok(calendar)
}

/// A platform is named by its code, or else by what its own name adds to its station's
/// ("Millbrae Caltrain Northbound" at "Millbrae": "Caltrain Northbound").
pub(super) fn platform_label(stop: &StopRow, station: Option<&str>) -> Option<String> {
    stop.platform_code.clone().or_else(|| {
        let (name, station) = (stop.name.as_deref()?, station?);
        let rest = name.strip_prefix(station).unwrap_or(name).trim_matches([' ', '-', '–']);
        (!rest.is_empty() && rest != station).then(|| rest.to_string())
    })
}

/// The departures found for several boards, with their trips and routes read once for all.
pub(super) async fn departures(
    conn: &mut SqliteConnection,
    feed: &ActiveFeed,
    timetable: &Timetable,
    found: Vec<Vec<gtfs::Departure<Call>>>,
    stops: &HashMap<i64, StopRow>,
) -> Result<Vec<Vec<Departure>>, AppError> {
    let mut trip_idxs: Vec<i64> = found.iter().flatten().map(|d| d.key.trip_idx).collect();
    trip_idxs.sort_unstable();
    trip_idxs.dedup();
    let trips: HashMap<i64, store::TripRow> =
        store::trips_by_idx(&mut *conn, feed.version, &trip_idxs).await?.into_iter().map(|t| (t.idx, t)).collect();
    let mut route_idxs: Vec<i64> = trips.values().map(|t| t.route_idx).collect();
    route_idxs.sort_unstable();
    route_idxs.dedup();
    let routes: HashMap<i64, RouteSummary> = store::routes_by_idx(&mut *conn, feed.version, &route_idxs)
        .await?
        .iter()
        .map(|r| (r.idx, route_summary(&feed.name, r)))
        .collect();
    let parent_name = |row: &StopRow| row.parent_idx.and_then(|p| stops.get(&p)).and_then(|p| p.name.clone());
    let present = |d: gtfs::Departure<Call>| -> Result<Departure, AppError> {
        let (Some(trip), Some(stop)) = (trips.get(&d.key.trip_idx), stops.get(&d.key.stop_idx)) else {
            return Err(AppError::internal(format!("departure of unknown trip/stop {:?}", d.key)));
        };
        let route = routes.get(&trip.route_idx).cloned().ok_or_else(|| AppError::internal("trip of unknown route"))?;
        let local = d.at.to_zoned(timetable.zone.clone());
        let platform = platform_label(stop, parent_name(stop).as_deref());
        Ok(Departure {
            scheduled_at: gtfs::time::rfc3339(d.at, &timetable.zone),
            unix: d.at.as_second(),
            local_time: format!("{:02}:{:02}", local.hour(), local.minute()),
            service_date: d.service_date.to_string(),
            route,
            headsign: d.key.stop_headsign.clone().or_else(|| trip.headsign.clone()),
            trip_id: trip.trip_id.clone(),
            stop_id: StopId::new(&feed.name, &stop.stop_id),
            platform,
            exact: d.exact,
            headway_secs: d.headway_secs,
            status: DepartureStatus::Scheduled,
            predicted_at: None,
            delay_s: None,
            prediction_made_at: None,
            alerts: vec![],
            stop_sequence: u32::try_from(d.key.seq).unwrap_or_default(),
        })
    };
    found.into_iter().map(|board| board.into_iter().map(&present).collect()).collect()
}
