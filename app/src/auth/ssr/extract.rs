//! Who is calling, for REST handlers and server functions alike (the latter through
//! `leptos_axum::extract_with_state`). Works with any router state that can hand out the
//! [`AuthService`].

use super::service::AuthService;
use super::tokens::AccessClaims;
use crate::auth::model::User;
use crate::error::AppError;
use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use http::request::Parts;
use std::sync::Arc;

/// The session's verified access-token claims, put in the request extensions by the session
/// middleware (which also refreshes them transparently when they have expired).
#[derive(Debug, Clone)]
pub struct VerifiedClaims(pub AccessClaims);

/// Who the session's user is, looked up at most once per request. A page asks for its header
/// and again in each signed-in server function it renders; leptos_axum hands each of them a
/// clone of the request parts, and the clones share this cell. Put next to [`VerifiedClaims`] by
/// the session middleware; a failed lookup is not kept.
#[derive(Debug, Clone, Default)]
pub struct SessionUser(Arc<tokio::sync::OnceCell<Option<User>>>);

/// The signed-in user. Rejects with 401 when there is none, or when the session was revoked.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub claims: AccessClaims,
}

impl<S> FromRequestParts<S> for CurrentUser
where
    Arc<AuthService>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        <Self as OptionalFromRequestParts<S>>::from_request_parts(parts, state)
            .await?
            .ok_or_else(AppError::unauthorized)
    }
}

impl<S> OptionalFromRequestParts<S> for CurrentUser
where
    Arc<AuthService>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, AppError> {
        let Some(VerifiedClaims(claims)) = parts.extensions.get::<VerifiedClaims>().cloned() else {
            return Ok(None);
        };
        let auth = Arc::<AuthService>::from_ref(state);
        let user = match parts.extensions.get::<SessionUser>() {
            Some(SessionUser(cell)) => cell.get_or_try_init(|| auth.user_for(&claims)).await?.clone(),
            None => auth.user_for(&claims).await?,
        };
        Ok(user.map(|user| CurrentUser { user, claims }))
    }
}
