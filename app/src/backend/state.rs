//! What every handler and server function can reach.

use super::auth::AuthService;
use super::policy::WebPolicy;
use super::tokens::AccessClaims;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tower_cookies::Cookies;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub auth: Arc<AuthService>,
    /// Origins, cookie attributes, CORS and CSRF, derived once from configuration.
    pub policy: Arc<WebPolicy>,
}

impl AppState {
    /// Ends the session of this request (named by its access token, or else its refresh
    /// cookie) and clears both cookies. The REST handler and the server function share it.
    pub async fn sign_out(&self, cookies: &Cookies, claims: Option<&AccessClaims>) -> Result<(), AppError> {
        let refresh = self.policy.cookies.refresh_token(cookies);
        self.auth.sign_out(claims, refresh.as_deref()).await?;
        self.policy.cookies.clear_session(cookies);
        Ok(())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
