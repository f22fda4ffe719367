//! Input rules, in one place. Pure functions, so they can run on either side.

use crate::error::{AppError, FieldErrors};

pub const USERNAME_LEN: std::ops::RangeInclusive<usize> = 3..=32;
pub const NAME_LEN: std::ops::RangeInclusive<usize> = 1..=64;
pub const PASSWORD_LEN: std::ops::RangeInclusive<usize> = 8..=128;
pub const EMAIL_MAX_LEN: usize = 254;

/// A sign-up request after normalisation and validation.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub name: String,
    pub password: String,
}

/// Usernames are case-insensitive: we store them lower-cased.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

pub fn username(raw: &str) -> Result<String, String> {
    let name = normalize_username(raw);
    let len = name.chars().count();
    if len == 0 {
        return Err("Choose a username.".into());
    }
    if !USERNAME_LEN.contains(&len) {
        return Err(format!("Use {} to {} characters.", USERNAME_LEN.start(), USERNAME_LEN.end()));
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c)) {
        return Err("Use only letters a–z, digits, and _ . -".into());
    }
    Ok(name)
}

/// Passwords are taken exactly as typed: no trimming, no truncation.
pub fn password(raw: &str) -> Result<(), String> {
    let len = raw.chars().count();
    if len == 0 {
        return Err("Choose a password.".into());
    }
    if len < *PASSWORD_LEN.start() {
        return Err(format!("Use at least {} characters.", PASSWORD_LEN.start()));
    }
    if len > *PASSWORD_LEN.end() {
        return Err(format!("Use at most {} characters.", PASSWORD_LEN.end()));
    }
    Ok(())
}

pub fn email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    if email.is_empty() {
        return Err("Enter your email address.".into());
    }
    if email.len() > EMAIL_MAX_LEN || !email_address::EmailAddress::is_valid(email) {
        return Err("Enter a valid email address, like name@example.com.".into());
    }
    Ok(email.to_string())
}

pub fn display_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err("Enter your name.".into());
    }
    if len > *NAME_LEN.end() {
        return Err(format!("Use at most {} characters.", NAME_LEN.end()));
    }
    if name.chars().any(char::is_control) {
        return Err("Remove control characters.".into());
    }
    if name.chars().any(is_format) {
        return Err("Remove invisible or direction-changing characters.".into());
    }
    Ok(name.to_string())
}

/// Unicode format characters (category Cf) that hide text or reverse its direction: a name
/// shown to others (the sessions list, a future share) must read as it is stored.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Validates every field and reports all problems at once.
pub fn new_user(username_raw: &str, password_raw: &str, email_raw: &str, name_raw: &str) -> Result<NewUser, AppError> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, result: Result<String, String>| match result {
        Ok(value) => value,
        Err(message) => {
            errors.insert(field.into(), message);
            String::new()
        }
    };
    let user = NewUser {
        username: check("username", username(username_raw)),
        email: check("email", email(email_raw)),
        name: check("name", display_name(name_raw)),
        password: check("password", password(password_raw).map(|()| password_raw.to_string())),
    };
    if errors.is_empty() { Ok(user) } else { Err(AppError::Validation(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(username(" Alice_1 ").unwrap(), "alice_1");
        assert!(username("ab").is_err());
        assert!(username(&"a".repeat(33)).is_err());
        assert!(username("a b c").is_err());
        assert!(username("ünï").is_err());
    }

    #[test]
    fn names_refuse_invisible_and_direction_changing_characters() {
        assert!(display_name("Ann Lee").is_ok());
        assert!(display_name("Zoë Ünal").is_ok());
        for bad in ["Ann\u{202E}eeL", "A\u{200B}nn", "Ann\u{2066}x", "\u{FEFF}Ann"] {
            assert!(display_name(bad).unwrap_err().contains("invisible"), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_counted_in_characters_and_never_trimmed() {
        assert!(password("1234567").is_err());
        assert!(password("        ").is_ok());
        assert!(password(&"é".repeat(128)).is_ok());
        assert!(password(&"é".repeat(129)).is_err());
    }

    #[test]
    fn all_field_errors_are_reported_together() {
        let Err(AppError::Validation(fields)) = new_user("", "short", "nope", "") else {
            panic!("expected validation error");
        };
        let keys: Vec<_> = fields.keys().map(String::as_str).collect();
        assert_eq!(keys, ["email", "name", "password", "username"]);
    }
}

/// `next` after sign-in, if it is a path on this site. Anything else (absolute URLs,
/// protocol-relative `//host`, backslash tricks) is dropped, so there is no open redirect.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= 512
        && !next.chars().any(char::is_control);
    ok.then_some(next)
}

#[cfg(test)]
mod local_path_tests {
    use super::local_path;

    #[test]
    fn only_local_paths_pass() {
        assert_eq!(local_path("/account?tab=1"), Some("/account?tab=1"));
        for bad in ["", "account", "//evil.test", "/\\evil.test", "https://evil.test", "/a\nb"] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
