use crate::transit::model::StopSummary;
use leptos::prelude::*;

/// Stops as a list of links to their boards.
#[component]
pub fn StopList(stops: Vec<StopSummary>) -> impl IntoView {
    view! {
        <ul class="stop-list" data-testid="stop-list">
            {stops
                .into_iter()
                .map(|stop| {
                    let href = format!("/stops/{}", stop.id.url_segment());
                    let distance = stop.distance_m.map(|m| format!("{} m", m.round() as i64));
                    let code = stop.code.clone().filter(|c| !c.is_empty() && !stop.is_station);
                    view! {
                        <li>
                            <a href=href class="stop-link">
                                <span class="stop-name">{stop.name.clone()}</span>
                                <span class="stop-meta">
                                    {stop.is_station.then_some(view! { <span class="badge">"Station"</span> })}
                                    {code.map(|c| view! { <span>"Stop " {c}</span> })}
                                    {distance.map(|d| view! { <span>{d}</span> })}
                                    <span class="feed-name">{stop.id.parts().map(|(feed, _)| feed.to_string())}</span>
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
