use super::{RouteBadge, predicted_time, status_label};
use crate::transit::model::Departure;
use leptos::prelude::*;

/// Whole minutes from `now` until `unix`, never negative.
pub fn minutes_until(unix: i64, now: i64) -> i64 {
    ((unix - now).max(0) + 30) / 60
}

/// "Now" in Unix seconds: `initial` on the server and while hydrating (so both render the
/// same), then the browser's clock, every 15 seconds.
pub fn use_ticking_now(initial: i64) -> Signal<i64> {
    let now = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tick = move || now.set((js_sys::Date::now() / 1000.0) as i64);
        tick();
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(15)) {
            on_cleanup(move || handle.clear());
        }
    });
    now.into()
}

/// The departures of a board. With `now`, each says "in N min" and counts down.
#[component]
pub fn DepartureList(departures: Vec<Departure>, now: Option<Signal<i64>>) -> impl IntoView {
    view! {
        <ol class="departures" data-testid="departures">
            {departures
                .into_iter()
                .map(|d| {
                    let unix = d.leaves_unix();
                    let countdown = now.filter(|_| d.runs()).map(|now| {
                        view! {
                            <span class="countdown">
                                {move || match minutes_until(unix, now.get()) {
                                    0 => "now".to_string(),
                                    n if n < 60 => format!("in {n} min"),
                                    n => format!("in {} h {} min", n / 60, n % 60),
                                }}
                            </span>
                        }
                    });
                    let every = d.headway_secs.map(|s| format!("every {} min", s.div_ceil(60)));
                    let status = status_label(&d)
                        .map(|(class, text)| view! { <span class=format!("live-status {class}")>{text}</span> });
                    let predicted = predicted_time(&d).map(String::from);
                    let (scheduled, datetime) = (d.local_time.clone(), d.predicted_at.clone().unwrap_or(d.scheduled_at.clone()));
                    let (runs, status_name) = (d.runs(), d.status.as_str());
                    // The alert itself is above the list; a departure only points to it.
                    let alerts = d.alerts.iter().map(|a| a.header.as_str()).collect::<Vec<_>>().join(" · ");
                    let alert = (!alerts.is_empty()).then(|| {
                        let title = alerts.clone();
                        view! {
                            <span class="alert-mark" title=title>
                                "⚠ Alert"<span class="visually-hidden">": " {alerts}</span>
                            </span>
                        }
                    });
                    view! {
                        <li class="departure" class:not-running=!runs data-status=status_name>
                            <time class="departure-time" datetime=datetime>
                                {(!d.exact).then_some("≈ ")}
                                {match predicted {
                                    Some(at) => view! { <s class="was">{scheduled}</s> " " {at} }.into_any(),
                                    None => scheduled.into_any(),
                                }}
                            </time>
                            <RouteBadge route=d.route.clone() link=true/>
                            <span class="headsign">{d.headsign.clone().unwrap_or_else(|| d.route.label().to_string())}</span>
                            <span class="departure-meta">
                                {status}
                                {countdown}
                                {d.platform.map(|p| view! { <span class="platform">"Platform " {p}</span> })}
                                {every.map(|e| view! { <span>{e}</span> })}
                                {alert}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::minutes_until;

    #[test]
    fn minutes_round_to_the_nearest_and_never_go_negative() {
        assert_eq!(minutes_until(1_000, 1_000), 0);
        assert_eq!(minutes_until(1_089, 1_000), 1);
        assert_eq!(minutes_until(1_600, 1_000), 10);
        assert_eq!(minutes_until(900, 1_000), 0);
    }
}
