//! Keeps the configured feeds (`BMW_FEEDS`) present and fresh, beside the server: at start,
//! imports each feed the catalog does not have yet; then, every `BMW_FEED_REFRESH_SECS`,
//! asks each URL feed's server whether it changed (a conditional GET) and imports it if so.
//! A failure is logged and the previous version keeps serving.

use super::{FeedError, Job, Known, Outcome, import_from};
use crate::config::{ConfiguredFeed, FeedLocation};
use app::ssr::clock::SharedClock;
use app::ssr::db::Db;
use app::transit::ssr::import::ImportOptions;
use app::transit::ssr::store;
use std::path::PathBuf;
use std::time::Duration;

pub struct Refresher {
    pub catalog: Db,
    pub feeds: Vec<ConfiguredFeed>,
    pub every: Duration,
    /// Where downloads go while they are imported.
    pub scratch: PathBuf,
    pub clock: SharedClock,
}

impl Refresher {
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run())
    }

    async fn run(self) {
        for feed in &self.feeds {
            let present = match self.catalog.acquire().await {
                Ok(mut conn) => store::active_feed(&mut conn, &feed.name).await,
                Err(error) => Err(error.into()),
            };
            match present {
                Ok(Some(_)) => {}
                Ok(None) => self.report(feed, self.fetch_and_import(feed, None, true).await),
                Err(error) => tracing::error!(feed = %feed.name, %error, "cannot read the catalog"),
            }
        }
        if !self.feeds.iter().any(|f| matches!(f.source, FeedLocation::Url(_))) {
            return;
        }
        let mut ticks = tokio::time::interval(self.every);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            for feed in self.feeds.iter().filter(|f| matches!(f.source, FeedLocation::Url(_))) {
                self.report(feed, self.refresh(feed).await);
            }
        }
    }

    /// Asks the feed's server whether it changed since our version, and imports it if so.
    pub async fn refresh(&self, feed: &ConfiguredFeed) -> Result<Outcome, FeedError> {
        let known = self.known(&feed.name).await;
        self.fetch_and_import(feed, Some(known), false).await
    }

    /// The validators stored with the feed's current version.
    async fn known(&self, feed: &str) -> Known {
        let row: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT etag, last_modified FROM feeds WHERE name = ?")
                .bind(feed)
                .fetch_optional(&self.catalog)
                .await
                .ok()
                .flatten();
        row.map(|(etag, last_modified)| Known { etag, last_modified }).unwrap_or_default()
    }

    async fn fetch_and_import(
        &self,
        feed: &ConfiguredFeed,
        known: Option<Known>,
        only_if_missing: bool,
    ) -> Result<Outcome, FeedError> {
        tracing::info!(feed = %feed.name, source = %feed.source, "checking the feed");
        let progress = |p: &gtfs::Progress| {
            if p.finished {
                tracing::debug!(file = p.file, rows = p.rows, "read");
            }
        };
        let job = Job {
            feed: &feed.name,
            location: &feed.source,
            known: known.as_ref(),
            scratch: &self.scratch,
            options: ImportOptions { only_if_missing, ..ImportOptions::default() },
            imported_at: self.clock.unix_secs(),
        };
        import_from(&self.catalog, &job, progress).await
    }

    fn report(&self, feed: &ConfiguredFeed, outcome: Result<Outcome, FeedError>) {
        match outcome {
            Ok(Outcome::Unchanged) => tracing::info!(feed = %feed.name, "the feed has not changed"),
            Ok(Outcome::Imported(done)) => tracing::info!(
                feed = %feed.name,
                version = done.version,
                stops = done.report.stops,
                stop_times = done.report.stop_times,
                seconds = format!("{:.1}", done.elapsed.as_secs_f64()),
                "imported the feed"
            ),
            Err(error) => {
                tracing::error!(feed = %feed.name, %error, "the feed could not be imported; the previous version keeps serving");
            }
        }
    }
}
