//! The database handle every feature's store uses, and how its errors become ours.

use crate::error::AppError;

pub type Db = sqlx::SqlitePool;

/// A database failure is ours, never the caller's: logged with its detail, sent as "internal".
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::internal(format!("database: {err}"))
    }
}
