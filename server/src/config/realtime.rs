//! GTFS Realtime sources: which URLs to poll for which feed, how often, and with which API key.

use super::settings::TransitSettings;
use super::{ConfigError, FeedLocation, comma_separated, invalid};
use secrecy::SecretString;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RealtimeConfig {
    pub sources: Vec<RealtimeSource>,
    pub poll: Duration,
    /// Older data is not shown as live.
    pub max_age: Duration,
    pub max_bytes: usize,
}

/// One URL of one feed, and the header that carries its API key, if it needs one.
#[derive(Debug, Clone)]
pub struct RealtimeSource {
    pub feed: String,
    pub url: String,
    pub header: Option<(http::HeaderName, SecretString)>,
}

impl RealtimeConfig {
    /// `BMW_REALTIME` (`feed=URL, …`) with the headers of `BMW_REALTIME_HEADERS`
    /// (`feed=Header-Name: value, …`).
    pub(super) fn resolve(s: &TransitSettings, headers: Option<&str>) -> Result<Self, ConfigError> {
        const KEY: &str = "BMW_REALTIME";
        const HEADERS: &str = "BMW_REALTIME_HEADERS";
        let mut sources = vec![];
        for entry in comma_separated(s.realtime.as_deref()) {
            let (feed, url) = entry.split_once('=').ok_or_else(|| {
                invalid(
                    KEY,
                    format!("{entry:?}: write each source as feed=URL, e.g. caltrain=https://example.com/trips"),
                )
            })?;
            let feed = app::transit::validate::feed_name(feed.trim()).map_err(|m| invalid(KEY, m))?;
            let url = match FeedLocation::parse(url.trim()).map_err(|m| invalid(KEY, m))? {
                FeedLocation::Url(url) => url,
                FeedLocation::Path(path) => {
                    return Err(invalid(KEY, format!("{}: a real-time source is an https:// URL", path.display())));
                }
            };
            sources.push(RealtimeSource { feed, url, header: None });
        }
        for entry in comma_separated(headers) {
            // Never echo the entry: it holds a key.
            let shape = "write each as feed=Header-Name: value, e.g. caltrain=x-api-key: <key>";
            let (feed, header) = entry.split_once('=').ok_or_else(|| invalid(HEADERS, shape))?;
            let (name, value) = header.split_once(':').ok_or_else(|| invalid(HEADERS, shape))?;
            let feed = feed.trim();
            let name = http::HeaderName::try_from(name.trim())
                .map_err(|_| invalid(HEADERS, format!("{feed}: {:?} is not a header name", name.trim())))?;
            let value = value.trim();
            if http::HeaderValue::from_str(value).is_err() || value.is_empty() {
                return Err(invalid(HEADERS, format!("{feed}: the value of {name} is empty or not a header value")));
            }
            let mut named = sources.iter_mut().filter(|source| source.feed == feed).peekable();
            if named.peek().is_none() {
                return Err(invalid(HEADERS, format!("{feed} has no source in BMW_REALTIME")));
            }
            for source in named {
                source.header = Some((name.clone(), SecretString::from(value.to_string())));
            }
        }
        Ok(Self {
            sources,
            poll: Duration::from_secs(s.realtime_poll_secs),
            max_age: Duration::from_secs(s.realtime_max_age_secs),
            max_bytes: usize::try_from(s.realtime_max_bytes).unwrap_or(usize::MAX),
        })
    }

    /// The feeds that have a source.
    pub fn feeds(&self) -> Vec<String> {
        let mut feeds: Vec<String> = self.sources.iter().map(|s| s.feed.clone()).collect();
        feeds.sort_unstable();
        feeds.dedup();
        feeds
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use secrecy::ExposeSecret;

    fn realtime(values: &[(&str, &str)]) -> Result<super::RealtimeConfig, String> {
        Config::from_values(values.iter().copied()).map(|c| c.transit.realtime).map_err(|e| e.to_string())
    }

    #[test]
    fn sources_are_feed_url_pairs_and_a_feed_may_have_several() {
        let config = realtime(&[(
            "BMW_REALTIME",
            "caltrain=https://rt.example/trips, caltrain=https://rt.example/alerts, bk=http://127.0.0.1:9/x",
        )])
        .unwrap();
        assert_eq!(config.sources.len(), 3);
        assert_eq!(config.feeds(), ["bk", "caltrain"]);
        assert_eq!(config.poll.as_secs(), 30, "the default interval");
        assert_eq!(config.max_age.as_secs(), 300, "the default staleness limit");
    }

    #[test]
    fn a_key_header_goes_to_every_source_of_its_feed_and_never_into_an_error() {
        let sources = ("BMW_REALTIME", "caltrain=https://rt.example/trips,caltrain=https://rt.example/alerts");
        let config = realtime(&[sources, ("BMW_REALTIME_HEADERS", "caltrain=x-api-key: s3cret")]).unwrap();
        for source in &config.sources {
            let (name, value) = source.header.as_ref().unwrap();
            assert_eq!((name.as_str(), value.expose_secret()), ("x-api-key", "s3cret"));
        }
        let err = realtime(&[sources, ("BMW_REALTIME_HEADERS", "caltrain x-api-key s3cret")]).unwrap_err();
        assert!(err.contains("feed=Header-Name: value") && !err.contains("s3cret"), "{err}");
        let err = realtime(&[sources, ("BMW_REALTIME_HEADERS", "other=x-api-key: s3cret")]).unwrap_err();
        assert!(err.contains("other has no source") && !err.contains("s3cret"), "{err}");
    }

    #[test]
    fn sources_must_be_https_urls_of_named_feeds() {
        assert!(realtime(&[("BMW_REALTIME", "caltrain=http://rt.example/x")]).unwrap_err().contains("https"));
        assert!(realtime(&[("BMW_REALTIME", "caltrain=./rt.pb")]).unwrap_err().contains("https:// URL"));
        assert!(realtime(&[("BMW_REALTIME", "https://rt.example/x")]).unwrap_err().contains("feed=URL"));
        let err = realtime(&[("BMW_REALTIME_POLL_SECS", "0")]).unwrap_err();
        assert!(err.contains("realtime-poll-secs") && err.contains("1..=3600"), "{err}");
    }
}
