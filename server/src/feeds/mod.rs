//! GTFS feeds on the server's side: fetching a feed from where it lives (a path or an https
//! URL, conditionally), importing it into the catalog, and keeping configured feeds present
//! and fresh, and polling their real-time sources. The import itself is
//! `app::transit::ssr::import`.

pub mod cli;
mod download;
pub mod live;
pub mod refresh;

use crate::config::FeedLocation;
use app::ssr::db::Db;
use app::transit::ssr::import::{self, ImportError, ImportOptions, Imported, Origin};
use download::Download;
use std::path::Path;

/// What became of a fetch-and-import.
#[derive(Debug)]
pub enum Outcome {
    Imported(Box<Imported>),
    /// The server said the feed has not changed since the version we have.
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{location}: {message}")]
    Fetch { location: String, message: String },
}

/// The validators of the version we have, for a conditional GET.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What to fetch and import, and how.
pub struct Job<'a> {
    pub feed: &'a str,
    pub location: &'a FeedLocation,
    /// The version we have, for a conditional GET of a URL feed.
    pub known: Option<&'a Known>,
    /// Where downloads go while they are imported (deleted afterwards).
    pub scratch: &'a Path,
    pub options: ImportOptions,
    pub imported_at: i64,
}

/// Fetches the job's feed and imports it into the catalog.
pub async fn import_from(
    catalog: &Db,
    job: &Job<'_>,
    progress: impl FnMut(&gtfs::Progress) + Send,
) -> Result<Outcome, FeedError> {
    let Job { feed, location, known, scratch, options, imported_at } = job;
    let fail = |message: String| FeedError::Fetch { location: location.to_string(), message };
    let (path, origin, _download) = match location {
        FeedLocation::Path(path) => {
            let origin = Origin { source: path.display().to_string(), ..Origin::default() };
            (path.clone(), origin, None)
        }
        FeedLocation::Url(url) => match download::fetch(url, *known, scratch).await.map_err(fail)? {
            Download::NotModified => return Ok(Outcome::Unchanged),
            Download::Fetched(file) => {
                let origin =
                    Origin { source: url.clone(), etag: file.etag.clone(), last_modified: file.last_modified.clone() };
                (file.path.clone(), origin, Some(file))
            }
        },
    };
    let source = gtfs::FeedSource::open(&path).map_err(ImportError::from)?;
    match import::import(catalog, feed, source, origin, options, *imported_at, progress).await? {
        Some(imported) => Ok(Outcome::Imported(Box::new(imported))),
        None => Ok(Outcome::Unchanged),
    }
}
