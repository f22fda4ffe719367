//! Loading good and dirty-but-acceptable feeds.

mod common;

use common::*;
use gtfs::{FeedSource, LocationType, Options, PickupDropOff, Warning};

#[test]
fn basic_feed_counts_and_fields() {
    let feed = load_fixture("basic");
    let r = &feed.report;
    assert_eq!((r.agencies, r.stops, r.routes, r.services, r.trips), (1, 6, 2, 3, 6));
    assert_eq!((r.stop_times, r.calendar_dates, r.frequencies), (21, 4, 2));
    assert_eq!(r.timezone, "America/New_York");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(feed.sink.stop_times.len(), 21);
    let route = &feed.sink.routes[0];
    assert_eq!(
        (route.color.unwrap().to_string(), route.text_color.unwrap().to_string()),
        ("FF0000".into(), "FFFFFF".into())
    );
    let info = feed.sink.feed_info.as_ref().unwrap();
    assert_eq!((info.version.as_deref(), info.end_date), (Some("v1"), Some(jiff::civil::date(2026, 12, 31))));
    assert_eq!(r.calendar.date_range(), Some((jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 12, 31))));
}

#[test]
fn parent_station_may_come_after_its_child() {
    let feed = load_fixture("basic");
    let station = feed.sink.stops.iter().find(|s| s.stop_id == "A").unwrap();
    let platform = feed.sink.stops.iter().find(|s| s.stop_id == "A1").unwrap();
    assert_eq!(station.location_type, LocationType::Station);
    assert_eq!(platform.location_type, LocationType::Stop);
    assert_eq!(platform.parent_station, Some(station.index));
    assert_eq!(platform.platform_code.as_deref(), Some("1"));
    assert_eq!(platform.wheelchair_boarding, Some(gtfs::Accessibility::Yes));
    // Empty location_type means a stop.
    assert_eq!(feed.sink.stops.iter().find(|s| s.stop_id == "C").unwrap().location_type, LocationType::Stop);
    // Indexes are dense in file order, whatever the emission order.
    let mut indexes: Vec<u32> = feed.sink.stops.iter().map(|s| s.index).collect();
    indexes.sort();
    assert_eq!(indexes, vec![0, 1, 2, 3, 4, 5]);
}

#[test]
fn empty_times_are_interpolated_by_distance_or_position() {
    let feed = load_fixture("basic");
    let time = |trip: &str, stop: &str| {
        let trip = feed.sink.trips.iter().find(|t| t.trip_id == trip).unwrap().index;
        let stop = feed.stop_index(stop);
        let st = feed.sink.stop_times.iter().find(|s| s.trip == trip && s.stop == stop).unwrap();
        (st.departure.map(gtfs::parse::format_time), st.interpolated)
    };
    // WK_LATE has shape_dist_traveled: C at 1500 between B (1000, 25:10) and D (3000, 25:30).
    assert_eq!(time("WK_LATE", "C"), (Some("25:15:00".into()), true));
    // WK_EARLY has none: C and D evenly between 06:10 and 06:40.
    assert_eq!(time("WK_EARLY", "C"), (Some("06:20:00".into()), true));
    assert_eq!(time("WK_EARLY", "D"), (Some("06:30:00".into()), true));
    assert_eq!(time("WK_EARLY", "B"), (Some("06:10:00".into()), false));
    assert_eq!(feed.report.interpolated_stop_times, 3);
    assert!(feed.report.trips_needing_interpolation.is_empty());
}

#[test]
fn trip_summaries_give_last_stop_and_first_departure() {
    let feed = load_fixture("basic");
    let trip = feed.sink.trips.iter().find(|t| t.trip_id == "WK_LATE").unwrap().index;
    let s = feed.sink.trip_summaries.iter().find(|s| s.trip == trip).unwrap();
    assert_eq!((s.stop_count, s.first_sequence, s.last_sequence), (5, 1, 5));
    assert_eq!((s.first_departure, s.last_arrival), (Some(25 * 3600), Some(25 * 3600 + 2400)));
    assert_eq!(feed.sink.trip_summaries.len(), 6);
}

#[test]
fn pickup_type_and_frequencies_are_parsed() {
    let feed = load_fixture("basic");
    let no_pickup = feed.sink.stop_times.iter().filter(|s| s.pickup_type == PickupDropOff::NotAvailable).count();
    assert_eq!(no_pickup, 1);
    let exact: Vec<bool> = feed.sink.frequencies.iter().map(|f| f.exact_times).collect();
    assert_eq!(exact, vec![true, false]);
    assert_eq!(feed.sink.frequencies[0].headway_secs, 900);
}

#[test]
fn zip_and_directory_give_the_same_rows() {
    let dir = load_fixture("basic");
    let zip = load_source(basic_with(&[]), &Options::default()).unwrap();
    assert_eq!(dir.sink.stop_times, zip.sink.stop_times);
    assert_eq!(dir.sink.stops, zip.sink.stops);
    assert!(zip.report.unpacked_bytes > 0);
}

#[test]
fn zip_with_a_top_folder_is_accepted() {
    let files: Vec<_> = fixture_files("basic").into_iter().map(|(n, c)| (format!("feed/{n}"), c)).collect();
    let source = FeedSource::zip("nested.zip", std::io::Cursor::new(zip_bytes(&files))).unwrap();
    assert_eq!(load_source(source, &Options::default()).unwrap().report.stop_times, 21);
}

#[test]
fn calendar_dates_only_feed() {
    let feed = load_fixture("calendar_dates_only");
    let cal = &feed.report.calendar;
    assert!(cal.is_active(0, jiff::civil::date(2026, 6, 1)));
    assert!(!cal.is_active(0, jiff::civil::date(2026, 6, 2)));
    assert_eq!(cal.date_range(), Some((jiff::civil::date(2026, 6, 1), jiff::civil::date(2026, 6, 3))));
    // agency_id omitted in a single-agency feed: routes point at that agency.
    assert_eq!(feed.sink.agencies[0].agency_id, None);
    assert_eq!(feed.sink.routes[0].agency, 0);
    let deps = feed.departures("S1", "2026-06-01T04:00:00Z", 6, 5);
    assert_eq!(deps, vec![("T1".into(), "2026-06-01T07:00:00+02:00".into(), true)]);
}

#[test]
fn dirty_feed_is_accepted_with_warnings() {
    let feed = load_fixture("dirty");
    let w = &feed.report.warnings;
    let has = |wanted: &Warning| w.contains(wanted);
    assert!(has(&Warning::Bom { file: "agency.txt" }), "{w:?}");
    assert!(has(&Warning::PaddedHeader { file: "stops.txt", column: "stop_id".into() }));
    assert!(has(&Warning::UnknownColumn { file: "stops.txt", column: "stop_color_of_sign".into() }));
    assert!(has(&Warning::UnknownFile { name: "notes.txt".into() }));
    assert!(has(&Warning::RaggedRows { file: "stops.txt", rows: 1, first_line: 3 }));
    assert!(has(&Warning::RaggedRows { file: "routes.txt", rows: 1, first_line: 2 }));
    assert!(has(&Warning::RaggedRows { file: "stop_times.txt", rows: 1, first_line: 3 }));
    assert_eq!(feed.report.ignored_files, vec!["transfers.txt".to_string()]);
    // Values are trimmed, quoted or not.
    let stop = &feed.sink.stops[0];
    assert_eq!((stop.lat, stop.lon), (Some(40.57835), Some(-73.940029)));
    assert_eq!(feed.sink.stops[1].lat, Some(40.578066));
    assert_eq!(feed.sink.agencies[0].name, "MTA New York City Transit");
    assert_eq!(feed.sink.agencies[0].timezone, "America/New_York");
    assert_eq!(feed.sink.calendars[0].service_id, "WK");
    assert_eq!(feed.sink.stop_times[0].departure, Some(7 * 3600));
    // The short row's missing pickup_type reads as empty: regular pickup.
    assert_eq!(feed.sink.stop_times[1].pickup_type, PickupDropOff::Regular);
}

#[test]
fn progress_is_reported_per_file() {
    let mut sink = gtfs::MemorySink::default();
    let options = Options { progress_every: 5, ..Options::default() };
    gtfs::load(&mut FeedSource::open(fixture("basic")).unwrap(), &mut sink, &options).unwrap();
    let stop_times: Vec<_> = sink.progress.iter().filter(|p| p.file == "stop_times.txt").collect();
    let rows: Vec<(u64, bool)> = stop_times.iter().map(|p| (p.rows, p.finished)).collect();
    assert_eq!(rows, vec![(5, false), (10, false), (15, false), (20, false), (21, true)]);
    assert_eq!(sink.progress.iter().filter(|p| p.finished).count(), 9);
}

#[test]
fn rows_arrive_in_batches() {
    struct Sizes(Vec<usize>);
    impl gtfs::Sink for Sizes {
        type Error = std::convert::Infallible;
        fn stop_times(&mut self, rows: &[gtfs::StopTime]) -> Result<(), Self::Error> {
            self.0.push(rows.len());
            Ok(())
        }
    }
    let mut sink = Sizes(Vec::new());
    let options = Options { batch_size: 8, ..Options::default() };
    gtfs::load(&mut FeedSource::open(fixture("basic")).unwrap(), &mut sink, &options).unwrap();
    assert_eq!(sink.0, vec![8, 8, 5]);
}

#[test]
fn sink_error_aborts_the_load() {
    #[derive(Debug, thiserror::Error)]
    #[error("disk full")]
    struct DiskFull;
    struct Failing;
    impl gtfs::Sink for Failing {
        type Error = DiskFull;
        fn trips(&mut self, _: &[gtfs::Trip]) -> Result<(), DiskFull> {
            Err(DiskFull)
        }
    }
    let err =
        gtfs::load(&mut FeedSource::open(fixture("basic")).unwrap(), &mut Failing, &Options::default()).unwrap_err();
    assert_eq!(err.to_string(), "sink failed while storing trips.txt: disk full");
}

#[test]
fn scattered_trip_rows_are_grouped_checked_and_flagged() {
    // WK_EARLY's rows split in two runs, with the empty-time rows in the second one.
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
        WK_EARLY,06:00:00,06:00:00,A1,1\n\
        WK_EARLY,06:40:00,06:40:00,E,5\n\
        WE_1,01:30:00,01:30:00,A1,1\n\
        WE_1,08:30:00,08:30:00,E,3\n\
        WE_1,08:00:00,08:00:00,B,2\n\
        WK_EARLY,,,C,3\n\
        WK_EARLY,06:10:00,06:10:00,B,2\n";
    let trips = "route_id,service_id,trip_id\nR1,WK,WK_EARLY\nR1,WE,WE_1\nR1,WE,NO_TIMES\n";
    let feed = load_source(
        basic_with(&[("stop_times.txt", Some(stop_times)), ("trips.txt", Some(trips)), ("frequencies.txt", None)]),
        &Options::default(),
    )
    .unwrap();
    let w = &feed.report.warnings;
    assert!(w.contains(&Warning::FragmentedTrips { trips: 1, examples: vec!["WK_EARLY".into()] }), "{w:?}");
    assert!(w.contains(&Warning::TripsWithoutStopTimes { trips: 1, examples: vec!["NO_TIMES".into()] }));
    // Out-of-order rows of WE_1 were sorted before reaching the sink.
    let seqs: Vec<u32> = feed.sink.stop_times.iter().filter(|s| s.trip == 1).map(|s| s.stop_sequence).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    // The second run of WK_EARLY has B timed after C, so C could not be filled in-run.
    assert_eq!(feed.report.trips_needing_interpolation, vec![0]);
    let mut rows: Vec<gtfs::StopTime> = feed.sink.stop_times.iter().filter(|s| s.trip == 0).cloned().collect();
    assert_eq!(gtfs::interpolate_trip(&mut rows), Ok(1));
    assert_eq!(rows[2].departure, Some(6 * 3600 + 25 * 60)); // between B 06:10 and E 06:40
}
