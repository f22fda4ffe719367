//! The transit service: the one implementation behind the REST handlers, the server functions
//! and (for bookmarks) other features. It reads the catalog database and asks the injected
//! clock for "now".

use super::board::{self, Timetable};
use super::cache::TransitCache;
use super::convert::{calendar_from_rows, departures, route_summary, stop_summary};
use super::live::{LiveFeed, LiveFeeds, Overlay};
use super::many::Wanted;
use super::search;
use super::store::{self, ActiveFeed, BoardStops, StopRow};
use crate::error::AppError;
use crate::ssr::clock::SharedClock;
use crate::ssr::db::Db;
use crate::transit::model::{
    Board, FeedSummary, RouteDetail, RouteDirection, RouteId, RouteSummary, StopDetail, StopId, StopSummary,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Candidates fetched from the search index before ranking.
const SEARCH_CANDIDATES: i64 = 300;
/// Short queries that find too little are compared with every name (bounded: a city's worth).
const FUZZY_SCAN_MAX_CHARS: usize = 12;
const FUZZY_SCAN_MAX_STOPS: i64 = 50_000;

pub struct TransitService {
    pub(super) db: Db,
    clock: SharedClock,
    /// Calendars, names and boards of feed versions, which never change once imported.
    pub(super) cache: TransitCache,
    /// The feeds' real-time data, laid over the timetable on every request.
    pub(super) live: Arc<LiveFeeds>,
}

impl TransitService {
    pub fn new(db: Db, clock: SharedClock, live: Arc<LiveFeeds>) -> Self {
        Self { db, clock, cache: TransitCache::new(), live }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::try_from(self.clock.now()).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub async fn feeds(&self) -> Result<Vec<FeedSummary>, AppError> {
        Ok(store::feeds(&mut *self.db.acquire().await?)
            .await?
            .into_iter()
            .map(|f| FeedSummary {
                agencies: f.agency_names.unwrap_or_default().split('\u{1f}').map(String::from).collect(),
                name: f.name,
                version: f.version,
                imported_at: f.imported_at,
                timezone: f.timezone,
                start_date: f.start_date,
                end_date: f.end_date,
                stops: f.stops,
                routes: f.routes,
                trips: f.trips,
                stop_times: f.stop_times,
            })
            .collect())
    }

    /// Stops and stations by name, code or id, best first; platforms are shown as their station.
    pub async fn search_stops(&self, query: &str, limit: usize) -> Result<Vec<StopSummary>, AppError> {
        let mut tx = self.db.begin().await?;
        let mut rows = match search::trigram_query(query) {
            Some(fts) => store::stop_candidates(&mut tx, &fts, SEARCH_CANDIDATES).await?,
            None => store::stop_prefix_candidates(&mut tx, query, SEARCH_CANDIDATES).await?,
        };
        // A typo in a short word can leave no trigram in common: then look at every name.
        if rows.len() < limit && query.chars().count() <= FUZZY_SCAN_MAX_CHARS {
            rows.extend(store::all_stops(&mut tx, FUZZY_SCAN_MAX_STOPS).await?);
        }
        let names = feed_names(&mut tx).await?;
        let rows = as_stations(&mut tx, rows).await?;
        let mut scored: Vec<(f64, StopSummary)> = rows
            .iter()
            .filter_map(|row| {
                let name = row.name.as_deref().unwrap_or(&row.stop_id);
                let others = [row.code.as_deref().unwrap_or_default(), row.stop_id.as_str()];
                let score = search::score(query, name, &others)?;
                Some((score, stop_summary(names.get(&row.version)?, row)))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let mut seen = std::collections::HashSet::new();
        Ok(search::keep_best(scored).into_iter().filter(|s| seen.insert(s.id.clone())).take(limit).collect())
    }

    /// Stops and stations within `radius_m` of a point, nearest first.
    pub async fn nearby(&self, lat: f64, lon: f64, radius_m: f64, limit: usize) -> Result<Vec<StopSummary>, AppError> {
        const METRES_PER_DEGREE: f64 = 111_320.0;
        let dlat = radius_m / METRES_PER_DEGREE;
        let dlon = radius_m / (METRES_PER_DEGREE * lat.to_radians().cos().max(0.01));
        let mut tx = self.db.begin().await?;
        let rows = store::stops_in_box(&mut tx, (lat - dlat, lat + dlat), (lon - dlon, lon + dlon), 2000).await?;
        let names = feed_names(&mut tx).await?;
        let rows = as_stations(&mut tx, rows).await?;
        let mut found: Vec<StopSummary> = rows
            .iter()
            .filter_map(|row| {
                let distance = distance_m((lat, lon), (row.lat?, row.lon?));
                let mut stop = stop_summary(names.get(&row.version)?, row);
                stop.distance_m = Some(distance.round());
                (distance <= radius_m).then_some(stop)
            })
            .collect();
        found.sort_by(|a, b| a.distance_m.unwrap_or_default().total_cmp(&b.distance_m.unwrap_or_default()));
        let mut seen = std::collections::HashSet::new();
        found.retain(|s| seen.insert(s.id.clone()));
        found.truncate(limit);
        Ok(found)
    }

    pub async fn stop(&self, id: &StopId) -> Result<StopDetail, AppError> {
        let mut tx = self.db.begin().await?;
        let (feed, row) = resolve_stop(&mut tx, id).await?;
        stop_detail(&mut tx, &feed, &row).await
    }

    /// The departure board of a stop (a station: of all its platforms) at `at`, or now. `at`
    /// is RFC 3339, or a local date and time (`2026-10-15T08:00`) in the agency's zone, which
    /// is what a date/time picker sends. Live predictions and alerts (in `language` when the
    /// feed has it) are laid over the timetable; with them, a late trip due before `at` that
    /// has not left yet is on the board too.
    pub async fn board(&self, id: &StopId, at: Option<&str>, limit: usize, language: &str) -> Result<Board, AppError> {
        let mut tx = self.db.begin().await?;
        let (feed, row) = resolve_stop(&mut tx, id).await?;
        let timetable = self.timetable(&mut tx, &feed).await?;
        let at = match at.map(str::trim).filter(|a| !a.is_empty()) {
            Some(text) => board::parse_moment(text, &timetable.zone).map_err(AppError::BadRequest)?,
            None => self.now(),
        };
        let detail = stop_detail(&mut tx, &feed, &row).await?;
        let mut stop_idxs = vec![row.idx];
        let platforms = store::children(&mut tx, feed.version, row.idx).await?;
        stop_idxs.extend(platforms.iter().map(|p| p.idx));
        let board = BoardStops { stop_idxs, route_idxs: vec![] };
        let found = board::next_departures(&mut tx, &feed, &timetable, &[board], at, limit).await?;
        let mut stops: HashMap<i64, StopRow> = platforms.into_iter().map(|p| (p.idx, p)).collect();
        stops.insert(row.idx, row.clone());
        let mut departures = departures(&mut tx, &feed, &timetable, found, &stops).await?.pop().unwrap_or_default();
        let zone = &timetable.zone;
        let (live, data) = self.live.state(&feed.name, self.now().as_second(), zone);
        let mut alerts = vec![];
        if let Some(data) = data {
            let late = match data.realtime.trips() {
                0 => vec![],
                _ => {
                    let wanted = [Wanted { stop: id, routes: &[] }];
                    let items = [(0, row.stop_id.as_str())];
                    self.looked_back(&mut tx, &feed, &wanted, &items, (at, limit)).await?
                }
            };
            let late = late.first().map_or(&[][..], |board| &board.departures);
            let overlay = self.overlay(&data, zone, language);
            let here: Vec<&StopRow> = stops.values().collect();
            overlay.lay_over(&mut tx, &feed, &mut departures, late, &here, &[], (at.as_second(), limit)).await?;
            let stop_ids: Vec<&str> =
                here.iter().map(|s| s.stop_id.as_str()).chain(row.parent_stop_id.as_deref()).collect();
            let route_ids: Vec<&str> = detail.routes.iter().filter_map(|r| r.id.parts()).map(|(_, r)| r).collect();
            alerts = overlay.board_alerts(&stop_ids, &route_ids, &departures);
        }
        let hour = jiff::SignedDuration::from_hours(1);
        let later = match departures.last() {
            Some(last) => Timestamp::from_second(last.unix + 60).unwrap_or(at),
            None => at + hour * 3,
        };
        let local = at.to_zoned(zone.clone());
        Ok(Board {
            stop: detail,
            at: gtfs::time::rfc3339(at, zone),
            at_unix: at.as_second(),
            at_local: local.strftime("%Y-%m-%dT%H:%M").to_string(),
            departures,
            live,
            alerts,
            earlier: gtfs::time::rfc3339(at - hour, zone),
            later: gtfs::time::rfc3339(later, zone),
        })
    }

    /// How `data` is laid over this feed's departures now.
    pub(super) fn overlay<'a>(&self, data: &'a LiveFeed, zone: &'a TimeZone, language: &'a str) -> Overlay<'a> {
        Overlay { feed: data, now: self.now().as_second(), max_age_secs: self.live.max_age_secs(), zone, language }
    }

    pub async fn search_routes(&self, query: &str, limit: usize) -> Result<Vec<RouteSummary>, AppError> {
        let mut tx = self.db.begin().await?;
        let rows = match search::trigram_query(query) {
            Some(fts) => store::route_candidates(&mut tx, &fts, SEARCH_CANDIDATES).await?,
            None => store::route_prefix_candidates(&mut tx, query, SEARCH_CANDIDATES).await?,
        };
        let names = feed_names(&mut tx).await?;
        let mut scored: Vec<(f64, RouteSummary)> = rows
            .iter()
            .filter_map(|row| {
                let short = row.short_name.as_deref().unwrap_or_default();
                let long = row.long_name.as_deref().unwrap_or_default();
                let name = if short.is_empty() { long } else { short };
                let score = search::score(query, name, &[long, row.route_id.as_str()])?;
                Some((score, route_summary(names.get(&row.version)?, row)))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(search::keep_best(scored).into_iter().take(limit).collect())
    }

    /// A route with its stops in order, per direction.
    pub async fn route(&self, id: &RouteId) -> Result<RouteDetail, AppError> {
        let (feed_name, route_id) = id.parts().ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        let feed = store::active_feed(&mut tx, feed_name).await?.ok_or(AppError::NotFound)?;
        let row = store::route_by_id(&mut tx, feed.version, route_id).await?.ok_or(AppError::NotFound)?;
        let mut directions: BTreeMap<i64, RouteDirection> = BTreeMap::new();
        for stop in store::route_stops(&mut tx, feed.version, row.idx).await? {
            let direction = directions.entry(stop.direction_id).or_insert_with(|| RouteDirection {
                direction_id: u8::try_from(stop.direction_id).ok(),
                headsign: stop.headsign.clone(),
                stops: vec![],
            });
            direction.stops.push(stop_summary(&feed.name, &stop.stop));
        }
        Ok(RouteDetail { route: route_summary(&feed.name, &row), directions: directions.into_values().collect() })
    }

    /// The calendar and zone of a feed version, built on first use.
    pub(super) async fn timetable(
        &self,
        conn: &mut SqliteConnection,
        feed: &ActiveFeed,
    ) -> Result<Arc<Timetable>, AppError> {
        if let Some(found) = self.cache.timetables.get(&feed.version) {
            return Ok(found);
        }
        let (weekly, dates) = store::calendar(conn, feed.version).await?;
        let timetable = Arc::new(Timetable {
            calendar: calendar_from_rows(&weekly, &dates)?,
            zone: gtfs::time::zone(&feed.timezone).map_err(AppError::internal)?,
        });
        self.cache.timetables.insert(feed.version, timetable.clone());
        Ok(timetable)
    }
}

/// The feed and the catalog row of a stop id; 404 when either is unknown.
async fn resolve_stop(conn: &mut SqliteConnection, id: &StopId) -> Result<(ActiveFeed, StopRow), AppError> {
    let (feed_name, stop_id) = id.parts().ok_or(AppError::NotFound)?;
    let feed = store::active_feed(&mut *conn, feed_name).await?.ok_or(AppError::NotFound)?;
    let row = store::stop_by_id(&mut *conn, feed.version, stop_id).await?.ok_or(AppError::NotFound)?;
    Ok((feed, row))
}

async fn stop_detail(conn: &mut SqliteConnection, feed: &ActiveFeed, row: &StopRow) -> Result<StopDetail, AppError> {
    let platforms = store::children(&mut *conn, feed.version, row.idx).await?;
    let mut stop_idxs = vec![row.idx];
    stop_idxs.extend(platforms.iter().map(|p| p.idx));
    let routes = store::routes_at(&mut *conn, feed.version, &stop_idxs).await?;
    Ok(StopDetail {
        stop: stop_summary(&feed.name, row),
        feed: feed.name.clone(),
        timezone: feed.timezone.clone(),
        routes: routes.iter().map(|r| route_summary(&feed.name, r)).collect(),
        platforms: platforms.iter().map(|p| stop_summary(&feed.name, p)).collect(),
    })
}

/// Feed names by active version.
async fn feed_names(conn: &mut SqliteConnection) -> Result<HashMap<i64, String>, AppError> {
    Ok(store::active_feeds(&mut *conn).await?.into_iter().map(|f| (f.version, f.name)).collect())
}

/// Platforms replaced by their stations, which is what people look for.
async fn as_stations(conn: &mut SqliteConnection, rows: Vec<StopRow>) -> Result<Vec<StopRow>, AppError> {
    let mut parents: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for row in &rows {
        if let Some(parent) = row.parent_idx {
            parents.entry(row.version).or_default().push(parent);
        }
    }
    let mut stations: HashMap<(i64, i64), StopRow> = HashMap::new();
    for (version, idxs) in parents {
        for station in store::stops_by_idx(&mut *conn, version, &idxs).await? {
            stations.insert((version, station.idx), station);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| match row.parent_idx.and_then(|p| stations.get(&(row.version, p))) {
            Some(station) => station.clone(),
            None => row,
        })
        .collect())
}

/// Great-circle distance in metres.
fn distance_m((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_000.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::distance_m;

    #[test]
    fn distances_are_great_circle_metres() {
        // About 3.35 km north and 2.15 km west: 4.0 km.
        let d = distance_m((37.5999, -122.3867), (37.6300, -122.4111));
        assert!((3_500.0..4_100.0).contains(&d), "{d}");
        assert_eq!(distance_m((1.0, 1.0), (1.0, 1.0)), 0.0);
    }
}
