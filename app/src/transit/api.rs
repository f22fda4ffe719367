//! Transit's server functions, for the pages (hydrated or not). Thin wrappers around the one
//! service the REST API uses too.

use crate::error::AppError;
use crate::transit::model::{Board, RouteDetail, RouteId, RouteSummary, StopId, StopSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the search page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub stops: Vec<StopSummary>,
    pub routes: Vec<RouteSummary>,
}

#[cfg(feature = "ssr")]
fn service() -> Result<std::sync::Arc<crate::transit::ssr::service::TransitService>, AppError> {
    crate::ssr::context::from_request()
}

#[server(prefix = "/api/fn", endpoint = "search", client = crate::client::ApiClient)]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    let q = crate::transit::validate::query(&q).map_err(|m| AppError::validation("q", m))?;
    let service = service()?;
    let limit = crate::transit::validate::DEFAULT_LIMIT as usize;
    Ok(SearchResults { stops: service.search_stops(&q, limit).await?, routes: service.search_routes(&q, 5).await? })
}

#[server(prefix = "/api/fn", endpoint = "nearby", client = crate::client::ApiClient)]
pub async fn nearby(lat: f64, lon: f64) -> Result<Vec<StopSummary>, AppError> {
    let (lat, lon) = crate::transit::validate::coordinates(lat, lon).map_err(AppError::BadRequest)?;
    service()?
        .nearby(lat, lon, crate::transit::validate::DEFAULT_RADIUS_M, crate::transit::validate::DEFAULT_LIMIT as usize)
        .await
}

/// A stop's board at `at` (RFC 3339, or a local date and time in the agency's zone), or now.
#[server(prefix = "/api/fn", endpoint = "board", client = crate::client::ApiClient)]
pub async fn load_board(id: StopId, at: Option<String>) -> Result<Board, AppError> {
    let language = crate::ssr::client_info::Language::of_request().await;
    service()?.board(&id, at.as_deref(), crate::transit::validate::DEFAULT_LIMIT as usize, &language.0).await
}

#[server(prefix = "/api/fn", endpoint = "route", client = crate::client::ApiClient)]
pub async fn load_route(id: RouteId) -> Result<RouteDetail, AppError> {
    service()?.route(&id).await
}
