//! Server-only code of the auth feature: the service, its SQL, tokens, password hashing and
//! password policy, throttling, and the extractors that tell who is calling.

pub mod extract;
pub mod password_hash;
pub mod password_policy;
pub mod service;
pub mod store;
pub mod throttle;
pub mod tokens;

use crate::auth::model::User;
use crate::error::AppError;
use crate::ssr::client_info::ClientInfo;
use crate::ssr::context::from_request;
use crate::ssr::web_policy::WebPolicy;
use extract::CurrentUser;
use service::AuthService;
use std::sync::Arc;
use tokens::AccessClaims;
use tower_cookies::Cookies;

/// What auth's server functions act with: the service and the web policy (Leptos context,
/// provided by the server for every request), this request's cookie jar, and who is calling.
pub struct RequestContext {
    pub auth: Arc<AuthService>,
    pub policy: Arc<WebPolicy>,
    pub cookies: Cookies,
    pub client: ClientInfo,
}

pub async fn request_context() -> Result<RequestContext, AppError> {
    Ok(RequestContext {
        auth: from_request()?,
        policy: from_request()?,
        cookies: leptos_axum::extract().await?,
        client: leptos_axum::extract().await?,
    })
}

/// For server functions that need a signed-in user: the service and that user, or 401.
pub async fn signed_in() -> Result<(Arc<AuthService>, CurrentUser), AppError> {
    let auth = from_request::<Arc<AuthService>>()?;
    // Optional, then checked here: `extract_with_state` would turn the extractor's 401 into a
    // server-function error, which has lost its status.
    let current = leptos_axum::extract_with_state::<Option<CurrentUser>, _>(&auth).await?;
    Ok((auth, current.ok_or_else(AppError::unauthorized)?))
}

/// Signs in and sets the new session's cookies, ending the session this browser had (named by
/// its access token, or else its refresh cookie) rather than leaving it live beside the new
/// one. The REST handler and the server function share it.
pub async fn sign_in(
    ctx: &RequestContext,
    claims: Option<&AccessClaims>,
    username: &str,
    password: &str,
) -> Result<User, AppError> {
    let replaced = ctx.policy.cookies.refresh_token(&ctx.cookies);
    let device = ctx.policy.cookies.device_token(&ctx.cookies);
    let (user, session) = ctx.auth.sign_in(username, password, &ctx.client, device.as_deref()).await?;
    ctx.auth.sign_out(claims, replaced.as_deref()).await?;
    start(ctx, &user, &session);
    Ok(user)
}

/// Signs up and sets the new session's cookies.
pub async fn sign_up(
    ctx: &RequestContext,
    username: &str,
    password: &str,
    email: &str,
    name: &str,
) -> Result<User, AppError> {
    let (user, session) = ctx.auth.sign_up(username, password, email, name, &ctx.client).await?;
    start(ctx, &user, &session);
    Ok(user)
}

/// The cookies of a session just started: the session's, and the device cookie that lets this
/// browser past the account's sign-in backoff next time.
fn start(ctx: &RequestContext, user: &User, session: &service::IssuedSession) {
    ctx.policy.cookies.set_session(&ctx.cookies, session.cookies());
    ctx.policy.cookies.set_device(&ctx.cookies, ctx.auth.device_token(&user.username));
}

/// Changes the password, ending every other session and renewing this one (new cookies).
pub async fn change_password(
    ctx: &RequestContext,
    current: &CurrentUser,
    current_password: &str,
    new_password: &str,
) -> Result<u64, AppError> {
    let session_id = current.claims.session_id();
    let (ended, session) =
        ctx.auth.change_password(&current.user, &session_id, current_password, new_password, &ctx.client).await?;
    ctx.policy.cookies.set_session(&ctx.cookies, session.cookies());
    Ok(ended)
}

/// Ends the session of this request (named by its access token, or else its refresh cookie)
/// and clears both cookies. The REST handler and the server function share it.
pub async fn sign_out(
    auth: &AuthService,
    policy: &WebPolicy,
    cookies: &Cookies,
    claims: Option<&AccessClaims>,
) -> Result<(), AppError> {
    let refresh = policy.cookies.refresh_token(cookies);
    auth.sign_out(claims, refresh.as_deref()).await?;
    policy.cookies.clear_session(cookies);
    Ok(())
}
