//! How values are shown to people, identically on the server and in the browser.

/// A Unix timestamp as "2026-11-22 09:53 UTC". Deterministic, so the server's rendering and
/// the browser's hydration agree.
pub fn format_utc(unix_secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix_secs) {
        Ok(t) => {
            format!("{}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
        }
        Err(_) => "unknown time".into(),
    }
}
