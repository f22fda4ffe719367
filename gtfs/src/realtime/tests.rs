use super::proto::translated_string::Translation;
use super::proto::trip_update::stop_time_update::ScheduleRelationship as StopRel;
use super::proto::trip_update::{StopTimeEvent, StopTimeUpdate};
use super::proto::{
    Alert, EntitySelector, FeedEntity, FeedHeader, TimeRange, TranslatedString, TripDescriptor, TripUpdate,
    trip_descriptor,
};
use super::*;
use prost::Message;

const MADE: i64 = 1_800_000_000;
/// The trip's schedule: stop sequence n leaves at 10 × n minutes after this.
const T0: i64 = MADE + 600;

fn scheduled(sequence: u32) -> Option<i64> {
    Some(T0 + i64::from(sequence) * 600)
}

fn stop(sequence: u32) -> ScheduledStop<'static> {
    ScheduledStop {
        trip_id: "t1",
        start_date: "20270115",
        stop_id: ["s0", "s1", "s2", "s3", "s4", "s5"][sequence as usize],
        stop_sequence: sequence,
        scheduled: scheduled(sequence).unwrap(),
    }
}

fn at(sequence: u32, delay: Option<i32>, time: Option<i64>) -> StopTimeUpdate {
    StopTimeUpdate {
        stop_sequence: Some(sequence),
        departure: Some(StopTimeEvent { delay, time, ..Default::default() }),
        ..Default::default()
    }
}

fn with_relationship(sequence: u32, relationship: StopRel) -> StopTimeUpdate {
    StopTimeUpdate {
        stop_sequence: Some(sequence),
        schedule_relationship: Some(relationship as i32),
        ..Default::default()
    }
}

fn trip(start_date: Option<&str>, relationship: trip_descriptor::ScheduleRelationship) -> TripDescriptor {
    TripDescriptor {
        trip_id: Some("t1".into()),
        start_date: start_date.map(Into::into),
        schedule_relationship: Some(relationship as i32),
        ..Default::default()
    }
}

fn message(entities: Vec<FeedEntity>) -> FeedMessage {
    FeedMessage {
        header: FeedHeader { gtfs_realtime_version: "2.0".into(), timestamp: Some(MADE as u64), ..Default::default() },
        entity: entities,
    }
}

fn updates(trip: TripDescriptor, stops: Vec<StopTimeUpdate>) -> FeedEntity {
    FeedEntity {
        id: "u".into(),
        trip_update: Some(TripUpdate { trip, stop_time_update: stops, ..Default::default() }),
        ..Default::default()
    }
}

fn realtime(stops: Vec<StopTimeUpdate>) -> Realtime {
    let scheduled = trip_descriptor::ScheduleRelationship::Scheduled;
    Realtime::from_message(&message(vec![updates(trip(Some("20270115"), scheduled), stops)]))
}

fn delay_at(rt: &Realtime, sequence: u32) -> Option<(Status, Option<i64>)> {
    rt.predict(&stop(sequence), |seq, _| scheduled(seq)).map(|p| (p.status, p.delay))
}

#[test]
fn a_delay_propagates_to_the_stops_after_it_until_the_next_update() {
    let rt = realtime(vec![at(1, Some(300), None), at(3, Some(30), None)]);
    assert_eq!(delay_at(&rt, 0), None, "delays never propagate backwards");
    assert_eq!(delay_at(&rt, 1), Some((Status::Late, Some(300))));
    assert_eq!(delay_at(&rt, 2), Some((Status::Late, Some(300))), "taken from stop 1");
    assert_eq!(delay_at(&rt, 3), Some((Status::OnTime, Some(30))));
    assert_eq!(delay_at(&rt, 5), Some((Status::OnTime, Some(30))));
    let p = rt.predict(&stop(2), |seq, _| scheduled(seq)).unwrap();
    assert_eq!(p.predicted, Some(stop(2).scheduled + 300));
    assert_eq!(p.made_at, Some(MADE));
}

#[test]
fn an_absolute_time_wins_over_a_stated_delay_and_propagates_as_the_delay_it_implies() {
    let rt = realtime(vec![at(1, Some(999), Some(scheduled(1).unwrap() - 120))]);
    assert_eq!(delay_at(&rt, 1), Some((Status::Early, Some(-120))));
    assert_eq!(delay_at(&rt, 4), Some((Status::Early, Some(-120))));
    let unknown_schedule = rt.predict(&stop(4), |_, _| None).map(|p| p.delay);
    assert_eq!(unknown_schedule, Some(Some(999)), "without the schedule at stop 1, the stated delay");
    let time_only = realtime(vec![at(1, None, Some(scheduled(1).unwrap() + 60))]);
    assert_eq!(time_only.predict(&stop(4), |_, _| None), None, "a time alone says nothing without the schedule");
}

#[test]
fn a_skipped_stop_is_skipped_and_the_delay_before_it_carries_on() {
    let rt = realtime(vec![at(1, Some(240), None), with_relationship(2, StopRel::Skipped)]);
    assert_eq!(delay_at(&rt, 2), Some((Status::Skipped, None)));
    assert_eq!(delay_at(&rt, 3), Some((Status::Late, Some(240))));
}

#[test]
fn no_data_means_no_prediction_from_there_on() {
    let rt = realtime(vec![at(1, Some(240), None), with_relationship(3, StopRel::NoData)]);
    assert_eq!(delay_at(&rt, 2), Some((Status::Late, Some(240))));
    assert_eq!(delay_at(&rt, 3), None);
    assert_eq!(delay_at(&rt, 4), None);
}

#[test]
fn a_cancelled_trip_is_cancelled_at_every_stop_on_its_day_only() {
    let cancelled = trip_descriptor::ScheduleRelationship::Canceled;
    let rt = Realtime::from_message(&message(vec![updates(trip(Some("20270115"), cancelled), vec![])]));
    assert_eq!(delay_at(&rt, 0), Some((Status::Cancelled, None)));
    assert_eq!(delay_at(&rt, 5), Some((Status::Cancelled, None)));
    let other_day = ScheduledStop { start_date: "20270116", ..stop(1) };
    assert_eq!(rt.predict(&other_day, |seq, _| scheduled(seq)), None);
}

#[test]
fn an_update_without_a_day_is_for_the_current_instance() {
    let scheduled_trip = trip_descriptor::ScheduleRelationship::Scheduled;
    let rt = Realtime::from_message(&message(vec![updates(trip(None, scheduled_trip), vec![at(0, Some(120), None)])]));
    assert_eq!(delay_at(&rt, 3), Some((Status::Late, Some(120))));
}

#[test]
fn a_trip_wide_delay_covers_stops_before_any_update() {
    let mut entity = updates(trip(Some("20270115"), trip_descriptor::ScheduleRelationship::Scheduled), vec![]);
    entity.trip_update.as_mut().unwrap().delay = Some(180);
    entity.trip_update.as_mut().unwrap().timestamp = Some(MADE as u64 + 5);
    let rt = Realtime::from_message(&message(vec![entity]));
    let p = rt.predict(&stop(2), |seq, _| scheduled(seq)).unwrap();
    assert_eq!((p.status, p.delay, p.made_at), (Status::Late, Some(180), Some(MADE + 5)));
}

#[test]
fn stop_id_only_updates_match_their_stop() {
    let by_id = StopTimeUpdate {
        stop_id: Some("s2".into()),
        arrival: Some(StopTimeEvent { delay: Some(90), ..Default::default() }),
        ..Default::default()
    };
    let rt = realtime(vec![by_id]);
    assert_eq!(delay_at(&rt, 2), Some((Status::Late, Some(90))));
    assert_eq!(delay_at(&rt, 3), None, "an update that cannot be ordered does not propagate");
}

#[test]
fn freshness_is_judged_by_when_the_prediction_was_made() {
    let rt = realtime(vec![at(0, Some(0), None)]);
    let p = rt.predict(&stop(0), |seq, _| scheduled(seq)).unwrap();
    assert!(p.is_fresh(MADE + 300, 300));
    assert!(!p.is_fresh(MADE + 301, 300));
    assert!(!Prediction { made_at: None, ..p }.is_fresh(MADE, 300));
}

#[test]
fn decoding_refuses_garbage_and_oversized_messages() {
    let bytes = realtime_bytes();
    assert_eq!(decode(&bytes, 1 << 20).unwrap().entity.len(), 1);
    assert_eq!(decode(&bytes, 10), Err(RealtimeError::TooLarge { size: bytes.len(), limit: 10 }));
    assert!(matches!(decode(b"\xff\xff\xff garbage", 1 << 20), Err(RealtimeError::Malformed(_))));
    assert!(matches!(decode(&bytes[..bytes.len() - 3], 1 << 20), Err(RealtimeError::Malformed(_))));
}

fn realtime_bytes() -> Vec<u8> {
    let scheduled_trip = trip_descriptor::ScheduleRelationship::Scheduled;
    message(vec![updates(trip(Some("20270115"), scheduled_trip), vec![at(1, Some(60), None)])]).encode_to_vec()
}

fn text(parts: &[(&str, Option<&str>)]) -> Option<TranslatedString> {
    let translation =
        parts.iter().map(|(t, l)| Translation { text: (*t).into(), language: l.map(Into::into) }).collect();
    Some(TranslatedString { translation })
}

fn alert(selectors: Vec<EntitySelector>, period: Option<(u64, u64)>) -> FeedEntity {
    FeedEntity {
        id: "a".into(),
        alert: Some(Alert {
            informed_entity: selectors,
            active_period: period
                .map(|(start, end)| TimeRange { start: Some(start), end: Some(end) })
                .into_iter()
                .collect(),
            header_text: text(&[("Lift out of order", None), ("Ascenseur en panne", Some("fr"))]),
            description_text: text(&[("Use the ramp.", Some("en"))]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn alerts_apply_by_stop_route_or_trip_while_active_in_the_language_asked() {
    let at_stop = EntitySelector { stop_id: Some("s1".into()), ..Default::default() };
    let route_at_stop =
        EntitySelector { stop_id: Some("s9".into()), route_id: Some("r1".into()), ..Default::default() };
    let rt = Realtime::from_message(&message(vec![
        alert(vec![at_stop], Some((MADE as u64, MADE as u64 + 3600))),
        alert(vec![route_at_stop], None),
    ]));
    let here = Applies { stop_ids: &["s1"], route_ids: &["r1"], trip_ids: &[] };
    let shown = rt.alerts(&here, MADE + 10, "fr-CA");
    assert_eq!(shown.len(), 1, "the second alert is for route r1 at another stop");
    assert_eq!(shown[0].header, "Ascenseur en panne");
    assert_eq!(shown[0].description.as_deref(), Some("Use the ramp."), "no French: the text there is");
    assert_eq!(rt.alerts(&here, MADE + 10, "de")[0].header, "Lift out of order");
    assert!(rt.alerts(&here, MADE + 3600, "en").is_empty(), "the period has ended");
    let there = Applies { stop_ids: &["s9"], route_ids: &["r1"], trip_ids: &[] };
    assert_eq!(rt.alerts(&there, MADE, "en").len(), 1);
}

#[test]
fn deleted_entities_are_left_out() {
    let mut entity = alert(vec![EntitySelector { stop_id: Some("s1".into()), ..Default::default() }], None);
    entity.is_deleted = Some(true);
    let rt = Realtime::from_message(&message(vec![entity]));
    assert!(rt.alerts(&Applies { stop_ids: &["s1"], ..Default::default() }, MADE, "en").is_empty());
}

#[test]
fn an_added_trip_calls_where_its_updates_say_and_not_where_it_skips() {
    let mut entity = updates(
        trip(Some("20270115"), trip_descriptor::ScheduleRelationship::New),
        vec![
            StopTimeUpdate { stop_id: Some("A".into()), ..at(1, None, Some(T0 + 60)) },
            StopTimeUpdate { stop_id: Some("B".into()), ..with_relationship(2, StopRel::Skipped) },
            StopTimeUpdate { stop_id: Some("C".into()), ..at(3, Some(90), None) },
            StopTimeUpdate { stop_id: Some("D".into()), ..at(4, None, Some(T0 + 900)) },
        ],
    );
    let update = entity.trip_update.as_mut().unwrap();
    update.trip.route_id = Some("r9".into());
    update.trip_properties =
        Some(proto::trip_update::TripProperties { trip_headsign: Some("Special".into()), ..Default::default() });
    let rt = Realtime::from_message(&message(vec![entity]));
    let calls = rt.added_calls(&["A", "B", "C", "D"], T0, T0 + 3600);
    let at: Vec<(&str, i64)> = calls.iter().map(|c| (c.stop_id.as_str(), c.time)).collect();
    assert_eq!(at, [("A", T0 + 60), ("D", T0 + 900)], "a skip and a bare delay give no call");
    assert_eq!((calls[0].route_id.as_deref(), calls[0].headsign.as_deref()), (Some("r9"), Some("Special")));
    assert_eq!(calls[0].made_at, Some(MADE));
    assert!(rt.added_calls(&["A"], T0 + 61, T0 + 3600).is_empty(), "gone before the window");
    assert_eq!(rt.predict(&stop(1), |_, _| None), None, "an added trip is no scheduled one");
}
