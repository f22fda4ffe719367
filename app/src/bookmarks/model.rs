//! Bookmark data shared by the server and the browser.

use crate::transit::model::{Departure, Live, RouteId, ServiceAlert, StopId};
use serde::{Deserialize, Serialize};

/// A bookmark group's id.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct GroupId(pub i64);

/// A bookmark's id.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct BookmarkId(pub i64);

impl std::fmt::Display for GroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for BookmarkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    /// 0, 1, 2… in the user's order.
    pub position: u32,
    pub bookmarks: Vec<Bookmark>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bookmark {
    pub id: BookmarkId,
    pub group_id: GroupId,
    pub stop_id: StopId,
    /// The stop's name now, or the last name it had if it left the feed.
    pub stop_name: String,
    /// False once a feed re-import no longer has the stop; it comes back if the stop does.
    pub in_feed: bool,
    /// The routes this bookmark is narrowed to; empty means every route at the stop.
    pub routes: Vec<BookmarkRoute>,
    /// Minutes from where the user usually starts to the stop (0–60).
    pub walk_minutes: u8,
    /// 0, 1, 2… within the group.
    pub position: u32,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookmarkRoute {
    pub id: RouteId,
    pub name: String,
    pub in_feed: bool,
}

/// Where a stop is saved, for its page's star.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedIn {
    pub group_id: GroupId,
    pub group_name: String,
    pub bookmark_id: BookmarkId,
}

/// A group to choose when saving a stop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: GroupId,
    pub name: String,
}

/// What a stop's page needs to offer saving it: the user's groups, and where it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopSaving {
    pub groups: Vec<GroupChoice>,
    pub saved_in: Vec<SavedIn>,
}

/// The MyBM dashboard: every group with each bookmark's next departures.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBm {
    /// The moment the departures are for, Unix seconds (now, unless asked otherwise).
    pub at_unix: i64,
    pub groups: Vec<MyBmGroup>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBmGroup {
    pub id: GroupId,
    pub name: String,
    pub position: u32,
    pub bookmarks: Vec<MyBmBookmark>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBmBookmark {
    #[serde(flatten)]
    pub bookmark: Bookmark,
    /// The agency's zone, whose clock the departures' local times follow.
    pub timezone: Option<String>,
    /// The next departures (only the bookmark's routes, if it is narrowed), each with when to
    /// leave (by the live prediction when there is one).
    pub departures: Vec<Leave>,
    /// Whether the departures include live predictions.
    #[serde(default)]
    pub live: Live,
    /// Service alerts about the stop, the routes shown or their trips. Absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<ServiceAlert>,
}

/// A departure and when to walk out of the door for it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leave {
    #[serde(flatten)]
    pub departure: Departure,
    /// Unix seconds: the departure minus the walk.
    pub leave_at_unix: i64,
}

/// How far ahead of leaving counts as "time to go".
pub const TIME_TO_GO_MINUTES: i64 = 2;

/// A new group (`POST /api/bm-groups`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewGroup {
    #[cfg_attr(feature = "ssr", schema(required = true, min_length = 1, max_length = 40))]
    pub name: String,
}

/// A change to a group (`PATCH /api/bm-groups/{id}`): a new name, a new position, or both.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupChange {
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 40))]
    pub name: Option<String>,
    /// The 0-based place in the order; past the end means last.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295.0))]
    pub position: Option<u32>,
}

/// A new bookmark (`POST /api/bm-groups/{id}/bookmarks`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewBookmark {
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub stop_id: StopId,
    /// Only these routes (all of them when absent or empty).
    pub route_ids: Option<Vec<RouteId>>,
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 60))]
    pub walk_minutes: Option<i64>,
}

/// A change to a bookmark (`PATCH /api/bm-groups/{id}/bookmarks/{bookmark_id}`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookmarkChange {
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 60))]
    pub walk_minutes: Option<i64>,
    pub route_ids: Option<Vec<RouteId>>,
    /// Move to this group (with `position`, to that place in it).
    pub group_id: Option<GroupId>,
    /// The 0-based place in the group; past the end means last.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295.0))]
    pub position: Option<u32>,
}
