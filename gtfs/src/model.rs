//! Typed rows handed to a [`Sink`](crate::Sink). String ids are interned: every entity gets a
//! dense `index` (0, 1, 2… in file order) and references use those indexes, so the sink can
//! store integer keys and keep the text id only on the entity's own row.

use std::fmt;

use jiff::civil::Date;

/// `RRGGBB` colour; displays as six upper-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color(pub u32);

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06X}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub index: u32,
    /// Empty in single-agency feeds that omit it (Cairns).
    pub agency_id: Option<String>,
    pub name: String,
    pub url: String,
    /// IANA zone, validated against the bundled tz database.
    pub timezone: String,
    pub lang: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum LocationType {
    Stop = 0,
    Station = 1,
    Entrance = 2,
    GenericNode = 3,
    BoardingArea = 4,
}

/// wheelchair_boarding / wheelchair_accessible / bikes_allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Accessibility {
    NoInfo = 0,
    Yes = 1,
    No = 2,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub index: u32,
    pub stop_id: String,
    pub code: Option<String>,
    /// Required for stops, stations and entrances; optional for generic nodes and boarding areas.
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub location_type: LocationType,
    /// Index of the parent stop. A child may precede its parent in stops.txt.
    pub parent_station: Option<u32>,
    pub platform_code: Option<String>,
    pub timezone: Option<String>,
    pub wheelchair_boarding: Option<Accessibility>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub index: u32,
    pub route_id: String,
    pub agency: u32,
    pub short_name: Option<String>,
    pub long_name: Option<String>,
    /// Basic (0–12) or extended (100–1799) route type.
    pub route_type: u16,
    pub color: Option<Color>,
    pub text_color: Option<Color>,
    pub sort_order: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    pub index: u32,
    pub trip_id: String,
    pub route: u32,
    pub service: u32,
    pub headsign: Option<String>,
    pub short_name: Option<String>,
    pub direction_id: Option<u8>,
    pub block_id: Option<String>,
    pub shape_id: Option<String>,
    pub wheelchair_accessible: Option<Accessibility>,
    pub bikes_allowed: Option<Accessibility>,
}

/// pickup_type / drop_off_type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum PickupDropOff {
    #[default]
    Regular = 0,
    NotAvailable = 1,
    PhoneAgency = 2,
    CoordinateWithDriver = 3,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StopTime {
    pub trip: u32,
    pub stop: u32,
    pub stop_sequence: u32,
    /// Seconds after the service day's reference instant (noon minus 12 h). When only one of
    /// arrival/departure is given, the other is copied from it.
    pub arrival: Option<u32>,
    pub departure: Option<u32>,
    /// True when the times were filled in by interpolation rather than read from the feed.
    pub interpolated: bool,
    pub stop_headsign: Option<String>,
    pub pickup_type: PickupDropOff,
    pub drop_off_type: PickupDropOff,
    pub shape_dist_traveled: Option<f64>,
    /// `Some(false)` means the feed marks the times as approximate.
    pub timepoint: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub service: u32,
    pub service_id: String,
    /// Monday first.
    pub weekdays: [bool; 7],
    pub start_date: Date,
    pub end_date: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Exception {
    Added = 1,
    Removed = 2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDate {
    pub service: u32,
    /// Repeated here because a service may be defined only by calendar_dates.txt.
    pub service_id: String,
    pub date: Date,
    pub exception: Exception,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frequency {
    pub trip: u32,
    pub start: u32,
    /// Inclusive: a departure at exactly `end` is generated.
    pub end: u32,
    pub headway_secs: u32,
    /// exact_times=1: the schedule is exactly start + k·headway. 0: only the headway is promised.
    pub exact_times: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedInfo {
    pub publisher_name: String,
    pub publisher_url: String,
    pub lang: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub version: Option<String>,
}

/// Per-trip facts known only after the whole of stop_times.txt was read. The app needs
/// `last_sequence` (no departure at the last stop) and `first_departure` (frequency offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TripSummary {
    pub trip: u32,
    pub stop_count: u32,
    pub first_sequence: u32,
    pub last_sequence: u32,
    pub first_departure: Option<u32>,
    pub last_arrival: Option<u32>,
    /// Some stop_times still have no time (rows for the trip were split across the file);
    /// run [`interpolate_trip`](crate::interpolate_trip) over all of its rows.
    pub needs_interpolation: bool,
}
