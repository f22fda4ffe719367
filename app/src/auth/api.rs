//! Auth's server functions: what the pages call, hydrated (fetch) or not (form posts). Each is a
//! thin wrapper around the same service the REST API uses.

use crate::auth::model::{SessionId, SessionInfo, User};
use crate::error::AppError;
use leptos::prelude::*;

/// Who is signed in: `None` for nobody, or when the session was revoked.
#[server(prefix = "/api/fn", endpoint = "current_user", client = crate::client::ApiClient)]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use crate::auth::ssr::{extract::CurrentUser, service::AuthService};
    let auth = crate::ssr::context::from_request::<std::sync::Arc<AuthService>>()?;
    let current: Option<CurrentUser> = leptos_axum::extract_with_state(&auth).await?;
    Ok(current.map(|c| c.user))
}

/// Creates the account and signs the new user in.
#[server(prefix = "/api/fn", endpoint = "sign_up", client = crate::client::ApiClient)]
pub async fn sign_up(username: String, password: String, email: String, name: String) -> Result<User, AppError> {
    let ctx = crate::auth::ssr::request_context().await?;
    let user = crate::auth::ssr::sign_up(&ctx, &username, &password, &email, &name).await?;
    leptos_axum::redirect("/account");
    Ok(user)
}

/// Signs in, sets the session cookies and goes to `next` (a local path) or the account page.
#[server(prefix = "/api/fn", endpoint = "sign_in", client = crate::client::ApiClient)]
pub async fn sign_in(username: String, password: String, next: Option<String>) -> Result<User, AppError> {
    use crate::auth::ssr::extract::VerifiedClaims;
    let ctx = crate::auth::ssr::request_context().await?;
    let claims = leptos_axum::extract::<Option<axum::Extension<VerifiedClaims>>>().await?;
    let user = crate::auth::ssr::sign_in(&ctx, claims.as_ref().map(|c| &c.0.0), &username, &password).await?;
    let next = next.as_deref().and_then(crate::auth::validate::local_path).unwrap_or("/account");
    leptos_axum::redirect(next);
    Ok(user)
}

/// Ends the session on the server and clears both cookies.
#[server(prefix = "/api/fn", endpoint = "sign_out", client = crate::client::ApiClient)]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::auth::ssr::extract::VerifiedClaims;
    let ctx = crate::auth::ssr::request_context().await?;
    let claims = leptos_axum::extract::<Option<axum::Extension<VerifiedClaims>>>().await?;
    crate::auth::ssr::sign_out(&ctx.auth, &ctx.policy, &ctx.cookies, claims.as_ref().map(|c| &c.0.0)).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "sessions", client = crate::client::ApiClient)]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    let (auth, current) = crate::auth::ssr::signed_in().await?;
    auth.sessions(current.user.id, &current.claims.session_id()).await
}

/// Ends one of the user's other sessions.
#[server(prefix = "/api/fn", endpoint = "revoke_session", client = crate::client::ApiClient)]
pub async fn revoke_session(id: SessionId) -> Result<(), AppError> {
    let (auth, current) = crate::auth::ssr::signed_in().await?;
    auth.revoke_session(current.user.id, &id).await
}

#[server(prefix = "/api/fn", endpoint = "revoke_other_sessions", client = crate::client::ApiClient)]
pub async fn revoke_other_sessions() -> Result<u64, AppError> {
    let (auth, current) = crate::auth::ssr::signed_in().await?;
    auth.revoke_other_sessions(current.user.id, &current.claims.session_id()).await
}

/// Changes the password and signs out every other session.
#[server(prefix = "/api/fn", endpoint = "change_password", client = crate::client::ApiClient)]
pub async fn change_password(current_password: String, new_password: String) -> Result<u64, AppError> {
    let (_, current) = crate::auth::ssr::signed_in().await?;
    let ctx = crate::auth::ssr::request_context().await?;
    let ended = crate::auth::ssr::change_password(&ctx, &current, &current_password, &new_password).await?;
    // Without JavaScript the page reloads; the query tells it to confirm the change.
    leptos_axum::redirect("/account?password=changed");
    Ok(ended)
}
