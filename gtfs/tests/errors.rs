//! Bad feeds: each error names file, line, column and value; lenient mode counts skips.

mod common;

use std::io::Cursor;

use common::*;
use gtfs::{FeedError, FeedSource, IssueKind, Options};

fn lenient() -> Options {
    Options { lenient: true, ..Options::default() }
}

/// The strict error for `basic` with one bad line appended to `file`.
fn error_for(file: &str, line: &str) -> String {
    strict_error(basic_plus(file, line))
}

#[test]
fn malformed_time() {
    assert_eq!(
        error_for("stop_times.txt", "WK_EARLY,05:5x:00,05:50:00,E,6,,,"),
        r#"stop_times.txt line 23, column arrival_time: invalid GTFS time (expected H:MM:SS, minutes and seconds below 60) (value "05:5x:00")"#
    );
    let err = error_for("frequencies.txt", "FREQ_EXACT,07:60:00,09:00:00,900,1");
    assert!(err.starts_with("frequencies.txt line 4, column start_time: invalid GTFS time"), "{err}");
}

#[test]
fn malformed_date_number_enum_colour_and_coordinates() {
    let cases = [
        ("calendar_dates.txt", "WK,2026-07-04,2", "calendar_dates.txt line 6, column date: invalid date", "2026-07-04"),
        (
            "stop_times.txt",
            "WK_EARLY,07:00:00,07:00:00,E,six,,,",
            "stop_times.txt line 23, column stop_sequence: invalid number",
            "six",
        ),
        (
            "stop_times.txt",
            "WK_EARLY,07:00:00,07:00:00,E,6,7,,",
            "stop_times.txt line 23, column pickup_type: value not allowed",
            "7",
        ),
        (
            "calendar_dates.txt",
            "WK,20260704,3",
            "calendar_dates.txt line 6, column exception_type: value not allowed",
            "3",
        ),
        ("routes.txt", "R9,BMW,9,,3,red,", "routes.txt line 4, column route_color: invalid colour", "red"),
        ("routes.txt", "R9,BMW,9,,99,,", "routes.txt line 4, column route_type: value not allowed", "99"),
        ("stops.txt", "Z,Zulu,95.0,-74.0,0,,,", "stops.txt line 8, column stop_lat: value out of range", "95.0"),
        ("stops.txt", "Z,Zulu,,-74.0,0,,,", "stops.txt line 8, column stop_lat: required value is empty", ""),
        ("trips.txt", "R1,WK,T9,x,2,", "trips.txt line 8, column direction_id: value not allowed", "2"),
        (
            "frequencies.txt",
            "FREQ_EXACT,10:00:00,09:00:00,900,1",
            "frequencies.txt line 4, column end_time: end is before start",
            "09:00:00",
        ),
        (
            "frequencies.txt",
            "FREQ_EXACT,10:00:00,11:00:00,0,1",
            "frequencies.txt line 4, column headway_secs: value out of range",
            "0",
        ),
    ];
    for (file, line, prefix, value) in cases {
        let err = error_for(file, line);
        assert!(err.starts_with(prefix), "{file} {line}: {err}");
        assert!(err.ends_with(&format!("(value {value:?})")), "{err}");
    }
}

#[test]
fn bad_timezone() {
    let agency = "agency_id,agency_name,agency_url,agency_timezone\nBMW,BMW,https://x,America/New York\n";
    let err = strict_error(basic_with(&[("agency.txt", Some(agency))]));
    assert_eq!(err, r#"agency.txt line 2, column agency_timezone: unknown time zone (value "America/New York")"#);
}

#[test]
fn unknown_references() {
    let cases = [
        (
            "trips.txt",
            "NOPE,WK,T9,,,",
            "trips.txt line 8, column route_id: refers to an id missing from routes.txt (value \"NOPE\")",
        ),
        (
            "trips.txt",
            "R1,NOPE,T9,,,",
            "trips.txt line 8, column service_id: refers to an id missing from calendar.txt or calendar_dates.txt (value \"NOPE\")",
        ),
        (
            "stop_times.txt",
            "NOPE,07:00:00,07:00:00,E,6,,,",
            "stop_times.txt line 23, column trip_id: refers to an id missing from trips.txt (value \"NOPE\")",
        ),
        (
            "stop_times.txt",
            "WK_EARLY,07:00:00,07:00:00,NOPE999,6,,,",
            "stop_times.txt line 23, column stop_id: refers to an id missing from stops.txt (value \"NOPE999\")",
        ),
        (
            "routes.txt",
            "R9,NOPE,9,,3,,",
            "routes.txt line 4, column agency_id: refers to an id missing from agency.txt (value \"NOPE\")",
        ),
        (
            "stops.txt",
            "Z,Zulu,40.0,-74.0,0,NOPE,,",
            "stops.txt line 8, column parent_station: refers to an id missing from stops.txt (value \"NOPE\")",
        ),
        (
            "frequencies.txt",
            "NOPE,07:00:00,09:00:00,900,1",
            "frequencies.txt line 4, column trip_id: refers to an id missing from trips.txt (value \"NOPE\")",
        ),
    ];
    for (file, line, expected) in cases {
        assert_eq!(error_for(file, line), expected);
    }
}

#[test]
fn duplicate_primary_keys() {
    let cases = [
        ("stops.txt", "B,Bravo again,40.0,-74.0,0,,,", "stops.txt line 8, column stop_id"),
        ("routes.txt", "R1,BMW,1,,3,,", "routes.txt line 4, column route_id"),
        ("trips.txt", "R1,WK,WK_EARLY,,,", "trips.txt line 8, column trip_id"),
        ("calendar.txt", "WK,1,1,1,1,1,0,0,20260101,20261231", "calendar.txt line 4, column service_id"),
        ("calendar_dates.txt", "WK,20260703,1", "calendar_dates.txt line 6, column date"),
        ("frequencies.txt", "FREQ_EXACT,07:00:00,08:00:00,600,1", "frequencies.txt line 4, column start_time"),
        ("stop_times.txt", "XMAS_1,9:40:00,9:40:00,E,2,,,", "stop_times.txt line 23, column stop_sequence"),
    ];
    for (file, line, prefix) in cases {
        let err = error_for(file, line);
        assert!(err.starts_with(prefix) && err.contains("duplicate primary key"), "{err}");
    }
}

#[test]
fn duplicate_stop_sequence_inside_a_run() {
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
        T,07:00:00,07:00:00,A1,1\nT,07:10:00,07:10:00,B,2\nT,07:11:00,07:11:00,C,2\nT,07:20:00,07:20:00,E,3\n";
    let trips = "route_id,service_id,trip_id\nR1,WK,T\n";
    let err = strict_error(basic_with(&[
        ("stop_times.txt", Some(stop_times)),
        ("trips.txt", Some(trips)),
        ("frequencies.txt", None),
    ]));
    assert_eq!(err, r#"stop_times.txt line 4, column stop_sequence: duplicate primary key (value "2")"#);
}

#[test]
fn trip_endpoint_without_time() {
    let err = error_for("stop_times.txt", "XMAS_1,,,E,3,,,");
    assert_eq!(
        err,
        r#"stop_times.txt line 23, column arrival_time: first or last stop of the trip has no time (value "")"#
    );
}

#[test]
fn missing_files_and_columns() {
    assert_eq!(strict_error(basic_with(&[("stops.txt", None)])), "required file stops.txt is missing");
    assert_eq!(
        strict_error(basic_with(&[("calendar.txt", None), ("calendar_dates.txt", None)])),
        "feed has neither calendar.txt nor calendar_dates.txt"
    );
    let trips = "route_id,trip_id\nR1,T1\n";
    assert_eq!(
        strict_error(basic_with(&[("trips.txt", Some(trips))])),
        "trips.txt line 1: required column service_id is missing from the header"
    );
    assert_eq!(strict_error(basic_with(&[("routes.txt", Some(""))])), "routes.txt is empty (no header line)");
    // Missing structure fails even in lenient mode.
    assert!(load_source(basic_with(&[("trips.txt", Some(trips))]), &lenient()).is_err());
}

#[test]
fn empty_optional_file_is_a_warning() {
    let feed = load_source(basic_with(&[("frequencies.txt", Some(""))]), &Options::default()).unwrap();
    assert!(feed.report.warnings.contains(&gtfs::Warning::EmptyFile { file: "frequencies.txt" }));
}

#[test]
fn lenient_mode_skips_and_counts() {
    let stop_times = std::fs::read_to_string(fixture("basic/stop_times.txt")).unwrap()
        + "WK_EARLY,05:5x:00,05:50:00,E,6,,,\n\
           WK_EARLY,07:00:00,07:00:00,NOPE1,7,,,\n\
           WK_EARLY,07:00:00,07:00:00,NOPE2,8,,,\n\
           NOPE,07:00:00,07:00:00,E,1,,,\n\
           WK_EARLY,07:00:00,07:00:00,E,9,,,\n";
    let trips = std::fs::read_to_string(fixture("basic/trips.txt")).unwrap() + "NOPE_ROUTE,WK,T9,,,\n";
    let source = basic_with(&[("stop_times.txt", Some(&stop_times)), ("trips.txt", Some(&trips))]);
    let feed = load_source(source, &lenient()).unwrap();
    let r = &feed.report;
    assert_eq!(r.skipped_count("stop_times.txt", IssueKind::BadTime), 1);
    assert_eq!(r.skipped_count("stop_times.txt", IssueKind::UnknownReference("stops.txt")), 2);
    assert_eq!(r.skipped_count("stop_times.txt", IssueKind::UnknownReference("trips.txt")), 1);
    assert_eq!(r.skipped_count("trips.txt", IssueKind::UnknownReference("routes.txt")), 1);
    assert_eq!(r.skipped_total(), 5);
    assert_eq!(r.files.iter().find(|f| f.file == "stop_times.txt").unwrap().skipped, 4);
    // The good row after the bad ones made it, the bad ones did not.
    assert_eq!(r.stop_times, 22);
    assert_eq!(r.trips, 6);
    let examples = &r.skipped.iter().find(|s| s.kind == IssueKind::UnknownReference("stops.txt")).unwrap().examples;
    let lines: Vec<(u64, &str)> = examples.iter().map(|e| (e.line, e.value.as_str())).collect();
    assert_eq!(lines, vec![(24, "NOPE1"), (25, "NOPE2")]);
    assert_eq!(examples[0].column, "stop_id");
}

#[test]
fn lenient_examples_are_capped() {
    let mut extra = String::new();
    for i in 0..20 {
        extra.push_str(&format!("WK_EARLY,07:00:00,07:00:00,NOPE{i},{},,,\n", 10 + i));
    }
    let stop_times = std::fs::read_to_string(fixture("basic/stop_times.txt")).unwrap() + &extra;
    let feed = load_source(basic_with(&[("stop_times.txt", Some(&stop_times))]), &lenient()).unwrap();
    let skipped = &feed.report.skipped[0];
    assert_eq!((skipped.count, skipped.examples.len()), (20, 5));
}

#[test]
fn lenient_drops_children_of_unknown_parents_and_their_stop_times() {
    let stops = std::fs::read_to_string(fixture("basic/stops.txt")).unwrap() + "Z,Zulu,40.0,-74.0,0,NOPE,,\n";
    let stop_times =
        std::fs::read_to_string(fixture("basic/stop_times.txt")).unwrap() + "WK_EARLY,07:00:00,07:00:00,Z,6,,,\n";
    let source = basic_with(&[("stops.txt", Some(&stops)), ("stop_times.txt", Some(&stop_times))]);
    let feed = load_source(source, &lenient()).unwrap();
    assert!(feed.sink.stops.iter().all(|s| s.stop_id != "Z"));
    assert_eq!(feed.report.skipped_count("stops.txt", IssueKind::UnknownReference("stops.txt")), 1);
    assert_eq!(feed.report.skipped_count("stop_times.txt", IssueKind::UnknownReference("stops.txt")), 1);
}

#[test]
fn tiny_headways_are_clamped_with_a_warning() {
    let feed =
        load_source(basic_plus("frequencies.txt", "FREQ_EXACT,20:00:00,21:00:00,7,1"), &Options::default()).unwrap();
    assert_eq!(feed.sink.frequencies[2].headway_secs, 60);
    assert!(feed.report.warnings.contains(&gtfs::Warning::HeadwaysClamped {
        rows: 1,
        first_line: 4,
        min_headway_secs: 60
    }));
}

#[test]
fn bad_zip() {
    let err = FeedSource::zip("junk.zip", Cursor::new(b"PK\x03\x04 definitely not a zip".to_vec())).err().unwrap();
    assert!(matches!(err, FeedError::BadZip { .. }));
    assert!(err.to_string().starts_with("junk.zip is not a usable zip archive: "), "{err}");
    // A truncated archive.
    let bytes = zip_bytes(&fixture_files("basic"));
    let err = FeedSource::zip("cut.zip", Cursor::new(bytes[..bytes.len() / 2].to_vec())).err().unwrap();
    assert!(matches!(err, FeedError::BadZip { .. }), "{err}");
}

#[test]
fn corrupt_entry_data_is_a_bad_zip() {
    let mut bytes = zip_bytes_with(&fixture_files("basic"), zip::CompressionMethod::Stored);
    // Still valid CSV after the change, so only the CRC check can notice it.
    let needle = b"WK_LATE,25:00:00,25:00:00";
    let at = bytes.windows(needle.len()).position(|w| w == needle).unwrap();
    bytes[at + 15] = b'1';
    let source = FeedSource::zip("flipped.zip", Cursor::new(bytes)).unwrap();
    let err = load_source(source, &Options::default()).err().expect("corruption must be noticed");
    assert!(matches!(err, FeedError::BadZip { .. }), "{err}");
    assert!(err.to_string().starts_with("flipped.zip: stop_times.txt is not a usable zip archive"), "{err}");
}

#[test]
fn zip_bomb_is_capped_by_bytes_actually_inflated() {
    // 8 MiB of padding inside stop_times.txt compresses to a few KiB.
    let mut files = fixture_files("basic");
    let (_, stop_times) = files.iter_mut().find(|(n, _)| n == "stop_times.txt").unwrap();
    stop_times.extend(std::iter::repeat_n(b'\n', 8 << 20));
    let bytes = zip_bytes(&files);
    assert!(bytes.len() < 100_000);
    let source = FeedSource::zip("bomb.zip", Cursor::new(bytes.clone())).unwrap().with_max_unpacked(1 << 20);
    let err = load_source(source, &Options::default()).err().unwrap();
    assert_eq!(
        err.to_string(),
        "feed unpacks to more than 1048576 bytes; refusing it as a possible zip bomb (raise the limit if genuine)"
    );
    // The same archive under the default cap loads.
    let source = FeedSource::zip("bomb.zip", Cursor::new(bytes)).unwrap();
    assert!(load_source(source, &Options::default()).is_ok());
}

/// `basic` with 8 MiB of padding in stop_times.txt whose declared size (local and central
/// headers) is rewritten to `declared`.
fn lying_bomb(declared: u32) -> Vec<u8> {
    let mut files = fixture_files("basic");
    let (_, stop_times) = files.iter_mut().find(|(n, _)| n == "stop_times.txt").unwrap();
    stop_times.extend(std::iter::repeat_n(b'\n', 8 << 20));
    let mut bytes = zip_bytes(&files);
    let name = b"stop_times.txt";
    for i in 0..bytes.len() - 46 {
        let (size_at, name_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (i + 22, i + 30),
            b"PK\x01\x02" => (i + 24, i + 46),
            _ => continue,
        };
        if bytes[name_at..].starts_with(name) {
            bytes[size_at..size_at + 4].copy_from_slice(&declared.to_le_bytes());
        }
    }
    bytes
}

#[test]
fn zip_bomb_with_lying_size_headers_is_still_capped() {
    // Declared 2 MiB, cap 1 MiB: a header-trusting check would pass; the byte counter trips.
    let source = FeedSource::zip("liar.zip", Cursor::new(lying_bomb(2 << 20))).unwrap().with_max_unpacked(1 << 20);
    let err = load_source(source, &Options::default()).err().unwrap();
    assert!(matches!(err, FeedError::TooLarge { limit: 1048576 }), "{err}");
    // Declared 100 bytes: the zip reader refuses to inflate past the declared size.
    let source = FeedSource::zip("liar.zip", Cursor::new(lying_bomb(100))).unwrap();
    let err = load_source(source, &Options::default()).err().unwrap();
    assert!(err.to_string().contains("stop_times.txt is not a usable zip archive"), "{err}");
}
