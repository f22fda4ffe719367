//! `/api/bm-groups…` and `/api/mybm`: a signed-in user's bookmark groups and dashboard. Another
//! user's group or bookmark answers 404, exactly as a missing one.

use super::openapi::{SignedInAction, SignedInRead, SignedInWrite};
use super::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use app::auth::ssr::extract::CurrentUser;
use app::bookmarks::model::{
    Bookmark, BookmarkChange, BookmarkId, Group, GroupChange, GroupId, MyBm, NewBookmark, NewGroup,
};
use app::bookmarks::validate::{DEFAULT_DEPARTURES, MAX_DEPARTURES};
use app::error::AppError;
use app::ssr::client_info::Language;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(groups, create_group))
        .routes(routes!(group, update_group, delete_group))
        .routes(routes!(add_bookmark))
        .routes(routes!(bookmark, update_bookmark, delete_bookmark))
        .routes(routes!(mybm))
}

#[derive(Serialize, ToSchema)]
struct Groups {
    groups: Vec<Group>,
}

/// The user's groups in their order, each with its bookmarks.
#[utoipa::path(get, path = "/api/bm-groups", tag = "bookmarks", security(("session" = [])),
    responses((status = 200, body = Groups), SignedInRead))]
async fn groups(State(state): State<AppState>, me: CurrentUser) -> Result<Json<Groups>, AppError> {
    Ok(Json(Groups { groups: state.bookmarks.groups(me.user.id).await? }))
}

/// One group with its bookmarks.
#[utoipa::path(get, path = "/api/bm-groups/{id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id.")), responses((status = 200, body = Group), SignedInRead))]
async fn group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<Json<Group>, AppError> {
    Ok(Json(state.bookmarks.group(me.user.id, id).await?))
}

/// A new group, last in the order (at most 50; names are unique per user).
#[utoipa::path(post, path = "/api/bm-groups", tag = "bookmarks", security(("session" = [])), request_body = NewGroup,
    responses((status = 201, body = Group, description = "Created."), SignedInWrite))]
async fn create_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(new): ApiJson<NewGroup>,
) -> Result<(StatusCode, Json<Group>), AppError> {
    Ok((StatusCode::CREATED, Json(state.bookmarks.create_group(me.user.id, &new.name).await?)))
}

/// Rename a group, move it to another place in the order, or both.
#[utoipa::path(patch, path = "/api/bm-groups/{id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id.")), request_body = GroupChange, responses((status = 200, body = Group), SignedInWrite))]
async fn update_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(change): ApiJson<GroupChange>,
) -> Result<Json<Group>, AppError> {
    Ok(Json(state.bookmarks.update_group(me.user.id, id, &change).await?))
}

/// Delete a group and its bookmarks.
#[utoipa::path(delete, path = "/api/bm-groups/{id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id.")), responses((status = 204, description = "Deleted."), SignedInAction))]
async fn delete_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<StatusCode, AppError> {
    state.bookmarks.delete_group(me.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Bookmark a stop in a group, optionally narrowed to some of its routes (at most 100 a group).
#[utoipa::path(post, path = "/api/bm-groups/{id}/bookmarks", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id.")), request_body = NewBookmark,
    responses((status = 201, body = Bookmark, description = "Created."), SignedInWrite))]
async fn add_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(group): ApiPath<GroupId>,
    ApiJson(new): ApiJson<NewBookmark>,
) -> Result<(StatusCode, Json<Bookmark>), AppError> {
    Ok((StatusCode::CREATED, Json(state.bookmarks.add_bookmark(me.user.id, group, &new).await?)))
}

/// One bookmark.
#[utoipa::path(get, path = "/api/bm-groups/{id}/bookmarks/{bookmark_id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id."), ("bookmark_id" = i64, Path, description = "The bookmark's id.")), responses((status = 200, body = Bookmark), SignedInRead))]
async fn bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
) -> Result<Json<Bookmark>, AppError> {
    Ok(Json(state.bookmarks.bookmark(me.user.id, group, id).await?))
}

/// Change a bookmark's walk time or routes, or move it (within its group or to another).
#[utoipa::path(patch, path = "/api/bm-groups/{id}/bookmarks/{bookmark_id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id."), ("bookmark_id" = i64, Path, description = "The bookmark's id.")), request_body = BookmarkChange, responses((status = 200, body = Bookmark), SignedInWrite))]
async fn update_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
    ApiJson(change): ApiJson<BookmarkChange>,
) -> Result<Json<Bookmark>, AppError> {
    Ok(Json(state.bookmarks.update_bookmark(me.user.id, group, id, &change).await?))
}

/// Remove a bookmark.
#[utoipa::path(delete, path = "/api/bm-groups/{id}/bookmarks/{bookmark_id}", tag = "bookmarks", security(("session" = [])),
    params(("id" = i64, Path, description = "The group's id."), ("bookmark_id" = i64, Path, description = "The bookmark's id.")), responses((status = 204, description = "Removed."), SignedInAction))]
async fn delete_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
) -> Result<StatusCode, AppError> {
    state.bookmarks.delete_bookmark(me.user.id, group, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MyBmQuery {
    /// The moment to show (RFC 3339, or a local `YYYY-MM-DDTHH:MM` in each stop's zone); now
    /// when absent.
    at: Option<String>,
    /// Departures per bookmark (default 3, at most 10).
    #[param(minimum = 1, maximum = 10)]
    departures: Option<i64>,
}

/// The MyBM dashboard: every group, each bookmark's next departures and when to leave for them.
#[utoipa::path(get, path = "/api/mybm", tag = "bookmarks", security(("session" = [])), params(MyBmQuery),
    responses((status = 200, body = MyBm), SignedInRead))]
async fn mybm(
    State(state): State<AppState>,
    me: CurrentUser,
    language: Language,
    ApiQuery(query): ApiQuery<MyBmQuery>,
) -> Result<Json<MyBm>, AppError> {
    let per_bookmark = match query.departures {
        None => DEFAULT_DEPARTURES,
        Some(n) if (1..=MAX_DEPARTURES as i64).contains(&n) => n as usize,
        Some(n) => return Err(AppError::BadRequest(format!("departures is 1 to {MAX_DEPARTURES} (got {n})."))),
    };
    Ok(Json(state.bookmarks.mybm(me.user.id, query.at.as_deref(), per_bookmark, &language.0).await?))
}
