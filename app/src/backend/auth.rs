//! The authentication service: the one implementation behind the REST handlers and the server
//! functions alike.

use super::password::{PasswordHasher, needs_rehash};
use super::store::{self, Db, NewSession, Spend};
use super::tokens::{AccessClaims, TokenIssuer};
use super::{now, random};
use crate::error::{AppError, FieldErrors};
use crate::model::User;
use crate::validate;
use std::time::Duration;

/// How long sessions and their tokens live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Absolute lifetime of a session (and so of its refresh tokens), from sign-in.
    pub session: Duration,
    /// A session not refreshed for this long ends.
    pub idle: Duration,
    /// How long after a refresh token is spent it may be presented once more (two tabs racing).
    pub grace: Duration,
}

/// Where a request came from, recorded on the session for the user to review.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// The tokens of a fresh or refreshed session, ready to go into cookies.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub access_token: String,
    pub access_max_age: Duration,
    pub refresh_token: String,
    pub refresh_max_age: Duration,
    pub claims: AccessClaims,
}

pub struct AuthService {
    db: Db,
    passwords: PasswordHasher,
    tokens: TokenIssuer,
    lifetimes: Lifetimes,
}

const WRONG_CREDENTIALS: &str = "Wrong username or password.";

impl AuthService {
    pub fn new(db: Db, tokens: TokenIssuer, lifetimes: Lifetimes) -> Self {
        Self { db, passwords: PasswordHasher::new(), tokens, lifetimes }
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
        let hash = self.passwords.hash(new_user.password.clone()).await?;
        let user = store::insert_user(&self.db, &new_user, &hash, now()).await?;
        tracing::info!(user_id = user.id, "user signed up");
        let session = self.start_session(user.id, client).await?;
        Ok((user, session))
    }

    /// Same status, message and work whether the username exists or not.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        client: &ClientInfo,
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
        // Over-long input cannot match any stored password; refuse it before hashing so it
        // cannot be used to burn CPU, but after the same amount of work as a real attempt.
        let username = validate::normalize_username(username);
        let found = store::find_credentials(&self.db, &username).await?;
        let too_long = password.chars().count() > *validate::PASSWORD_LEN.end();
        let stored = found.as_ref().map(|(_, hash)| hash.clone()).filter(|_| !too_long);
        let attempt = if too_long { String::new() } else { password.to_string() };
        let valid = self.passwords.verify(attempt, stored).await?;
        let (user, stored_hash) = match found {
            Some(found) if valid => found,
            _ => return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into())),
        };
        if needs_rehash(&stored_hash) {
            let fresh = self.passwords.hash(password.to_string()).await?;
            store::update_password_hash(&self.db, user.id, &fresh).await?;
            tracing::info!(user_id = user.id, "password rehashed to current parameters");
        }
        let session = self.start_session(user.id, client).await?;
        Ok((user, session))
    }

    async fn start_session(&self, user_id: i64, client: &ClientInfo) -> Result<IssuedSession, AppError> {
        let now = now();
        let session_id = random::token(16);
        let refresh_token = random::token(32);
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
                refresh_hash: &random::sha256_hex(&refresh_token),
            },
        )
        .await?;
        self.issue(user_id, &session_id, refresh_token, expires_at, now)
    }

    fn issue(
        &self,
        user_id: i64,
        session_id: &str,
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
        let hash = random::sha256_hex(refresh_token);
        // Two attempts: if a concurrent request spends the token between our read and our
        // write, the second read sees it as spent and the grace rules decide.
        for _ in 0..2 {
            let now = now();
            let Some(record) = store::find_refresh_token(&self.db, &hash).await? else {
                return Err(AppError::unauthorized());
            };
            let idle_limit = record.last_used_at + self.lifetimes.idle.as_secs() as i64;
            if record.revoked_at.is_some() || record.expires_at <= now || idle_limit <= now {
                return Err(AppError::unauthorized());
            }
            let spend = match record.used_at {
                None => Spend::First,
                Some(used) if now - used <= self.lifetimes.grace.as_secs() as i64 && !record.grace_used => Spend::Grace,
                Some(_) => {
                    tracing::warn!(session = %record.session_id, "refresh token reused; revoking the session");
                    store::revoke_session(&self.db, &record.session_id, now).await?;
                    return Err(AppError::unauthorized());
                }
            };
            let next = random::token(32);
            if store::rotate_refresh_token(&self.db, &hash, spend, &random::sha256_hex(&next), &record.session_id, now)
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
            (Some(claims), _) => Some(claims.sid.clone()),
            (None, Some(token)) => {
                store::find_refresh_token(&self.db, &random::sha256_hex(token)).await?.map(|r| r.session_id)
            }
            (None, None) => None,
        };
        if let Some(session_id) = session_id {
            store::revoke_session(&self.db, &session_id, now()).await?;
        }
        Ok(())
    }

    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        self.tokens.verify(token)
    }

    /// The user behind verified claims, if their session is still live (not revoked, expired or idle).
    pub async fn user_for(&self, claims: &AccessClaims) -> Result<Option<User>, AppError> {
        let Some(user_id) = claims.user_id() else { return Ok(None) };
        store::user_for_session(&self.db, &claims.sid, user_id, now(), self.lifetimes.idle.as_secs() as i64).await
    }
}
