//! The reference page's server function.

use crate::api_docs::model::ApiReference;
use crate::error::AppError;
use leptos::prelude::*;

/// The REST API's reference, read from its OpenAPI document once per server.
#[server(prefix = "/api/fn", endpoint = "api_reference", client = crate::client::ApiClient)]
pub async fn load_api_reference() -> Result<ApiReference, AppError> {
    let document = crate::ssr::context::from_request::<crate::api_docs::ssr::Document>()?;
    Ok(document.reference().clone())
}
