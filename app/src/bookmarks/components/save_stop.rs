use crate::auth::session::use_session;
use crate::bookmarks::api::{SaveStop as SaveStopAction, load_stop_saving};
use crate::bookmarks::model::StopSaving;
use crate::bookmarks::validate::MAX_WALK_MINUTES;
use crate::error::AppError;
use crate::transit::model::{RouteSummary, StopId};
use crate::ui::form::{FormError, last_error};
use leptos::prelude::*;
use leptos_router::location::Url;

/// The save form's action and data, created by the stop page outside its `<Suspense>`s (see
/// [`crate::auth::session::Session::signed_in`]). Signed out, nothing is asked of the server.
#[derive(Clone, Copy)]
pub struct SaveStopData {
    save: ServerAction<SaveStopAction>,
    saving: Resource<Result<Option<StopSaving>, AppError>>,
}

impl SaveStopData {
    pub fn load(stop: impl Fn() -> StopId + Send + Sync + 'static) -> Self {
        let session = use_session();
        let save = ServerAction::<SaveStopAction>::new();
        let saving = Resource::new(
            move || (stop(), save.version().get()),
            move |(stop, _)| async move {
                match session.user.await? {
                    Some(_) => load_stop_saving(stop).await,
                    None => Ok(None),
                }
            },
        );
        Self { save, saving }
    }
}

/// The star of a stop's page: where the stop is saved, and a form to save it in a group,
/// optionally only for some of its routes, with the walk there. Signed out: a way to sign in.
#[component]
pub fn SaveStop(data: SaveStopData, stop: StopId, routes: Vec<RouteSummary>) -> impl IntoView {
    let SaveStopData { save, saving } = data;
    let routes = StoredValue::new(routes);
    let stop = StoredValue::new(stop);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match saving.await {
                    Ok(Some(saving)) => view! { <SaveForm saving save stop=stop.get_value() routes=routes.get_value()/> }.into_any(),
                    Ok(None) => {
                        let next = Url::escape(&format!("/stops/{}", stop.get_value().url_segment()));
                        view! {
                            <p class="save-note">
                                <a href=format!("/signin?next={next}")>"Sign in"</a>
                                " to save this stop to MyBM and see when to leave for it."
                            </p>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="form-error">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SaveForm(
    saving: StopSaving,
    save: ServerAction<SaveStopAction>,
    stop: StopId,
    routes: Vec<RouteSummary>,
) -> impl IntoView {
    let error = last_error(save);
    let field = move |name: &'static str| move || error.get().and_then(|e| e.field(name));
    let StopSaving { groups, saved_in } = saving;
    view! {
        <div class="save-stop" data-testid="save-stop">
            {(!saved_in.is_empty()).then(|| view! {
                <p class="saved">
                    <span aria-hidden="true">"★ "</span>"Saved in "
                    {saved_in.iter().enumerate().map(|(i, s)| view! {
                        {(i > 0).then_some(", ")}
                        <a href=format!("/mybm#group-{}", s.group_id)>{s.group_name.clone()}</a>
                    }).collect_view()}
                </p>
            })}
            <ActionForm action=save attr:class="inline-form save-form">
                <input type="hidden" name="stop_id" value=stop.0.clone()/>
                <label for="save-group">"Save in"</label>
                <select id="save-group" name="group_id">
                    {groups.into_iter().map(|g| view! { <option value=g.id.to_string()>{g.name}</option> }).collect_view()}
                </select>
                <label for="save-walk">"Walk (min)"</label>
                <input id="save-walk" name="walk_minutes" type="number" min="0" max=MAX_WALK_MINUTES.to_string() value="0" required inputmode="numeric"/>
                {(routes.len() > 1).then(|| view! {
                    <details class="save-routes">
                        <summary>"Only some routes"</summary>
                        {routes.iter().enumerate().map(|(i, r)| view! {
                            <label class="check">
                                <input type="checkbox" name=format!("route_ids[{i}]") value=r.id.0.clone()/>
                                {r.label().to_string()}
                                {r.long_name.clone().filter(|l| Some(l) != r.short_name.as_ref()).map(|l| view! { <span class="meta">" · " {l}</span> })}
                            </label>
                        }).collect_view()}
                    </details>
                })}
                <button type="submit"><span aria-hidden="true">"☆ "</span>"Save stop"</button>
                <p class="field-error" role="alert">{field("stop_id")}{field("group_id")}{field("route_ids")}{field("walk_minutes")}</p>
                <FormError error/>
            </ActionForm>
        </div>
    }
}
