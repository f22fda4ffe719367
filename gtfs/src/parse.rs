//! Field parsers. Each takes trimmed bytes and returns the typed value or the reason it is invalid;
//! the table layer adds file, line, column and value.

use jiff::civil::Date;

use crate::error::IssueKind;

/// GTFS time `H:MM:SS` or `HH:MM:SS` as seconds after the service day's reference instant.
/// Hours may exceed 24 (trips running past midnight); up to three hour digits are accepted.
pub fn time(s: &[u8]) -> Result<u32, IssueKind> {
    let mut parts = s.split(|&b| b == b':');
    let (Some(h), Some(m), Some(sec), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(IssueKind::BadTime);
    };
    if !(1..=3).contains(&h.len()) || m.len() != 2 || sec.len() != 2 {
        return Err(IssueKind::BadTime);
    }
    let (h, m, sec) = (digits(h)?, digits(m)?, digits(sec)?);
    if m >= 60 || sec >= 60 {
        return Err(IssueKind::BadTime);
    }
    Ok(h * 3600 + m * 60 + sec)
}

/// Formats seconds as GTFS time, e.g. `25:10:00`.
pub fn format_time(secs: u32) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

fn digits(s: &[u8]) -> Result<u32, IssueKind> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(IssueKind::BadTime);
    }
    Ok(s.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0')))
}

/// Service date `YYYYMMDD`.
pub fn date(s: &[u8]) -> Result<Date, IssueKind> {
    if s.len() != 8 || !s.iter().all(u8::is_ascii_digit) {
        return Err(IssueKind::BadDate);
    }
    let n = |r: std::ops::Range<usize>| s[r].iter().fold(0i32, |n, &b| n * 10 + i32::from(b - b'0'));
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    Date::new(y as i16, m as i8, d as i8).map_err(|_| IssueKind::BadDate)
}

/// Non-negative integer (sequences, headways, sort orders).
pub fn uint(s: &[u8]) -> Result<u32, IssueKind> {
    // Hot in stop_times (stop_sequence, pickup_type…): skip UTF-8 validation and str::parse.
    let digit = |n: u32, &b: &u8| b.is_ascii_digit().then(|| n.checked_mul(10)?.checked_add(u32::from(b - b'0')))?;
    if s.is_empty() {
        return Err(IssueKind::BadNumber);
    }
    s.iter().try_fold(0, digit).ok_or(IssueKind::BadNumber)
}

/// Finite float.
pub fn float(s: &[u8]) -> Result<f64, IssueKind> {
    let v: f64 = std::str::from_utf8(s).ok().and_then(|s| s.parse().ok()).ok_or(IssueKind::BadNumber)?;
    if v.is_finite() { Ok(v) } else { Err(IssueKind::BadNumber) }
}

pub fn latitude(s: &[u8]) -> Result<f64, IssueKind> {
    let v = float(s)?;
    if (-90.0..=90.0).contains(&v) { Ok(v) } else { Err(IssueKind::OutOfRange) }
}

pub fn longitude(s: &[u8]) -> Result<f64, IssueKind> {
    let v = float(s)?;
    if (-180.0..=180.0).contains(&v) { Ok(v) } else { Err(IssueKind::OutOfRange) }
}

/// Non-negative float (shape_dist_traveled).
pub fn distance(s: &[u8]) -> Result<f64, IssueKind> {
    let v = float(s)?;
    if v >= 0.0 { Ok(v) } else { Err(IssueKind::OutOfRange) }
}

/// `RRGGBB` hex colour (no `#`).
pub fn color(s: &[u8]) -> Result<crate::model::Color, IssueKind> {
    if s.len() != 6 || !s.iter().all(u8::is_ascii_hexdigit) {
        return Err(IssueKind::BadColor);
    }
    let text = std::str::from_utf8(s).map_err(|_| IssueKind::BadColor)?;
    u32::from_str_radix(text, 16).map(crate::model::Color).map_err(|_| IssueKind::BadColor)
}

/// Small integer enum: the value must be in `allowed`.
pub fn code(s: &[u8], allowed: impl Fn(u32) -> bool) -> Result<u32, IssueKind> {
    let v = uint(s).map_err(|_| IssueKind::BadEnum)?;
    if allowed(v) { Ok(v) } else { Err(IssueKind::BadEnum) }
}

/// IANA zone name, resolved against the bundled tz database.
pub fn timezone(s: &[u8]) -> Result<jiff::tz::TimeZone, IssueKind> {
    let name = std::str::from_utf8(s).map_err(|_| IssueKind::BadTimezone)?;
    jiff::tz::db().get(name).map_err(|_| IssueKind::BadTimezone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time(b"6:00:00"), Ok(6 * 3600));
        assert_eq!(time(b"06:05:09"), Ok(6 * 3600 + 5 * 60 + 9));
        assert_eq!(time(b"25:10:00"), Ok(25 * 3600 + 600));
        assert_eq!(time(b"99:59:59"), Ok(99 * 3600 + 59 * 60 + 59));
        assert_eq!(time(b"00:00:00"), Ok(0));
        for bad in [&b"05:5x:00"[..], b"05:60:00", b"05:00:60", b"5:0:00", b"05:00", b"05:00:00:00", b"", b"a:00:00"] {
            assert_eq!(time(bad), Err(IssueKind::BadTime), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(format_time(25 * 3600 + 610), "25:10:10");
    }

    #[test]
    fn dates() {
        assert_eq!(date(b"20240229"), Ok(Date::new(2024, 2, 29).unwrap()));
        for bad in [&b"20230229"[..], b"2024-02-29", b"2024022", b"20241301", b"2024O101"] {
            assert_eq!(date(bad), Err(IssueKind::BadDate));
        }
    }

    #[test]
    fn numbers_and_ranges() {
        assert_eq!(latitude(b"40.578350"), Ok(40.57835));
        assert_eq!(latitude(b"91"), Err(IssueKind::OutOfRange));
        assert_eq!(longitude(b"-181"), Err(IssueKind::OutOfRange));
        assert_eq!(float(b"NaN"), Err(IssueKind::BadNumber));
        assert_eq!(uint(b"-1"), Err(IssueKind::BadNumber));
        assert_eq!(uint(b"4294967295"), Ok(u32::MAX));
        assert_eq!(uint(b"4294967296"), Err(IssueKind::BadNumber));
        assert_eq!(uint(b""), Err(IssueKind::BadNumber));
        assert_eq!(distance(b"-0.5"), Err(IssueKind::OutOfRange));
        assert_eq!(code(b"3", |v| v <= 2), Err(IssueKind::BadEnum));
        assert_eq!(code(b"x", |v| v <= 2), Err(IssueKind::BadEnum));
    }

    #[test]
    fn colors() {
        assert_eq!(color(b"00ff7F").map(|c| c.to_string()), Ok("00FF7F".to_owned()));
        assert_eq!(color(b"#00FF7F"), Err(IssueKind::BadColor));
        assert_eq!(color(b"00FF7"), Err(IssueKind::BadColor));
    }

    #[test]
    fn timezones() {
        assert!(timezone(b"America/New_York").is_ok());
        assert_eq!(timezone(b"America/New York").err(), Some(IssueKind::BadTimezone));
    }
}
