//! The reference page's server function.

use crate::api_docs::model::ApiReference;
use crate::error::AppError;
use leptos::prelude::*;

/// The REST API's reference, read from its OpenAPI document once per process.
#[server(prefix = "/api/fn", endpoint = "api_reference", client = crate::client::ApiClient)]
pub async fn load_api_reference() -> Result<ApiReference, AppError> {
    use crate::ssr::web_policy::WebPolicy;
    let document = crate::ssr::context::from_request::<crate::api_docs::ssr::Document>()?;
    let policy = crate::ssr::context::from_request::<std::sync::Arc<WebPolicy>>()?;
    let origin = if policy.api_origin == policy.public_origin { String::new() } else { policy.api_origin.to_string() };
    Ok(ApiReference { document_url: format!("{origin}/api/openapi.json"), ..document.reference().clone() })
}
