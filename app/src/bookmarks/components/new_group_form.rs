use crate::bookmarks::api::CreateGroup;
use crate::ui::form::{Field, FormError, last_error};
use leptos::prelude::*;

/// Adds a group (at the end). Hydrated, the form empties once the group is added.
#[component]
pub fn NewGroupForm(action: ServerAction<CreateGroup>) -> impl IntoView {
    let error = last_error(action);
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_)))
            && let Some(form) = form.get_untracked()
        {
            form.reset();
        }
    });
    view! {
        <section class="card new-group">
            <h2>"New group"</h2>
            <ActionForm action node_ref=form attr:class="inline-form">
                <Field label="Name" name="name" hint="Such as Home, Work or Gym." error/>
                <FormError error/>
                <button type="submit">"Add group"</button>
            </ActionForm>
        </section>
    }
}
