//! Bookmarks' server functions, for the MyBM page and the save form on a stop's page (hydrated,
//! or as plain form posts). Thin wrappers around the one service the REST API uses too. The
//! per-row forms name themselves in a failed plain post (`form_key`) so the page can show the
//! error next to the right row.

use crate::bookmarks::model::{Bookmark, BookmarkId, Group, GroupId, StopSaving};
use crate::bookmarks::page_data::MyBmPage;
use crate::error::AppError;
use crate::transit::model::{RouteId, StopId};
use leptos::prelude::*;

/// The key of a group's or a bookmark's forms on the page (also the row's element id).
pub fn group_key(id: GroupId) -> String {
    format!("group-{id}")
}

pub fn bookmark_key(id: BookmarkId) -> String {
    format!("bookmark-{id}")
}

#[cfg(feature = "ssr")]
mod on_server {
    use crate::auth::model::UserId;
    pub use crate::bookmarks::model::{BookmarkChange, GroupChange, NewBookmark};
    pub use crate::bookmarks::ssr::service::BookmarksService;
    use crate::error::AppError;
    pub use crate::ssr::form_redirect::name_failed_form;
    pub use leptos::server_fn::ServerFn;
    use std::sync::Arc;

    /// The service and the signed-in user, or 401.
    pub async fn signed_in() -> Result<(Arc<BookmarksService>, UserId), AppError> {
        let (_, current) = crate::auth::ssr::signed_in().await?;
        Ok((crate::ssr::context::from_request()?, current.user.id))
    }
}
#[cfg(feature = "ssr")]
use on_server::*;

/// The MyBM dashboard now (or at `at`, RFC 3339), in the page's compact form.
#[server(prefix = "/api/fn", endpoint = "mybm", client = crate::client::ApiClient)]
pub async fn load_mybm(at: Option<String>) -> Result<MyBmPage, AppError> {
    let (service, user) = signed_in().await?;
    let language = crate::ssr::client_info::Language::of_request().await;
    let board = service.mybm(user, at.as_deref(), crate::bookmarks::validate::DEFAULT_DEPARTURES, &language.0);
    board.await.map(MyBmPage)
}

/// The groups to save a stop in and where it is saved; `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "stop_saving", client = crate::client::ApiClient)]
pub async fn load_stop_saving(stop_id: StopId) -> Result<Option<StopSaving>, AppError> {
    match signed_in().await {
        Ok((service, user)) => Ok(Some(service.stop_saving(user, &stop_id).await?)),
        Err(AppError::Unauthorized(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

#[server(prefix = "/api/fn", endpoint = "create_group", client = crate::client::ApiClient)]
pub async fn create_group(name: String) -> Result<Group, AppError> {
    let (service, user) = signed_in().await?;
    service.create_group(user, &name).await
}

#[server(prefix = "/api/fn", endpoint = "rename_group", client = crate::client::ApiClient)]
pub async fn rename_group(group_id: GroupId, name: String) -> Result<Group, AppError> {
    let (service, user) = signed_in().await?;
    let change = GroupChange { name: Some(name), position: None };
    name_failed_form(service.update_group(user, group_id, &change).await, RenameGroup::PATH, &group_key(group_id))
}

/// Moves a group to `position` (0 is the top): the up and down buttons.
#[server(prefix = "/api/fn", endpoint = "move_group", client = crate::client::ApiClient)]
pub async fn move_group(group_id: GroupId, position: u32) -> Result<Group, AppError> {
    let (service, user) = signed_in().await?;
    let change = GroupChange { name: None, position: Some(position) };
    name_failed_form(service.update_group(user, group_id, &change).await, MoveGroup::PATH, &group_key(group_id))
}

/// Deletes a group with its stops (the page asks first) and goes back to MyBM.
#[server(prefix = "/api/fn", endpoint = "delete_group", client = crate::client::ApiClient)]
pub async fn delete_group(group_id: GroupId) -> Result<(), AppError> {
    let (service, user) = signed_in().await?;
    let result = service.delete_group(user, group_id).await;
    if result.is_ok() {
        leptos_axum::redirect("/mybm");
    }
    name_failed_form(result, DeleteGroup::PATH, &group_key(group_id))
}

/// Saves a stop in a group, from the stop's page.
#[server(prefix = "/api/fn", endpoint = "save_stop", client = crate::client::ApiClient)]
pub async fn save_stop(
    group_id: GroupId,
    stop_id: StopId,
    route_ids: Option<Vec<RouteId>>,
    walk_minutes: Option<i64>,
) -> Result<Bookmark, AppError> {
    let (service, user) = signed_in().await?;
    service.add_bookmark(user, group_id, &NewBookmark { stop_id, route_ids, walk_minutes }).await
}

#[server(prefix = "/api/fn", endpoint = "set_walk", client = crate::client::ApiClient)]
pub async fn set_walk(group_id: GroupId, bookmark_id: BookmarkId, walk_minutes: i64) -> Result<Bookmark, AppError> {
    let (service, user) = signed_in().await?;
    let change = BookmarkChange { walk_minutes: Some(walk_minutes), ..Default::default() };
    let result = service.update_bookmark(user, group_id, bookmark_id, &change).await;
    name_failed_form(result, SetWalk::PATH, &bookmark_key(bookmark_id))
}

/// Moves a bookmark: within its group to `position` (the up and down buttons), or to the end
/// of group `to`.
#[server(prefix = "/api/fn", endpoint = "move_bookmark", client = crate::client::ApiClient)]
pub async fn move_bookmark(
    group_id: GroupId,
    bookmark_id: BookmarkId,
    to: Option<GroupId>,
    position: Option<u32>,
) -> Result<Bookmark, AppError> {
    let (service, user) = signed_in().await?;
    let change = BookmarkChange { group_id: to, position, ..Default::default() };
    let result = service.update_bookmark(user, group_id, bookmark_id, &change).await;
    name_failed_form(result, MoveBookmark::PATH, &bookmark_key(bookmark_id))
}

#[server(prefix = "/api/fn", endpoint = "remove_bookmark", client = crate::client::ApiClient)]
pub async fn remove_bookmark(group_id: GroupId, bookmark_id: BookmarkId) -> Result<(), AppError> {
    let (service, user) = signed_in().await?;
    let result = service.delete_bookmark(user, group_id, bookmark_id).await;
    name_failed_form(result, RemoveBookmark::PATH, &bookmark_key(bookmark_id))
}
