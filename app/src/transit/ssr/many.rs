//! Many stops at once, for bookmarks. A MyBM page shows the next departures at every stop a
//! user saved, so they are read together, in a few statements per feed inside one read
//! transaction, rather than one board after another (each statement is a round trip to
//! SQLite's worker thread, and those dominate a board's time).

use super::board;
use super::cache::{BOARD_SLACK, BoardKey, MinuteBoard, NameKey};
use super::convert::{departures, route_summary, stop_summary};
use super::live::{LATE_EXTRA, LATE_LOOKBACK_SECS};
use super::service::TransitService;
use super::store::{self, ActiveFeed, BoardStops, StopRow};
use crate::error::AppError;
use crate::transit::model::{Departure, Live, RouteId, ServiceAlert, StopId};
use jiff::Timestamp;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A stop whose departures are wanted, only of `routes` unless that is empty.
pub struct Wanted<'a> {
    pub stop: &'a StopId,
    pub routes: &'a [RouteId],
}

/// The next departures at one wanted stop, and the zone their local times are in.
#[derive(Debug, Clone, PartialEq)]
pub struct StopDepartures {
    pub timezone: String,
    pub departures: Vec<Departure>,
    /// Whether they include live predictions.
    pub live: Live,
    /// Service alerts about the stop, the routes shown or their trips.
    pub alerts: Vec<ServiceAlert>,
}

/// The names the feeds give now to those of the asked stops and routes they still have.
#[derive(Debug, Clone, Default)]
pub struct CurrentNames {
    pub stops: HashMap<StopId, String>,
    pub routes: HashMap<RouteId, String>,
}

impl TransitService {
    /// The current names of these stops and routes; one missing from the answer is no longer
    /// in any feed.
    pub async fn current_names(&self, stops: &[StopId], routes: &[RouteId]) -> Result<CurrentNames, AppError> {
        let mut names = CurrentNames::default();
        if stops.is_empty() && routes.is_empty() {
            return Ok(names);
        }
        let mut tx = self.db.begin().await?;
        let feeds = active_by_name(&mut tx).await?;
        for (feed_name, ids) in by_feed(stops.iter().filter_map(StopId::parts)) {
            let Some(feed) = feeds.get(feed_name) else { continue };
            let key = |id: &str| NameKey::Stop(feed.version, id.to_string());
            let (known, missing) = self.known_names(&ids, key);
            let rows = store::stops_by_ids(&mut tx, feed.version, &missing).await?;
            let found = rows.iter().map(|row| (row.stop_id.clone(), stop_summary(&feed.name, row).name));
            let found = self.remember_names(&missing, found.collect(), key);
            for (id, name) in known.into_iter().chain(found) {
                names.stops.insert(StopId::new(&feed.name, &id), name);
            }
        }
        for (feed_name, ids) in by_feed(routes.iter().filter_map(RouteId::parts)) {
            let Some(feed) = feeds.get(feed_name) else { continue };
            let key = |id: &str| NameKey::Route(feed.version, id.to_string());
            let (known, missing) = self.known_names(&ids, key);
            let rows = store::routes_by_ids(&mut tx, feed.version, &missing).await?;
            let found =
                rows.iter().map(|row| (row.route_id.clone(), route_summary(&feed.name, row).label().to_string()));
            let found = self.remember_names(&missing, found.collect(), key);
            for (id, name) in known.into_iter().chain(found) {
                names.routes.insert(RouteId::new(&feed.name, &id), name);
            }
        }
        Ok(names)
    }

    /// The cached names of `ids` (id, name), and the ids not looked up yet.
    fn known_names<'a>(&self, ids: &[&'a str], key: impl Fn(&str) -> NameKey) -> (Vec<(String, String)>, Vec<&'a str>) {
        let (mut known, mut missing) = (vec![], vec![]);
        for id in ids {
            match self.cache.names.get(&key(id)) {
                Some(Some(name)) => known.push((id.to_string(), name)),
                Some(None) => {}
                None => missing.push(*id),
            }
        }
        (known, missing)
    }

    /// Caches what the database said about `asked` (absent ones too), and returns `found`.
    fn remember_names(
        &self,
        asked: &[&str],
        found: Vec<(String, String)>,
        key: impl Fn(&str) -> NameKey,
    ) -> Vec<(String, String)> {
        for id in asked {
            let name = found.iter().find(|(f, _)| f == id).map(|(_, name)| name.clone());
            self.cache.names.insert(key(id), name);
        }
        found
    }

    /// The next `limit` departures at `at` for each wanted stop, in the same order; `None` for
    /// a stop no feed has any more. A stop narrowed to routes that all left its feed has no
    /// departures. Boards come from the cache when this minute's is there (see [`MinuteBoard`]);
    /// live predictions and alerts (in `language`) are laid over them, as on a stop's board.
    pub async fn departures_for(
        &self,
        wanted: &[Wanted<'_>],
        at: Timestamp,
        limit: usize,
        language: &str,
    ) -> Result<Vec<Option<StopDepartures>>, AppError> {
        let mut out: Vec<Option<StopDepartures>> = vec![None; wanted.len()];
        if wanted.is_empty() {
            return Ok(out);
        }
        let mut tx = self.db.begin().await?;
        let feeds = active_by_name(&mut tx).await?;
        let mut per_feed: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
        for (i, w) in wanted.iter().enumerate() {
            if let Some((feed, stop)) = w.stop.parts() {
                per_feed.entry(feed).or_default().push((i, stop));
            }
        }
        let minute = at.as_second().div_euclid(60);
        let minute_start = Timestamp::from_second(minute * 60).unwrap_or(at);
        for (feed_name, items) in per_feed {
            let Some(feed) = feeds.get(feed_name) else { continue };
            let board_of = |departures| {
                Some(StopDepartures {
                    timezone: feed.timezone.clone(),
                    departures,
                    live: Live::default(),
                    alerts: vec![],
                })
            };
            let key = |i: usize, stop: &str| BoardKey {
                version: feed.version,
                stop: stop.to_string(),
                routes: local_routes(wanted[i].routes, feed_name),
                limit,
                minute,
                lookback: false,
            };
            let mut missing = vec![];
            for &(i, stop) in &items {
                match self.cache.boards.get(&key(i, stop)).and_then(|board| board.from(at.as_second(), limit)) {
                    Some(departures) => out[i] = board_of(departures),
                    None => missing.push((i, stop)),
                }
            }
            // Computed for the minute's start, kept, and cut at `at`; for the rare board whose
            // slack is not enough, computed again exactly at `at`.
            let mut inexact = vec![];
            let fresh = self.compute(&mut tx, feed, wanted, &missing, minute_start, limit + BOARD_SLACK).await?;
            for ((i, stop), departures) in missing.into_iter().zip(fresh) {
                let Some(departures) = departures else { continue };
                let complete = departures.len() < limit + BOARD_SLACK;
                let board = Arc::new(MinuteBoard { departures, complete });
                self.cache.boards.insert(key(i, stop), board.clone());
                match board.from(at.as_second(), limit) {
                    Some(departures) => out[i] = board_of(departures),
                    None => inexact.push((i, stop)),
                }
            }
            let exact = self.compute(&mut tx, feed, wanted, &inexact, at, limit).await?;
            for ((i, _), departures) in inexact.into_iter().zip(exact) {
                out[i] = departures.and_then(board_of);
            }
            self.lay_live_over(&mut tx, feed, wanted, &items, &mut out, (at, limit), language).await?;
        }
        Ok(out)
    }

    /// Lays the feed's live data over the boards of `items`, with the late trips due in the
    /// minutes before `at` (from a board of their own, cached like the others).
    #[allow(clippy::too_many_arguments)]
    async fn lay_live_over(
        &self,
        tx: &mut SqliteConnection,
        feed: &ActiveFeed,
        wanted: &[Wanted<'_>],
        items: &[(usize, &str)],
        out: &mut [Option<StopDepartures>],
        (at, limit): (Timestamp, usize),
        language: &str,
    ) -> Result<(), AppError> {
        let timetable = self.timetable(&mut *tx, feed).await?;
        let (live, data) = self.live.state(&feed.name, self.now().as_second(), &timetable.zone);
        let items: Vec<(usize, &str)> = items.iter().copied().filter(|(i, _)| out[*i].is_some()).collect();
        for &(i, _) in &items {
            if let Some(board) = out[i].as_mut() {
                board.live = live.clone();
            }
        }
        let Some(data) = data else { return Ok(()) };
        let late = match data.realtime.trips() {
            0 => vec![],
            _ => self.looked_back(&mut *tx, feed, wanted, &items, (at, limit)).await?,
        };
        let overlay = self.overlay(&data, &timetable.zone, language);
        // Added trips are found by the stops' rows (a station: with its platforms); read them only
        // when there are any.
        let (stops, platforms) = match data.realtime.has_added() {
            true => {
                let ids: Vec<&str> = items.iter().map(|(_, stop)| *stop).collect();
                let stops = store::stops_by_ids(&mut *tx, feed.version, &ids).await?;
                let stations: Vec<i64> = stops.iter().filter(|s| s.location_type == 1).map(|s| s.idx).collect();
                let platforms = store::children_of(&mut *tx, feed.version, &stations).await?;
                (stops, platforms)
            }
            false => (vec![], vec![]),
        };
        for (n, &(i, stop)) in items.iter().enumerate() {
            let Some(board) = out[i].as_mut() else { continue };
            let mut here: Vec<&StopRow> = vec![];
            if let Some(row) = stops.iter().find(|s| s.stop_id == stop) {
                here.extend(platforms.iter().filter(|p| p.parent_idx == Some(row.idx)));
                here.push(row);
            }
            let late = late.get(n).map_or(&[][..], |board| &board.departures);
            let routes = local_routes(wanted[i].routes, &feed.name);
            let span = (at.as_second(), limit);
            overlay.lay_over(&mut *tx, feed, &mut board.departures, late, &here, &routes, span).await?;
            let mut routes: Vec<&str> =
                board.departures.iter().filter_map(|d| d.route.id.parts()).map(|(_, r)| r).collect();
            routes.sort_unstable();
            routes.dedup();
            board.alerts = overlay.board_alerts(&[stop], &routes, &board.departures);
        }
        Ok(())
    }

    /// For each of `items`, its board from [`LATE_LOOKBACK_SECS`] before `at` (from the start of
    /// that minute, `limit` + [`LATE_EXTRA`] departures): where live data may find a trip that
    /// was due before `at` and has not left. Cached like the other boards, so a stop's viewers
    /// share one per minute.
    pub(super) async fn looked_back(
        &self,
        tx: &mut SqliteConnection,
        feed: &ActiveFeed,
        wanted: &[Wanted<'_>],
        items: &[(usize, &str)],
        (at, limit): (Timestamp, usize),
    ) -> Result<Vec<Arc<MinuteBoard>>, AppError> {
        let earlier = at - jiff::SignedDuration::from_secs(LATE_LOOKBACK_SECS);
        let minute = earlier.as_second().div_euclid(60);
        let key = |i: usize, stop: &str| BoardKey {
            version: feed.version,
            stop: stop.to_string(),
            routes: local_routes(wanted[i].routes, &feed.name),
            limit,
            minute,
            lookback: true,
        };
        let mut boards: Vec<Option<Arc<MinuteBoard>>> =
            items.iter().map(|&(i, stop)| self.cache.boards.get(&key(i, stop))).collect();
        let missing: Vec<(usize, &str)> =
            items.iter().zip(&boards).filter(|(_, board)| board.is_none()).map(|(item, _)| *item).collect();
        let from = Timestamp::from_second(minute * 60).unwrap_or(earlier);
        let mut found = self.compute(&mut *tx, feed, wanted, &missing, from, limit + LATE_EXTRA).await?.into_iter();
        for (n, &(i, stop)) in items.iter().enumerate() {
            if boards[n].is_none() {
                let departures = found.next().flatten().unwrap_or_default();
                let board = Arc::new(MinuteBoard { departures, complete: true });
                self.cache.boards.insert(key(i, stop), board.clone());
                boards[n] = Some(board);
            }
        }
        Ok(boards.into_iter().flatten().collect())
    }

    /// The next `limit` departures at `at` for `items` (index into `wanted`, feed-local stop id)
    /// of one feed, in the same order; `None` for a stop not in the feed.
    async fn compute(
        &self,
        tx: &mut SqliteConnection,
        feed: &ActiveFeed,
        wanted: &[Wanted<'_>],
        items: &[(usize, &str)],
        at: Timestamp,
        limit: usize,
    ) -> Result<Vec<Option<Vec<Departure>>>, AppError> {
        let mut out = vec![None; items.len()];
        if items.is_empty() {
            return Ok(out);
        }
        let timetable = self.timetable(&mut *tx, feed).await?;
        let stop_ids: Vec<&str> = items.iter().map(|(_, stop)| *stop).collect();
        let stops = store::stops_by_ids(&mut *tx, feed.version, &stop_ids).await?;
        let stations: Vec<i64> = stops.iter().filter(|s| s.location_type == 1).map(|s| s.idx).collect();
        let platforms = store::children_of(&mut *tx, feed.version, &stations).await?;
        let route_ids: Vec<String> =
            items.iter().flat_map(|(i, _)| local_routes(wanted[*i].routes, &feed.name)).collect();
        let route_ids: Vec<&str> = route_ids.iter().map(String::as_str).collect();
        let route_idx: HashMap<String, i64> = store::routes_by_ids(&mut *tx, feed.version, &route_ids)
            .await?
            .into_iter()
            .map(|r| (r.route_id, r.idx))
            .collect();
        let stop_row: HashMap<&str, &StopRow> = stops.iter().map(|s| (s.stop_id.as_str(), s)).collect();
        let (mut boards, mut board_of) = (vec![], vec![]);
        for (n, (i, stop)) in items.iter().enumerate() {
            let Some(row) = stop_row.get(stop) else { continue };
            out[n] = Some(vec![]);
            let routes = local_routes(wanted[*i].routes, &feed.name);
            let route_idxs: Vec<i64> = routes.iter().filter_map(|route| route_idx.get(route).copied()).collect();
            if !routes.is_empty() && route_idxs.is_empty() {
                continue;
            }
            let mut stop_idxs = vec![row.idx];
            stop_idxs.extend(platforms.iter().filter(|p| p.parent_idx == Some(row.idx)).map(|p| p.idx));
            boards.push(BoardStops { stop_idxs, route_idxs });
            board_of.push(n);
        }
        let found = board::next_departures(&mut *tx, feed, &timetable, &boards, at, limit).await?;
        let by_idx: HashMap<i64, StopRow> = stops.iter().chain(&platforms).map(|s| (s.idx, s.clone())).collect();
        let presented = departures(&mut *tx, feed, &timetable, found, &by_idx).await?;
        for (n, list) in board_of.into_iter().zip(presented) {
            out[n] = Some(list);
        }
        Ok(out)
    }
}

/// A bookmark's routes that belong to `feed`, as feed-local ids, sorted (a cache key's part).
fn local_routes(routes: &[RouteId], feed: &str) -> Vec<String> {
    let mut local: Vec<String> =
        routes.iter().filter_map(RouteId::parts).filter(|(f, _)| *f == feed).map(|(_, r)| r.to_string()).collect();
    local.sort_unstable();
    local.dedup();
    local
}

async fn active_by_name(conn: &mut SqliteConnection) -> Result<HashMap<String, ActiveFeed>, AppError> {
    Ok(store::active_feeds(conn).await?.into_iter().map(|f| (f.name.clone(), f)).collect())
}

/// Feed-local ids grouped by feed name.
fn by_feed<'a>(ids: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (feed, id) in ids {
        grouped.entry(feed).or_default().push(id);
    }
    grouped
}
