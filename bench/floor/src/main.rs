//! `bench-floor <addr> <jwt key file>`: `/healthz`, and `/api/auth/me` doing the same HS256
//! cookie check as BMW (algorithm pinned; `iss`, `aud` and `exp` required and checked) on the
//! same key, so one signed-in cookie works on both. No database: the floor does not look the
//! session up, which BMW must (revocation is immediate).

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct Claims {
    sub: String,
}

struct Keys {
    key: DecodingKey,
    validation: Validation,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(key_file)) = (args.next(), args.next()) else {
        return Err("usage: bench-floor <addr> <jwt key file>".into());
    };
    let secret = std::fs::read_to_string(&key_file)?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["bmw"]);
    validation.set_audience(&["bmw"]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let keys = Arc::new(Keys { key: DecodingKey::from_secret(secret.trim_end().as_bytes()), validation });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/auth/me", get(move |headers: HeaderMap| me(keys.clone(), headers)));
    axum::serve(tokio::net::TcpListener::bind(addr).await?, app).await?;
    Ok(())
}

async fn me(keys: Arc<Keys>, headers: HeaderMap) -> Response {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == "bmw_access" || c.name() == "__Host-bmw_access")
        .map(|c| c.value().to_string());
    let claims = token.and_then(|t| jsonwebtoken::decode::<Claims>(&t, &keys.key, &keys.validation).ok());
    match claims {
        Some(data) => axum::Json(serde_json::json!({ "user": { "id": data.claims.sub } })).into_response(),
        None => (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "unauthorized" }))).into_response(),
    }
}
