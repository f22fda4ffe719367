//! The catalog's read SQL. Every query names the feed version it reads, and the service runs
//! the queries of one answer in one read transaction: an import that swaps versions (and drops
//! the old version's stop_times table) meanwhile cannot change an answer halfway. See
//! migrations/transit/ for the schema.

use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Appends `(?, ?, …)` with one bound value per item.
fn push_list<'a, T>(q: &mut QueryBuilder<'a, Sqlite>, items: impl IntoIterator<Item = T>)
where
    T: 'a + sqlx::Encode<'a, Sqlite> + sqlx::Type<Sqlite> + Send,
{
    q.push("(");
    let mut list = q.separated(", ");
    for item in items {
        list.push_bind(item);
    }
    q.push(")");
}

/// The version a feed serves now, and what queries need to know about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveFeed {
    pub name: String,
    pub version: i64,
    pub timezone: String,
    pub max_departure: i64,
    pub has_frequencies: bool,
}

const ACTIVE_FEED: &str = "SELECT f.name, v.id AS version, v.timezone, v.max_departure, v.has_frequencies
     FROM feeds f JOIN feed_versions v ON v.id = f.active_version";

pub async fn active_feed(db: &mut SqliteConnection, name: &str) -> Result<Option<ActiveFeed>, AppError> {
    Ok(sqlx::query_as(&format!("{ACTIVE_FEED} WHERE f.name = ?")).bind(name).fetch_optional(&mut *db).await?)
}

pub async fn active_feeds(db: &mut SqliteConnection) -> Result<Vec<ActiveFeed>, AppError> {
    Ok(sqlx::query_as(&format!("{ACTIVE_FEED} ORDER BY f.name")).fetch_all(&mut *db).await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub name: String,
    pub version: i64,
    pub imported_at: i64,
    pub timezone: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub stops: i64,
    pub routes: i64,
    pub trips: i64,
    pub stop_times: i64,
    pub agency_names: Option<String>,
    pub source: String,
}

pub async fn feeds(db: &mut SqliteConnection) -> Result<Vec<FeedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT f.name, v.id AS version, v.imported_at, v.timezone, v.start_date, v.end_date, v.stops, v.routes,
                v.trips, v.stop_times, f.source,
                (SELECT group_concat(a.name, char(31)) FROM agencies a WHERE a.version = v.id) AS agency_names
         FROM feeds f JOIN feed_versions v ON v.id = f.active_version ORDER BY f.name",
    )
    .fetch_all(&mut *db)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StopRow {
    pub version: i64,
    pub idx: i64,
    pub stop_id: String,
    pub code: Option<String>,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub location_type: i64,
    pub parent_idx: Option<i64>,
    pub platform_code: Option<String>,
    /// The parent station's feed id, for platforms.
    pub parent_stop_id: Option<String>,
}

const STOP_COLUMNS: &str = "s.version, s.idx, s.stop_id, s.code, s.name, s.lat, s.lon, s.location_type, s.parent_idx,
     s.platform_code, p.stop_id AS parent_stop_id
     FROM stops s LEFT JOIN stops p ON p.version = s.version AND p.idx = s.parent_idx";

pub async fn stop_by_id(db: &mut SqliteConnection, version: i64, stop_id: &str) -> Result<Option<StopRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {STOP_COLUMNS} WHERE s.version = ? AND s.stop_id = ?"))
        .bind(version)
        .bind(stop_id)
        .fetch_optional(&mut *db)
        .await?)
}

pub async fn stops_by_idx(db: &mut SqliteConnection, version: i64, idxs: &[i64]) -> Result<Vec<StopRow>, AppError> {
    if idxs.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {STOP_COLUMNS} WHERE s.version = "));
    q.push_bind(version).push(" AND s.idx IN ");
    push_list(&mut q, idxs.iter().copied());
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// Stops by their feed ids (those the version has; the others are simply not returned).
pub async fn stops_by_ids(db: &mut SqliteConnection, version: i64, ids: &[&str]) -> Result<Vec<StopRow>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {STOP_COLUMNS} WHERE s.version = "));
    q.push_bind(version).push(" AND s.stop_id IN ");
    push_list(&mut q, ids.iter().copied());
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// A station's platforms (and other children that are stops).
pub async fn children(db: &mut SqliteConnection, version: i64, parent_idx: i64) -> Result<Vec<StopRow>, AppError> {
    children_of(db, version, &[parent_idx]).await
}

/// The platforms of several stations at once, in each station's order.
pub async fn children_of(db: &mut SqliteConnection, version: i64, parents: &[i64]) -> Result<Vec<StopRow>, AppError> {
    if parents.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {STOP_COLUMNS} WHERE s.version = "));
    q.push_bind(version).push(" AND s.location_type = 0 AND s.parent_idx IN ");
    push_list(&mut q, parents.iter().copied());
    q.push(" ORDER BY s.parent_idx, s.platform_code, s.name, s.stop_id");
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// Stops whose trigram index matches `fts_query`, in the feeds' active versions.
pub async fn stop_candidates(db: &mut SqliteConnection, fts_query: &str, limit: i64) -> Result<Vec<StopRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STOP_COLUMNS}
         JOIN (SELECT version, idx FROM stop_search WHERE stop_search MATCH ? ORDER BY rank LIMIT ?) m
           ON m.version = s.version AND m.idx = s.idx
         WHERE s.version IN (SELECT active_version FROM feeds)"
    ))
    .bind(fts_query)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// Every stop and station of the active versions, for a last, fuzzy look at short queries
/// whose typos leave no trigram in common with the name ("brvo" and "bravo").
pub async fn all_stops(db: &mut SqliteConnection, limit: i64) -> Result<Vec<StopRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STOP_COLUMNS} WHERE s.version IN (SELECT active_version FROM feeds) AND s.location_type IN (0, 1) LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// Stops whose name starts with, or whose code or id is, a query too short for trigrams.
pub async fn stop_prefix_candidates(
    db: &mut SqliteConnection,
    query: &str,
    limit: i64,
) -> Result<Vec<StopRow>, AppError> {
    let pattern = format!("{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    Ok(sqlx::query_as(&format!(
        "SELECT {STOP_COLUMNS}
         WHERE s.version IN (SELECT active_version FROM feeds) AND s.location_type IN (0, 1)
           AND (s.name LIKE ? ESCAPE '\\' OR s.code = ? OR s.stop_id = ?)
         LIMIT ?"
    ))
    .bind(pattern)
    .bind(query)
    .bind(query)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// Stops and stations inside a latitude/longitude box, in the active versions.
pub async fn stops_in_box(
    db: &mut SqliteConnection,
    (lat_min, lat_max): (f64, f64),
    (lon_min, lon_max): (f64, f64),
    limit: i64,
) -> Result<Vec<StopRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STOP_COLUMNS}
         WHERE s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ? AND s.location_type IN (0, 1)
           AND s.version IN (SELECT active_version FROM feeds)
         LIMIT ?"
    ))
    .bind(lat_min)
    .bind(lat_max)
    .bind(lon_min)
    .bind(lon_max)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RouteRow {
    pub version: i64,
    pub idx: i64,
    pub route_id: String,
    pub short_name: Option<String>,
    pub long_name: Option<String>,
    pub route_type: i64,
    pub color: Option<String>,
    pub text_color: Option<String>,
    pub agency: Option<String>,
}

const ROUTE_COLUMNS: &str = "r.version, r.idx, r.route_id, r.short_name, r.long_name, r.route_type, r.color,
     r.text_color, a.name AS agency
     FROM routes r LEFT JOIN agencies a ON a.version = r.version AND a.idx = r.agency_idx";

pub async fn route_by_id(
    db: &mut SqliteConnection,
    version: i64,
    route_id: &str,
) -> Result<Option<RouteRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {ROUTE_COLUMNS} WHERE r.version = ? AND r.route_id = ?"))
        .bind(version)
        .bind(route_id)
        .fetch_optional(&mut *db)
        .await?)
}

pub async fn routes_by_idx(db: &mut SqliteConnection, version: i64, idxs: &[i64]) -> Result<Vec<RouteRow>, AppError> {
    if idxs.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {ROUTE_COLUMNS} WHERE r.version = "));
    q.push_bind(version).push(" AND r.idx IN ");
    push_list(&mut q, idxs.iter().copied());
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// Routes by their feed ids (those the version has).
pub async fn routes_by_ids(db: &mut SqliteConnection, version: i64, ids: &[&str]) -> Result<Vec<RouteRow>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {ROUTE_COLUMNS} WHERE r.version = "));
    q.push_bind(version).push(" AND r.route_id IN ");
    push_list(&mut q, ids.iter().copied());
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// The routes calling at any of these stops, in the feed's order.
pub async fn routes_at(db: &mut SqliteConnection, version: i64, stop_idxs: &[i64]) -> Result<Vec<RouteRow>, AppError> {
    if stop_idxs.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT DISTINCT {ROUTE_COLUMNS} JOIN stop_routes sr ON sr.version = r.version AND sr.route_idx = r.idx
         WHERE r.version = "
    ));
    q.push_bind(version).push(" AND sr.stop_idx IN ");
    push_list(&mut q, stop_idxs.iter().copied());
    q.push(" ORDER BY r.sort_order, r.short_name, r.long_name, r.route_id");
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

pub async fn route_candidates(
    db: &mut SqliteConnection,
    fts_query: &str,
    limit: i64,
) -> Result<Vec<RouteRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROUTE_COLUMNS}
         JOIN (SELECT version, idx FROM route_search WHERE route_search MATCH ? ORDER BY rank LIMIT ?) m
           ON m.version = r.version AND m.idx = r.idx
         WHERE r.version IN (SELECT active_version FROM feeds)"
    ))
    .bind(fts_query)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

pub async fn route_prefix_candidates(
    db: &mut SqliteConnection,
    query: &str,
    limit: i64,
) -> Result<Vec<RouteRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROUTE_COLUMNS}
         WHERE r.version IN (SELECT active_version FROM feeds)
           AND (r.short_name = ? COLLATE NOCASE OR r.route_id = ? OR r.long_name LIKE ? || '%')
         LIMIT ?"
    ))
    .bind(query)
    .bind(query)
    .bind(query)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RouteStopRow {
    pub direction_id: i64,
    pub headsign: Option<String>,
    #[sqlx(flatten)]
    pub stop: StopRow,
}

/// A route's stops in order, per direction.
pub async fn route_stops(
    db: &mut SqliteConnection,
    version: i64,
    route_idx: i64,
) -> Result<Vec<RouteStopRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT rs.direction_id, rs.headsign, {STOP_COLUMNS}
         JOIN route_stops rs ON rs.version = s.version AND rs.stop_idx = s.idx
         WHERE rs.version = ? AND rs.route_idx = ?
         ORDER BY rs.direction_id, rs.position"
    ))
    .bind(version)
    .bind(route_idx)
    .fetch_all(&mut *db)
    .await?)
}

/// Weekly service patterns and exceptions of a version, to rebuild its service calendar.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarRow {
    pub service_idx: i64,
    pub service_id: String,
    pub weekdays: i64,
    pub start_date: String,
    pub end_date: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarDateRow {
    pub service_idx: i64,
    pub service_id: String,
    pub date: String,
    pub exception: i64,
}

pub async fn calendar(
    db: &mut SqliteConnection,
    version: i64,
) -> Result<(Vec<CalendarRow>, Vec<CalendarDateRow>), AppError> {
    let weekly = sqlx::query_as(
        "SELECT service_idx, service_id, weekdays, start_date, end_date FROM calendars WHERE version = ?",
    )
    .bind(version)
    .fetch_all(&mut *db)
    .await?;
    let dates = sqlx::query_as("SELECT service_idx, service_id, date, exception FROM calendar_dates WHERE version = ?")
        .bind(version)
        .fetch_all(&mut *db)
        .await?;
    Ok((weekly, dates))
}

/// A scheduled call at a stop, before the service day is known.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    /// Which of the asked-for boards this call is for.
    pub board: i64,
    pub trip_idx: i64,
    pub stop_idx: i64,
    pub seq: i64,
    pub departure: i64,
    /// Overrides the trip's headsign at this stop.
    pub stop_headsign: Option<String>,
}

/// The stops of one board (a stop and its platforms), and the routes it is narrowed to (all
/// when empty).
#[derive(Debug, Clone, Default)]
pub struct BoardStops {
    pub stop_idxs: Vec<i64>,
    pub route_idxs: Vec<i64>,
}

/// Boards per statement: SQLite allows 500 terms in a compound SELECT and 32,766 bound values.
const BOARDS_PER_STATEMENT: usize = 40;

/// For each `(board, stops)`: the first `limit` calls at its stops between `from` and `to`
/// GTFS seconds by trips of `services` (not frequency-based) where passengers may board (not
/// `pickup_type = 1`, not the trip's last stop), earliest first. Many boards (a MyBM page) are
/// asked in a few statements rather than one each.
pub async fn calls(
    db: &mut SqliteConnection,
    version: i64,
    boards: &[(usize, &BoardStops)],
    services: &[u32],
    (from, to): (u32, u32),
    limit: i64,
) -> Result<Vec<CallRow>, AppError> {
    let mut rows = vec![];
    if services.is_empty() {
        return Ok(rows);
    }
    let boards: Vec<_> = boards.iter().filter(|(_, b)| !b.stop_idxs.is_empty()).collect();
    for chunk in boards.chunks(BOARDS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new("");
        for (i, (board, stops)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(" UNION ALL ");
            }
            q.push("SELECT * FROM (SELECT ").push_bind(*board as i64);
            q.push(format!(
                " AS board, st.trip_idx, st.stop_idx, st.seq, st.departure, st.stop_headsign
                 FROM stop_times_{version} st JOIN trips t ON t.version = "
            ));
            q.push_bind(version).push(" AND t.idx = st.trip_idx WHERE st.stop_idx IN ");
            push_list(&mut q, stops.stop_idxs.iter().copied());
            q.push(" AND st.departure BETWEEN ").push_bind(i64::from(from)).push(" AND ").push_bind(i64::from(to));
            q.push(" AND st.pickup_type != 1 AND st.seq != t.last_seq AND t.frequency_based = 0 AND t.service_idx IN ");
            push_list(&mut q, services.iter().map(|s| i64::from(*s)));
            if !stops.route_idxs.is_empty() {
                q.push(" AND t.route_idx IN ");
                push_list(&mut q, stops.route_idxs.iter().copied());
            }
            q.push(" ORDER BY st.departure LIMIT ").push_bind(limit).push(")");
        }
        rows.extend(q.build_query_as::<CallRow>().fetch_all(&mut *db).await?);
    }
    Ok(rows)
}

/// Calls at `stop_idxs` by frequency-based trips, with their headway rows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FrequencyCallRow {
    pub trip_idx: i64,
    pub stop_idx: i64,
    pub seq: i64,
    pub departure: i64,
    pub stop_headsign: Option<String>,
    pub service_idx: i64,
    pub route_idx: i64,
    pub first_departure: i64,
    pub start_secs: i64,
    pub end_secs: i64,
    pub headway_secs: i64,
    pub exact_times: bool,
}

pub async fn frequency_calls(
    db: &mut SqliteConnection,
    version: i64,
    stop_idxs: &[i64],
) -> Result<Vec<FrequencyCallRow>, AppError> {
    if stop_idxs.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT st.trip_idx, st.stop_idx, st.seq, st.departure, st.stop_headsign, t.service_idx, t.route_idx, t.first_departure,
                f.start_secs, f.end_secs, f.headway_secs, f.exact_times
         FROM stop_times_{version} st
         JOIN trips t ON t.version = f.version AND t.idx = st.trip_idx
         JOIN frequencies f ON f.trip_idx = st.trip_idx
         WHERE f.version = "
    ));
    q.push_bind(version).push(" AND t.frequency_based = 1 AND st.pickup_type != 1 AND st.seq != t.last_seq");
    q.push(" AND st.stop_idx IN ");
    push_list(&mut q, stop_idxs.iter().copied());
    q.push(" ORDER BY st.trip_idx, f.start_secs");
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TripRow {
    pub idx: i64,
    pub trip_id: String,
    pub route_idx: i64,
    pub headsign: Option<String>,
}

pub async fn trips_by_idx(db: &mut SqliteConnection, version: i64, idxs: &[i64]) -> Result<Vec<TripRow>, AppError> {
    if idxs.is_empty() {
        return Ok(vec![]);
    }
    let mut q = QueryBuilder::<Sqlite>::new("SELECT idx, trip_id, route_idx, headsign FROM trips WHERE version = ");
    q.push_bind(version).push(" AND idx IN ");
    push_list(&mut q, idxs.iter().copied());
    Ok(q.build_query_as().fetch_all(&mut *db).await?)
}

/// A trip's scheduled departure (GTFS seconds) at the stop it calls at with `seq`, found
/// through the stop (whose departures index is there) rather than a scan of the trip.
pub async fn scheduled_departure(
    db: &mut SqliteConnection,
    version: i64,
    trip_id: &str,
    stop_id: &str,
    seq: u32,
) -> Result<Option<i64>, AppError> {
    let sql = format!(
        "SELECT st.departure FROM stops s
         JOIN stop_times_{version} st ON st.stop_idx = s.idx AND st.seq = ?
         JOIN trips t ON t.version = s.version AND t.idx = st.trip_idx
         WHERE s.version = ? AND s.stop_id = ? AND t.trip_id = ? AND st.departure IS NOT NULL"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(i64::from(seq))
        .bind(version)
        .bind(stop_id)
        .bind(trip_id)
        .fetch_optional(&mut *db)
        .await?)
}
