//! `/doctor`: the offline verdict for two origins a person types (a plain GET form, so it works
//! without JavaScript), and, once hydrated, the truth test of this browser against this
//! deployment's own API.

mod analysis_view;
mod browser_check;

use crate::doctor::api::analyse_origins;
use analysis_view::AnalysisView;
use browser_check::BrowserCheck;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DoctorPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let analysis = Resource::new(
        move || (param("page"), param("api")),
        |(page, api)| async move { analyse_origins(page, api).await },
    );
    view! {
        <Title text="Cookie and CORS doctor"/>
        <section class="card doctor">
            <h1>"Cookie and CORS doctor"</h1>
            <p class="hint">
                "Type the origin your pages are served from and the origin of the API they call. The verdict is \
                 worked out here from the two names alone: nothing is sent to those hosts. Leave both empty for \
                 this deployment."
            </p>
            <form method="GET" action="/doctor" class="doctor-form">
                <div class="field">
                    <label for="doctor-page">"Page origin"</label>
                    <input id="doctor-page" name="page" type="url" inputmode="url" placeholder="http://localhost:3000"
                        value=move || param("page") maxlength="273" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="doctor-api">"API origin"</label>
                    <input id="doctor-api" name="api" type="url" inputmode="url" placeholder="http://localhost:8080 (empty: same origin)"
                        value=move || param("api") maxlength="273" autocomplete="off"/>
                </div>
                <button type="submit">"Diagnose"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Working it out…"</p> }>
                {move || Suspend::new(async move {
                    match analysis.await {
                        Ok(analysis) => view! { <AnalysisView analysis/> }.into_any(),
                        Err(err) => view! { <p class="form-error" role="alert" data-testid="doctor-error">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <BrowserCheck/>
    }
}
