//! Downloading a feed over https, conditionally (ETag / Last-Modified), into a private file
//! that is deleted when dropped. Bounded in size and time.

use super::Known;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Feeds are zips of tens of megabytes; a whole country's is a few hundred.
const MAX_DOWNLOAD_BYTES: u64 = 1 << 30;
const TIMEOUT: Duration = Duration::from_secs(300);

pub enum Download {
    NotModified,
    Fetched(Fetched),
}

pub struct Fetched {
    pub path: PathBuf,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Drop for Fetched {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub async fn fetch(url: &str, known: Option<&Known>, scratch: &Path) -> Result<Download, String> {
    crate::tls::install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("bmw/", env!("CARGO_PKG_VERSION"), " (GTFS feed refresh)"))
        .build()
        .map_err(|e| e.to_string())?;
    let mut request = client.get(url);
    if let Some(etag) = known.and_then(|k| k.etag.as_deref()) {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    if let Some(date) = known.and_then(|k| k.last_modified.as_deref()) {
        request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
    }
    let mut response = request.send().await.map_err(|e| format!("cannot download: {e}"))?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Download::NotModified);
    }
    if !response.status().is_success() {
        return Err(format!("the server answered {}", response.status()));
    }
    if response.content_length().is_some_and(|n| n > MAX_DOWNLOAD_BYTES) {
        return Err(format!("the feed is larger than {} MiB", MAX_DOWNLOAD_BYTES >> 20));
    }
    let header = |name| {
        response.headers().get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(String::from)
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    tokio::fs::create_dir_all(scratch).await.map_err(|e| format!("{}: {e}", scratch.display()))?;
    let fetched = Fetched {
        path: scratch.join(format!("download-{}-{}.zip", std::process::id(), rand_suffix())),
        etag,
        last_modified,
    };
    let mut file = tokio::fs::File::create(&fetched.path).await.map_err(|e| e.to_string())?;
    let mut written = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("the download broke off: {e}"))? {
        written += chunk.len() as u64;
        if written > MAX_DOWNLOAD_BYTES {
            return Err(format!("the feed is larger than {} MiB", MAX_DOWNLOAD_BYTES >> 20));
        }
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.sync_all().await.map_err(|e| e.to_string())?;
    Ok(Download::Fetched(fetched))
}

fn rand_suffix() -> String {
    app::ssr::crypto::token(6)
}
