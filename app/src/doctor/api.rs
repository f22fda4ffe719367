//! The doctor's server functions. The analysis is pure computation on the typed origins: no
//! request ever goes to a host a visitor typed (that would be SSRF). The probe is the API's
//! half of the in-browser truth test: a cookie with the session cookies' exact attributes.

use crate::doctor::model::{Analysis, Probe};
use crate::error::AppError;
use leptos::prelude::*;

/// The probe cookie's name, after the session cookies' prefix.
#[cfg(feature = "ssr")]
const PROBE: &str = "bmw_doctor_probe";

/// The verdict for `page` and `api` (the same origin when empty), or for this deployment itself
/// when `page` is empty.
#[server(prefix = "/api/fn", endpoint = "doctor_analyse", client = crate::client::ApiClient)]
pub async fn analyse_origins(page: String, api: String) -> Result<Analysis, AppError> {
    use crate::doctor::ssr::analysis;
    if page.trim().is_empty() {
        let policy = crate::ssr::context::from_request::<std::sync::Arc<crate::ssr::web_policy::WebPolicy>>()?;
        return Ok(analysis::describe(&policy));
    }
    analysis::analyse(&page, Some(&api), false).map_err(AppError::BadRequest)
}

/// Sets the probe cookie, with the session cookies' exact name prefix and attributes, for two
/// minutes.
#[server(prefix = "/api/fn", endpoint = "doctor_probe", client = crate::client::ApiClient)]
pub async fn set_probe() -> Result<Probe, AppError> {
    use crate::ssr::web_policy::WebPolicy;
    let policy = crate::ssr::context::from_request::<std::sync::Arc<WebPolicy>>()?;
    let cookies: tower_cookies::Cookies = leptos_axum::extract().await?;
    let value = crate::ssr::crypto::token(12);
    let cookie = policy.cookies.probe(PROBE, value.clone(), std::time::Duration::from_secs(120));
    let set_cookie = cookie.to_string().replacen(&value, "…", 1);
    cookies.add(cookie);
    Ok(Probe { set_cookie, value, api_origin: policy.served_origin.to_string() })
}

/// Whether the browser sent the probe cookie with `value` back, and clears it.
#[server(prefix = "/api/fn", endpoint = "doctor_probe_check", client = crate::client::ApiClient)]
pub async fn check_probe(value: String) -> Result<bool, AppError> {
    use crate::ssr::web_policy::WebPolicy;
    let policy = crate::ssr::context::from_request::<std::sync::Arc<WebPolicy>>()?;
    let cookies: tower_cookies::Cookies = leptos_axum::extract().await?;
    let name = format!("{}{PROBE}", policy.cookies.prefix());
    let came_back = cookies.get(&name).is_some_and(|c| !value.is_empty() && c.value() == value);
    cookies.add(policy.cookies.probe(PROBE, String::new(), std::time::Duration::ZERO));
    Ok(came_back)
}
