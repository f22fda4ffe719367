//! How values are shown to people, identically on the server and in the browser.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Escaped in a path segment: everything but letters, digits and `-._~:@`, which stay readable
/// (`/stops/caltrain:70011`).
const SEGMENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b':').remove(b'@');

/// `value` as one URL path segment.
pub fn url_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// `value` as a query-string value.
pub fn query_value(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_readable_in_paths_but_cannot_break_out() {
        assert_eq!(url_segment("caltrain:70011"), "caltrain:70011");
        assert_eq!(url_segment("nyc:A 1/2?#"), "nyc:A%201%2F2%3F%23");
        assert_eq!(query_value("a b&c"), "a%20b%26c");
    }
}
