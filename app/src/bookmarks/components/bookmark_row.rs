use super::dashboard::{use_dashboard_actions, use_edit_links};
use super::row_html::row_html;
use crate::bookmarks::api::bookmark_key;
use crate::bookmarks::model::{Bookmark, GroupChoice, MyBmBookmark};
use crate::bookmarks::validate::MAX_WALK_MINUTES;
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

/// One saved stop: its name, the routes it is narrowed to, the walk and the next departures with
/// when to leave, as one string ([`row_html`]) that the browser renders again as the clock ticks.
/// Its edit forms are rendered only while it is being edited (`?edit=bookmark-N`, see
/// [`EditLinks`]): MyBM is read far more often than it is edited, and twenty rows of forms were
/// most of the page. `edge` says whether it is first and last in its group.
#[component]
pub fn BookmarkRow(
    bookmark: MyBmBookmark,
    edge: (bool, bool),
    now: Signal<i64>,
    choices: Arc<Vec<GroupChoice>>,
) -> impl IntoView {
    let links = use_edit_links();
    let key = bookmark_key(bookmark.bookmark.id);
    let (editing, edit_href) = (links.editing(&key), links.open(&key));
    let (in_feed, editor) = (bookmark.bookmark.in_feed, bookmark.bookmark.clone());
    let body = move || row_html(&bookmark, now.get(), (!editing.get()).then_some(edit_href.as_str()));
    let id = key.clone();
    view! {
        <li class="bookmark" class:gone-stop=!in_feed id=id data-testid="bookmark">
            <div class="bookmark-body" inner_html=body></div>
            {move || editing.get().then(|| {
                let actions = use_dashboard_actions();
                let errors = vec![
                    actions.set_walk.error_for(key.clone()),
                    actions.move_bookmark.error_for(key.clone()),
                    actions.remove_bookmark.error_for(key.clone()),
                ];
                view! {
                    <RowErrors errors/>
                    <BookmarkEditor bookmark=editor.clone() edge choices=choices.clone()/>
                }
            })}
        </li>
    }
}

/// A saved stop's edit forms: order, walk, group, removal. Each is a plain form, so all of it
/// works without JavaScript.
#[component]
fn BookmarkEditor(bookmark: Bookmark, edge: (bool, bool), choices: Arc<Vec<GroupChoice>>) -> impl IntoView {
    let actions = use_dashboard_actions();
    let b = bookmark;
    let key = bookmark_key(b.id);
    let ids = move || {
        view! {
            <input type="hidden" name="group_id" value=b.group_id.to_string()/>
            <input type="hidden" name="bookmark_id" value=b.id.to_string()/>
        }
    };
    let others: Vec<GroupChoice> = choices.iter().filter(|g| g.id != b.group_id).cloned().collect();
    let name = b.stop_name.clone();
    let (up_label, down_label) = (format!("Move {name} up"), format!("Move {name} down"));
    let (walk_id, to_id) = (format!("{key}-walk"), format!("{key}-to"));
    view! {
        <div class="editor" role="group" aria-label=format!("Edit {name}")>
            <div class="editor-head">
                <span>"Order in the group"</span>
                <div class="order-buttons">
                    <ActionForm action=actions.move_bookmark.action>
                        {ids()}
                        <input type="hidden" name="position" value=b.position.saturating_sub(1).to_string()/>
                        <button type="submit" class="icon" disabled=edge.0 aria-label=up_label>"↑"</button>
                    </ActionForm>
                    <ActionForm action=actions.move_bookmark.action>
                        {ids()}
                        <input type="hidden" name="position" value=(b.position + 1).to_string()/>
                        <button type="submit" class="icon" disabled=edge.1 aria-label=down_label>"↓"</button>
                    </ActionForm>
                </div>
                <a class="edit-link" href=use_edit_links().close(&key)>"Done"</a>
            </div>
            <ActionForm action=actions.set_walk.action attr:class="inline-form">
                {ids()}
                <label for=walk_id.clone()>"Walk to the stop (min)"</label>
                <input
                    id=walk_id
                    name="walk_minutes"
                    type="number"
                    min="0"
                    max=MAX_WALK_MINUTES.to_string()
                    value=b.walk_minutes.to_string()
                    required
                    inputmode="numeric"
                />
                <button type="submit" class="secondary small">"Save"</button>
            </ActionForm>
            {(!others.is_empty()).then(|| view! {
                <ActionForm action=actions.move_bookmark.action attr:class="inline-form">
                    {ids()}
                    <label for=to_id.clone()>"Move to"</label>
                    <select id=to_id name="to">
                        {others.into_iter().map(|g| view! { <option value=g.id.to_string()>{g.name}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="secondary small">"Move"</button>
                </ActionForm>
            })}
            <ActionForm action=actions.remove_bookmark.action attr:class="inline-form">
                {ids()}
                <button type="submit" class="danger small">"Remove from MyBM"</button>
            </ActionForm>
        </div>
    }
}

/// The messages of a row's failed edits, shown by the row.
#[component]
pub fn RowErrors(errors: Vec<Signal<Option<AppError>>>) -> impl IntoView {
    let message = Signal::derive(move || errors.iter().find_map(|e| e.get()).map(|e| e.summary()));
    view! {
        <Show when=move || message.read().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}
