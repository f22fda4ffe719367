//! What the server provides to every request as Leptos context (`server/src/state.rs`).

use crate::error::AppError;

/// A service of this request. It is missing only when a page's resource runs after its request
/// has gone: the client hung up mid-render and the render's owner, with its context, was
/// disposed. Nobody waits for that answer, so it is a quiet error rather than a panic.
pub fn from_request<T: Clone + 'static>() -> Result<T, AppError> {
    leptos::prelude::use_context::<T>().ok_or_else(|| {
        AppError::Internal(format!("no {} in context: the request has ended", std::any::type_name::<T>()))
    })
}
