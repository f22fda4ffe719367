use super::group_card::GroupCard;
use super::new_group_form::NewGroupForm;
use crate::auth::session::use_session;
use crate::bookmarks::api::{
    CreateGroup, DeleteGroup, MoveBookmark, MoveGroup, RemoveBookmark, RenameGroup, SetWalk, bookmark_key, group_key,
    load_mybm,
};
use crate::bookmarks::model::{GroupChoice, MyBm};
use crate::bookmarks::page_data::MyBmPage;
use crate::error::AppError;
use crate::transit::components::{SearchForm, ZoneNote, use_ticking_now};
use crate::ui::form::RowAction;
use crate::ui::format::query_value;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use std::collections::BTreeSet;
use std::sync::Arc;

/// How often a hydrated dashboard asks for fresh departures.
const REFRESH_SECS: u64 = 30;

/// The dashboard's edit actions, for its groups and rows (Leptos context).
#[derive(Clone, Copy)]
pub struct DashboardActions {
    pub create_group: ServerAction<CreateGroup>,
    pub rename_group: RowAction<RenameGroup>,
    pub move_group: RowAction<MoveGroup>,
    pub delete_group: RowAction<DeleteGroup>,
    pub set_walk: RowAction<SetWalk>,
    pub move_bookmark: RowAction<MoveBookmark>,
    pub remove_bookmark: RowAction<RemoveBookmark>,
}

impl DashboardActions {
    fn new() -> Self {
        Self {
            create_group: ServerAction::new(),
            rename_group: RowAction::new(|i: &RenameGroup| group_key(i.group_id)),
            move_group: RowAction::new(|i: &MoveGroup| group_key(i.group_id)),
            delete_group: RowAction::new(|i: &DeleteGroup| group_key(i.group_id)),
            set_walk: RowAction::new(|i: &SetWalk| bookmark_key(i.bookmark_id)),
            move_bookmark: RowAction::new(|i: &MoveBookmark| bookmark_key(i.bookmark_id)),
            remove_bookmark: RowAction::new(|i: &RemoveBookmark| bookmark_key(i.bookmark_id)),
        }
    }
}

pub fn use_dashboard_actions() -> DashboardActions {
    expect_context()
}

/// Where a row's "Edit" and "Done" lead: this page with `?edit=` set or cleared, keeping the
/// planned moment (`?at=`) and coming back to the row (Leptos context). Hydrated, following
/// them only re-renders that row; the data is not fetched again.
#[derive(Clone)]
pub struct EditLinks {
    here: Arc<str>,
    planned: Option<Arc<str>>,
    editing: Memo<Option<String>>,
}

impl EditLinks {
    fn new(here: String, planned: Option<String>) -> Self {
        let query = use_query_map();
        let editing = Memo::new(move |_| query.read().get("edit"));
        Self { here: here.into(), planned: planned.map(Into::into), editing }
    }

    pub fn open(&self, key: &str) -> String {
        self.href(Some(key), key)
    }

    pub fn close(&self, key: &str) -> String {
        self.href(None, key)
    }

    /// Whether the row `key` is being edited.
    pub fn editing(&self, key: &str) -> Signal<bool> {
        let (key, editing) = (key.to_string(), self.editing);
        Signal::derive(move || editing.read().as_deref() == Some(key.as_str()))
    }

    fn href(&self, edit: Option<&str>, anchor: &str) -> String {
        let at = self.planned.as_deref().map(|at| format!("at={}", query_value(at)));
        let params: Vec<String> = at.into_iter().chain(edit.map(|key| format!("edit={key}"))).collect();
        let query = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
        format!("{}{query}#{anchor}", self.here)
    }
}

pub fn use_edit_links() -> EditLinks {
    expect_context()
}

/// The dashboard's data and actions, created by the page outside its `<Suspense>`s (see
/// [`crate::auth::session::Session::signed_in`]). `?at=` (RFC 3339) plans ahead: the
/// departures from that moment, frozen there.
#[derive(Clone, Copy)]
pub struct MyBmData {
    actions: DashboardActions,
    data: Resource<Result<MyBmPage, AppError>>,
    planned: Signal<Option<String>>,
}

impl MyBmData {
    pub fn load() -> Self {
        let session = use_session();
        let actions = DashboardActions::new();
        provide_context(actions);
        let created = actions.create_group.version();
        let query = use_query_map();
        let planned = Signal::derive(move || query.read().get("at").filter(|a| !a.trim().is_empty()));
        let data =
            Resource::new(move || (created.get(), planned.get()), move |(_, at)| session.signed_in(load_mybm(at)));
        Self { actions, data, planned }
    }
}

/// MyBM: every group with each stop's next departures and when to leave. Hydrated, it refreshes
/// every 30 s, the minutes count down in between, and edits show at once (rolled back if the
/// server refuses them); without JavaScript it is a complete page with a refresh link.
#[component]
pub fn Dashboard(mybm: MyBmData) -> impl IntoView {
    let MyBmData { actions, data, planned } = mybm;
    #[cfg(feature = "hydrate")]
    live::keep_live(data, actions, planned);
    #[cfg(not(feature = "hydrate"))]
    let _ = REFRESH_SECS;
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading your stops…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(MyBmPage(board)) => view! { <Groups board planned=planned.get_untracked()/> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
        <NewGroupForm action=actions.create_group/>
    }
}

#[component]
fn Groups(board: MyBm, planned: Option<String>) -> impl IntoView {
    let now = if planned.is_some() { Signal::stored(board.at_unix) } else { use_ticking_now(board.at_unix) };
    let here = use_location().pathname.get_untracked();
    let saved_any = board.groups.iter().any(|g| !g.bookmarks.is_empty());
    let zones: BTreeSet<String> =
        board.groups.iter().flat_map(|g| &g.bookmarks).filter_map(|b| b.timezone.clone()).collect();
    let choices: Arc<Vec<GroupChoice>> =
        Arc::new(board.groups.iter().map(|g| GroupChoice { id: g.id, name: g.name.clone() }).collect());
    let count = board.groups.len();
    provide_context(EditLinks::new(here.clone(), planned.clone()));
    view! {
        <div class="mybm-bar">
            {zones.into_iter().map(|zone| view! { <ZoneNote zone/> }).collect_view()}
            {match planned {
                Some(at) => {
                    let shown = at.replacen('T', " ", 1);
                    view! {
                    <p class="planned" data-testid="planned">"Departures from " <time datetime=at>{shown}</time></p>
                    <a href=here class="button secondary small">"Back to now"</a>
                }.into_any()
                }
                None => view! { <a href=here data-testid="refresh" class="button secondary small">"Refresh"</a> }.into_any(),
            }}
        </div>
        {(!saved_any).then(|| view! {
            <section class="card empty-state">
                <h2>"No stops saved yet"</h2>
                <p>"Find your stop, open it, and press “Save stop”. Its next departures, and when to leave for them, will show here."</p>
                <SearchForm/>
            </section>
        })}
        {board
            .groups
            .into_iter()
            .map(|group| view! { <GroupCard group count now choices=choices.clone()/> })
            .collect_view()}
    }
}

/// The hydrated dashboard's live behaviour.
#[cfg(feature = "hydrate")]
mod live {
    use super::{DashboardActions, REFRESH_SECS};
    use crate::bookmarks::{edit, model::MyBm, page_data::MyBmPage, validate};
    use crate::error::AppError;
    use leptos::prelude::*;
    use leptos::server_fn::ServerFn;

    type Data = Resource<Result<MyBmPage, AppError>>;

    pub fn keep_live(data: Data, a: DashboardActions, planned: Signal<Option<String>>) {
        let refresh = move || {
            if planned.get_untracked().is_none() && !editing() {
                data.refetch();
            }
        };
        if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_secs(REFRESH_SECS)) {
            on_cleanup(move || handle.clear());
        }
        optimistic(data, a.rename_group.action, |m, i| edit::rename_group(m, i.group_id, &i.name));
        optimistic(data, a.move_group.action, |m, i| edit::move_group(m, i.group_id, i.position));
        optimistic(data, a.delete_group.action, |m, i| edit::delete_group(m, i.group_id));
        optimistic(data, a.set_walk.action, |m, i| {
            if let Ok(minutes) = validate::walk_minutes(i.walk_minutes) {
                edit::set_walk(m, i.bookmark_id, minutes);
            }
        });
        optimistic(data, a.move_bookmark.action, |m, i| {
            edit::move_bookmark(m, i.bookmark_id, i.to.unwrap_or(i.group_id), i.position);
        });
        optimistic(data, a.remove_bookmark.action, |m, i| edit::remove_bookmark(m, i.bookmark_id));
    }

    /// A refresh re-renders the groups, which would lose what someone is typing in an edit
    /// panel.
    fn editing() -> bool {
        document().query_selector("details.edit[open], .editor").ok().flatten().is_some()
    }

    /// Shows an action's change as soon as it is sent; if the server refuses it, the page goes
    /// back to the server's data (and the row shows why).
    fn optimistic<S>(data: Data, action: ServerAction<S>, apply: impl Fn(&mut MyBm, &S) + 'static)
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        Effect::new(move || {
            if let Some(input) = action.input().get() {
                data.update(|d| {
                    if let Some(Ok(board)) = d {
                        apply(board, &input);
                    }
                });
            }
        });
        Effect::new(move || {
            if matches!(action.value().get(), Some(Err(_))) {
                data.refetch();
            }
        });
    }
}
