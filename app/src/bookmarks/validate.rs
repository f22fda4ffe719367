//! Input rules for bookmarks, shared by the REST API, the server functions and the pages.

pub const GROUP_NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=40;
pub const MAX_WALK_MINUTES: i64 = 60;
pub const MAX_GROUPS: usize = 50;
pub const MAX_BOOKMARKS_PER_GROUP: usize = 100;
/// Departures shown per bookmark unless asked otherwise, and the most one may ask for.
pub const DEFAULT_DEPARTURES: usize = 3;
pub const MAX_DEPARTURES: usize = 10;

/// A group's name: trimmed, 1–40 characters, no control or format characters.
pub fn group_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err("Give the group a name.".into());
    }
    if !GROUP_NAME_CHARS.contains(&chars) {
        return Err(format!("Use at most {} characters.", GROUP_NAME_CHARS.end()));
    }
    if name.chars().any(|c| c.is_control() || is_format(c)) {
        return Err("Remove invisible or control characters.".into());
    }
    Ok(name.to_string())
}

/// Bidirectional overrides and zero-width characters, which could make one name pass for
/// another.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

pub fn walk_minutes(raw: i64) -> Result<u8, String> {
    if (0..=MAX_WALK_MINUTES).contains(&raw) {
        Ok(raw as u8)
    } else {
        Err(format!("Walk time is 0 to {MAX_WALK_MINUTES} minutes."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert_eq!(group_name("  Work ").unwrap(), "Work");
        assert!(group_name("   ").is_err());
        assert!(group_name(&"x".repeat(41)).is_err());
        assert!(group_name(&"é".repeat(40)).is_ok());
        assert!(group_name("Wo\u{202E}rk").is_err());
    }

    #[test]
    fn walk_times() {
        assert_eq!(walk_minutes(0), Ok(0));
        assert_eq!(walk_minutes(60), Ok(60));
        assert!(walk_minutes(61).is_err() && walk_minutes(-1).is_err());
    }
}
