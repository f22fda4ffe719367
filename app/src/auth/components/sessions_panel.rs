use crate::auth::api::{RevokeOtherSessions, RevokeSession, list_sessions};
use crate::auth::model::SessionInfo;
use crate::auth::session::use_session;
use crate::error::AppError;
use crate::ui::format::format_utc;
use leptos::prelude::*;

/// The sessions list and its actions, created by the page outside its `<Suspense>`s (see
/// [`crate::auth::session::Session::signed_in`]).
#[derive(Clone, Copy)]
pub struct SessionsData {
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
    sessions: Resource<Result<Vec<SessionInfo>, AppError>>,
}

impl SessionsData {
    pub fn load() -> Self {
        let session = use_session();
        let revoke = ServerAction::<RevokeSession>::new();
        let revoke_others = ServerAction::<RevokeOtherSessions>::new();
        let sessions = Resource::new(
            move || (revoke.version().get(), revoke_others.version().get()),
            move |_| session.signed_in(list_sessions()),
        );
        Self { revoke, revoke_others, sessions }
    }
}

/// Where the user is signed in, with a way to end each other session.
#[component]
pub fn SessionsPanel(data: SessionsData) -> impl IntoView {
    let SessionsData { revoke, revoke_others, sessions } = data;
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => {
                            let others = list.iter().filter(|s| !s.current).count();
                            view! {
                                <ul class="sessions" data-testid="sessions">
                                    {list.into_iter().map(|s| view! { <SessionRow session=s revoke/> }).collect_view()}
                                </ul>
                                <Show when=move || { others > 0 }>
                                    <ActionForm action=revoke_others>
                                        <button type="submit" class="secondary">"Sign out everywhere else"</button>
                                    </ActionForm>
                                </Show>
                            }
                            .into_any()
                        }
                        Err(err) => view! { <p class="form-error">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionInfo, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let where_from = session.ip.clone().unwrap_or_else(|| "unknown address".into());
    view! {
        <li class="session" class:current=session.current>
            <div class="session-text">
                <strong>{session.device.clone()}</strong>
                {session.current.then(|| view! { <span class="badge">"This device"</span> })}
                <span class="meta">
                    "Last active " {format_utc(session.last_used_at)} " · from " {where_from}
                    " · signed in " {format_utc(session.created_at)}
                </span>
            </div>
            {(!session.current).then(|| view! {
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=session.id.0.clone()/>
                    <button type="submit" class="secondary small" aria-label=format!("Sign out {}", session.device)>
                        "Sign out"
                    </button>
                </ActionForm>
            })}
        </li>
    }
}
