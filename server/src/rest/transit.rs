//! `/api/feeds`, `/api/stops…`, `/api/routes…`: the transit catalog, public (no sign-in).

use super::ApiQuery;
use crate::state::AppState;
use app::error::AppError;
use app::transit::model::{Board, FeedSummary, RouteDetail, RouteId, RouteSummary, StopDetail, StopId, StopSummary};
use app::transit::validate;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/feeds", get(feeds))
        .route("/api/stops", get(search_stops))
        .route("/api/stops/nearby", get(nearby))
        .route("/api/stops/{id}", get(stop))
        .route("/api/stops/{id}/departures", get(departures))
        .route("/api/routes", get(search_routes))
        .route("/api/routes/{id}", get(route))
}

#[derive(Serialize)]
struct Feeds {
    feeds: Vec<FeedSummary>,
}

async fn feeds(State(state): State<AppState>) -> Result<Json<Feeds>, AppError> {
    Ok(Json(Feeds { feeds: state.transit.feeds().await? }))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    limit: Option<i64>,
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

#[derive(Serialize)]
struct Stops {
    stops: Vec<StopSummary>,
}

async fn search_stops(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Stops>, AppError> {
    let q = validate::query(query.q.as_deref().unwrap_or_default()).map_err(bad)?;
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(Stops { stops: state.transit.search_stops(&q, limit).await? }))
}

#[derive(Deserialize)]
struct NearbyQuery {
    lat: Option<f64>,
    lon: Option<f64>,
    radius_m: Option<f64>,
    limit: Option<i64>,
}

async fn nearby(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<NearbyQuery>,
) -> Result<Json<Stops>, AppError> {
    let (Some(lat), Some(lon)) = (query.lat, query.lon) else {
        return Err(bad("Give the point as lat and lon, e.g. ?lat=37.6&lon=-122.4.".into()));
    };
    let (lat, lon) = validate::coordinates(lat, lon).map_err(bad)?;
    let radius = validate::radius(query.radius_m).map_err(bad)?;
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(Stops { stops: state.transit.nearby(lat, lon, radius, limit).await? }))
}

#[derive(Serialize)]
struct OneStop {
    stop: StopDetail,
}

async fn stop(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<OneStop>, AppError> {
    Ok(Json(OneStop { stop: state.transit.stop(&StopId(id)).await? }))
}

#[derive(Deserialize)]
struct BoardQuery {
    at: Option<String>,
    limit: Option<i64>,
}

async fn departures(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<BoardQuery>,
) -> Result<Json<Board>, AppError> {
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(state.transit.board(&StopId(id), query.at.as_deref(), limit).await?))
}

#[derive(Serialize)]
struct Routes {
    routes: Vec<RouteSummary>,
}

async fn search_routes(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Routes>, AppError> {
    let q = validate::query(query.q.as_deref().unwrap_or_default()).map_err(bad)?;
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(Routes { routes: state.transit.search_routes(&q, limit).await? }))
}

/// `/transit/colors.css`: the route badges' colours (see `badge_colors`). Served to every
/// role, since the pages link it.
pub async fn route_colors(State(state): State<AppState>) -> Result<impl axum::response::IntoResponse, AppError> {
    let css = app::transit::ssr::colors::route_colors_css(state.transit.db()).await?;
    Ok((
        [(http::header::CONTENT_TYPE, "text/css; charset=utf-8"), (http::header::CACHE_CONTROL, "public, max-age=60")],
        css,
    ))
}

async fn route(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<RouteDetail>, AppError> {
    Ok(Json(state.transit.route(&RouteId(id)).await?))
}
