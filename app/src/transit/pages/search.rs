use super::Problem;
use crate::error::AppError;
use crate::transit::api::{SearchResults, nearby, search};
use crate::transit::components::{NearMe, RouteBadge, SearchForm, StopList};
use crate::transit::model::StopSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Found {
    Nothing,
    Search(Result<SearchResults, AppError>),
    Near(Result<Vec<StopSummary>, AppError>),
}

/// `lat,lon` from a "near me" link.
fn parse_near(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    Some((lat.trim().parse().ok()?, lon.trim().parse().ok()?))
}

/// `/stops?q=…` (search) and `/stops?near=lat,lon` (stops around a point).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let near = move || query.read().get("near");
    let found = Resource::new(
        move || (q(), near()),
        |(q, near)| async move {
            match near.as_deref().map(parse_near) {
                Some(Some((lat, lon))) => Found::Near(nearby(lat, lon).await),
                Some(None) => Found::Near(Err(AppError::BadRequest("near must be lat,lon, like 37.6,-122.4.".into()))),
                None if q.trim().is_empty() => Found::Nothing,
                None => Found::Search(search(q).await),
            }
        },
    );
    view! {
        <Title text="Find a stop"/>
        <section class="card">
            <h1>"Find a stop"</h1>
            {move || view! { <SearchForm query=q() autofocus=q().is_empty()/> }}
            <NearMe/>
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Found::Nothing => view! {
                            <p class="hint">"Type a stop's name, its code or a route number: typos are fine."</p>
                        }.into_any(),
                        Found::Search(Ok(results)) => view! { <Results results query=q()/> }.into_any(),
                        Found::Search(Err(err)) => match err.field("q") {
                            Some(message) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
                            None => view! { <Problem error=err what="search"/> }.into_any(),
                        },
                        Found::Near(Ok(stops)) if stops.is_empty() => view! {
                            <p class="empty">"No stops within 500 m of you. Search by name instead."</p>
                        }.into_any(),
                        Found::Near(Ok(stops)) => view! {
                            <h2>"Stops near you"</h2>
                            <StopList stops/>
                        }.into_any(),
                        Found::Near(Err(err)) => view! { <Problem error=err what="place"/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(results: SearchResults, query: String) -> impl IntoView {
    if results.stops.is_empty() && results.routes.is_empty() {
        return view! {
            <p class="empty" data-testid="no-results">
                "Nothing matches “" {query} "”. Check the spelling, or try a stop code or a route number."
            </p>
        }
        .into_any();
    }
    view! {
        {(!results.routes.is_empty()).then(|| view! {
            <h2>"Routes"</h2>
            <div class="route-badges">
                {results.routes.into_iter().map(|route| view! { <RouteBadge route link=true/> }).collect_view()}
            </div>
        })}
        {(!results.stops.is_empty()).then(|| view! {
            <h2>"Stops"</h2>
            <StopList stops=results.stops/>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::parse_near;

    #[test]
    fn near_takes_a_latitude_and_a_longitude() {
        assert_eq!(parse_near("37.6, -122.4"), Some((37.6, -122.4)));
        assert_eq!(parse_near("37.6"), None);
        assert_eq!(parse_near("a,b"), None);
    }
}
