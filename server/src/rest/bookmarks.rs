//! `/api/bm-groups…` and `/api/mybm`: a signed-in user's bookmark groups and dashboard. Another
//! user's group or bookmark answers 404, exactly as a missing one.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use app::auth::ssr::extract::CurrentUser;
use app::bookmarks::model::{
    Bookmark, BookmarkChange, BookmarkId, Group, GroupChange, GroupId, MyBm, NewBookmark, NewGroup,
};
use app::bookmarks::validate::{DEFAULT_DEPARTURES, MAX_DEPARTURES};
use app::error::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/bm-groups", get(groups).post(create_group))
        .route("/api/bm-groups/{group}", get(group).patch(update_group).delete(delete_group))
        .route("/api/bm-groups/{group}/bookmarks", axum::routing::post(add_bookmark))
        .route(
            "/api/bm-groups/{group}/bookmarks/{bookmark}",
            get(bookmark).patch(update_bookmark).delete(delete_bookmark),
        )
        .route("/api/mybm", get(mybm))
}

#[derive(Serialize)]
struct Groups {
    groups: Vec<Group>,
}

async fn groups(State(state): State<AppState>, me: CurrentUser) -> Result<Json<Groups>, AppError> {
    Ok(Json(Groups { groups: state.bookmarks.groups(me.user.id).await? }))
}

async fn group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<Json<Group>, AppError> {
    Ok(Json(state.bookmarks.group(me.user.id, id).await?))
}

async fn create_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(new): ApiJson<NewGroup>,
) -> Result<(StatusCode, Json<Group>), AppError> {
    Ok((StatusCode::CREATED, Json(state.bookmarks.create_group(me.user.id, &new.name).await?)))
}

async fn update_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(change): ApiJson<GroupChange>,
) -> Result<Json<Group>, AppError> {
    Ok(Json(state.bookmarks.update_group(me.user.id, id, &change).await?))
}

async fn delete_group(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<StatusCode, AppError> {
    state.bookmarks.delete_group(me.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(group): ApiPath<GroupId>,
    ApiJson(new): ApiJson<NewBookmark>,
) -> Result<(StatusCode, Json<Bookmark>), AppError> {
    Ok((StatusCode::CREATED, Json(state.bookmarks.add_bookmark(me.user.id, group, &new).await?)))
}

async fn bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
) -> Result<Json<Bookmark>, AppError> {
    Ok(Json(state.bookmarks.bookmark(me.user.id, group, id).await?))
}

async fn update_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
    ApiJson(change): ApiJson<BookmarkChange>,
) -> Result<Json<Bookmark>, AppError> {
    Ok(Json(state.bookmarks.update_bookmark(me.user.id, group, id, &change).await?))
}

async fn delete_bookmark(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((group, id)): ApiPath<(GroupId, BookmarkId)>,
) -> Result<StatusCode, AppError> {
    state.bookmarks.delete_bookmark(me.user.id, group, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct MyBmQuery {
    at: Option<String>,
    /// Departures per bookmark (default 3, at most 10).
    departures: Option<i64>,
}

async fn mybm(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(query): ApiQuery<MyBmQuery>,
) -> Result<Json<MyBm>, AppError> {
    let per_bookmark = match query.departures {
        None => DEFAULT_DEPARTURES,
        Some(n) if (1..=MAX_DEPARTURES as i64).contains(&n) => n as usize,
        Some(n) => return Err(AppError::BadRequest(format!("departures is 1 to {MAX_DEPARTURES} (got {n})."))),
    };
    Ok(Json(state.bookmarks.mybm(me.user.id, query.at.as_deref(), per_bookmark).await?))
}
