//! Transit's pages: search (and stops near a point), a stop's departure board, a route.

mod route;
mod search;
mod stop;

pub use route::RoutePage;
pub use search::SearchPage;
pub use stop::StopPage;

use crate::error::AppError;
use leptos::prelude::*;

/// What a page shows when its stop or route does not exist (with a real 404 status) or the
/// data could not be read.
#[component]
fn Problem(error: AppError, #[prop(into)] what: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    let message = match &error {
        AppError::NotFound => format!("There is no such {what} in the imported feeds."),
        other => other.to_string(),
    };
    view! {
        <section class="card">
            <h1>{if matches!(error, AppError::NotFound) { "Not found" } else { "Something is wrong" }}</h1>
            <p class="form-error" role="alert">{message}</p>
            <p><a href="/stops">"Search stops and routes"</a></p>
        </section>
    }
}
