//! Writes one feed version into the catalog, inside the import's transaction: multi-row
//! INSERTs (the fastest way through sqlx; see docs/benchmarks.md), stop_times into the
//! version's own table, then the departure index, the derived tables and the search index.

use super::derived::Derived;
use super::sink::{Batch, STOP_TIME_COLUMNS};
use gtfs::TripSummary;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// SQLite allows 32,766 bound parameters per statement.
const MAX_PARAMS: usize = 32_000;

pub struct Writer {
    version: i64,
    /// `INSERT INTO stop_times_<v> … VALUES (…) × n`, by n (in practice two sizes).
    stop_time_sql: HashMap<usize, String>,
}

impl Writer {
    pub fn new(version: i64) -> Self {
        Self { version, stop_time_sql: HashMap::new() }
    }

    pub fn create_stop_times(version: i64) -> String {
        format!(
            "CREATE TABLE stop_times_{version} (
                trip_idx INTEGER NOT NULL, seq INTEGER NOT NULL, stop_idx INTEGER NOT NULL,
                arrival INTEGER, departure INTEGER, pickup_type INTEGER NOT NULL,
                drop_off_type INTEGER NOT NULL, stop_headsign TEXT
            ) STRICT"
        )
    }

    pub async fn write(&mut self, c: &mut SqliteConnection, batch: Batch) -> Result<(), sqlx::Error> {
        let v = self.version;
        match batch {
            Batch::Agencies(rows) => {
                insert(c, "agencies (version, idx, agency_id, name, url, timezone)", &rows, 6, |b, a| {
                    b.push_bind(v).push_bind(i64::from(a.index)).push_bind(a.agency_id.clone());
                    b.push_bind(a.name.clone()).push_bind(a.url.clone()).push_bind(a.timezone.clone());
                })
                .await
            }
            Batch::Stops(rows) => {
                let head =
                    "stops (version, idx, stop_id, code, name, lat, lon, location_type, parent_idx, platform_code)";
                insert(c, head, &rows, 10, |b, s| {
                    b.push_bind(v).push_bind(i64::from(s.index)).push_bind(s.stop_id.clone());
                    b.push_bind(s.code.clone()).push_bind(s.name.clone()).push_bind(s.lat).push_bind(s.lon);
                    b.push_bind(s.location_type as i64).push_bind(s.parent_station.map(i64::from));
                    b.push_bind(s.platform_code.clone());
                })
                .await
            }
            Batch::Routes(rows) => {
                let head = "routes (version, idx, route_id, agency_idx, short_name, long_name, route_type, color, \
                            text_color, sort_order)";
                insert(c, head, &rows, 10, |b, r| {
                    b.push_bind(v).push_bind(i64::from(r.index)).push_bind(r.route_id.clone());
                    b.push_bind(i64::from(r.agency)).push_bind(r.short_name.clone()).push_bind(r.long_name.clone());
                    b.push_bind(i64::from(r.route_type)).push_bind(r.color.map(|c| c.to_string()));
                    b.push_bind(r.text_color.map(|c| c.to_string())).push_bind(r.sort_order.map(i64::from));
                })
                .await
            }
            Batch::Calendars(rows) => {
                let head = "calendars (version, service_idx, service_id, weekdays, start_date, end_date)";
                insert(c, head, &rows, 6, |b, cal| {
                    let weekdays = cal.weekdays.iter().enumerate().fold(0i64, |m, (i, on)| m | (i64::from(*on) << i));
                    b.push_bind(v).push_bind(i64::from(cal.service)).push_bind(cal.service_id.clone());
                    b.push_bind(weekdays).push_bind(cal.start_date.to_string()).push_bind(cal.end_date.to_string());
                })
                .await
            }
            Batch::CalendarDates(rows) => {
                let head = "calendar_dates (version, service_idx, service_id, date, exception)";
                insert(c, head, &rows, 5, |b, d| {
                    b.push_bind(v).push_bind(i64::from(d.service)).push_bind(d.service_id.clone());
                    b.push_bind(d.date.to_string()).push_bind(d.exception as i64);
                })
                .await
            }
            Batch::Trips(rows) => {
                let head = "trips (version, idx, trip_id, route_idx, service_idx, headsign, short_name, direction_id, \
                            frequency_based)";
                insert(c, head, &rows, 9, |b, t| {
                    b.push_bind(v).push_bind(i64::from(t.index)).push_bind(t.trip_id.clone());
                    b.push_bind(i64::from(t.route)).push_bind(i64::from(t.service)).push_bind(t.headsign.clone());
                    b.push_bind(t.short_name.clone()).push_bind(t.direction_id.map(i64::from)).push_bind(0i64);
                })
                .await
            }
            Batch::StopTimes { args, rows } => {
                let sql = self.stop_time_sql.entry(rows).or_insert_with(|| {
                    let row = format!("({})", ["?"; STOP_TIME_COLUMNS].join(", "));
                    format!(
                        "INSERT INTO stop_times_{v} (trip_idx, seq, stop_idx, arrival, departure, pickup_type, \
                         drop_off_type, stop_headsign) VALUES {}",
                        vec![row; rows].join(", ")
                    )
                });
                sqlx::query_with(sql.as_str(), args).execute(&mut *c).await.map(drop)
            }
            Batch::TripSummaries(rows) => self.summaries(c, &rows).await,
            Batch::Frequencies(rows) => {
                let head = "frequencies (version, trip_idx, start_secs, end_secs, headway_secs, exact_times)";
                insert(c, head, &rows, 6, |b, f| {
                    b.push_bind(v).push_bind(i64::from(f.trip)).push_bind(i64::from(f.start));
                    b.push_bind(i64::from(f.end)).push_bind(i64::from(f.headway_secs)).push_bind(f.exact_times);
                })
                .await
            }
            Batch::Progress(_) => Ok(()),
        }
    }

    /// Everything that needs all rows in: the departure index, derived tables, search.
    pub async fn finish(&self, c: &mut SqliteConnection, derived: &Derived) -> Result<(), sqlx::Error> {
        let v = self.version;
        let frequency_trips: Vec<u32> = derived.frequency_trips.iter().copied().collect();
        for chunk in frequency_trips.chunks(MAX_PARAMS) {
            let mut q = QueryBuilder::<Sqlite>::new("UPDATE trips SET frequency_based = 1 WHERE version = ");
            q.push_bind(v).push(" AND idx IN (");
            let mut list = q.separated(", ");
            chunk.iter().for_each(|t| {
                list.push_bind(i64::from(*t));
            });
            q.push(")").build().execute(&mut *c).await?;
        }
        // Covering: a departure board reads nothing else from stop_times but the headsign.
        sqlx::query(&format!(
            "CREATE INDEX stop_times_{v}_departures ON stop_times_{v} (stop_idx, departure, trip_idx, seq, pickup_type)"
        ))
        .execute(&mut *c)
        .await?;
        let pairs: Vec<(u32, u32)> = derived.stop_routes.iter().copied().collect();
        insert(c, "stop_routes (version, stop_idx, route_idx)", &pairs, 3, |b, (stop, route)| {
            b.push_bind(v).push_bind(i64::from(*stop)).push_bind(i64::from(*route));
        })
        .await?;
        let mut route_stops = vec![];
        for ((route, direction), longest) in &derived.route_stops {
            for (position, stop) in longest.stops.iter().enumerate() {
                let direction = direction.map_or(-1, i64::from);
                route_stops.push((*route, direction, position as i64, *stop, longest.headsign.clone()));
            }
        }
        let head = "route_stops (version, route_idx, direction_id, position, stop_idx, headsign)";
        insert(c, head, &route_stops, 6, |b, (route, direction, position, stop, headsign)| {
            b.push_bind(v).push_bind(i64::from(*route)).push_bind(*direction).push_bind(*position);
            b.push_bind(i64::from(*stop)).push_bind(headsign.clone());
        })
        .await?;
        sqlx::query(
            "INSERT INTO stop_search (name, code, stop_id, version, idx)
             SELECT coalesce(name, ''), coalesce(code, ''), stop_id, version, idx FROM stops
             WHERE version = ? AND location_type IN (0, 1)",
        )
        .bind(v)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO route_search (short_name, long_name, route_id, version, idx)
             SELECT coalesce(short_name, ''), coalesce(long_name, ''), route_id, version, idx FROM routes
             WHERE version = ?",
        )
        .bind(v)
        .execute(&mut *c)
        .await?;
        Ok(())
    }

    /// Each trip's last stop (no departure there) and first departure (frequency offsets).
    async fn summaries(&self, c: &mut SqliteConnection, rows: &[TripSummary]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(MAX_PARAMS / 3) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "UPDATE trips SET last_seq = s.column2, first_departure = s.column3 FROM (",
            );
            q.push_values(chunk, |mut b, s| {
                b.push_bind(i64::from(s.trip)).push_bind(i64::from(s.last_sequence));
                b.push_bind(s.first_departure.map(i64::from));
            });
            q.push(") AS s WHERE trips.version = ").push_bind(self.version).push(" AND trips.idx = s.column1");
            q.build().execute(&mut *c).await?;
        }
        Ok(())
    }
}

/// `INSERT INTO <head> VALUES (…), (…)` in chunks that stay under the parameter limit.
async fn insert<T>(
    c: &mut SqliteConnection,
    head: &str,
    rows: &[T],
    columns: usize,
    mut bind: impl FnMut(&mut Separated<'_, '_, Sqlite, &'static str>, &T),
) -> Result<(), sqlx::Error> {
    for part in rows.chunks((MAX_PARAMS / columns).max(1)) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {head} "));
        q.push_values(part, |mut b, row| bind(&mut b, row));
        q.build().execute(&mut *c).await?;
    }
    Ok(())
}
