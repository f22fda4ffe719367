//! A saved stop's read-only part (its name, routes, walk and next departures) as one escaped HTML
//! string, set with `inner_html`. MyBM is the page people open every morning and it shows twenty
//! such rows: rendered node by node with reactive countdowns they cost half of the page's server
//! time; as a string they cost a few microseconds each. Hydration leaves server-rendered inner
//! HTML alone, and the browser renders the same string again when the clock ticks. `maud`
//! escapes every value.

use super::leave::{LeaveSoon, duration, leave_soon};
use crate::bookmarks::model::{Leave, MyBmBookmark};
use crate::transit::components::{live_note, minutes_until, predicted_time, route_title, status_label};
use crate::transit::model::{DepartureStatus, LiveState};
use maud::{Markup, html};

/// The row at `now`; `edit_href` is its "Edit" link, absent while it is being edited.
pub fn row_html(row: &MyBmBookmark, now: i64, edit_href: Option<&str>) -> String {
    let b = &row.bookmark;
    let gone = "No longer in the feed";
    html! {
        div.bookmark-head {
            a.stop-name href={ "/stops/" (b.stop_id.url_segment()) } { (b.stop_name) }
            @if !b.in_feed { span.badge.warn { (gone) } }
            @for r in &b.routes {
                span.route-chip.gone-route[!r.in_feed] title=[(!r.in_feed).then_some(gone)] { (r.name) }
            }
            @if b.walk_minutes > 0 { span.walk { (b.walk_minutes) " min walk" } }
            @if let Some(href) = edit_href {
                a.edit-link href=(href) aria-label={ "Edit " (b.stop_name) } { "Edit" }
            }
        }
        // A feed without live times says so on its stop's page; here only a failing one does.
        @if row.live.state != LiveState::Off {
            @let (class, text) = live_note(&row.live);
            p class={ "live-note " (class) } { (text) }
        }
        @if !row.alerts.is_empty() {
            ul.alerts aria-label="Service alerts" {
                @for alert in &row.alerts {
                    li.alert {
                        strong { (alert.header) }
                        @if let Some(description) = &alert.description { p { (description) } }
                    }
                }
            }
        }
        @if row.departures.is_empty() {
            p.empty {
                @if b.in_feed { "No departures in the next day and a half." }
                @else { "This stop is no longer in the feed. It comes back here if a feed update brings it back." }
            }
        } @else {
            ol.leaves { @for leave in &row.departures { (leave_item(leave, b.walk_minutes > 0, now)) } }
        }
    }
    .into_string()
}

/// One departure: its time, route, headsign, "in N min" and, given a walk, when to leave.
fn leave_item(leave: &Leave, walks: bool, now: i64) -> Markup {
    let d = &leave.departure;
    let soon = leave_soon(leave.leave_at_unix, now);
    let (walks, runs) = (walks && d.runs(), d.runs());
    html! {
        li.leave.go[walks && soon == LeaveSoon::Now].late[walks && soon == LeaveSoon::TooLate]
            .gone[d.leaves_unix() < now].not-running[!runs]
            data-status=[(d.status != DepartureStatus::Scheduled).then_some(d.status.as_str())] {
            time.departure-time datetime=(d.predicted_at.as_deref().unwrap_or(&d.scheduled_at)) {
                @if !d.exact { "≈ " }
                @if let Some(predicted) = predicted_time(d) { s.was { (d.local_time) } " " (predicted) }
                @else { (d.local_time) }
            }
            span class={ "route-badge " (d.route.badge_class()) } title=(route_title(&d.route)) { (d.route.label()) }
            span.headsign { (d.headsign.as_deref().unwrap_or_else(|| d.route.label())) }
            @if let Some((class, text)) = status_label(d) { span class={ "live-status " (class) } { (text) } }
            @if runs {
                span.countdown { @match minutes_until(d.leaves_unix(), now) { 0 => "now", n => { "in " (duration(n)) } } }
            }
            @if walks {
                span.leave-label {
                    @match soon {
                        LeaveSoon::In(m) => { "leave in " (duration(m)) },
                        LeaveSoon::Now => "time to go",
                        LeaveSoon::TooLate => "too late to walk",
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::model::{Bookmark, BookmarkId, BookmarkRoute, GroupId};
    use crate::transit::model::{Departure, RouteId, RouteKind, RouteSummary, StopId};

    const NOW: i64 = 1_791_288_000;

    fn leave(after_secs: i64, walk_secs: i64, headsign: &str) -> Leave {
        let route = RouteSummary {
            id: RouteId("bk:B41".into()),
            short_name: Some("B41\"><b>".into()),
            long_name: Some("Kings Plaza".into()),
            route_type: 3,
            kind: RouteKind::Bus,
            color: "#006CB7".into(),
            text_color: "#FFFFFF".into(),
            agency: None,
        };
        let departure = Departure {
            scheduled_at: "2026-10-06T08:10:00-04:00".into(),
            unix: NOW + after_secs,
            local_time: "08:10".into(),
            service_date: "2026-10-06".into(),
            route,
            headsign: Some(headsign.into()),
            trip_id: "t".into(),
            stop_id: StopId("bk:1".into()),
            platform: None,
            exact: true,
            headway_secs: None,
            status: Default::default(),
            predicted_at: None,
            delay_s: None,
            prediction_made_at: None,
            alerts: vec![],
            stop_sequence: 1,
        };
        Leave { leave_at_unix: NOW + after_secs - walk_secs, departure }
    }

    fn row(name: &str, walk_minutes: u8, departures: Vec<Leave>) -> MyBmBookmark {
        let bookmark = Bookmark {
            id: BookmarkId(7),
            group_id: GroupId(1),
            stop_id: StopId("bk:1".into()),
            stop_name: name.into(),
            in_feed: true,
            routes: vec![BookmarkRoute { id: RouteId("bk:B41".into()), name: "<B41>".into(), in_feed: false }],
            walk_minutes,
            position: 0,
        };
        MyBmBookmark { bookmark, timezone: None, departures, live: Default::default(), alerts: vec![] }
    }

    #[test]
    fn every_value_from_a_feed_or_a_user_is_escaped() {
        let html =
            row_html(&row("<script>alert(1)</script>", 0, vec![leave(600, 0, "A & B <i>")]), NOW, Some("/mybm?edit=1"));
        assert!(
            !html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>") && !html.contains("<B41>")
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("A &amp; B &lt;i&gt;"), "{html}");
        assert!(html.contains(r#"title="Bus B41&quot;&gt;&lt;b&gt; · Kings Plaza""#), "{html}");
        assert!(html.contains(r#"class="route-chip gone-route" title="No longer in the feed""#), "{html}");
    }

    #[test]
    fn departures_count_down_and_say_when_to_leave() {
        let leaves = vec![leave(-30, 0, "gone"), leave(4 * 60, 3 * 60, "go"), leave(600, 5 * 60, "later")];
        let html = row_html(&row("Stop", 5, leaves), NOW, Some("/mybm?edit=bookmark-7"));
        assert!(html.contains(r#"<li class="leave go gone">"#), "{html}");
        assert!(html.contains(r#"<li class="leave go">"#) && html.contains("time to go"), "{html}");
        assert!(html.contains("in 10 min") && html.contains("leave in 5 min"), "{html}");
        assert!(html.contains(r#"<span class="walk">5 min walk</span>"#), "{html}");
        assert!(html.contains(r#"href="/mybm?edit=bookmark-7" aria-label="Edit Stop""#), "{html}");
    }

    #[test]
    fn live_rows_show_the_prediction_the_status_and_the_alerts_and_a_failing_feed_says_so() {
        use crate::transit::model::{Live, ServiceAlert};
        let mut late = leave(10 * 60, 3 * 60, "late");
        late.departure.status = DepartureStatus::Late;
        late.departure.delay_s = Some(7 * 60);
        late.departure.predicted_at = Some("2026-10-06T08:17:00-04:00".into());
        late.leave_at_unix = late.departure.leaves_unix() - 3 * 60;
        let mut cancelled = leave(12 * 60, 3 * 60, "cancelled");
        cancelled.departure.status = DepartureStatus::Cancelled;
        let mut live = row("Stop", 3, vec![late, cancelled]);
        live.live = Live { state: LiveState::Live, updated_at: Some("2026-10-06T08:09:00-04:00".into()) };
        live.alerts = vec![ServiceAlert { header: "<b>Detour</b>".into(), description: None, url: None }];
        let html = row_html(&live, NOW, None);
        assert!(html.contains(r#"<s class="was">08:10</s> 08:17"#), "{html}");
        assert!(
            html.contains(
                r#"<span class="live-status late">7 min late</span><span class="countdown">in 17 min</span>"#
            ),
            "{html}"
        );
        assert!(html.contains("leave in 14 min"), "the walk counts from the predicted time: {html}");
        assert!(
            html.contains(r#"data-status="cancelled""#)
                && html.contains(r#"<span class="live-status cancelled">cancelled</span></li>"#),
            "{html}"
        );
        assert!(html.contains("<strong>&lt;b&gt;Detour&lt;/b&gt;</strong>"), "{html}");
        assert!(html.contains("Live times, updated 08:09"), "{html}");
        live.live.state = LiveState::Stale;
        assert!(row_html(&live, NOW, None).contains("Schedule only: live times are unavailable"));
    }

    #[test]
    fn a_row_being_edited_has_no_edit_link_and_an_empty_one_says_why() {
        let html = row_html(&row("Stop", 0, vec![]), NOW, None);
        assert!(!html.contains("edit-link"), "{html}");
        assert!(html.contains("No departures in the next day and a half."), "{html}");
    }
}
