//! All of auth's SQL lives here. The service layer above decides; this only reads and writes.

use crate::auth::model::{SessionId, SessionInfo, User, UserId};
use crate::auth::validate::NewUser;
use crate::error::AppError;
use crate::ssr::db::Db;

pub async fn insert_user(db: &Db, user: &NewUser, password_hash: &str, now: i64) -> Result<User, AppError> {
    let inserted = sqlx::query_as::<_, User>(
        "INSERT INTO users (username, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
         RETURNING id, username, email, name, created_at",
    )
    .bind(&user.username)
    .bind(&user.email)
    .bind(&user.name)
    .bind(password_hash)
    .bind(now)
    .fetch_one(db)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(AppError::Conflict { field: "username".into(), message: "That username is taken.".into() })
        }
        other => Ok(other?),
    }
}

/// A user and their password hash, for sign-in.
pub async fn find_credentials(db: &Db, username: &str) -> Result<Option<(User, String)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let row = sqlx::query_as::<_, Row>(
        "SELECT id, username, email, name, created_at, password_hash FROM users WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

pub async fn update_password_hash(db: &Db, user_id: UserId, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?").bind(hash).bind(user_id).execute(db).await?;
    Ok(())
}

/// The user behind a session, if that session is still usable at `now`.
pub async fn user_for_session(
    db: &Db,
    session_id: &SessionId,
    user_id: UserId,
    now: i64,
    idle_secs: i64,
) -> Result<Option<User>, AppError> {
    Ok(sqlx::query_as::<_, User>(
        "SELECT u.id, u.username, u.email, u.name, u.created_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL
           AND s.expires_at > ? AND s.last_used_at > ?",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_optional(db)
    .await?)
}

pub struct NewSession<'a> {
    pub id: &'a SessionId,
    pub user_id: UserId,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub refresh_hash: &'a str,
}

/// Creates a session together with its first refresh token.
pub async fn insert_session(db: &Db, s: NewSession<'_>) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.id)
    .bind(s.user_id)
    .bind(s.now)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.ip)
    .execute(&mut *tx)
    .await?;
    insert_refresh_token(&mut tx, s.refresh_hash, s.id, s.now).await?;
    tx.commit().await?;
    Ok(())
}

async fn insert_refresh_token(
    tx: &mut sqlx::SqliteConnection,
    hash: &str,
    session_id: &SessionId,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)")
        .bind(hash)
        .bind(session_id)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

/// A presented refresh token and the state of its session.
#[derive(Debug, sqlx::FromRow)]
pub struct RefreshRecord {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub used_at: Option<i64>,
    pub expires_at: i64,
    pub last_used_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn find_refresh_token(db: &Db, hash: &str) -> Result<Option<RefreshRecord>, AppError> {
    Ok(sqlx::query_as::<_, RefreshRecord>(
        "SELECT t.session_id, s.user_id, t.used_at, s.expires_at, s.last_used_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
         WHERE t.token_hash = ?",
    )
    .bind(hash)
    .fetch_optional(db)
    .await?)
}

/// How a presented token may be spent.
pub enum Spend {
    /// First use: the normal rotation.
    First,
    /// Again, inside the grace window (parallel requests, restored tabs): any number of times,
    /// each getting the same successor, which the first spend already stored.
    Replay,
}

/// Spends `hash` and stores its successor `new_hash` in one transaction. Returns false if
/// someone else spent it first (the caller then re-reads and decides whether that is a race or
/// a replay).
pub async fn rotate_refresh_token(
    db: &Db,
    hash: &str,
    spend: Spend,
    new_hash: &str,
    session_id: &SessionId,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    if let Spend::First = spend {
        let spent = sqlx::query("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
            .bind(now)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
    }
    // A replay finds the successor there already (unless the key changed in between).
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(new_hash)
    .bind(session_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE sessions SET last_used_at = ? WHERE id = ?")
        .bind(now)
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Ends the user's live sessions beyond the `keep` most recently used ones.
pub async fn end_sessions_beyond(db: &Db, user_id: UserId, keep: u32, now: i64) -> Result<u64, AppError> {
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = ?1
         WHERE user_id = ?2 AND revoked_at IS NULL AND expires_at > ?1 AND id NOT IN (
             SELECT id FROM sessions WHERE user_id = ?2 AND revoked_at IS NULL AND expires_at > ?1
             ORDER BY last_used_at DESC, created_at DESC, rowid DESC LIMIT ?3)",
    )
    .bind(now)
    .bind(user_id)
    .bind(i64::from(keep))
    .execute(db)
    .await?;
    Ok(ended.rows_affected())
}

/// Deletes the sessions that ended (revoked, past their lifetime, or idle for `idle` seconds)
/// before `ended_before`, their refresh tokens going with them (`ON DELETE CASCADE`), and the
/// refresh tokens of live sessions spent before `spent_before`. Returns how many sessions and
/// spent tokens went.
pub async fn purge(db: &Db, ended_before: i64, idle: i64, spent_before: i64) -> Result<(u64, u64), AppError> {
    let mut tx = db.begin().await?;
    let sessions =
        sqlx::query("DELETE FROM sessions WHERE revoked_at < ?1 OR expires_at < ?1 OR last_used_at + ?2 < ?1")
            .bind(ended_before)
            .bind(idle)
            .execute(&mut *tx)
            .await?;
    let spent =
        sqlx::query("DELETE FROM refresh_tokens WHERE used_at < ?").bind(spent_before).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok((sessions.rows_affected(), spent.rows_affected()))
}

pub async fn revoke_session(db: &Db, session_id: &SessionId, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The live sessions of a user, most recently used first.
pub async fn list_sessions(
    db: &Db,
    user_id: UserId,
    now: i64,
    idle_secs: i64,
    current: &SessionId,
) -> Result<Vec<SessionInfo>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: SessionId,
        created_at: i64,
        last_used_at: i64,
        user_agent: Option<String>,
        ip: Option<String>,
    }
    let rows = sqlx::query_as::<_, Row>(
        "SELECT id, created_at, last_used_at, user_agent, ip FROM sessions
         WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_used_at > ?
         ORDER BY last_used_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            current: &r.id == current,
            device: describe_user_agent(r.user_agent.as_deref()),
            id: r.id,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            user_agent: r.user_agent,
            ip: r.ip,
        })
        .collect())
}

/// "Firefox on Linux", from a user agent, via the woothee parser.
fn describe_user_agent(ua: Option<&str>) -> String {
    let parsed = ua.and_then(|ua| woothee::parser::Parser::new().parse(ua));
    match parsed {
        Some(p) if p.name != "UNKNOWN" && p.os != "UNKNOWN" => format!("{} on {}", p.name, p.os),
        Some(p) if p.name != "UNKNOWN" => p.name.to_string(),
        _ => ua.filter(|ua| !ua.is_empty()).map_or("Unknown device".into(), |ua| ua.chars().take(40).collect()),
    }
}

/// Revokes one of the user's sessions. False if it is not theirs or not live.
pub async fn revoke_user_session(db: &Db, user_id: UserId, session_id: &SessionId, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every session of the user except `keep`. Returns how many ended.
pub async fn revoke_other_sessions(db: &Db, user_id: UserId, keep: &SessionId, now: i64) -> Result<u64, AppError> {
    let done = sqlx::query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id != ? AND revoked_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

pub async fn password_hash(db: &Db, user_id: UserId) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?").bind(user_id).fetch_optional(db).await?)
}
