//! `/api/auth/*`: accounts, sign-in sessions, passwords.

use super::ApiJson;
use crate::state::AppState;
use app::auth::model::{SessionId, SessionInfo, User};
use app::auth::ssr::extract::{CurrentUser, VerifiedClaims};
use app::error::AppError;
use app::ssr::client_info::ClientInfo;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use tower_cookies::Cookies;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/auth/signup", post(sign_up))
        .route("/api/auth/signin", post(sign_in))
        .route("/api/auth/me", get(me))
        .route("/api/auth/refresh", post(refresh))
        .route("/api/auth/signout", post(sign_out))
        .route("/api/auth/sessions", get(list_sessions).delete(revoke_other_sessions))
        .route("/api/auth/sessions/{id}", delete(revoke_session))
        .route("/api/auth/password", post(change_password))
}

/// Paths the session middleware must not refresh on: they handle the refresh token themselves.
pub const HANDLES_REFRESH_TOKEN: [&str; 2] = ["/api/auth/refresh", "/api/auth/signout"];

// Missing properties default to empty, so they are reported per field (422), not as a
// malformed body (400).
#[derive(Deserialize, Default)]
#[serde(default)]
struct SignUpBody {
    username: String,
    password: String,
    email: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInBody {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct UserBody {
    user: User,
}

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

async fn me(current: CurrentUser) -> Json<UserBody> {
    Json(UserBody { user: current.user })
}

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

async fn sign_out(
    State(state): State<AppState>,
    cookies: Cookies,
    claims: Option<Extension<VerifiedClaims>>,
) -> Result<StatusCode, AppError> {
    app::auth::ssr::sign_out(&state.auth, &state.policy, &cookies, claims.as_ref().map(|c| &c.0.0)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_sessions(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    Ok(Json(state.auth.sessions(current.user.id, &current.claims.session_id()).await?))
}

#[derive(Serialize)]
struct Ended {
    ended: u64,
}

async fn revoke_other_sessions(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Ended>, AppError> {
    let ended = state.auth.revoke_other_sessions(current.user.id, &current.claims.session_id()).await?;
    Ok(Json(Ended { ended }))
}

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

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordBody {
    current_password: String,
    new_password: String,
}

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
