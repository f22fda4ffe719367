use crate::transit::model::RouteSummary;
use leptos::prelude::*;

/// A route's name in its own colours, linking to the route's page.
#[component]
pub fn RouteBadge(route: RouteSummary, #[prop(optional)] link: bool) -> impl IntoView {
    let class = format!("route-badge {}", route.badge_class());
    let title = route_title(&route);
    let label = route.label().to_string();
    if link {
        let href = format!("/routes/{}", route.id.url_segment());
        view! { <a class=class title=title href=href>{label}</a> }.into_any()
    } else {
        view! { <span class=class title=title>{label}</span> }.into_any()
    }
}

/// "Bus B41 · Kings Plaza - Downtown Brooklyn": the kind, the name and the long name if it says
/// more.
pub fn route_title(route: &RouteSummary) -> String {
    let long = route.long_name.as_ref().filter(|l| Some(*l) != route.short_name.as_ref());
    match long {
        Some(long) => format!("{} {} · {long}", route.kind.label(), route.label()),
        None => format!("{} {}", route.kind.label(), route.label()),
    }
}
