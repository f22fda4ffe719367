//! Transit data shared by the server and the browser: what the API returns and the pages show.
//! Times travel ready to show (the agency's local clock time) and as Unix seconds (so the
//! browser can count down without any time-zone data of its own).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stop's public id: `<feed>:<the feed's stop_id>`, so two feeds' `stop_id = 1` never collide.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StopId(pub String);

/// A route's public id: `<feed>:<the feed's route_id>`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RouteId(pub String);

macro_rules! feed_scoped_id {
    ($name:ident) => {
        impl $name {
            pub fn new(feed: &str, gtfs_id: &str) -> Self {
                Self(format!("{feed}:{gtfs_id}"))
            }

            /// The feed's name and the feed's own id, if this is well formed.
            pub fn parts(&self) -> Option<(&str, &str)> {
                self.0.split_once(':').filter(|(feed, id)| !feed.is_empty() && !id.is_empty())
            }

            /// The path segment for this id in a page URL or API path.
            pub fn url_segment(&self) -> String {
                crate::ui::format::url_segment(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
feed_scoped_id!(StopId);
feed_scoped_id!(RouteId);

/// An imported feed, as `GET /api/feeds` lists it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedSummary {
    pub name: String,
    pub version: i64,
    /// Unix seconds.
    pub imported_at: i64,
    pub agencies: Vec<String>,
    pub timezone: String,
    /// First and last service dates, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub stops: i64,
    pub routes: i64,
    pub trips: i64,
    pub stop_times: i64,
}

/// What a route is, for people (from GTFS `route_type`, basic and extended values).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    Tram,
    Metro,
    Rail,
    Bus,
    Ferry,
    CableCar,
    Gondola,
    Funicular,
    Trolleybus,
    Monorail,
    Other,
}

impl RouteKind {
    pub fn from_route_type(route_type: u16) -> Self {
        match route_type {
            12 | 405 => Self::Monorail,
            0 | 900..=999 => Self::Tram,
            1 | 401..=402 | 500..=599 => Self::Metro,
            2 | 100..=199 | 400 | 403..=499 => Self::Rail,
            3 | 200..=299 | 700..=799 => Self::Bus,
            4 | 1000..=1099 | 1200..=1299 => Self::Ferry,
            5 => Self::CableCar,
            6 | 1300..=1399 => Self::Gondola,
            7 | 1400..=1499 => Self::Funicular,
            11 | 800..=899 => Self::Trolleybus,
            _ => Self::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Tram => "Tram",
            Self::Metro => "Metro",
            Self::Rail => "Train",
            Self::Bus => "Bus",
            Self::Ferry => "Ferry",
            Self::CableCar => "Cable car",
            Self::Gondola => "Gondola",
            Self::Funicular => "Funicular",
            Self::Trolleybus => "Trolleybus",
            Self::Monorail => "Monorail",
            Self::Other => "Service",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteSummary {
    pub id: RouteId,
    pub short_name: Option<String>,
    pub long_name: Option<String>,
    pub route_type: u16,
    pub kind: RouteKind,
    /// `#RRGGBB`, from the feed or a neutral default.
    pub color: String,
    pub text_color: String,
    pub agency: Option<String>,
}

impl RouteSummary {
    /// The shortest good name: "N", "Local", or the id.
    pub fn label(&self) -> &str {
        self.short_name.as_deref().or(self.long_name.as_deref()).unwrap_or(&self.id.0)
    }

    /// The CSS class that paints this route's badge (rules in `/transit/colors.css`).
    pub fn badge_class(&self) -> String {
        badge_class(&self.color, &self.text_color)
    }
}

/// `rc-CE202F-FFFFFF` for `#CE202F` on `#FFFFFF`.
pub fn badge_class(color: &str, text_color: &str) -> String {
    format!("rc-{}-{}", color.trim_start_matches('#'), text_color.trim_start_matches('#'))
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopSummary {
    pub id: StopId,
    pub name: String,
    pub code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// A station groups platforms; its departures are theirs.
    pub is_station: bool,
    /// The station this platform belongs to.
    pub parent: Option<StopId>,
    pub platform: Option<String>,
    /// Metres from the point asked about, for nearby searches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
}

/// A stop with what serves it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopDetail {
    #[serde(flatten)]
    pub stop: StopSummary,
    pub feed: String,
    /// The agency's zone: every time at this stop is shown in it.
    pub timezone: String,
    pub routes: Vec<RouteSummary>,
    /// A station's platforms.
    pub platforms: Vec<StopSummary>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Departure {
    /// RFC 3339 with the agency's offset.
    pub scheduled_at: String,
    /// Unix seconds of `scheduled_at`.
    pub unix: i64,
    /// "23:34", the agency's local clock time.
    pub local_time: String,
    /// The service day this trip runs on, `YYYY-MM-DD` (a 25:10 trip belongs to the day before).
    pub service_date: String,
    pub route: RouteSummary,
    pub headsign: Option<String>,
    pub trip_id: String,
    /// The platform (or stop) it leaves from.
    pub stop_id: StopId,
    pub platform: Option<String>,
    /// False for frequency-based service where only the headway is promised.
    pub exact: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headway_secs: Option<u32>,
    /// What the real-time feed says of it: `scheduled` when it says nothing fresh.
    #[serde(default)]
    pub status: DepartureStatus,
    /// When it is predicted to leave (RFC 3339, the agency's offset), from a fresh real-time
    /// prediction. Absent: there is none, or it is cancelled or skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_at: Option<String>,
    /// Seconds late (negative: early) of `predicted_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<i64>,
    /// When the agency made the prediction (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction_made_at: Option<String>,
    /// Service alerts about this departure's route or trip. Absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<ServiceAlert>,
    /// The trip's `stop_sequence` here, which real-time updates are keyed by (server only).
    #[serde(skip)]
    pub stop_sequence: u32,
}

impl Departure {
    /// When it leaves, Unix seconds: the prediction if there is one, else the schedule.
    pub fn leaves_unix(&self) -> i64 {
        self.unix + self.delay_s.unwrap_or(0)
    }

    /// False when the trip is cancelled or does not stop here.
    pub fn runs(&self) -> bool {
        !matches!(self.status, DepartureStatus::Cancelled | DepartureStatus::Skipped)
    }
}

/// A departure as the real-time feed has it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartureStatus {
    /// No fresh prediction: the timetable is all there is.
    #[default]
    Scheduled,
    /// Within a minute of the timetable.
    OnTime,
    Late,
    Early,
    /// The trip does not run.
    Cancelled,
    /// The trip runs but does not stop here.
    Skipped,
    /// A trip the timetable does not have, added by the real-time feed: its time is the feed's.
    Added,
}

/// A service alert, in the language asked for when the feed has it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAlert {
    pub header: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl DepartureStatus {
    /// Its name in the API (`on_time`), for pages and their tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::OnTime => "on_time",
            Self::Late => "late",
            Self::Early => "early",
            Self::Cancelled => "cancelled",
            Self::Skipped => "skipped",
            Self::Added => "added",
        }
    }
}

/// Whether a feed's times include live predictions.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Live {
    pub state: LiveState,
    /// When the newest real-time data was made (RFC 3339), if any ever came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveState {
    /// The feed has no real-time source: schedule only.
    #[default]
    Off,
    /// Predictions are fresh.
    Live,
    /// The real-time source is down or its data is too old: schedule only.
    Stale,
}

impl Live {
    pub fn is_live(&self) -> bool {
        self.state == LiveState::Live
    }
}

/// A stop's departure board for one moment.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub stop: StopDetail,
    /// The moment asked about, RFC 3339 in the agency's zone, and as Unix seconds.
    pub at: String,
    pub at_unix: i64,
    /// The same moment as a local date and time (`2026-10-15T08:00`), for a date/time picker.
    pub at_local: String,
    pub departures: Vec<Departure>,
    /// Whether the departures include live predictions.
    #[serde(default)]
    pub live: Live,
    /// Service alerts about the stop, its routes or the trips shown. Absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<ServiceAlert>,
    /// Moments (RFC 3339) for the boards just before and just after this one.
    pub earlier: String,
    pub later: String,
}

/// A route and its stops in order, per direction.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteDetail {
    pub route: RouteSummary,
    pub directions: Vec<RouteDirection>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteDirection {
    pub direction_id: Option<u8>,
    pub headsign: Option<String>,
    pub stops: Vec<StopSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_scoped_by_feed_and_split_at_the_first_colon() {
        let id = StopId::new("nyc", "R14N:x");
        assert_eq!(id.0, "nyc:R14N:x");
        assert_eq!(id.parts(), Some(("nyc", "R14N:x")));
        assert_eq!(StopId(":x".into()).parts(), None);
        assert_eq!(StopId("nyc:".into()).parts(), None);
    }

    #[test]
    fn route_types_map_to_kinds() {
        assert_eq!(RouteKind::from_route_type(3), RouteKind::Bus);
        assert_eq!(RouteKind::from_route_type(1), RouteKind::Metro);
        assert_eq!(RouteKind::from_route_type(2), RouteKind::Rail);
        assert_eq!(RouteKind::from_route_type(715), RouteKind::Bus);
        assert_eq!(RouteKind::from_route_type(9999), RouteKind::Other);
    }
}
