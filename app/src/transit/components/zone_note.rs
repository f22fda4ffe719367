use leptos::prelude::*;

/// Which clock the times follow: always the agency's zone. Hydrated, it also says when the
/// device's zone differs (someone planning a trip from elsewhere).
#[component]
pub fn ZoneNote(zone: String) -> impl IntoView {
    let device = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| device.set(browser_zone()));
    let shown = zone.clone();
    view! {
        <p class="zone-note" data-testid="zone-note">
            "Times are local to the agency (" {shown} ")."
            {move || {
                device
                    .get()
                    .filter(|d| *d != zone)
                    .map(|d| view! { <strong>" Your device is set to " {d} "."</strong> })
            }}
        </p>
    }
}

/// The browser's IANA zone, from `Intl.DateTimeFormat().resolvedOptions().timeZone`.
#[cfg(feature = "hydrate")]
fn browser_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into()).ok()?.as_string()
}
