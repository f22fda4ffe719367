//! The authentication service: the one implementation behind the REST handlers and the server
//! functions alike.

use super::password_hash::{PasswordHasher, needs_rehash};
use super::password_policy::weakness;
use super::store::{self, NewSession, Spend};
use super::throttle::{SignInThrottle, SignUpThrottle, sign_ups_per_ip};
use super::tokens::{AccessClaims, TokenIssuer};
use crate::auth::model::{SessionId, SessionInfo, User, UserId};
use crate::auth::validate;
use crate::error::{AppError, FieldErrors};
use crate::ssr::client_info::ClientInfo;
use crate::ssr::clock::SharedClock;
use crate::ssr::crypto;
use crate::ssr::db::Db;
use crate::ssr::security_log::{self, Event};
use crate::ssr::web_policy::cookies::SessionCookies;
use std::time::Duration;

/// How long sessions and their tokens live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Absolute lifetime of a session (and so of its refresh tokens), from sign-in.
    pub session: Duration,
    /// A session not refreshed for this long ends.
    pub idle: Duration,
    /// How long after a refresh token is spent it may still be presented (tabs racing): each
    /// replay gets the same successor.
    pub grace: Duration,
}

/// Caps that keep one address or one account from growing our work or our tables.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Sign-ups per client address per hour before backoff.
    pub sign_ups_per_address: u32,
    /// Live sessions per account; a new sign-in ends the least recently used beyond it.
    pub max_sessions: u32,
}

/// How long ended sessions are kept (for the owner's and an operator's look back), and how
/// long spent refresh tokens are (a replay of an older one is refused without ending the
/// session: it is no longer recognised as reuse).
pub const KEEP_ENDED_SESSIONS: Duration = Duration::from_secs(7 * 24 * 3600);
pub const KEEP_SPENT_TOKENS: Duration = Duration::from_secs(24 * 3600);

/// The tokens of a fresh or refreshed session, ready to go into cookies.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub access_token: String,
    pub access_max_age: Duration,
    pub refresh_token: String,
    pub refresh_max_age: Duration,
    pub claims: AccessClaims,
}

impl IssuedSession {
    /// The values for the two session cookies (named and shaped by the web policy).
    pub fn cookies(&self) -> SessionCookies<'_> {
        SessionCookies {
            access_token: &self.access_token,
            access_max_age: self.access_max_age,
            refresh_token: &self.refresh_token,
            refresh_max_age: self.refresh_max_age,
        }
    }
}

pub struct AuthService {
    db: Db,
    passwords: PasswordHasher,
    tokens: TokenIssuer,
    lifetimes: Lifetimes,
    throttle: SignInThrottle,
    sign_ups: SignUpThrottle,
    limits: Limits,
    clock: SharedClock,
}

const WRONG_CREDENTIALS: &str = "Wrong username or password.";

/// The 429, logged (within the security log's budget).
fn throttled(username: &str, ip: Option<&str>, retry_after: u64) -> AppError {
    if let Some(left_out) = security_log::allow(Event::Throttled) {
        tracing::info!(target: "security", username, ip, retry_after, left_out, "throttled");
    }
    AppError::Throttled { retry_after }
}

impl AuthService {
    pub fn new(db: Db, tokens: TokenIssuer, lifetimes: Lifetimes, limits: Limits, clock: SharedClock) -> Self {
        let throttle = SignInThrottle::new(clock.clone());
        let sign_ups = SignUpThrottle::new(sign_ups_per_ip(limits.sign_ups_per_address), clock.clone());
        Self { db, passwords: PasswordHasher::new(), tokens, lifetimes, throttle, sign_ups, limits, clock }
    }

    /// Deletes sessions that ended more than [`KEEP_ENDED_SESSIONS`] ago, with their refresh
    /// tokens, and refresh tokens spent more than [`KEEP_SPENT_TOKENS`] ago. Run on a schedule.
    pub async fn purge(&self) -> Result<(u64, u64), AppError> {
        let now = self.now();
        let ago = |d: Duration| now - d.as_secs() as i64;
        let idle = self.lifetimes.idle.as_secs() as i64;
        store::purge(&self.db, ago(KEEP_ENDED_SESSIONS), idle, ago(KEEP_SPENT_TOKENS)).await
    }

    fn now(&self) -> i64 {
        self.clock.unix_secs()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        email: &str,
        name: &str,
        client: &ClientInfo,
    ) -> Result<(User, IssuedSession), AppError> {
        let new_user = validate::new_user(username, password, email, name)?;
        if let Some(reason) = weakness(&new_user.password, &new_user.username, &new_user.email) {
            return Err(AppError::validation("password", reason));
        }
        let ip = client.ip.as_deref();
        self.sign_ups.reserve(ip).map_err(|retry_after| throttled("(sign-up)", ip, retry_after))?;
        let hash = self.passwords.hash(new_user.password.clone()).await?;
        let user = store::insert_user(&self.db, &new_user, &hash, self.now()).await?;
        tracing::info!(user_id = %user.id, "user signed up");
        let session = self.start_session(user.id, client).await?;
        Ok((user, session))
    }

    /// Same status, message and work whether the username exists or not. `device` is the
    /// browser's device cookie, if it sent one (see `throttle`).
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        client: &ClientInfo,
        device: Option<&str>,
    ) -> Result<(User, IssuedSession), AppError> {
        let mut missing = FieldErrors::new();
        if username.trim().is_empty() {
            missing.insert("username".into(), "Enter your username.".into());
        }
        if password.is_empty() {
            missing.insert("password".into(), "Enter your password.".into());
        }
        if !missing.is_empty() {
            return Err(AppError::Validation(missing));
        }
        // No account has an over-long name or password: answer before any throttle, database
        // or hash work, so such input costs nothing and cannot bloat the throttle's keys.
        if username.chars().count() > *validate::USERNAME_LEN.end()
            || password.chars().count() > *validate::PASSWORD_LEN.end()
        {
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
        let username = validate::normalize_username(username);
        let ip = client.ip.as_deref();
        // Reserved before any hashing, and keyed by the name whether or not it exists.
        let device = device.and_then(|token| self.tokens.device_of(token, &username));
        let device = device.as_deref();
        self.throttle.reserve(&username, ip, device).map_err(|retry_after| throttled(&username, ip, retry_after))?;
        let found = store::find_credentials(&self.db, &username).await?;
        let stored = found.as_ref().map(|(_, hash)| hash.clone());
        let valid = self.passwords.verify(password.to_string(), stored).await?;
        let (user, stored_hash) = match found {
            Some(found) if valid => found,
            _ => {
                if let Some(left_out) = security_log::allow(Event::SignInFailed) {
                    tracing::info!(target: "security", %username, ip, left_out, "sign-in failed");
                }
                return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
            }
        };
        self.throttle.succeeded(&username, ip, device);
        if needs_rehash(&stored_hash) {
            let fresh = self.passwords.hash(password.to_string()).await?;
            store::update_password_hash(&self.db, user.id, &fresh).await?;
            tracing::info!(user_id = %user.id, "password rehashed to current parameters");
        }
        let session = self.start_session(user.id, client).await?;
        Ok((user, session))
    }

    async fn start_session(&self, user_id: UserId, client: &ClientInfo) -> Result<IssuedSession, AppError> {
        let now = self.now();
        let session_id = SessionId(crypto::token(16));
        let refresh_token = crypto::token(32);
        let expires_at = now + self.lifetimes.session.as_secs() as i64;
        store::insert_session(
            &self.db,
            NewSession {
                id: &session_id,
                user_id,
                now,
                expires_at,
                user_agent: client.user_agent.as_deref(),
                ip: client.ip.as_deref(),
                refresh_hash: &crypto::sha256_hex(&refresh_token),
            },
        )
        .await?;
        store::end_sessions_beyond(&self.db, user_id, self.limits.max_sessions, now).await?;
        self.issue(user_id, &session_id, refresh_token, expires_at, now)
    }

    fn issue(
        &self,
        user_id: UserId,
        session_id: &SessionId,
        refresh_token: String,
        expires_at: i64,
        now: i64,
    ) -> Result<IssuedSession, AppError> {
        let (access_token, claims) = self.tokens.issue(user_id, session_id, now)?;
        Ok(IssuedSession {
            access_token,
            access_max_age: self.tokens.ttl(),
            refresh_token,
            refresh_max_age: Duration::from_secs((expires_at - now).max(0) as u64),
            claims,
        })
    }

    /// Exchanges a refresh token for a new pair. The presented token is spent: presenting it
    /// again outside the grace window is taken as theft and ends the whole session.
    pub async fn refresh(&self, refresh_token: &str) -> Result<IssuedSession, AppError> {
        let hash = crypto::sha256_hex(refresh_token);
        // Two attempts: if a concurrent request spends the token between our read and our
        // write, the second read sees it as spent and the grace rules decide.
        for _ in 0..2 {
            let now = self.now();
            let Some(record) = store::find_refresh_token(&self.db, &hash).await? else {
                return Err(AppError::unauthorized());
            };
            let idle_limit = record.last_used_at + self.lifetimes.idle.as_secs() as i64;
            if record.revoked_at.is_some() || record.expires_at <= now || idle_limit <= now {
                return Err(AppError::unauthorized());
            }
            let spend = match record.used_at {
                None => Spend::First,
                Some(used) if now - used <= self.lifetimes.grace.as_secs() as i64 => Spend::Replay,
                Some(_) => {
                    tracing::warn!(session = %record.session_id, "refresh token reused; revoking the session");
                    store::revoke_session(&self.db, &record.session_id, now).await?;
                    return Err(AppError::unauthorized());
                }
            };
            let next = self.tokens.successor(refresh_token);
            if store::rotate_refresh_token(&self.db, &hash, spend, &crypto::sha256_hex(&next), &record.session_id, now)
                .await?
            {
                return self.issue(record.user_id, &record.session_id, next, record.expires_at, now);
            }
        }
        Err(AppError::unauthorized())
    }

    /// Ends the session named by the access token, or else the one the refresh token belongs to.
    pub async fn sign_out(&self, claims: Option<&AccessClaims>, refresh_token: Option<&str>) -> Result<(), AppError> {
        let session_id = match (claims, refresh_token) {
            (Some(claims), _) => Some(claims.session_id()),
            (None, Some(token)) => {
                store::find_refresh_token(&self.db, &crypto::sha256_hex(token)).await?.map(|r| r.session_id)
            }
            (None, None) => None,
        };
        if let Some(session_id) = session_id {
            store::revoke_session(&self.db, &session_id, self.now()).await?;
        }
        Ok(())
    }

    /// A device cookie for the browser where `username` (as stored) just signed in or up.
    pub fn device_token(&self, username: &str) -> String {
        self.tokens.device_token(username)
    }

    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        self.tokens.verify(token, self.now())
    }

    /// The user behind verified claims, if their session is still live (not revoked, expired or idle).
    pub async fn user_for(&self, claims: &AccessClaims) -> Result<Option<User>, AppError> {
        let Some(user_id) = claims.user_id() else { return Ok(None) };
        let idle = self.lifetimes.idle.as_secs() as i64;
        store::user_for_session(&self.db, &claims.session_id(), user_id, self.now(), idle).await
    }

    /// The user's live sessions, marking the one `current_sid` belongs to.
    pub async fn sessions(&self, user_id: UserId, current: &SessionId) -> Result<Vec<SessionInfo>, AppError> {
        store::list_sessions(&self.db, user_id, self.now(), self.lifetimes.idle.as_secs() as i64, current).await
    }

    /// Ends one of the user's sessions; 404 for anyone else's (or an unknown id).
    pub async fn revoke_session(&self, user_id: UserId, session_id: &SessionId) -> Result<(), AppError> {
        if store::revoke_user_session(&self.db, user_id, session_id, self.now()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Ends every session of the user but the current one; returns how many ended.
    pub async fn revoke_other_sessions(&self, user_id: UserId, current: &SessionId) -> Result<u64, AppError> {
        store::revoke_other_sessions(&self.db, user_id, current, self.now()).await
    }

    /// Changes the password after checking the current one, and ends every other session.
    /// Wrong current passwords count as failed sign-ins for throttling.
    pub async fn change_password(
        &self,
        user: &User,
        current_session: &SessionId,
        current: &str,
        new: &str,
        client: &ClientInfo,
    ) -> Result<(u64, IssuedSession), AppError> {
        let ip = client.ip.as_deref();
        let mut fields = FieldErrors::new();
        if current.is_empty() {
            fields.insert("current_password".into(), "Enter your current password.".into());
        } else if current.chars().count() > *validate::PASSWORD_LEN.end() {
            // No password is that long: answered before any hash work (review I11).
            fields.insert("current_password".into(), "That is not your current password.".into());
        }
        match validate::password(new) {
            Err(message) => {
                fields.insert("new_password".into(), message);
            }
            Ok(()) if let Some(reason) = weakness(new, &user.username, &user.email) => {
                fields.insert("new_password".into(), reason.into());
            }
            Ok(()) if new == current => {
                fields.insert("new_password".into(), "Choose a password different from the current one.".into());
            }
            Ok(()) => {}
        }
        if !fields.is_empty() {
            return Err(AppError::Validation(fields));
        }
        self.throttle
            .reserve(&user.username, ip, None)
            .map_err(|retry_after| throttled(&user.username, ip, retry_after))?;
        let stored = store::password_hash(&self.db, user.id).await?;
        if !self.passwords.verify(current.to_string(), stored).await? {
            if let Some(left_out) = security_log::allow(Event::PasswordCheckFailed) {
                tracing::info!(target: "security", user_id = %user.id, ip, left_out, "wrong current password");
            }
            return Err(AppError::validation("current_password", "That is not your current password."));
        }
        self.throttle.succeeded(&user.username, ip, None);
        let hash = self.passwords.hash(new.to_string()).await?;
        store::update_password_hash(&self.db, user.id, &hash).await?;
        let ended = store::revoke_other_sessions(&self.db, user.id, current_session, self.now()).await?;
        // The current session goes too, replaced by a fresh one: whatever tokens of it were
        // copied before the change die with the old password.
        store::revoke_session(&self.db, current_session, self.now()).await?;
        let session = self.start_session(user.id, client).await?;
        tracing::info!(user_id = %user.id, ended, "password changed; other sessions ended, this one renewed");
        Ok((ended, session))
    }
}
