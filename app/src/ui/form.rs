//! Form building blocks that show errors inline, next to the field they belong to.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error of an action's last run, for the fields and the form message to show.
pub fn last_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A labelled input. `error` is the last error of the form's action; the field shows its own
/// part of it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.field(name));
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// The form-wide message, for errors that belong to no single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.form_message());
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}

/// The query parameter naming which of a page's forms failed a plain (no-JavaScript) post.
pub const FAILED_FORM: &str = "form";

/// A server action behind one form per row (rename this group, remove that stop), and which
/// row's form ran it last: hydrated, the one just submitted; after a plain form post, the one
/// the server named in the URL (see `ssr::form_redirect`). Its errors show by that row only.
pub struct RowAction<S: ServerFn + 'static> {
    pub action: ServerAction<S>,
    last_row: RwSignal<Option<String>>,
}

impl<S: ServerFn + 'static> Clone for RowAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn + 'static> Copy for RowAction<S> {}

impl<S> RowAction<S>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    /// `row` names the row an input belongs to, as the server does for plain posts.
    pub fn new(row: impl Fn(&S) -> String + Send + Sync + 'static) -> Self {
        let action = ServerAction::<S>::new();
        let failed = leptos_router::hooks::use_query_map().with_untracked(|q| q.get(FAILED_FORM));
        let last_row = RwSignal::new(failed);
        Effect::new(move || {
            if let Some(input) = action.input().get() {
                last_row.set(Some(row(&input)));
            }
        });
        Self { action, last_row }
    }

    /// The last error, if it came from `row`'s form.
    pub fn error_for(&self, row: String) -> Signal<Option<AppError>> {
        let (action, last_row) = (self.action, self.last_row);
        Signal::derive(move || {
            (last_row.read().as_deref() == Some(row.as_str()))
                .then(|| action.value().get().and_then(Result::err))
                .flatten()
        })
    }
}
