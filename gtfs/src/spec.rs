//! The GTFS Schedule file and column names the loader knows. Columns listed here but not read
//! are accepted silently; anything else is reported as unknown.

pub(crate) const AGENCY: &[&str] = &[
    "agency_id",
    "agency_name",
    "agency_url",
    "agency_timezone",
    "agency_lang",
    "agency_phone",
    "agency_fare_url",
    "agency_email",
    "cemv_support",
];

pub(crate) const STOPS: &[&str] = &[
    "stop_id",
    "stop_code",
    "stop_name",
    "tts_stop_name",
    "stop_desc",
    "stop_lat",
    "stop_lon",
    "zone_id",
    "stop_url",
    "location_type",
    "parent_station",
    "stop_timezone",
    "wheelchair_boarding",
    "level_id",
    "platform_code",
    "stop_access",
];

pub(crate) const ROUTES: &[&str] = &[
    "route_id",
    "agency_id",
    "route_short_name",
    "route_long_name",
    "route_desc",
    "route_type",
    "route_url",
    "route_color",
    "route_text_color",
    "route_sort_order",
    "continuous_pickup",
    "continuous_drop_off",
    "network_id",
    "cemv_support",
];

pub(crate) const TRIPS: &[&str] = &[
    "route_id",
    "service_id",
    "trip_id",
    "trip_headsign",
    "trip_short_name",
    "direction_id",
    "block_id",
    "shape_id",
    "wheelchair_accessible",
    "bikes_allowed",
    "cars_allowed",
];

pub(crate) const STOP_TIMES: &[&str] = &[
    "trip_id",
    "arrival_time",
    "departure_time",
    "stop_id",
    "location_group_id",
    "location_id",
    "stop_sequence",
    "stop_headsign",
    "start_pickup_drop_off_window",
    "end_pickup_drop_off_window",
    "pickup_type",
    "drop_off_type",
    "continuous_pickup",
    "continuous_drop_off",
    "shape_dist_traveled",
    "timepoint",
    "pickup_booking_rule_id",
    "drop_off_booking_rule_id",
];

pub(crate) const CALENDAR: &[&str] = &[
    "service_id",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "start_date",
    "end_date",
];

pub(crate) const CALENDAR_DATES: &[&str] = &["service_id", "date", "exception_type"];

pub(crate) const FREQUENCIES: &[&str] = &["trip_id", "start_time", "end_time", "headway_secs", "exact_times"];

pub(crate) const FEED_INFO: &[&str] = &[
    "feed_publisher_name",
    "feed_publisher_url",
    "feed_lang",
    "default_lang",
    "feed_start_date",
    "feed_end_date",
    "feed_version",
    "feed_contact_email",
    "feed_contact_url",
];

/// Standard files BMW does not import: listed in the report, not warned about.
pub(crate) const NOT_IMPORTED: &[&str] = &[
    "shapes.txt",
    "transfers.txt",
    "pathways.txt",
    "levels.txt",
    "fare_attributes.txt",
    "fare_rules.txt",
    "timeframes.txt",
    "rider_categories.txt",
    "fare_media.txt",
    "fare_products.txt",
    "fare_leg_rules.txt",
    "fare_leg_join_rules.txt",
    "fare_transfer_rules.txt",
    "areas.txt",
    "stop_areas.txt",
    "networks.txt",
    "route_networks.txt",
    "location_groups.txt",
    "location_group_stops.txt",
    "locations.geojson",
    "booking_rules.txt",
    "translations.txt",
    "attributions.txt",
];
