//! The cookie policy: which names and attributes the two session cookies (and the device
//! cookie that marks a browser that has signed in before) get.
//!
//! Every cookie the app sets or clears is built here, so a cookie is always cleared with exactly
//! the attributes it was set with (browsers otherwise keep the old one).

use std::time::Duration;
use tower_cookies::Cookies;
use tower_cookies::cookie::{Cookie, SameSite};

const ACCESS: &str = "bmw_access";
const REFRESH: &str = "bmw_refresh";
const DEVICE: &str = "bmw_device";

/// How long a browser stays known after its last successful sign-in.
pub const DEVICE_MAX_AGE: Duration = Duration::from_secs(365 * 24 * 3600);

/// What goes into the two session cookies, and for how long.
pub struct SessionCookies<'a> {
    pub access_token: &'a str,
    pub access_max_age: Duration,
    pub refresh_token: &'a str,
    pub refresh_max_age: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookiePolicy {
    secure: bool,
    same_site: SameSite,
    /// Set only when pages and API are on sibling hosts that must share the cookie.
    domain: Option<String>,
    partitioned: bool,
}

impl CookiePolicy {
    /// Pages, server functions and API on one origin: the cookie is first-party and `Lax` is
    /// enough. Over https the `__Host-` prefix pins it to this exact host, path `/`, Secure.
    pub fn single_origin(https: bool) -> Self {
        Self { secure: https, same_site: SameSite::Lax, domain: None, partitioned: false }
    }

    /// Pages and API on two origins of one site. Over https the cookie is Secure, and carries
    /// `Domain` (hence `__Secure-`, since `__Host-` forbids it) when the hosts differ.
    pub fn same_site(https: bool, domain: Option<String>) -> Self {
        Self { secure: https, same_site: SameSite::Lax, domain, partitioned: false }
    }

    /// Pages and API on two sites: the API's cookie is third-party to the pages, which browsers
    /// only keep when it is `SameSite=None; Secure; Partitioned` (CHIPS).
    pub fn cross_site() -> Self {
        Self { secure: true, same_site: SameSite::None, domain: None, partitioned: true }
    }

    pub fn prefix(&self) -> &'static str {
        match (self.secure, &self.domain) {
            (true, None) => "__Host-",
            (true, Some(_)) => "__Secure-",
            (false, _) => "",
        }
    }

    pub fn access_name(&self) -> String {
        format!("{}{ACCESS}", self.prefix())
    }

    pub fn refresh_name(&self) -> String {
        format!("{}{REFRESH}", self.prefix())
    }

    pub fn device_name(&self) -> String {
        format!("{}{DEVICE}", self.prefix())
    }

    /// One line for the start-up log.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("names {} / {}", self.access_name(), self.refresh_name())];
        parts.push("HttpOnly".into());
        parts.push(format!("SameSite={}", self.same_site));
        if self.secure {
            parts.push("Secure".into());
        }
        if let Some(domain) = &self.domain {
            parts.push(format!("Domain={domain}"));
        }
        if self.partitioned {
            parts.push("Partitioned".into());
        }
        parts.join("; ")
    }

    pub fn secure(&self) -> bool {
        self.secure
    }

    pub fn same_site_attribute(&self) -> SameSite {
        self.same_site
    }

    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// A cookie named `base` under the session cookies' prefix and with their exact attributes:
    /// the doctor's probe, which must fare in the browser exactly as the session would.
    pub fn probe(&self, base: &str, value: String, max_age: Duration) -> Cookie<'static> {
        self.build(format!("{}{base}", self.prefix()), value, max_age)
    }

    fn build(&self, name: String, value: String, max_age: Duration) -> Cookie<'static> {
        let mut cookie = Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(self.same_site)
            .partitioned(self.partitioned)
            .max_age(time::Duration::seconds(max_age.as_secs().min(i64::MAX as u64) as i64))
            .build();
        if let Some(domain) = &self.domain {
            cookie.set_domain(domain.clone());
        }
        cookie
    }

    pub fn set_session(&self, cookies: &Cookies, session: SessionCookies<'_>) {
        cookies.add(self.build(self.access_name(), session.access_token.to_string(), session.access_max_age));
        cookies.add(self.build(self.refresh_name(), session.refresh_token.to_string(), session.refresh_max_age));
    }

    /// Marks this browser as one that has signed in (see `throttle`): kept across sign-outs.
    pub fn set_device(&self, cookies: &Cookies, token: String) {
        cookies.add(self.build(self.device_name(), token, DEVICE_MAX_AGE));
    }

    /// Expires both cookies, with the same name, path, domain and flags they were set with.
    pub fn clear_session(&self, cookies: &Cookies) {
        for name in [self.access_name(), self.refresh_name()] {
            cookies.add(self.build(name, String::new(), Duration::ZERO));
        }
    }

    /// The crumbs of a request's `Cookie` header(s) that may be read as they are: ours only
    /// under their exact names, and only once. tower-cookies percent-decodes names, so
    /// `__Host%2Dbmw_access`, which any sibling host or plain-http page can set, would be read
    /// as our `__Host-` cookie; it is dropped here. Two cookies under one of our names (one of
    /// them tossed in from elsewhere) are both dropped: the request is signed out rather than
    /// trusting either. Other cookies pass untouched.
    pub fn screen<'a>(&self, crumbs: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let ours = [self.access_name(), self.refresh_name(), self.device_name()];
        let crumbs: Vec<&str> = crumbs.into_iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let raw_name = |crumb: &str| crumb.split_once('=').map_or(crumb, |(name, _)| name).trim().to_string();
        let impostor = |crumb: &str| {
            let raw = raw_name(crumb);
            let decoded = percent_encoding::percent_decode_str(&raw).decode_utf8_lossy().into_owned();
            raw != decoded && ours.contains(&decoded)
        };
        let doubled = |name: &String| crumbs.iter().filter(|c| raw_name(c) == *name).count() > 1;
        let dropped: Vec<&String> = ours.iter().filter(|name| doubled(name)).collect();
        crumbs.into_iter().filter(|c| !impostor(c) && !dropped.contains(&&raw_name(c))).collect()
    }

    pub fn access_token(&self, cookies: &Cookies) -> Option<String> {
        cookies.get(&self.access_name()).map(|c| c.value().to_string()).filter(|v| !v.is_empty())
    }

    pub fn refresh_token(&self, cookies: &Cookies) -> Option<String> {
        cookies.get(&self.refresh_name()).map(|c| c.value().to_string()).filter(|v| !v.is_empty())
    }

    pub fn device_token(&self, cookies: &Cookies) -> Option<String> {
        cookies.get(&self.device_name()).map(|c| c.value().to_string()).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screening_drops_encoded_impostors_and_doubles_of_our_names() {
        let policy = CookiePolicy::single_origin(true);
        let screen = |header: &str| policy.screen(header.split(';')).join("; ");
        assert_eq!(screen("__Host-bmw_access=A; theme=dark"), "__Host-bmw_access=A; theme=dark");
        assert_eq!(screen("__Host-bmw_access=A; __Host%2Dbmw_access=M"), "__Host-bmw_access=A");
        assert_eq!(screen("%5F%5FHost-bmw_refresh=M; x=1"), "x=1");
        assert_eq!(screen("__Host-bmw_access=A; __Host-bmw_access=M; __Host-bmw_refresh=R"), "__Host-bmw_refresh=R");
        assert_eq!(screen("other%2Dname=1"), "other%2Dname=1", "others' encoded names are not ours to judge");
        assert_eq!(screen(""), "");
    }

    #[test]
    fn https_single_origin_uses_host_prefix() {
        let policy = CookiePolicy::single_origin(true);
        assert_eq!(policy.access_name(), "__Host-bmw_access");
        let cookie = policy.build(policy.access_name(), "v".into(), Duration::from_secs(9));
        let text = cookie.to_string();
        for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=9"] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        assert!(!text.contains("Domain"), "{text}");
    }

    #[test]
    fn http_single_origin_has_no_prefix_and_no_secure() {
        let policy = CookiePolicy::single_origin(false);
        assert_eq!(policy.refresh_name(), "bmw_refresh");
        let text = policy.build(policy.refresh_name(), "v".into(), Duration::from_secs(1)).to_string();
        assert!(text.contains("SameSite=Lax") && !text.contains("Secure"), "{text}");
    }
}
