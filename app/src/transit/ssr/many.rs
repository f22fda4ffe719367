//! Many stops at once, for bookmarks. A MyBM page shows the next departures at every stop a
//! user saved, so they are read together, in a few statements per feed inside one read
//! transaction, rather than one board after another (each statement is a round trip to
//! SQLite's worker thread, and those dominate a board's time).

use super::board;
use super::convert::{departures, route_summary, stop_summary};
use super::service::TransitService;
use super::store::{self, ActiveFeed, BoardStops, StopRow};
use crate::error::AppError;
use crate::transit::model::{Departure, RouteId, StopId};
use jiff::Timestamp;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};

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
            for row in store::stops_by_ids(&mut tx, feed.version, &ids).await? {
                let stop = stop_summary(&feed.name, &row);
                names.stops.insert(stop.id, stop.name);
            }
        }
        for (feed_name, ids) in by_feed(routes.iter().filter_map(RouteId::parts)) {
            let Some(feed) = feeds.get(feed_name) else { continue };
            for row in store::routes_by_ids(&mut tx, feed.version, &ids).await? {
                let route = route_summary(&feed.name, &row);
                names.routes.insert(route.id.clone(), route.label().to_string());
            }
        }
        Ok(names)
    }

    /// The next `limit` departures at `at` for each wanted stop, in the same order; `None` for
    /// a stop no feed has any more. A stop narrowed to routes that all left its feed has no
    /// departures.
    pub async fn departures_for(
        &self,
        wanted: &[Wanted<'_>],
        at: Timestamp,
        limit: usize,
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
        for (feed_name, items) in per_feed {
            let Some(feed) = feeds.get(feed_name) else { continue };
            let timetable = self.timetable(&mut tx, feed).await?;
            let stop_ids: Vec<&str> = items.iter().map(|(_, stop)| *stop).collect();
            let stops = store::stops_by_ids(&mut tx, feed.version, &stop_ids).await?;
            let stations: Vec<i64> = stops.iter().filter(|s| s.location_type == 1).map(|s| s.idx).collect();
            let platforms = store::children_of(&mut tx, feed.version, &stations).await?;
            let route_ids: Vec<&str> = items
                .iter()
                .flat_map(|(i, _)| wanted[*i].routes.iter().filter_map(RouteId::parts))
                .filter(|(feed, _)| *feed == feed_name)
                .map(|(_, route)| route)
                .collect();
            let route_idx: HashMap<String, i64> = store::routes_by_ids(&mut tx, feed.version, &route_ids)
                .await?
                .into_iter()
                .map(|r| (r.route_id, r.idx))
                .collect();
            let stop_row: HashMap<&str, &StopRow> = stops.iter().map(|s| (s.stop_id.as_str(), s)).collect();
            let (mut boards, mut board_of) = (vec![], vec![]);
            for (i, stop) in items {
                let Some(row) = stop_row.get(stop) else { continue };
                out[i] = Some(StopDepartures { timezone: feed.timezone.clone(), departures: vec![] });
                let routes = wanted[i].routes;
                let route_idxs: Vec<i64> = routes
                    .iter()
                    .filter_map(RouteId::parts)
                    .filter(|(feed, _)| *feed == feed_name)
                    .filter_map(|(_, route)| route_idx.get(route).copied())
                    .collect();
                if !routes.is_empty() && route_idxs.is_empty() {
                    continue;
                }
                let mut stop_idxs = vec![row.idx];
                stop_idxs.extend(platforms.iter().filter(|p| p.parent_idx == Some(row.idx)).map(|p| p.idx));
                boards.push(BoardStops { stop_idxs, route_idxs });
                board_of.push(i);
            }
            let found = board::next_departures(&mut tx, feed, &timetable, &boards, at, limit).await?;
            let by_idx: HashMap<i64, StopRow> = stops.iter().chain(&platforms).map(|s| (s.idx, s.clone())).collect();
            let presented = departures(&mut tx, feed, &timetable, found, &by_idx).await?;
            for (i, list) in board_of.into_iter().zip(presented) {
                if let Some(board) = &mut out[i] {
                    board.departures = list;
                }
            }
        }
        Ok(out)
    }
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
