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
    let options = options(url)?;
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.clone()).await?;
    make_private(&options)?;
    Ok(pool)
}

/// The catalog: bigger pages suit its large, append-only tables (measured: the whole Brooklyn
/// bus feed imports about 10% faster). SQLite applies the page size when it creates the file.
pub async fn connect_transit(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = options(url)?.page_size(16_384);
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.clone()).await?;
    make_private(&options)?;
    Ok(pool)
}

/// The database and its WAL files are readable by their owner only, on every start (SQLite
/// creates them with the umask's permissions, and `DATABASE_URL` may point outside the private
/// data directory): they hold password hashes and session data.
fn make_private(options: &SqliteConnectOptions) -> Result<(), sqlx::Error> {
    use std::os::unix::fs::PermissionsExt;
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file == std::path::Path::new(":memory:") {
        return Ok(());
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let path = std::path::PathBuf::from(name);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(sqlx::Error::Io)?;
        }
    }
    Ok(())
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
