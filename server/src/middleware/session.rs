//! Who is calling, with transparent refresh.

use crate::rest::HANDLES_REFRESH_TOKEN;
use crate::state::AppState;
use app::auth::ssr::extract::{SessionUser, VerifiedClaims};
use app::ssr::web_policy::csrf;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tower_cookies::Cookies;

/// Puts the caller's verified access claims in the request extensions. When the access token
/// is missing or expired but the refresh token is good, refreshes right here and sets the new
/// cookies on this very response, so an active user is never bounced to the sign-in page.
/// Not for other sites' subresources (see [`csrf::may_refresh`]).
pub async fn resolve_session(
    State(state): State<AppState>,
    cookies: Cookies,
    mut req: Request,
    next: Next,
) -> Response {
    let cookie_policy = &state.policy.cookies;
    let claims = match cookie_policy.access_token(&cookies).and_then(|t| state.auth.verify_access(&t)) {
        Some(claims) => Some(claims),
        None if !HANDLES_REFRESH_TOKEN.contains(&req.uri().path())
            && csrf::may_refresh(&state.policy.csrf_origins, req.headers()) =>
        {
            match cookie_policy.refresh_token(&cookies) {
                Some(token) => match state.auth.refresh(&token).await {
                    Ok(session) => {
                        cookie_policy.set_session(&cookies, session.cookies());
                        Some(session.claims)
                    }
                    // Ours, and already logged where it happened: carry on signed out.
                    Err(app::error::AppError::Internal(_)) => None,
                    Err(_) => {
                        // Dead refresh token: stop the browser from sending it again.
                        cookie_policy.clear_session(&cookies);
                        None
                    }
                },
                None => None,
            }
        }
        None => None,
    };
    if let Some(claims) = claims {
        req.extensions_mut().insert(VerifiedClaims(claims));
        req.extensions_mut().insert(SessionUser::default());
    }
    next.run(req).await
}
