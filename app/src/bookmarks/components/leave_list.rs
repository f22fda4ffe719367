use crate::bookmarks::model::{Leave, TIME_TO_GO_MINUTES};
use crate::transit::components::{RouteBadge, minutes_until};
use leptos::prelude::*;

/// When to walk out of the door, at `now`, for a departure one must leave for at `leave_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveSoon {
    In(i64),
    /// Within [`TIME_TO_GO_MINUTES`], or just past: go now.
    Now,
    /// Too late to walk there in time.
    TooLate,
}

pub fn leave_soon(leave_at: i64, now: i64) -> LeaveSoon {
    let minutes = (leave_at - now).div_euclid(60);
    match minutes {
        m if m > TIME_TO_GO_MINUTES => LeaveSoon::In(m),
        m if m >= -1 => LeaveSoon::Now,
        _ => LeaveSoon::TooLate,
    }
}

/// A bookmark's next departures, each with "in N min" and, given a walk, "leave in N min",
/// counting down with `now`. Departures already gone are hidden until the next refresh.
#[component]
pub fn LeaveList(leaves: Vec<Leave>, walk_minutes: u8, now: Signal<i64>) -> impl IntoView {
    view! {
        <ol class="leaves">
            {leaves
                .into_iter()
                .map(|leave| {
                    let (departs, leave_at) = (leave.departure.unix, leave.leave_at_unix);
                    let d = leave.departure;
                    let soon = move || leave_soon(leave_at, now.get());
                    let label = move || match soon() {
                        LeaveSoon::In(m) => format!("leave in {}", duration(m)),
                        LeaveSoon::Now => "time to go".to_string(),
                        LeaveSoon::TooLate => "too late to walk".to_string(),
                    };
                    let walks = walk_minutes > 0;
                    view! {
                        <li
                            class="leave"
                            class:go=move || walks && soon() == LeaveSoon::Now
                            class:late=move || walks && soon() == LeaveSoon::TooLate
                            class:gone=move || departs < now.get()
                        >
                            <time class="departure-time" datetime=d.scheduled_at.clone()>
                                {(!d.exact).then_some("≈ ")}{d.local_time.clone()}
                            </time>
                            <RouteBadge route=d.route.clone()/>
                            <span class="headsign">{d.headsign.clone().unwrap_or_else(|| d.route.label().to_string())}</span>
                            <span class="countdown">
                                {move || match minutes_until(departs, now.get()) {
                                    0 => "now".to_string(),
                                    n => format!("in {}", duration(n)),
                                }}
                            </span>
                            {walks.then(|| view! { <span class="leave-label">{label}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// "7 min", or "2 h 05 min" for a departure tomorrow morning.
fn duration(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m => format!("{} h {:02} min", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_waits_are_in_hours() {
        assert_eq!(duration(59), "59 min");
        assert_eq!(duration(60), "1 h 00 min");
        assert_eq!(duration(1170), "19 h 30 min");
    }

    #[test]
    fn time_to_go_starts_two_minutes_ahead_and_ends_just_after() {
        let now = 1_000_000;
        assert_eq!(leave_soon(now + 10 * 60, now), LeaveSoon::In(10));
        assert_eq!(leave_soon(now + 3 * 60, now), LeaveSoon::In(3));
        assert_eq!(leave_soon(now + 2 * 60 + 59, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now - 60, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now - 61, now), LeaveSoon::TooLate);
    }
}
