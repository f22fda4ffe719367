use leptos::prelude::*;

/// "Near me": asks the browser where we are, then shows the stops around. Needs JavaScript,
/// so it only appears once the page is hydrated.
#[component]
pub fn NearMe() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    Effect::new(move |_| hydrated.set(true));
    let locate = move |_| {
        status.set(Some("Finding where you are…".into()));
        #[cfg(feature = "hydrate")]
        locate_then_go(status);
    };
    view! {
        <Show when=move || hydrated.get()>
            <div class="near-me">
                <button type="button" class="secondary" on:click=locate data-testid="near-me">"Stops near me"</button>
                <span class="near-me-status" role="status">{move || status.get()}</span>
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
fn locate_then_go(status: RwSignal<Option<String>>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(geolocation) = window().navigator().geolocation().ok() else {
        status.set(Some("This browser cannot share its location.".into()));
        return;
    };
    let navigate = leptos_router::hooks::use_navigate();
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let c = position.coords();
        navigate(&format!("/stops?near={:.6},{:.6}", c.latitude(), c.longitude()), Default::default());
    });
    let failed = Closure::once_into_js(move |_: web_sys::PositionError| {
        status.set(Some("Location is unavailable or was refused. Search by name instead.".into()));
    });
    if geolocation
        .get_current_position_with_error_callback(found.unchecked_ref(), Some(failed.unchecked_ref()))
        .is_err()
    {
        status.set(Some("This browser cannot share its location.".into()));
    }
}
