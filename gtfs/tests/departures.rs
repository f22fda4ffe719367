//! Next departures end to end: fixture feed → MemorySink → windows → next_departures.
//! The `basic` fixture is in America/New_York; WK runs Mon–Fri, WE Sat–Sun, XMAS on 2026-12-25.

mod common;

use common::*;

fn dep(trip: &str, at: &str) -> Found {
    (trip.into(), at.into(), true)
}

fn approx(trip: &str, at: &str) -> Found {
    (trip.into(), at.into(), false)
}

#[test]
fn trip_past_midnight_is_found_the_next_calendar_day() {
    let feed = load_fixture("basic");
    // Monday's WK_LATE leaves B at 25:10 = Tuesday 01:10. Ask on Tuesday at 01:05.
    assert_eq!(
        feed.departures("B", "2026-06-02T01:05:00-04:00", 1, 5),
        vec![dep("WK_LATE", "2026-06-02T01:10:00-04:00")]
    );
    // The interpolated stop C (25:15 by distance) too.
    assert_eq!(
        feed.departures("C", "2026-06-02T01:05:00-04:00", 1, 5),
        vec![dep("WK_LATE", "2026-06-02T01:15:00-04:00")]
    );
    // Saturday 01:05 still sees Friday's late trip; Sunday 01:05 does not (Saturday is WE).
    assert_eq!(
        feed.departures("B", "2026-06-06T01:05:00-04:00", 1, 5),
        vec![dep("WK_LATE", "2026-06-06T01:10:00-04:00")]
    );
    assert_eq!(feed.departures("B", "2026-06-07T01:05:00-04:00", 1, 5), vec![]);
}

#[test]
fn no_departure_at_the_last_stop_or_without_pickup() {
    let feed = load_fixture("basic");
    // E is the last stop of every trip serving it.
    assert_eq!(feed.departures("E", "2026-06-02T00:00:00-04:00", 24, 50), vec![]);
    // WK_EARLY at B (06:10) has pickup_type=1; the next boarding is FREQ_EXACT at 07:05.
    assert_eq!(feed.departures("B", "2026-06-02T06:00:00-04:00", 1, 5), vec![]);
    assert_eq!(
        feed.departures("B", "2026-06-02T06:00:00-04:00", 2, 2),
        vec![dep("FREQ_EXACT", "2026-06-02T07:05:00-04:00"), dep("FREQ_EXACT", "2026-06-02T07:20:00-04:00")]
    );
}

#[test]
fn station_includes_its_platforms() {
    let feed = load_fixture("basic");
    let expected = vec![
        dep("WK_EARLY", "2026-06-02T06:00:00-04:00"),
        dep("FREQ_EXACT", "2026-06-02T07:00:00-04:00"),
        dep("FREQ_EXACT", "2026-06-02T07:15:00-04:00"),
    ];
    assert_eq!(feed.departures("A", "2026-06-02T05:50:00-04:00", 2, 3), expected);
    assert_eq!(feed.departures("A1", "2026-06-02T05:50:00-04:00", 2, 3), expected);
}

#[test]
fn exact_frequencies_expand_to_a_timetable() {
    let feed = load_fixture("basic");
    // 07:00–09:00 every 15 min from A1; the window 07:00–08:00 is inclusive at both ends.
    let found = feed.departures("A1", "2026-06-02T07:00:00-04:00", 1, 10);
    let times: Vec<&str> = found.iter().map(|(_, at, _)| &at[11..16]).collect();
    assert_eq!(times, vec!["07:00", "07:15", "07:30", "07:45", "08:00"]);
    assert!(found.iter().all(|(trip, _, exact)| trip == "FREQ_EXACT" && *exact));
    // The last one leaves at end_time 09:00 (inclusive); nothing after.
    let late = feed.departures("A1", "2026-06-02T08:50:00-04:00", 1, 10);
    assert_eq!(late, vec![dep("FREQ_EXACT", "2026-06-02T09:00:00-04:00")]);
}

#[test]
fn approximate_frequencies_are_flagged() {
    let feed = load_fixture("basic");
    // Saturday, FREQ_APPROX every 20 min from 10:00 at A1, B is 5 min later.
    assert_eq!(
        feed.departures("B", "2026-06-06T10:00:00-04:00", 1, 10),
        vec![
            approx("FREQ_APPROX", "2026-06-06T10:05:00-04:00"),
            approx("FREQ_APPROX", "2026-06-06T10:25:00-04:00"),
            approx("FREQ_APPROX", "2026-06-06T10:45:00-04:00"),
        ]
    );
}

#[test]
fn calendar_exceptions_remove_and_add_service() {
    let feed = load_fixture("basic");
    // Friday 2026-07-03: WK removed, WE added. Thursday's WK_LATE still leaves at 25:00 = 01:00.
    let found = feed.departures("A", "2026-07-03T00:00:00-04:00", 12, 20);
    let trips: Vec<(&str, &str)> = found.iter().map(|(t, at, _)| (t.as_str(), &at[11..16])).collect();
    assert_eq!(
        trips,
        vec![
            ("WK_LATE", "01:00"),
            ("WE_1", "01:30"),
            ("FREQ_APPROX", "10:00"),
            ("FREQ_APPROX", "10:20"),
            ("FREQ_APPROX", "10:40"),
            ("FREQ_APPROX", "11:00"),
            ("FREQ_APPROX", "11:20"),
            ("FREQ_APPROX", "11:40"),
            ("FREQ_APPROX", "12:00"),
        ]
    );
    // Christmas (a Friday): only the calendar_dates-only service XMAS runs.
    assert_eq!(
        feed.departures("A", "2026-12-25T08:00:00-05:00", 2, 5),
        vec![dep("XMAS_1", "2026-12-25T09:00:00-05:00")]
    );
    // WK did run on the 24th, so its 25:00 trip leaves early on the 25th …
    assert_eq!(
        feed.departures("A", "2026-12-25T00:30:00-05:00", 1, 5),
        vec![dep("WK_LATE", "2026-12-25T01:00:00-05:00")]
    );
    // … but not early on Saturday the 26th, since WK was removed on the 25th (only the
    // Saturday's own WE_1 at 01:30 shows).
    assert_eq!(feed.departures("A", "2026-12-26T00:30:00-05:00", 1, 5), vec![dep("WE_1", "2026-12-26T01:30:00-05:00")]);
}

#[test]
fn dst_spring_forward_service_day() {
    let feed = load_fixture("basic");
    // Sunday 2026-03-08: the service day starts at 23:00 EST on the 7th, so 01:30:00 GTFS is
    // 00:30 EST on the wall clock, and 08:00:00 is 08:00 EDT.
    assert_eq!(feed.departures("A", "2026-03-08T00:00:00-05:00", 1, 5), vec![dep("WE_1", "2026-03-08T00:30:00-05:00")]);
    assert_eq!(feed.departures("B", "2026-03-08T07:30:00-04:00", 1, 5), vec![dep("WE_1", "2026-03-08T08:00:00-04:00")]);
}

#[test]
fn dst_fall_back_service_day() {
    let feed = load_fixture("basic");
    // Sunday 2026-11-01: the service day starts at 01:00 EDT, so 01:30:00 GTFS is the second
    // 01:30 of the night (EST), and 08:00:00 is 08:00 EST.
    assert_eq!(feed.departures("A", "2026-11-01T00:00:00-04:00", 3, 5), vec![dep("WE_1", "2026-11-01T01:30:00-05:00")]);
    assert_eq!(feed.departures("B", "2026-11-01T07:30:00-05:00", 1, 5), vec![dep("WE_1", "2026-11-01T08:00:00-05:00")]);
}
