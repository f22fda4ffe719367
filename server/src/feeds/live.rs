//! Polls the GTFS Realtime sources (`BMW_REALTIME`) beside the server, each on its own task:
//! a conditional GET every `BMW_REALTIME_POLL_SECS`, bounded in time and size, backing off
//! after errors. A feed's newest good message from each of its sources is merged and published
//! to the transit service; a bad message is logged and dropped, and the last good data stays
//! until it is too old to be shown as live.

use super::Known;
use crate::config::{RealtimeConfig, RealtimeSource};
use app::ssr::clock::SharedClock;
use app::transit::ssr::live::LiveFeeds;
use gtfs::realtime::{FeedMessage, Realtime};
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// After errors the interval doubles, up to this many times the usual one.
const MAX_BACKOFF: u32 = 10;
/// No poll waits longer than this for its answer (nor longer than the interval).
const MAX_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Poller {
    pub config: RealtimeConfig,
    pub live: Arc<LiveFeeds>,
    pub clock: SharedClock,
}

/// The newest good message of each source, by feed and source.
type Latest = Mutex<HashMap<String, HashMap<usize, FeedMessage>>>;

/// What one poll brought.
enum Polled {
    NotModified,
    Message(Box<FeedMessage>, Known),
}

impl Poller {
    /// One task per source; aborting the returned handles stops them.
    pub fn spawn(self) -> Vec<tokio::task::JoinHandle<()>> {
        crate::tls::install_crypto_provider();
        let timeout = self.config.poll.min(MAX_TIMEOUT);
        let client = match reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("bmw/", env!("CARGO_PKG_VERSION"), " (GTFS Realtime)"))
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "cannot make an HTTP client: no real-time data");
                return vec![];
            }
        };
        let shared = Arc::new(Shared { client, latest: Latest::default(), poller: self });
        (0..shared.poller.config.sources.len()).map(|index| tokio::spawn(shared.clone().poll_forever(index))).collect()
    }
}

struct Shared {
    client: reqwest::Client,
    latest: Latest,
    poller: Poller,
}

impl Shared {
    async fn poll_forever(self: Arc<Self>, index: usize) {
        let config = &self.poller.config;
        let source = &config.sources[index];
        let mut known = Known::default();
        let mut failures = 0u32;
        loop {
            match self.poll(source, &known).await {
                Ok(Polled::NotModified) => failures = 0,
                Ok(Polled::Message(message, validators)) => {
                    failures = 0;
                    known = validators;
                    self.publish(source, index, *message);
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    tracing::warn!(feed = %source.feed, url = %without_query(&source.url), %error, failures,
                        "real-time source failed; its last good data stays until it is too old");
                }
            }
            let backoff = 2u32.saturating_pow(failures).min(MAX_BACKOFF);
            tokio::time::sleep(config.poll * backoff).await;
        }
    }

    async fn poll(&self, source: &RealtimeSource, known: &Known) -> Result<Polled, String> {
        let mut request = self.client.get(&source.url);
        if let Some((name, value)) = &source.header {
            let mut value = reqwest::header::HeaderValue::from_str(value.expose_secret())
                .map_err(|_| format!("the value of {name} is not a header value"))?;
            // Kept out of any debug output of the HTTP stack.
            value.set_sensitive(true);
            request = request.header(name, value);
        }
        if let Some(etag) = &known.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &known.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
        }
        let mut response = request.send().await.map_err(|e| format!("cannot fetch: {}", e.without_url()))?;
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Polled::NotModified);
        }
        if !response.status().is_success() {
            return Err(format!("the server answered {}", response.status()));
        }
        let limit = self.poller.config.max_bytes;
        let too_large = || format!("the message is over BMW_REALTIME_MAX_BYTES ({limit} bytes)");
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
        let validators =
            Known { etag: header(reqwest::header::ETAG), last_modified: header(reqwest::header::LAST_MODIFIED) };
        let mut body = vec![];
        let broke_off = |e: reqwest::Error| format!("the answer broke off: {}", e.without_url());
        while let Some(chunk) = response.chunk().await.map_err(broke_off)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let message = gtfs::realtime::decode(&body, limit).map_err(|e| e.to_string())?;
        Ok(Polled::Message(Box::new(message), validators))
    }

    /// Keeps `message` as the source's newest, and publishes the feed's sources merged.
    fn publish(&self, source: &RealtimeSource, index: usize, message: FeedMessage) {
        let mut latest = self.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let messages = latest.entry(source.feed.clone()).or_default();
        messages.insert(index, message);
        let mut realtime = Realtime::default();
        for message in messages.values() {
            realtime.add(message);
        }
        tracing::debug!(feed = %source.feed, trips = realtime.trips(), "real-time data updated");
        self.poller.live.publish(&source.feed, realtime, self.poller.clock.unix_secs());
    }
}

/// A source's URL as logs show it: some agencies take the API key in the query string.
fn without_query(url: &str) -> &str {
    url.split_once('?').map_or(url, |(path, _)| path)
}
