//! The bookmarks service: the one implementation behind the REST API (`/api/bm-groups`,
//! `/api/mybm`) and the server functions. Every write is one transaction that takes SQLite's
//! write lock first (`BEGIN IMMEDIATE`), so two tabs reordering the same group queue up and the
//! positions stay 0, 1, 2… with no gap and no twin.

use super::store::{self, BookmarkRow, GroupRow};
use crate::auth::model::UserId;
use crate::bookmarks::edit::move_to;
use crate::bookmarks::model::{
    Bookmark, BookmarkChange, BookmarkId, BookmarkRoute, Group, GroupChange, GroupChoice, GroupId, Leave, MyBm,
    MyBmBookmark, MyBmGroup, NewBookmark, SavedIn, StopSaving,
};
use crate::bookmarks::validate::{self, MAX_BOOKMARKS_PER_GROUP, MAX_GROUPS};
use crate::error::AppError;
use crate::ssr::clock::SharedClock;
use crate::ssr::db::Db;
use crate::transit::model::{RouteId, StopDetail, StopId};
use crate::transit::ssr::many::Wanted;
use crate::transit::ssr::service::TransitService;
use sqlx::{Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;
use std::sync::Arc;

pub struct BookmarksService {
    db: Db,
    transit: Arc<TransitService>,
    clock: SharedClock,
}

impl BookmarksService {
    pub fn new(db: Db, transit: Arc<TransitService>, clock: SharedClock) -> Self {
        Self { db, transit, clock }
    }

    async fn write(&self) -> Result<Transaction<'static, Sqlite>, AppError> {
        Ok(self.db.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The user's groups with their bookmarks, each marked in or out of today's feeds.
    pub async fn groups(&self, user: UserId) -> Result<Vec<Group>, AppError> {
        let mut c = self.db.acquire().await?;
        let groups = store::groups(&mut c, user).await?;
        let bookmarks = store::bookmarks(&mut c, user).await?;
        let routes = store::routes(&mut c, user).await?;
        self.assemble(&mut c, groups, bookmarks, routes).await
    }

    pub async fn group(&self, user: UserId, id: GroupId) -> Result<Group, AppError> {
        self.groups(user).await?.into_iter().find(|g| g.id == id).ok_or(AppError::NotFound)
    }

    pub async fn create_group(&self, user: UserId, name: &str) -> Result<Group, AppError> {
        let name = validate::group_name(name).map_err(|m| AppError::validation("name", m))?;
        let mut tx = self.write().await?;
        let count = store::count_groups(&mut tx, user).await?;
        if count >= MAX_GROUPS {
            return Err(AppError::validation(
                "name",
                format!("You have {MAX_GROUPS} groups, the most there can be. Delete one first."),
            ));
        }
        let id = store::insert_group(&mut tx, user, &name, count, self.clock.unix_secs()).await?;
        tx.commit().await?;
        Ok(Group { id, name, position: count as u32, bookmarks: vec![] })
    }

    /// Renames a group and/or moves it to another position.
    pub async fn update_group(&self, user: UserId, id: GroupId, change: &GroupChange) -> Result<Group, AppError> {
        let name = change
            .name
            .as_deref()
            .map(validate::group_name)
            .transpose()
            .map_err(|m| AppError::validation("name", m))?;
        let mut tx = self.write().await?;
        store::group(&mut tx, user, id).await?.ok_or(AppError::NotFound)?;
        if let Some(name) = &name {
            store::rename_group(&mut tx, id, name).await?;
        }
        if let Some(position) = change.position {
            let mut order: Vec<GroupId> = store::groups(&mut tx, user).await?.into_iter().map(|g| g.id).collect();
            move_to(&mut order, id, position as usize);
            store::set_group_positions(&mut tx, &order).await?;
        }
        tx.commit().await?;
        self.group(user, id).await
    }

    /// Deletes a group and its bookmarks; the others close up.
    pub async fn delete_group(&self, user: UserId, id: GroupId) -> Result<(), AppError> {
        let mut tx = self.write().await?;
        store::group(&mut tx, user, id).await?.ok_or(AppError::NotFound)?;
        store::delete_group(&mut tx, id).await?;
        let order: Vec<GroupId> = store::groups(&mut tx, user).await?.into_iter().map(|g| g.id).collect();
        store::set_group_positions(&mut tx, &order).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves a stop in a group, optionally narrowed to some of the routes calling there.
    pub async fn add_bookmark(&self, user: UserId, group: GroupId, new: &NewBookmark) -> Result<Bookmark, AppError> {
        let walk = validate::walk_minutes(new.walk_minutes.unwrap_or(0))
            .map_err(|m| AppError::validation("walk_minutes", m))?;
        if new.stop_id.0.trim().is_empty() {
            return Err(AppError::validation(
                "stop_id",
                "Say which stop to save (stop_id, such as \"caltrain:place_MLBR\").",
            ));
        }
        let stop = self.stop_in_feed(&new.stop_id, "stop_id", "There is no such stop in the imported feeds.").await?;
        let routes = chosen_routes(new.route_ids.as_deref().unwrap_or_default(), &stop.routes)?;
        let mut tx = self.write().await?;
        store::group(&mut tx, user, group).await?.ok_or(AppError::NotFound)?;
        let count = store::count_bookmarks(&mut tx, group).await?;
        if count >= MAX_BOOKMARKS_PER_GROUP {
            return Err(AppError::validation(
                "stop_id",
                format!("This group has {MAX_BOOKMARKS_PER_GROUP} stops, the most there can be. Use another group."),
            ));
        }
        let id = store::insert_bookmark(
            &mut tx,
            store::NewBookmark {
                group,
                stop_id: &stop.stop.id.0,
                stop_name: &stop.stop.name,
                walk_minutes: walk,
                position: count,
                now: self.clock.unix_secs(),
            },
        )
        .await?;
        store::set_routes(&mut tx, id, &routes).await?;
        tx.commit().await?;
        self.bookmark(user, group, id).await
    }

    /// Changes a bookmark's walk time, routes, position, or group.
    pub async fn update_bookmark(
        &self,
        user: UserId,
        group: GroupId,
        id: BookmarkId,
        change: &BookmarkChange,
    ) -> Result<Bookmark, AppError> {
        let walk = change
            .walk_minutes
            .map(validate::walk_minutes)
            .transpose()
            .map_err(|m| AppError::validation("walk_minutes", m))?;
        let mut tx = self.write().await?;
        let row = store::bookmark(&mut tx, user, group, id).await?.ok_or(AppError::NotFound)?;
        if let Some(minutes) = walk {
            store::set_walk(&mut tx, id, minutes).await?;
        }
        if let Some(route_ids) = &change.route_ids {
            let missing = "This stop is no longer in the feed, so its routes cannot be chosen.";
            let stop = self.stop_in_feed(&StopId(row.stop_id.clone()), "route_ids", missing).await?;
            store::set_routes(&mut tx, id, &chosen_routes(route_ids, &stop.routes)?).await?;
        }
        let target = change.group_id.unwrap_or(group);
        if target != group {
            store::group(&mut tx, user, target).await?.ok_or(AppError::NotFound)?;
            if store::count_bookmarks(&mut tx, target).await? >= MAX_BOOKMARKS_PER_GROUP {
                return Err(AppError::validation(
                    "group_id",
                    format!("That group has {MAX_BOOKMARKS_PER_GROUP} stops, the most there can be."),
                ));
            }
            let mut left = store::group_bookmark_ids(&mut tx, group).await?;
            left.retain(|b| *b != id);
            let mut joined = store::group_bookmark_ids(&mut tx, target).await?;
            let at = change.position.map_or(joined.len(), |p| p as usize);
            joined.insert(at.min(joined.len()), id);
            store::set_bookmark_positions(&mut tx, group, &left).await?;
            store::set_bookmark_positions(&mut tx, target, &joined).await?;
        } else if let Some(position) = change.position {
            let mut order = store::group_bookmark_ids(&mut tx, group).await?;
            move_to(&mut order, id, position as usize);
            store::set_bookmark_positions(&mut tx, group, &order).await?;
        }
        tx.commit().await?;
        self.bookmark(user, target, id).await
    }

    pub async fn delete_bookmark(&self, user: UserId, group: GroupId, id: BookmarkId) -> Result<(), AppError> {
        let mut tx = self.write().await?;
        store::bookmark(&mut tx, user, group, id).await?.ok_or(AppError::NotFound)?;
        store::delete_bookmark(&mut tx, id).await?;
        let order = store::group_bookmark_ids(&mut tx, group).await?;
        store::set_bookmark_positions(&mut tx, group, &order).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's groups (to choose one) and where this stop is saved already, for the save
    /// form on a stop's page.
    pub async fn stop_saving(&self, user: UserId, stop: &StopId) -> Result<StopSaving, AppError> {
        let mut c = self.db.acquire().await?;
        let groups = store::groups(&mut c, user).await?;
        let saved_in = store::saved_in(&mut c, user, &stop.0).await?;
        Ok(StopSaving {
            groups: groups.into_iter().map(|g| GroupChoice { id: g.id, name: g.name }).collect(),
            saved_in: saved_in
                .into_iter()
                .map(|(group_id, group_name, bookmark_id)| SavedIn { group_id, group_name, bookmark_id })
                .collect(),
        })
    }

    /// Every group with each bookmark's next `per_bookmark` departures at `at` (or now), and
    /// when to leave for each.
    /// Live predictions move the departures and when to leave; alerts are in `language` when
    /// the feed has it.
    pub async fn mybm(
        &self,
        user: UserId,
        at: Option<&str>,
        per_bookmark: usize,
        language: &str,
    ) -> Result<MyBm, AppError> {
        let groups = self.groups(user).await?;
        let at = match at.map(str::trim).filter(|a| !a.is_empty()) {
            Some(text) => text.parse::<jiff::Timestamp>().map_err(|_| {
                AppError::BadRequest(format!(
                    "at must be an RFC 3339 time such as 2026-10-15T08:00:00-07:00 (got {text:?})."
                ))
            })?,
            None => self.transit.now(),
        };
        let all: Vec<&Bookmark> = groups.iter().flat_map(|g| &g.bookmarks).collect();
        let routes: Vec<Vec<RouteId>> = all.iter().map(|b| b.routes.iter().map(|r| r.id.clone()).collect()).collect();
        let wanted: Vec<Wanted<'_>> =
            all.iter().zip(&routes).map(|(b, routes)| Wanted { stop: &b.stop_id, routes }).collect();
        let mut boards = self.transit.departures_for(&wanted, at, per_bookmark, language).await?.into_iter();
        let groups = groups
            .into_iter()
            .map(|g| MyBmGroup {
                id: g.id,
                name: g.name,
                position: g.position,
                bookmarks: g
                    .bookmarks
                    .into_iter()
                    .map(|bookmark| {
                        let board = boards.next().flatten();
                        let walk = i64::from(bookmark.walk_minutes) * 60;
                        let departures = board
                            .as_ref()
                            .map(|b| {
                                b.departures
                                    .iter()
                                    .map(|d| Leave { leave_at_unix: d.leaves_unix() - walk, departure: d.clone() })
                                    .collect()
                            })
                            .unwrap_or_default();
                        let (live, alerts) =
                            board.as_ref().map(|b| (b.live.clone(), b.alerts.clone())).unwrap_or_default();
                        MyBmBookmark { timezone: board.map(|b| b.timezone), departures, live, alerts, bookmark }
                    })
                    .collect(),
            })
            .collect();
        Ok(MyBm { at_unix: at.as_second(), groups })
    }

    /// The stop as the feeds have it now; a stop they lack is the input's fault (`field`, 422).
    async fn stop_in_feed(&self, id: &StopId, field: &str, missing: &str) -> Result<StopDetail, AppError> {
        match self.transit.stop(id).await {
            Err(AppError::NotFound) => Err(AppError::validation(field, missing)),
            other => other,
        }
    }

    pub async fn bookmark(&self, user: UserId, group: GroupId, id: BookmarkId) -> Result<Bookmark, AppError> {
        self.group(user, group).await?.bookmarks.into_iter().find(|b| b.id == id).ok_or(AppError::NotFound)
    }

    /// Groups with their bookmarks, names as the feeds have them now (kept as the last known
    /// names for when they leave).
    async fn assemble(
        &self,
        c: &mut SqliteConnection,
        groups: Vec<GroupRow>,
        bookmarks: Vec<BookmarkRow>,
        routes: Vec<store::RouteRow>,
    ) -> Result<Vec<Group>, AppError> {
        let stop_ids: Vec<StopId> = bookmarks.iter().map(|b| StopId(b.stop_id.clone())).collect();
        let route_ids: Vec<RouteId> = routes.iter().map(|r| RouteId(r.route_id.clone())).collect();
        let now = self.transit.current_names(&stop_ids, &route_ids).await?;
        for (id, name) in &now.stops {
            if bookmarks.iter().any(|b| b.stop_id == id.0 && b.stop_name != *name) {
                store::refresh_stop_name(c, &id.0, name).await?;
            }
        }
        for (id, name) in &now.routes {
            if routes.iter().any(|r| r.route_id == id.0 && r.route_name != *name) {
                store::refresh_route_name(c, &id.0, name).await?;
            }
        }
        let mut routes_of: HashMap<BookmarkId, Vec<BookmarkRoute>> = HashMap::new();
        for r in routes {
            let id = RouteId(r.route_id);
            let current = now.routes.get(&id).cloned();
            routes_of.entry(r.bookmark_id).or_default().push(BookmarkRoute {
                in_feed: current.is_some(),
                name: current.unwrap_or(r.route_name),
                id,
            });
        }
        let mut by_group: HashMap<GroupId, Vec<Bookmark>> = HashMap::new();
        for b in bookmarks {
            let id = StopId(b.stop_id);
            let current = now.stops.get(&id).cloned();
            by_group.entry(b.group_id).or_default().push(Bookmark {
                id: b.id,
                group_id: b.group_id,
                in_feed: current.is_some(),
                stop_name: current.unwrap_or(b.stop_name),
                stop_id: id,
                routes: routes_of.remove(&b.id).unwrap_or_default(),
                walk_minutes: b.walk_minutes as u8,
                position: b.position as u32,
            });
        }
        Ok(groups
            .into_iter()
            .map(|g| Group {
                bookmarks: by_group.remove(&g.id).unwrap_or_default(),
                id: g.id,
                name: g.name,
                position: g.position as u32,
            })
            .collect())
    }
}

/// The routes to narrow a bookmark to, with their names; each must call at the stop.
fn chosen_routes(
    wanted: &[RouteId],
    at_stop: &[crate::transit::model::RouteSummary],
) -> Result<Vec<(String, String)>, AppError> {
    wanted
        .iter()
        .map(|id| match at_stop.iter().find(|r| r.id == *id) {
            Some(route) => Ok((id.0.clone(), route.label().to_string())),
            None => Err(AppError::validation("route_ids", format!("Route {id} does not call at this stop."))),
        })
        .collect()
}
