//! Input rules for transit queries, in one place, shared by the REST API, the server functions
//! and the pages. Each returns the message to show when the input is unusable.

/// Results per search or board unless asked otherwise, and the most one may ask for.
pub const DEFAULT_LIMIT: u32 = 10;
pub const MAX_LIMIT: u32 = 50;
pub const MAX_QUERY_CHARS: usize = 100;
/// "Near me": metres around the point, by default and at most.
pub const DEFAULT_RADIUS_M: f64 = 500.0;
pub const MAX_RADIUS_M: f64 = 5_000.0;

/// A feed's name: 1–32 of `a-z 0-9 _ -`. It becomes the prefix of every stop and route id.
pub fn feed_name(raw: &str) -> Result<String, String> {
    let ok = (1..=32).contains(&raw.len())
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(raw.to_string())
    } else {
        Err(format!("{raw:?}: a feed name is 1–32 characters of a-z, 0-9, _ and -"))
    }
}

/// A search query: trimmed, 1–100 characters.
pub fn query(raw: &str) -> Result<String, String> {
    let query = raw.trim();
    if query.is_empty() {
        return Err("Type a stop or route name, code or id.".into());
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("Use at most {MAX_QUERY_CHARS} characters."));
    }
    if query.chars().any(char::is_control) {
        return Err("Remove control characters.".into());
    }
    Ok(query.to_string())
}

/// How many results: 1–50, or the default.
pub fn limit(raw: Option<i64>) -> Result<usize, String> {
    match raw {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => Ok(n as usize),
        Some(n) => Err(format!("limit must be between 1 and {MAX_LIMIT} (got {n}).")),
    }
}

pub fn coordinates(lat: f64, lon: f64) -> Result<(f64, f64), String> {
    if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
        return Err(format!("lat must be between -90 and 90 (got {lat})."));
    }
    if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
        return Err(format!("lon must be between -180 and 180 (got {lon})."));
    }
    Ok((lat, lon))
}

pub fn radius(raw: Option<f64>) -> Result<f64, String> {
    match raw {
        None => Ok(DEFAULT_RADIUS_M),
        Some(r) if r > 0.0 && r <= MAX_RADIUS_M => Ok(r),
        Some(r) => Err(format!("radius_m must be more than 0 and at most {MAX_RADIUS_M} (got {r}).")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_bounded() {
        assert_eq!(query("  Millbrae ").unwrap(), "Millbrae");
        assert!(query("   ").is_err());
        assert!(query(&"x".repeat(101)).is_err());
        assert!(query("a\u{0}b").is_err());
    }

    #[test]
    fn feed_names_are_short_and_plain() {
        assert!(feed_name("bus_bk").is_ok() && feed_name("caltrain-2").is_ok());
        for bad in ["", "Caltrain", "a:b", "a b", &"x".repeat(33)] {
            assert!(feed_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_and_radii_have_ranges() {
        assert_eq!(limit(None).unwrap(), 10);
        assert_eq!(limit(Some(50)).unwrap(), 50);
        assert!(limit(Some(0)).is_err() && limit(Some(51)).is_err());
        assert!(radius(Some(0.0)).is_err() && radius(Some(5001.0)).is_err());
        assert!(coordinates(91.0, 0.0).is_err() && coordinates(0.0, f64::NAN).is_err());
    }
}
