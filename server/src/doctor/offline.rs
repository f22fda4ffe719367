//! The offline verdict for BMW's own configuration.

use crate::config::Config;
use app::doctor::model::Analysis;
use app::doctor::ssr::analysis;

/// The verdict for the configured origins, as `bmw serve` would derive its policy from them.
pub fn analyse(config: &Config) -> Result<Analysis, String> {
    let page = crate::startup::public_origin(config, config.http.site_addr).map_err(|e| e.to_string())?;
    let api = config.http.api_origin.clone().unwrap_or_else(|| page.clone());
    Ok(analysis::analyse_policy(page, api, config.http.allowed_origins.clone(), config.http.cookie_site_wide))
}
