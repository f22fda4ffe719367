//! The two SQLite databases and their embedded migrations: the app's own (users, sessions;
//! later bookmarks) and the transit catalog, a separate file so that a feed import, which
//! writes for seconds in one transaction, never holds up a sign-in.

use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/main");
pub static TRANSIT_MIGRATOR: Migrator = sqlx::migrate!("../migrations/transit");

pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new().max_connections(8).connect_with(options(url)?).await
}

/// The catalog: bigger pages suit its large, append-only tables (measured: the whole Brooklyn
/// bus feed imports about 10% faster). SQLite applies the page size when it creates the file.
pub async fn connect_transit(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = options(url)?.page_size(16_384);
    SqlitePoolOptions::new().max_connections(8).connect_with(options).await
}

fn options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL lets readers proceed during a write; NORMAL is durable across app crashes in WAL.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5)))
}
