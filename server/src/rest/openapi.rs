//! The OpenAPI 3.1 document of the REST API. Paths and methods come from the same
//! `#[utoipa::path]` attributes that register the handlers (`utoipa_axum::routes!`), so a route
//! cannot exist without its entry; bodies and answers come from the handlers' types. Served at
//! `/api/openapi.json`, and read by the `/api/reference` page and by the schemathesis run of
//! `cargo xtask test`, which checks every answer against it.

use app::error::ErrorBody;
use std::collections::BTreeMap;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "BMW API",
        description = "Bus · Metro · Walk: the transit catalog (public), accounts and sessions, and a \
                       signed-in user's bookmark groups.\n\n\
                       Every error answers `{error, message, fields?}`: `error` is a stable code, \
                       `message` is for people, `fields` maps input names to their messages.\n\n\
                       Sign-in sets HttpOnly cookies; a browser sends them itself. Unsafe methods \
                       from a page must come from an allowed origin (CSRF guard).",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(ErrorBody)),
    modifiers(&SessionCookie),
    tags(
        (name = "auth", description = "Accounts, sign-in sessions and passwords."),
        (name = "transit", description = "Feeds, stops, routes and departures. Public."),
        (name = "bookmarks", description = "A signed-in user's bookmark groups and the MyBM dashboard."),
    )
)]
pub struct ApiDoc;

/// The security scheme the signed-in routes name. The cookie is `__Host-bmw_access` when the
/// public origin is https, `bmw_access` otherwise; the server sets it at sign-in.
struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "bmw_access",
                "The short-lived access token set by sign-in (`__Host-bmw_access` over https). \
                 With a `bmw_refresh` cookie as well, an expired one is renewed on the way.",
            ))),
        );
    }
}

/// Why a route answers each error status, for the document.
fn why(status: u16) -> &'static str {
    match status {
        400 => "`bad_request`: the body or query cannot be read (malformed JSON, wrong types, a bad parameter).",
        401 => "`unauthorized`: not signed in, or the session has ended.",
        403 => "`csrf` or `forbidden`: an unsafe request from a page that is not trusted.",
        404 => "`not_found`: no such resource (or another user's: the same answer).",
        409 => "`conflict`: a unique value is taken; `fields` names it.",
        413 => "`payload_too_large`: the body is over the limit.",
        415 => "`unsupported_media_type`: send `Content-Type: application/json`.",
        422 => "`validation`: readable, but some fields are invalid; `fields` says which and why.",
        429 => "`throttled`: too many failed attempts; `Retry-After` says when to try again.",
        503 => "`busy`: too much password hashing queued; nothing was done. Retry after `Retry-After`.",
        _ => "An error in the usual shape.",
    }
}

fn error_responses(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|&status| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
            let response = ResponseBuilder::new().description(why(status)).content("application/json", content).build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

/// A named set of error answers, for `responses(...)` in `#[utoipa::path]`.
macro_rules! error_set {
    ($(#[$doc:meta])* $name:ident: $($status:literal),+) => {
        $(#[$doc])*
        pub struct $name;
        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                error_responses(&[$($status),+])
            }
        }
    };
}

error_set!(
    /// A public read with parameters.
    PublicRead: 400, 404
);
error_set!(
    /// A signed-in read.
    SignedInRead: 400, 401, 404
);
error_set!(
    /// A signed-in change without a body.
    SignedInAction: 401, 403, 404
);
error_set!(
    /// A signed-in change with a JSON body.
    SignedInWrite: 400, 401, 403, 404, 409, 413, 415, 422
);
error_set!(
    /// Sign-up, sign-in and password changes: throttled, and hashing can be busy.
    Credentials: 400, 401, 403, 409, 413, 415, 422, 429, 503
);

#[cfg(test)]
mod tests {
    /// The document is OpenAPI 3.1 and names routes of every feature and the error shape.
    #[test]
    fn the_document_lists_every_route() {
        let doc = crate::rest::document();
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        let paths: Vec<&str> = json["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        for path in ["/api/auth/signin", "/api/stops/{id}/departures", "/api/bm-groups/{id}/bookmarks/{bookmark_id}"] {
            assert!(paths.contains(&path), "{path} missing from {paths:?}");
        }
        assert!(json["components"]["schemas"]["ErrorBody"].is_object());
    }
}
