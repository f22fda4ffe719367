//! How a departure's real-time status reads, the same on a stop's board (Leptos views) and on
//! MyBM's rows (strings): "7 min late", "cancelled", and the predicted clock time.

use crate::transit::model::{Departure, DepartureStatus, Live, LiveState, ServiceAlert};
use leptos::prelude::*;

/// The status chip's class and words; none for a departure the real-time feed says nothing of.
pub fn status_label(d: &Departure) -> Option<(&'static str, String)> {
    let minutes = || (d.delay_s.unwrap_or_default().abs() + 30) / 60;
    Some(match d.status {
        DepartureStatus::Scheduled => return None,
        DepartureStatus::OnTime => ("on-time", "on time".to_string()),
        DepartureStatus::Late => ("late", format!("{} min late", minutes())),
        DepartureStatus::Early => ("early", format!("{} min early", minutes())),
        DepartureStatus::Cancelled => ("cancelled", "cancelled".to_string()),
        DepartureStatus::Skipped => ("skipped", "skips this stop".to_string()),
        DepartureStatus::Added => ("added", "extra trip".to_string()),
    })
}

/// "08:17": the predicted time on the agency's clock, when it differs from the timetable's.
pub fn predicted_time(d: &Departure) -> Option<&str> {
    let local = d.predicted_at.as_deref()?.get(11..16)?;
    (local != d.local_time).then_some(local)
}

/// What a page says about where its times come from.
pub fn live_note(live: &Live) -> (&'static str, String) {
    let since = live.updated_at.as_deref().and_then(|at| at.get(11..16));
    match (live.state, since) {
        (LiveState::Live, Some(at)) => ("live", format!("Live times, updated {at}")),
        (LiveState::Live, None) => ("live", "Live times".to_string()),
        (LiveState::Stale, Some(at)) => {
            ("schedule-only", format!("Schedule only: live times are unavailable (last update {at})"))
        }
        (LiveState::Stale, None) => ("schedule-only", "Schedule only: live times are unavailable".to_string()),
        (LiveState::Off, _) => ("schedule-only", "Schedule only: this feed has no live times".to_string()),
    }
}

/// "Live times, updated 08:09", or "Schedule only" and why.
#[component]
pub fn LiveNote(live: Live) -> impl IntoView {
    let (class, text) = live_note(&live);
    view! { <p class=format!("live-note {class}") data-testid="live-note">{text}</p> }
}

/// Service alerts, each with its description and link when it has them.
#[component]
pub fn AlertList(alerts: Vec<ServiceAlert>) -> impl IntoView {
    (!alerts.is_empty()).then(|| {
        view! {
            <ul class="alerts" aria-label="Service alerts" data-testid="alerts">
                {alerts
                    .into_iter()
                    .map(|alert| {
                        view! {
                            <li class="alert">
                                <strong>{alert.header}</strong>
                                {alert.description.map(|d| view! { <p>{d}</p> })}
                                {alert.url.map(|url| view! { <a href=url rel="noopener noreferrer nofollow">"More"</a> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_notes_say_where_the_times_come_from() {
        let live = Live { state: LiveState::Live, updated_at: Some("2026-10-06T08:09:30-04:00".into()) };
        assert_eq!(live_note(&live), ("live", "Live times, updated 08:09".into()));
        let stale = Live { state: LiveState::Stale, ..live };
        assert!(live_note(&stale).1.starts_with("Schedule only: live times are unavailable"));
        assert!(live_note(&Live::default()).1.contains("no live times"));
    }
}
