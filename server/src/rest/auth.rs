//! `/api/auth/*`: accounts, sign-in sessions, passwords.

use super::ApiJson;
use super::openapi::{Credentials, SignedInAction, SignedInRead};
use crate::state::AppState;
use app::auth::model::{SessionId, SessionInfo, User};
use app::auth::ssr::extract::{CurrentUser, VerifiedClaims};
use app::error::AppError;
use app::ssr::client_info::ClientInfo;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use tower_cookies::Cookies;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .routes(routes!(me))
        .routes(routes!(refresh))
        .routes(routes!(sign_out))
        .routes(routes!(list_sessions, revoke_other_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(change_password))
}

/// Paths the session middleware must not refresh on: they handle the refresh token themselves.
pub const HANDLES_REFRESH_TOKEN: [&str; 2] = ["/api/auth/refresh", "/api/auth/signout"];

// Missing properties default to empty, so they are reported per field (422), not as a
// malformed body (400).
#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
struct SignUpBody {
    /// 3–32 letters, digits, `.`, `_` and `-`; case does not matter (kept lower-cased).
    #[schema(required = true, pattern = r"^\s*[A-Za-z0-9_.-]{3,32}\s*$")]
    username: String,
    /// Taken exactly as typed.
    #[schema(required = true, min_length = 8, max_length = 128)]
    password: String,
    #[schema(required = true, format = Email, max_length = 254)]
    email: String,
    /// The name shown in the top bar: no control or invisible characters.
    #[schema(required = true, min_length = 1, max_length = 64)]
    name: String,
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
struct SignInBody {
    #[schema(required = true, min_length = 1, max_length = 32)]
    username: String,
    #[schema(required = true, min_length = 1, max_length = 128)]
    password: String,
}

#[derive(Serialize, ToSchema)]
struct UserBody {
    user: User,
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignUpBody,
    responses((status = 201, body = UserBody, description = "Signed up; the session cookies are set."), Credentials))]
async fn sign_up(
    State(state): State<AppState>,
    cookies: Cookies,
    client: ClientInfo,
    ApiJson(body): ApiJson<SignUpBody>,
) -> Result<(StatusCode, Json<UserBody>), AppError> {
    let ctx = state.request_context(cookies, client);
    let user = app::auth::ssr::sign_up(&ctx, &body.username, &body.password, &body.email, &body.name).await?;
    Ok((StatusCode::CREATED, Json(UserBody { user })))
}

/// Sign in: sets the session cookies, ending the session this browser had.
#[utoipa::path(post, path = "/api/auth/signin", tag = "auth", request_body = SignInBody,
    responses((status = 200, body = UserBody, description = "Signed in; the session cookies are set."), Credentials))]
async fn sign_in(
    State(state): State<AppState>,
    cookies: Cookies,
    client: ClientInfo,
    claims: Option<Extension<VerifiedClaims>>,
    ApiJson(body): ApiJson<SignInBody>,
) -> Result<Json<UserBody>, AppError> {
    let ctx = state.request_context(cookies, client);
    let user = app::auth::ssr::sign_in(&ctx, claims.as_ref().map(|c| &c.0.0), &body.username, &body.password).await?;
    Ok(Json(UserBody { user }))
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = UserBody), SignedInRead))]
async fn me(current: CurrentUser) -> Json<UserBody> {
    Json(UserBody { user: current.user })
}

/// Renew the session with the refresh cookie: new access and refresh tokens.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth",
    responses((status = 200, body = UserBody, description = "Renewed; new cookies are set."), SignedInAction))]
async fn refresh(State(state): State<AppState>, cookies: Cookies) -> Result<Json<UserBody>, AppError> {
    let token = state.policy.cookies.refresh_token(&cookies).ok_or_else(AppError::unauthorized)?;
    let session = match state.auth.refresh(&token).await {
        Ok(session) => session,
        Err(err) => {
            state.policy.cookies.clear_session(&cookies);
            return Err(err);
        }
    };
    let user = state.auth.user_for(&session.claims).await?.ok_or_else(AppError::unauthorized)?;
    state.policy.cookies.set_session(&cookies, session.cookies());
    Ok(Json(UserBody { user }))
}

/// Sign out: ends this session and clears its cookies. Signed out already is fine too.
#[utoipa::path(post, path = "/api/auth/signout", tag = "auth",
    responses((status = 204, description = "Signed out."), SignedInAction))]
async fn sign_out(
    State(state): State<AppState>,
    cookies: Cookies,
    claims: Option<Extension<VerifiedClaims>>,
) -> Result<StatusCode, AppError> {
    app::auth::ssr::sign_out(&state.auth, &state.policy, &cookies, claims.as_ref().map(|c| &c.0.0)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user's live sessions, this one marked `current`.
#[utoipa::path(get, path = "/api/auth/sessions", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Vec<SessionInfo>), SignedInRead))]
async fn list_sessions(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    Ok(Json(state.auth.sessions(current.user.id, &current.claims.session_id()).await?))
}

#[derive(Serialize, ToSchema)]
struct Ended {
    /// How many other sessions were ended.
    ended: u64,
}

/// Sign out everywhere else: ends every session but this one.
#[utoipa::path(delete, path = "/api/auth/sessions", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Ended), SignedInAction))]
async fn revoke_other_sessions(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Ended>, AppError> {
    let ended = state.auth.revoke_other_sessions(current.user.id, &current.claims.session_id()).await?;
    Ok(Json(Ended { ended }))
}

/// End one of the user's sessions (this one too: that is signing out).
#[utoipa::path(delete, path = "/api/auth/sessions/{id}", tag = "auth", security(("session" = [])),
    params(("id" = String, Path, description = "A session id from `GET /api/auth/sessions`.")),
    responses((status = 204, description = "Ended."), SignedInAction))]
async fn revoke_session(
    State(state): State<AppState>,
    cookies: Cookies,
    current: CurrentUser,
    Path(id): Path<SessionId>,
) -> Result<StatusCode, AppError> {
    state.auth.revoke_session(current.user.id, &id).await?;
    if id == current.claims.session_id() {
        // Ending your own session is signing out.
        state.policy.cookies.clear_session(&cookies);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
struct PasswordBody {
    #[schema(required = true, min_length = 1, max_length = 128)]
    current_password: String,
    #[schema(required = true, min_length = 8, max_length = 128)]
    new_password: String,
}

/// Change the password: every other session ends, and this one is renewed.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", security(("session" = [])), request_body = PasswordBody,
    responses((status = 200, body = Ended, description = "Changed; new cookies are set."), Credentials))]
async fn change_password(
    State(state): State<AppState>,
    current: CurrentUser,
    cookies: Cookies,
    client: ClientInfo,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<Json<Ended>, AppError> {
    let ctx = state.request_context(cookies, client);
    let ended = app::auth::ssr::change_password(&ctx, &current, &body.current_password, &body.new_password).await?;
    Ok(Json(Ended { ended }))
}
