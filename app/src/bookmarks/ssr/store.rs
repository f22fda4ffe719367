//! All of bookmarks' SQL. Every statement names the user, so nobody reaches another user's
//! groups: a group or bookmark that is not theirs is simply not found.

use crate::auth::model::UserId;
use crate::bookmarks::model::{BookmarkId, GroupId};
use crate::error::AppError;
use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookmarkRow {
    pub id: BookmarkId,
    pub group_id: GroupId,
    pub stop_id: String,
    pub stop_name: String,
    pub walk_minutes: i64,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RouteRow {
    pub bookmark_id: BookmarkId,
    pub route_id: String,
    pub route_name: String,
}

pub async fn groups(c: &mut SqliteConnection, user: UserId) -> Result<Vec<GroupRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, name, position FROM bookmark_groups WHERE user_id = ? ORDER BY position")
        .bind(user)
        .fetch_all(&mut *c)
        .await?)
}

pub async fn group(c: &mut SqliteConnection, user: UserId, id: GroupId) -> Result<Option<GroupRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, name, position FROM bookmark_groups WHERE user_id = ? AND id = ?")
        .bind(user)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?)
}

/// A user's bookmarks, by group and position.
pub async fn bookmarks(c: &mut SqliteConnection, user: UserId) -> Result<Vec<BookmarkRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.group_id, b.stop_id, b.stop_name, b.walk_minutes, b.position
         FROM bookmarks b JOIN bookmark_groups g ON g.id = b.group_id
         WHERE g.user_id = ? ORDER BY g.position, b.position",
    )
    .bind(user)
    .fetch_all(&mut *c)
    .await?)
}

pub async fn bookmark(
    c: &mut SqliteConnection,
    user: UserId,
    group: GroupId,
    id: BookmarkId,
) -> Result<Option<BookmarkRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.group_id, b.stop_id, b.stop_name, b.walk_minutes, b.position
         FROM bookmarks b JOIN bookmark_groups g ON g.id = b.group_id
         WHERE g.user_id = ? AND b.group_id = ? AND b.id = ?",
    )
    .bind(user)
    .bind(group)
    .bind(id)
    .fetch_optional(&mut *c)
    .await?)
}

pub async fn routes(c: &mut SqliteConnection, user: UserId) -> Result<Vec<RouteRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.bookmark_id, r.route_id, r.route_name FROM bookmark_routes r
         JOIN bookmarks b ON b.id = r.bookmark_id JOIN bookmark_groups g ON g.id = b.group_id
         WHERE g.user_id = ? ORDER BY r.route_name",
    )
    .bind(user)
    .fetch_all(&mut *c)
    .await?)
}

/// The groups (id and name) holding this stop, and the bookmark in each.
pub async fn saved_in(
    c: &mut SqliteConnection,
    user: UserId,
    stop_id: &str,
) -> Result<Vec<(GroupId, String, BookmarkId)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.name, b.id FROM bookmarks b JOIN bookmark_groups g ON g.id = b.group_id
         WHERE g.user_id = ? AND b.stop_id = ? ORDER BY g.position",
    )
    .bind(user)
    .bind(stop_id)
    .fetch_all(&mut *c)
    .await?)
}

pub async fn count_groups(c: &mut SqliteConnection, user: UserId) -> Result<usize, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM bookmark_groups WHERE user_id = ?")
        .bind(user)
        .fetch_one(&mut *c)
        .await?;
    Ok(n as usize)
}

pub async fn count_bookmarks(c: &mut SqliteConnection, group: GroupId) -> Result<usize, AppError> {
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookmarks WHERE group_id = ?").bind(group).fetch_one(&mut *c).await?;
    Ok(n as usize)
}

/// A unique index names the problem: a group name or a stop taken twice.
fn conflict(err: sqlx::Error, field: &str, message: &str) -> AppError {
    match err {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            AppError::Conflict { field: field.into(), message: message.into() }
        }
        other => other.into(),
    }
}

pub async fn insert_group(
    c: &mut SqliteConnection,
    user: UserId,
    name: &str,
    position: usize,
    now: i64,
) -> Result<GroupId, AppError> {
    sqlx::query_scalar(
        "INSERT INTO bookmark_groups (user_id, name, position, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(user)
    .bind(name)
    .bind(position as i64)
    .bind(now)
    .fetch_one(&mut *c)
    .await
    .map_err(|e| conflict(e, "name", "You already have a group with this name."))
}

pub async fn rename_group(c: &mut SqliteConnection, id: GroupId, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE bookmark_groups SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(&mut *c)
        .await
        .map_err(|e| conflict(e, "name", "You already have a group with this name."))?;
    Ok(())
}

pub async fn delete_group(c: &mut SqliteConnection, id: GroupId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM bookmark_groups WHERE id = ?").bind(id).execute(&mut *c).await?;
    Ok(())
}

/// Writes 0, 1, 2… in the given order.
pub async fn set_group_positions(c: &mut SqliteConnection, order: &[GroupId]) -> Result<(), AppError> {
    for (position, id) in order.iter().enumerate() {
        sqlx::query("UPDATE bookmark_groups SET position = ? WHERE id = ? AND position != ?")
            .bind(position as i64)
            .bind(id)
            .bind(position as i64)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn group_bookmark_ids(c: &mut SqliteConnection, group: GroupId) -> Result<Vec<BookmarkId>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM bookmarks WHERE group_id = ? ORDER BY position")
        .bind(group)
        .fetch_all(&mut *c)
        .await?)
}

/// Writes 0, 1, 2… in the given order, within (or into) `group`.
pub async fn set_bookmark_positions(
    c: &mut SqliteConnection,
    group: GroupId,
    order: &[BookmarkId],
) -> Result<(), AppError> {
    for (position, id) in order.iter().enumerate() {
        sqlx::query("UPDATE bookmarks SET group_id = ?, position = ? WHERE id = ?")
            .bind(group)
            .bind(position as i64)
            .bind(id)
            .execute(&mut *c)
            .await
            .map_err(|e| conflict(e, "group_id", "That group already has this stop."))?;
    }
    Ok(())
}

pub struct NewBookmark<'a> {
    pub group: GroupId,
    pub stop_id: &'a str,
    pub stop_name: &'a str,
    pub walk_minutes: u8,
    pub position: usize,
    pub now: i64,
}

pub async fn insert_bookmark(c: &mut SqliteConnection, b: NewBookmark<'_>) -> Result<BookmarkId, AppError> {
    sqlx::query_scalar(
        "INSERT INTO bookmarks (group_id, stop_id, stop_name, walk_minutes, position, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(b.group)
    .bind(b.stop_id)
    .bind(b.stop_name)
    .bind(i64::from(b.walk_minutes))
    .bind(b.position as i64)
    .bind(b.now)
    .fetch_one(&mut *c)
    .await
    .map_err(|e| conflict(e, "stop_id", "This stop is already in the group."))
}

pub async fn set_routes(c: &mut SqliteConnection, id: BookmarkId, routes: &[(String, String)]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM bookmark_routes WHERE bookmark_id = ?").bind(id).execute(&mut *c).await?;
    for (route_id, name) in routes {
        sqlx::query("INSERT INTO bookmark_routes (bookmark_id, route_id, route_name) VALUES (?, ?, ?)")
            .bind(id)
            .bind(route_id)
            .bind(name)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn set_walk(c: &mut SqliteConnection, id: BookmarkId, minutes: u8) -> Result<(), AppError> {
    sqlx::query("UPDATE bookmarks SET walk_minutes = ? WHERE id = ?")
        .bind(i64::from(minutes))
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn delete_bookmark(c: &mut SqliteConnection, id: BookmarkId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM bookmarks WHERE id = ?").bind(id).execute(&mut *c).await?;
    Ok(())
}

/// Keeps the names current while the feed has them, so a stop that leaves the feed is shown
/// with the last name it had.
pub async fn refresh_stop_name(c: &mut SqliteConnection, stop_id: &str, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE bookmarks SET stop_name = ? WHERE stop_id = ? AND stop_name != ?")
        .bind(name)
        .bind(stop_id)
        .bind(name)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn refresh_route_name(c: &mut SqliteConnection, route_id: &str, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE bookmark_routes SET route_name = ? WHERE route_id = ? AND route_name != ?")
        .bind(name)
        .bind(route_id)
        .bind(name)
        .execute(&mut *c)
        .await?;
    Ok(())
}
