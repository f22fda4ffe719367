//! Live data: the newest GTFS Realtime messages of each feed, as the server's poller last
//! fetched them, laid over the departures the timetable gives. The timetable's boards are
//! cached per minute; this overlay is applied on every request, so a new message shows at once.

use super::convert::{platform_label, route_summary};
use super::store::{self, ActiveFeed, StopRow};
use crate::error::AppError;
use crate::transit::model::{Departure, DepartureStatus, Live, LiveState, RouteSummary, ServiceAlert, StopId};
use gtfs::realtime::{AddedCall, AlertText, Applies, Prediction, Realtime, ScheduledStop, Status};
use jiff::tz::TimeZone;
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// A late trip is looked for this far before the moment asked about: a bus due 20 minutes ago
/// that runs 25 minutes late still leaves in 5.
pub const LATE_LOOKBACK_SECS: i64 = 30 * 60;
/// Looking back for late trips, this many more departures are read than asked for.
pub const LATE_EXTRA: usize = 20;
/// Added trips are shown this far ahead (the boards' first horizon).
const ADDED_HORIZON_SECS: i64 = 3 * 3600;

/// The newest real-time data of every feed that has a source.
pub struct LiveFeeds {
    /// Feeds with a real-time source; any other is "schedule only" by design.
    configured: HashSet<String>,
    /// Older data is not shown as live.
    max_age_secs: i64,
    feeds: RwLock<HashMap<String, Arc<LiveFeed>>>,
}

/// One feed's real-time data: all its sources' newest good messages, merged.
pub struct LiveFeed {
    pub realtime: Realtime,
    /// When the newest message was made (its header's time, else when it was fetched).
    pub made_at: i64,
}

impl LiveFeeds {
    pub fn new(configured: impl IntoIterator<Item = String>, max_age: Duration) -> Self {
        Self {
            configured: configured.into_iter().collect(),
            max_age_secs: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
            feeds: RwLock::default(),
        }
    }

    /// Replaces the feed's data with `realtime`, fetched at `fetched_at` (Unix seconds).
    pub fn publish(&self, feed: &str, realtime: Realtime, fetched_at: i64) {
        let made_at = realtime.produced_at.unwrap_or(fetched_at);
        let live = Arc::new(LiveFeed { realtime, made_at });
        self.feeds.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(feed.to_string(), live);
    }

    /// What a page may say of the feed at `now`, and its data when that is fresh.
    pub fn state(&self, feed: &str, now: i64, zone: &TimeZone) -> (Live, Option<Arc<LiveFeed>>) {
        if !self.configured.contains(feed) {
            return (Live::default(), None);
        }
        let data = self.feeds.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(feed).cloned();
        let updated_at = data.as_ref().and_then(|d| rfc3339(d.made_at, zone));
        match data {
            Some(data) if now - data.made_at <= self.max_age_secs => {
                (Live { state: LiveState::Live, updated_at }, Some(data))
            }
            _ => (Live { state: LiveState::Stale, updated_at }, None),
        }
    }

    pub fn max_age_secs(&self) -> i64 {
        self.max_age_secs
    }
}

/// What is needed to lay one feed's data over its departures.
pub struct Overlay<'a> {
    pub feed: &'a LiveFeed,
    pub now: i64,
    pub max_age_secs: i64,
    pub zone: &'a TimeZone,
    /// A BCP 47 tag (`en`, `fr-CA`) for the alerts' text.
    pub language: &'a str,
}

/// A trip's scheduled departure at one of its stops, by (trip id, stop sequence): what a delay
/// given as an absolute time is measured against when it propagates to later stops.
type Anchors = HashMap<(String, u32), i64>;

impl Overlay<'_> {
    /// Sets each departure's prediction and alerts. A delay given only as an absolute time at an
    /// earlier stop is measured against that stop's schedule, read here for just those stops.
    async fn apply(
        &self,
        db: &mut SqliteConnection,
        version: i64,
        departures: &mut [Departure],
    ) -> Result<(), AppError> {
        let anchors = self.anchors(db, version, departures).await?;
        let general: Vec<AlertText> = self.feed.realtime.alerts(&Applies::default(), self.now, self.language);
        for departure in departures.iter_mut() {
            if let Some(prediction) = self.predict(departure, &anchors) {
                self.set(departure, prediction);
            }
            let route = departure.route.id.parts().map(|(_, route)| route);
            let applies = Applies {
                route_ids: &route.into_iter().collect::<Vec<_>>(),
                trip_ids: &[departure.trip_id.as_str()],
                ..Applies::default()
            };
            // Alerts for the whole agency belong to the page, not to each departure.
            let own = self.feed.realtime.alerts(&applies, self.now, self.language);
            departure.alerts = own.into_iter().filter(|a| !general.contains(a)).map(service_alert).collect();
        }
        Ok(())
    }

    /// Lays the live data over one board's `departures`: adds the `late` ones found by looking
    /// back that were due before `at`, sets predictions and alerts, adds the trips the feed added
    /// at `here` (a stop, with its platforms; only of `routes` unless that is empty), and keeps
    /// the first `limit` in the order they will leave.
    #[allow(clippy::too_many_arguments)]
    pub async fn lay_over(
        &self,
        db: &mut SqliteConnection,
        feed: &ActiveFeed,
        departures: &mut Vec<Departure>,
        late: &[Departure],
        here: &[&StopRow],
        routes: &[String],
        (at, limit): (i64, usize),
    ) -> Result<(), AppError> {
        departures.extend(late.iter().filter(|d| d.unix < at).cloned());
        self.apply(&mut *db, feed.version, departures).await?;
        let added = self.added(db, feed, here, at).await?;
        departures.extend(
            added.into_iter().filter(|d| {
                routes.is_empty() || d.route.id.parts().is_some_and(|(_, r)| routes.iter().any(|w| w == r))
            }),
        );
        by_leaving_time(departures, at, limit);
        Ok(())
    }

    /// The trips the timetable lacks that the feed added, leaving `stops` in the three hours from
    /// `at`, as departures.
    async fn added(
        &self,
        db: &mut SqliteConnection,
        feed: &ActiveFeed,
        stops: &[&StopRow],
        at: i64,
    ) -> Result<Vec<Departure>, AppError> {
        let ids: Vec<&str> = stops.iter().map(|s| s.stop_id.as_str()).collect();
        let calls: Vec<AddedCall> = self
            .feed
            .realtime
            .added_calls(&ids, at, at + ADDED_HORIZON_SECS)
            .into_iter()
            .filter(|c| c.made_at.is_some_and(|made| self.now - made <= self.max_age_secs))
            .collect();
        if calls.is_empty() {
            return Ok(vec![]);
        }
        let route_ids: Vec<&str> = calls.iter().filter_map(|c| c.route_id.as_deref()).collect();
        let routes: HashMap<String, RouteSummary> = store::routes_by_ids(db, feed.version, &route_ids)
            .await?
            .iter()
            .map(|row| (row.route_id.clone(), route_summary(&feed.name, row)))
            .collect();
        let station =
            |stop: &StopRow| stops.iter().find(|s| Some(s.idx) == stop.parent_idx).and_then(|s| s.name.clone());
        let rfc3339 = |unix: i64| rfc3339(unix, self.zone);
        Ok(calls
            .into_iter()
            .filter_map(|call| {
                // A trip of a route the feed does not know cannot be shown as one of its routes.
                let route = routes.get(call.route_id.as_deref()?)?.clone();
                let stop = stops.iter().find(|s| s.stop_id == call.stop_id)?;
                let local = jiff::Timestamp::from_second(call.time).ok()?.to_zoned(self.zone.clone());
                let service_date = call
                    .start_date
                    .as_deref()
                    .and_then(|d| jiff::civil::Date::strptime("%Y%m%d", d).ok())
                    .unwrap_or(local.date());
                let at = rfc3339(call.time)?;
                Some(Departure {
                    scheduled_at: at.clone(),
                    unix: call.time,
                    local_time: local.strftime("%H:%M").to_string(),
                    service_date: service_date.to_string(),
                    headsign: call.headsign,
                    trip_id: call.trip_id,
                    stop_id: StopId::new(&feed.name, &stop.stop_id),
                    platform: platform_label(stop, station(stop).as_deref()),
                    exact: true,
                    headway_secs: None,
                    status: DepartureStatus::Added,
                    predicted_at: Some(at),
                    delay_s: None,
                    prediction_made_at: call.made_at.and_then(rfc3339),
                    alerts: vec![],
                    stop_sequence: 0,
                    route,
                })
            })
            .collect())
    }

    /// The alerts about a stop (with its station or platforms), its routes and the trips shown.
    pub fn board_alerts(&self, stop_ids: &[&str], route_ids: &[&str], departures: &[Departure]) -> Vec<ServiceAlert> {
        let trip_ids: Vec<&str> = departures.iter().map(|d| d.trip_id.as_str()).collect();
        let applies = Applies { stop_ids, route_ids, trip_ids: &trip_ids };
        self.feed.realtime.alerts(&applies, self.now, self.language).into_iter().map(service_alert).collect()
    }

    fn predict(&self, departure: &Departure, anchors: &Anchors) -> Option<Prediction> {
        if !self.feed.realtime.has_trip(&departure.trip_id) {
            return None;
        }
        let prediction = as_scheduled(departure, |date, stop| {
            let scheduled_at = |seq: u32, _: Option<&str>| {
                let secs = *anchors.get(&(departure.trip_id.clone(), seq))?;
                Some(gtfs::time::instant(date, u32::try_from(secs).ok()?, self.zone).as_second())
            };
            self.feed.realtime.predict(stop, scheduled_at)
        })??;
        prediction.is_fresh(self.now, self.max_age_secs).then_some(prediction)
    }

    fn set(&self, departure: &mut Departure, prediction: Prediction) {
        let rfc3339 = |unix: i64| rfc3339(unix, self.zone);
        departure.status = match prediction.status {
            Status::OnTime => DepartureStatus::OnTime,
            Status::Late => DepartureStatus::Late,
            Status::Early => DepartureStatus::Early,
            Status::Cancelled => DepartureStatus::Cancelled,
            Status::Skipped => DepartureStatus::Skipped,
        };
        departure.predicted_at = prediction.predicted.and_then(rfc3339);
        departure.delay_s = prediction.delay;
        departure.prediction_made_at = prediction.made_at.and_then(rfc3339);
    }

    /// The schedule at the earlier stops whose update gives only an absolute time. Asking
    /// `predict` once with no schedule at all tells which stops those are.
    async fn anchors(
        &self,
        db: &mut SqliteConnection,
        version: i64,
        departures: &[Departure],
    ) -> Result<Anchors, AppError> {
        let asked = std::cell::RefCell::new(vec![]);
        for departure in departures.iter().filter(|d| self.feed.realtime.has_trip(&d.trip_id)) {
            as_scheduled(departure, |_, stop| {
                self.feed.realtime.predict(stop, |seq, stop_id| {
                    if let Some(stop_id) = stop_id {
                        asked.borrow_mut().push((departure.trip_id.clone(), seq, stop_id.to_string()));
                    }
                    None
                })
            });
        }
        let mut anchors = Anchors::new();
        for (trip_id, seq, stop_id) in asked.into_inner() {
            if let Some(secs) = store::scheduled_departure(db, version, &trip_id, &stop_id, seq).await? {
                anchors.insert((trip_id, seq), secs);
            }
        }
        Ok(anchors)
    }
}

/// Unix seconds as RFC 3339 in `zone`.
fn rfc3339(unix: i64, zone: &TimeZone) -> Option<String> {
    jiff::Timestamp::from_second(unix).ok().map(|at| gtfs::time::rfc3339(at, zone))
}

/// A departure as the real-time feed's trip updates are keyed (its service day as `YYYYMMDD`),
/// handed to `f` with the service day; `None` when its day or stop id cannot be read.
fn as_scheduled<R>(departure: &Departure, f: impl FnOnce(jiff::civil::Date, &ScheduledStop<'_>) -> R) -> Option<R> {
    let date = departure.service_date.parse::<jiff::civil::Date>().ok()?;
    let start_date = date.strftime("%Y%m%d").to_string();
    let stop = ScheduledStop {
        trip_id: &departure.trip_id,
        start_date: &start_date,
        stop_id: departure.stop_id.parts()?.1,
        stop_sequence: departure.stop_sequence,
        scheduled: departure.unix,
    };
    Some(f(date, &stop))
}

/// An alert as pages show it. Its link is kept only when it is an http(s) URL: a feed's
/// `javascript:` link must never become a link on our pages.
fn service_alert(alert: AlertText) -> ServiceAlert {
    let url = alert.url.filter(|url| url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "https" | "http")));
    ServiceAlert { header: alert.header, description: alert.description, url }
}

/// Puts departures in the order they will leave, and drops those gone before `at` (a late one
/// found by looking back stays while its prediction is ahead).
fn by_leaving_time(departures: &mut Vec<Departure>, at: i64, limit: usize) {
    departures.retain(|d| d.leaves_unix() >= at);
    departures.sort_by_key(Departure::leaves_unix);
    departures.truncate(limit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_keeps_only_a_web_link() {
        let alert = |url: &str| AlertText { header: "h".into(), description: None, url: Some(url.into()) };
        assert_eq!(
            service_alert(alert("https://caltrain.com/alerts")).url.as_deref(),
            Some("https://caltrain.com/alerts")
        );
        assert_eq!(service_alert(alert("javascript:alert(1)")).url, None);
        assert_eq!(service_alert(alert(" JavaScript:alert(1)")).url, None);
        assert_eq!(service_alert(alert("not a url")).url, None);
    }
}
