use super::Problem;
use crate::transit::api::load_route;
use crate::transit::components::RouteBadge;
use crate::transit::model::StopSummary;
use crate::transit::model::{RouteDetail, RouteId};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/routes/{id}`: a route and its stops in order, per direction.
#[component]
pub fn RoutePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || RouteId(params.read().get("id").unwrap_or_default());
    let found = Resource::new(id, load_route);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the route…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(detail) => view! { <RouteView detail/> }.into_any(),
                    Err(error) => view! { <Title text="Route not found"/><Problem error what="route"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RouteView(detail: RouteDetail) -> impl IntoView {
    let RouteDetail { route, directions } = detail;
    let title = format!("{} {}", route.kind.label(), route.label());
    let long = route.long_name.clone().filter(|l| Some(l) != route.short_name.as_ref());
    view! {
        <Title text=title/>
        <section class="card" data-testid="route">
            <header class="board-head">
                <h1><RouteBadge route=route.clone()/> " " {long.unwrap_or_else(|| route.kind.label().to_string())}</h1>
                <p class="stop-facts">{route.kind.label()} {route.agency.map(|a| format!(" · {a}"))}</p>
            </header>
            {if directions.is_empty() {
                view! { <p class="empty">"This route has no scheduled trips in the feed."</p> }.into_any()
            } else {
                directions
                    .into_iter()
                    .map(|d| {
                        let heading = d.headsign.clone().map_or("Stops".to_string(), |h| format!("Towards {h}"));
                        view! {
                            <h2>{heading}</h2>
                            <RouteStops stops=d.stops/>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

/// A direction's stops as a line: compact, in order, each linking to its board.
#[component]
fn RouteStops(stops: Vec<StopSummary>) -> impl IntoView {
    view! {
        <ol class="route-stops">
            {stops
                .into_iter()
                .map(|stop| {
                    let href = format!("/stops/{}", stop.id.url_segment());
                    view! { <li><a href=href>{stop.name}</a></li> }
                })
                .collect_view()}
        </ol>
    }
}
