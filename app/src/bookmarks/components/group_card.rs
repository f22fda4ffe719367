use super::bookmark_row::{BookmarkRow, RowErrors};
use super::dashboard::use_dashboard_actions;
use crate::bookmarks::api::group_key;
use crate::bookmarks::model::{GroupChoice, GroupId, MyBmGroup};
use crate::bookmarks::validate::GROUP_NAME_CHARS;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use std::sync::Arc;

/// One group: its name, its stops with their departures, and its edit forms.
#[component]
pub fn GroupCard(group: MyBmGroup, count: usize, now: Signal<i64>, choices: Arc<Vec<GroupChoice>>) -> impl IntoView {
    let actions = use_dashboard_actions();
    let key = group_key(group.id);
    let MyBmGroup { id, name, position, bookmarks } = group;
    let (first, last) = (position == 0, position as usize + 1 >= count);
    let stops = bookmarks.len();
    let query = use_query_map();
    let here = use_location().pathname.get_untracked();
    let confirming = move || query.read().get("confirm_delete").as_deref() == Some(id.to_string().as_str());
    let errors = [
        actions.rename_group.error_for(key.clone()),
        actions.move_group.error_for(key.clone()),
        actions.delete_group.error_for(key.clone()),
    ];
    let heading_id = format!("{key}-name");
    let (up_label, down_label) = (format!("Move {name} up"), format!("Move {name} down"));
    let rename_id = format!("{key}-rename");
    let up = position.saturating_sub(1).to_string();
    let down = (position + 1).to_string();
    let rows = bookmarks.len();
    let confirm_text = match stops {
        0 => format!("Delete “{name}”? This cannot be undone."),
        1 => format!("Delete “{name}” and its stop? This cannot be undone."),
        n => format!("Delete “{name}” and its {n} stops? This cannot be undone."),
    };
    view! {
        <section class="card group" id=key aria-labelledby=heading_id data-testid="group">
            <header class="group-head">
                <h2 id=heading_id.clone()>{name.clone()}</h2>
                <div class="order-buttons">
                    <ActionForm action=actions.move_group.action>
                        <input type="hidden" name="group_id" value=id.to_string()/>
                        <input type="hidden" name="position" value=up/>
                        <button type="submit" class="icon" disabled=first aria-label=up_label>"↑"</button>
                    </ActionForm>
                    <ActionForm action=actions.move_group.action>
                        <input type="hidden" name="group_id" value=id.to_string()/>
                        <input type="hidden" name="position" value=down/>
                        <button type="submit" class="icon" disabled=last aria-label=down_label>"↓"</button>
                    </ActionForm>
                </div>
            </header>
            <RowErrors errors=errors.to_vec()/>
            {if bookmarks.is_empty() {
                view! { <p class="empty">"No stops in this group yet. Find a stop and save it here."</p> }.into_any()
            } else {
                view! {
                    <ol class="bookmarks">
                        {bookmarks
                            .into_iter()
                            .enumerate()
                            .map(|(i, bookmark)| {
                                let edge = (i == 0, i + 1 == rows);
                                view! { <BookmarkRow bookmark edge now choices=choices.clone()/> }
                            })
                            .collect_view()}
                    </ol>
                }.into_any()
            }}
            <details class="edit" open=confirming>
                <summary>"Edit group"</summary>
                <ActionForm action=actions.rename_group.action attr:class="inline-form">
                    <input type="hidden" name="group_id" value=id.to_string()/>
                    <label for=rename_id.clone()>"Name"</label>
                    <input
                        id=rename_id
                        name="name"
                        value=name
                        required
                        maxlength=GROUP_NAME_CHARS.end().to_string()
                    />
                    <button type="submit" class="secondary small">"Rename"</button>
                </ActionForm>
                <Show
                    when=confirming
                    fallback=move || view! {
                        <a class="danger-link" href=format!("?confirm_delete={id}#group-{id}")>"Delete group…"</a>
                    }
                >
                    <ConfirmDelete id text=confirm_text.clone() cancel=here.clone()/>
                </Show>
            </details>
        </section>
    }
}

/// The confirmation step of deleting a group: shown after "Delete group…" (`?confirm_delete=`).
#[component]
fn ConfirmDelete(id: GroupId, text: String, cancel: String) -> impl IntoView {
    let action = use_dashboard_actions().delete_group.action;
    view! {
        <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
            <p>{text}</p>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="group_id" value=id.to_string()/>
                <button type="submit" class="danger small">"Delete"</button>
                <a href=cancel class="button secondary small">"Cancel"</a>
            </ActionForm>
        </div>
    }
}
