//! `/api/feeds`, `/api/stops…`, `/api/routes…`: the transit catalog, public (no sign-in).

use super::ApiQuery;
use super::openapi::PublicRead;
use crate::state::AppState;
use app::error::AppError;
use app::ssr::client_info::Language;
use app::transit::model::{Board, FeedSummary, RouteDetail, RouteId, RouteSummary, StopDetail, StopId, StopSummary};
use app::transit::validate;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feeds))
        .routes(routes!(search_stops))
        .routes(routes!(nearby))
        .routes(routes!(stop))
        .routes(routes!(departures))
        .routes(routes!(search_routes))
        .routes(routes!(route))
}

#[derive(Serialize, ToSchema)]
struct Feeds {
    feeds: Vec<FeedSummary>,
}

/// The imported feeds, with their service dates and sizes.
#[utoipa::path(get, path = "/api/feeds", tag = "transit", responses((status = 200, body = Feeds)))]
async fn feeds(State(state): State<AppState>) -> Result<Json<Feeds>, AppError> {
    Ok(Json(Feeds { feeds: state.transit.feeds().await? }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Words of the name (or a stop code), typos forgiven.
    /// No control characters, and not only spaces.
    #[param(required = true, max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*\S[^\x00-\x1f\x7f-\x9f]*$")]
    q: Option<String>,
    /// At most this many (default 10).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<i64>,
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

#[derive(Serialize, ToSchema)]
struct Stops {
    stops: Vec<StopSummary>,
}

/// Stops by name or code, best match first.
#[utoipa::path(get, path = "/api/stops", tag = "transit", params(SearchQuery),
    responses((status = 200, body = Stops), PublicRead))]
async fn search_stops(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Stops>, AppError> {
    let q = validate::query(query.q.as_deref().unwrap_or_default()).map_err(bad)?;
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(Stops { stops: state.transit.search_stops(&q, limit).await? }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NearbyQuery {
    #[param(required = true, minimum = -90, maximum = 90)]
    lat: Option<f64>,
    #[param(required = true, minimum = -180, maximum = 180)]
    lon: Option<f64>,
    /// Metres (default 500).
    #[param(exclusive_minimum = 0, maximum = 5000)]
    radius_m: Option<f64>,
    #[param(minimum = 1, maximum = 50)]
    limit: Option<i64>,
}

/// Stops near a point, nearest first, each with its distance.
#[utoipa::path(get, path = "/api/stops/nearby", tag = "transit", params(NearbyQuery),
    responses((status = 200, body = Stops), PublicRead))]
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

#[derive(Serialize, ToSchema)]
struct OneStop {
    stop: StopDetail,
}

/// A stop with the routes that serve it and, for a station, its platforms.
#[utoipa::path(get, path = "/api/stops/{id}", tag = "transit", params(("id" = String, Path, description = "`<feed>:<the feed's id>`, e.g. `caltrain:70011`.")),
    responses((status = 200, body = OneStop), PublicRead))]
async fn stop(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<OneStop>, AppError> {
    Ok(Json(OneStop { stop: state.transit.stop(&StopId(id)).await? }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct BoardQuery {
    /// The moment: RFC 3339, or a local `YYYY-MM-DDTHH:MM` in the agency's zone; now when absent.
    at: Option<String>,
    #[param(minimum = 1, maximum = 50)]
    limit: Option<i64>,
}

/// The next departures from a stop (a station: from all its platforms), from a moment on.
#[utoipa::path(get, path = "/api/stops/{id}/departures", tag = "transit", params(("id" = String, Path, description = "`<feed>:<the feed's id>`, e.g. `caltrain:70011`."), BoardQuery),
    responses((status = 200, body = Board), PublicRead))]
async fn departures(
    State(state): State<AppState>,
    Path(id): Path<String>,
    language: Language,
    ApiQuery(query): ApiQuery<BoardQuery>,
) -> Result<Json<Board>, AppError> {
    let limit = validate::limit(query.limit).map_err(bad)?;
    Ok(Json(state.transit.board(&StopId(id), query.at.as_deref(), limit, &language.0).await?))
}

#[derive(Serialize, ToSchema)]
struct Routes {
    routes: Vec<RouteSummary>,
}

/// Routes by name, best match first.
#[utoipa::path(get, path = "/api/routes", tag = "transit", params(SearchQuery),
    responses((status = 200, body = Routes), PublicRead))]
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

/// A route and its stops in order, per direction.
#[utoipa::path(get, path = "/api/routes/{id}", tag = "transit", params(("id" = String, Path, description = "`<feed>:<the feed's id>`, e.g. `caltrain:70011`.")),
    responses((status = 200, body = RouteDetail), PublicRead))]
async fn route(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<RouteDetail>, AppError> {
    Ok(Json(state.transit.route(&RouteId(id)).await?))
}
