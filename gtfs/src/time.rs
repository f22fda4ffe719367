//! GTFS time arithmetic. A GTFS time is seconds after the service day's reference instant,
//! "noon minus 12 h" in the agency zone: on DST change days that is 23:00 or 01:00 local,
//! not midnight, so `08:00:00` is still 08:00 on the wall clock.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Looks a zone up in the bundled tz database (works without /usr/share/zoneinfo).
pub fn zone(name: &str) -> Result<TimeZone, jiff::Error> {
    jiff::tz::db().get(name)
}

/// The instant GTFS time 0 refers to on `date`.
pub fn service_day_start(date: Date, tz: &TimeZone) -> Timestamp {
    // Noon is never inside a DST gap or fold, so "compatible" never has to guess.
    let noon = tz.to_ambiguous_timestamp(date.at(12, 0, 0, 0)).compatible().expect("noon of a valid date is in range");
    noon - SignedDuration::from_hours(12)
}

/// The instant of GTFS time `secs` on service date `date`.
pub fn instant(date: Date, secs: u32, tz: &TimeZone) -> Timestamp {
    service_day_start(date, tz) + SignedDuration::from_secs(i64::from(secs))
}

/// RFC 3339 with the zone's offset at that instant, e.g. `2026-03-08T03:30:00-04:00`.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    at.display_with_offset(tz.to_offset(at)).to_string()
}

/// The GTFS-seconds range `from_secs..=to_secs` of one service date that falls in a query window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceWindow {
    pub date: Date,
    pub day_start: Timestamp,
    pub from_secs: u32,
    pub to_secs: u32,
}

impl ServiceWindow {
    pub fn instant(&self, secs: u32) -> Timestamp {
        self.day_start + SignedDuration::from_secs(i64::from(secs))
    }
}

/// The service dates and GTFS-second ranges whose departures fall in `[now, now + horizon]`.
///
/// `max_gtfs_secs` is the latest time any trip reaches (e.g. 48 h; Cairns reaches 29 h). A
/// departure at 25:10 belongs to the previous service date, so with 48 h this yields
/// yesterday's, today's and (near midnight) tomorrow's windows, oldest first.
pub fn service_windows(
    now: Timestamp,
    tz: &TimeZone,
    horizon: SignedDuration,
    max_gtfs_secs: u32,
) -> Vec<ServiceWindow> {
    let end = now + horizon;
    let first = now.to_zoned(tz.clone()).date();
    let last = end.to_zoned(tz.clone()).date();
    let days_back = i64::from(max_gtfs_secs / 86_400) + 1;
    let mut windows = Vec::new();
    let Ok(mut date) = first.checked_sub(jiff::Span::new().days(days_back)) else { return windows };
    while date <= last.tomorrow().unwrap_or(last) {
        let day_start = service_day_start(date, tz);
        let from = now.duration_since(day_start).as_secs().max(0);
        let to = end.duration_since(day_start).as_secs().min(i64::from(max_gtfs_secs));
        if to >= from {
            windows.push(ServiceWindow { date, day_start, from_secs: from as u32, to_secs: to as u32 });
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ny() -> TimeZone {
        zone("America/New_York").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn ordinary_day_starts_at_local_midnight() {
        assert_eq!(service_day_start(date(2026, 6, 1), &ny()), at("2026-06-01T04:00:00Z"));
    }

    #[test]
    fn spring_forward_day_starts_at_23_local_the_evening_before() {
        // 2026-03-08: clocks jump 02:00 -> 03:00 EST->EDT. Noon is EDT (-4), minus 12 h is
        // 00:00 EDT = 23:00 EST on the 7th.
        let start = service_day_start(date(2026, 3, 8), &ny());
        assert_eq!(start, at("2026-03-08T04:00:00Z"));
        assert_eq!(rfc3339(start, &ny()), "2026-03-07T23:00:00-05:00");
        // 08:00:00 GTFS is therefore 08:00 EDT on the wall clock.
        assert_eq!(rfc3339(instant(date(2026, 3, 8), 8 * 3600, &ny()), &ny()), "2026-03-08T08:00:00-04:00");
        // The trap: 01:30:00 GTFS is 00:30 EST on the wall clock, not 01:30.
        assert_eq!(rfc3339(instant(date(2026, 3, 8), 5400, &ny()), &ny()), "2026-03-08T00:30:00-05:00");
    }

    #[test]
    fn fall_back_day_starts_at_01_local() {
        // 2026-11-01: 02:00 EDT -> 01:00 EST. Noon is EST (-5), minus 12 h = 00:00 EST = 01:00 EDT.
        let start = service_day_start(date(2026, 11, 1), &ny());
        assert_eq!(start, at("2026-11-01T05:00:00Z"));
        assert_eq!(rfc3339(start, &ny()), "2026-11-01T01:00:00-04:00");
        assert_eq!(rfc3339(instant(date(2026, 11, 1), 8 * 3600, &ny()), &ny()), "2026-11-01T08:00:00-05:00");
    }

    #[test]
    fn windows_cover_yesterday_today_and_tomorrow() {
        let tz = ny();
        // 01:05 local on 2026-06-02, two hours ahead, trips up to 48 h.
        let now = at("2026-06-02T05:05:00Z");
        let w = service_windows(now, &tz, SignedDuration::from_hours(2), 48 * 3600);
        let dates: Vec<_> = w.iter().map(|w| w.date).collect();
        assert_eq!(dates, vec![date(2026, 6, 1), date(2026, 6, 2)]);
        assert_eq!((w[0].from_secs, w[0].to_secs), (25 * 3600 + 300, 27 * 3600 + 300));
        assert_eq!((w[1].from_secs, w[1].to_secs), (3900, 3 * 3600 + 300));
        // 23:30 with a 2 h horizon reaches into tomorrow's service day.
        let late = at("2026-06-03T03:30:00Z");
        let w = service_windows(late, &tz, SignedDuration::from_hours(2), 30 * 3600);
        let tomorrow = w.iter().find(|w| w.date == date(2026, 6, 3)).expect("tomorrow's window");
        assert_eq!((tomorrow.from_secs, tomorrow.to_secs), (0, 5400));
        assert!(w.iter().all(|w| w.date != date(2026, 6, 1)), "a 30 h day that began 47.5 h ago is over");
        assert!(w.iter().any(|w| w.date == date(2026, 6, 2)));
    }
}
