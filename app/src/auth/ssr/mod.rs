//! Server-only code of the auth feature: the service, its SQL, tokens, password hashing and
//! password policy, throttling, and the extractors that tell who is calling.

pub mod extract;
pub mod password_hash;
pub mod password_policy;
pub mod service;
pub mod store;
pub mod throttle;
pub mod tokens;

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
