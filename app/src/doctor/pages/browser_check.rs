use crate::doctor::api::{check_probe, set_probe};
use leptos::prelude::*;

/// What this browser did with the probe cookie.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// The API's answer could not be read: network, TLS or CORS.
    Blocked(String),
    /// `stored` is whether the cookie came back on the next credentialed request.
    Done { set_cookie: String, api_origin: String, stored: bool },
}

/// The truth test: the API sets a probe cookie with the session cookies' exact attributes, and
/// the next credentialed request tells whether the browser stored it and sent it back. Needs
/// JavaScript, so the button only works once hydrated.
#[component]
pub fn BrowserCheck() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let run = Action::new_local(|_: &()| async move {
        let probe = match set_probe().await {
            Ok(probe) => probe,
            Err(err) => return Outcome::Blocked(err.to_string()),
        };
        match check_probe(probe.value).await {
            Ok(stored) => Outcome::Done { set_cookie: probe.set_cookie, api_origin: probe.api_origin, stored },
            Err(err) => Outcome::Blocked(err.to_string()),
        }
    });
    view! {
        <section class="card doctor">
            <h2>"Test this browser"</h2>
            <p class="hint">
                "Asks this deployment's API to set a cookie exactly like its session cookie, then whether this \
                 browser sent it back. Needs JavaScript."
            </p>
            <button type="button" class="secondary" data-testid="doctor-browser-check"
                disabled=move || !hydrated.get() || run.pending().get()
                on:click=move |_| { run.dispatch(()); }>
                "Test this browser"
            </button>
            <div role="status" data-testid="doctor-browser-result">
                {move || run.value().get().map(|outcome| match outcome {
                    Outcome::Blocked(err) => view! {
                        <p class="form-error"><span class="status status-fail">"fail"</span>
                            " The API's answer could not be read (network, certificate or CORS): " {err}</p>
                    }.into_any(),
                    Outcome::Done { set_cookie, api_origin, stored } => view! {
                        <ul class="doctor-browsers">
                            <li><span class="status status-pass">"pass"</span>
                                " CORS allowed it: this page read the answer of " <code>{api_origin}</code> "."</li>
                            <li><span class=if stored { "status status-pass" } else { "status status-fail" }>{if stored { "pass" } else { "fail" }}</span>
                                {if stored {
                                    " The browser stored the cookie and sent it back."
                                } else {
                                    " The browser did not send the cookie back: it refused to store it, or to send it to the API."
                                }}</li>
                            <li class="hint">"The cookie: " <code>{set_cookie}</code></li>
                        </ul>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
