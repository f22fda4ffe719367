//! Origins (scheme://host[:port]) and how two of them relate: same origin, same site, or
//! cross-site. The registrable domain comes from the Public Suffix List (the `psl` crate).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    /// Parses a bare origin. Anything more (a path, a query, credentials) is refused with a
    /// message that says what to write instead.
    pub fn parse(raw: &str) -> Result<Origin, String> {
        let trimmed = raw.trim();
        if trimmed == "*" {
            return Err("`*` is not an origin: with credentials, every allowed origin must be listed exactly".into());
        }
        if trimmed == "null" {
            return Err("`null` is not an origin that can be trusted (sandboxed frames and file: pages send it)".into());
        }
        let uri: http::Uri = trimmed.parse().map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
        let scheme = uri.scheme_str().ok_or_else(|| format!("{raw:?} has no scheme; write e.g. https://{raw}"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("{raw:?}: the scheme must be http or https"));
        }
        let authority = uri.authority().ok_or_else(|| format!("{raw:?} has no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("{raw:?}: an origin cannot carry credentials"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!("{raw:?}: an origin has no path or query; use {scheme}://{authority}"));
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        Ok(Origin {
            scheme: scheme.to_string(),
            host: authority.host().to_ascii_lowercase(),
            port: authority.port_u16().filter(|p| *p != default_port),
        })
    }

    pub fn https(&self) -> bool {
        self.scheme == "https"
    }

    /// The port, the scheme's default when none is written.
    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.https() { 443 } else { 80 })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn is_loopback(&self) -> bool {
        matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }

    /// The same scheme and port on the other loopback names: a browser at `localhost:3000` and
    /// one at `127.0.0.1:3000` reach the same server.
    pub fn loopback_aliases(&self) -> Vec<Origin> {
        if !self.is_loopback() {
            return vec![];
        }
        ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .filter(|h| *h != self.host)
            .map(|h| Origin { scheme: self.scheme.clone(), host: h.into(), port: self.port })
            .collect()
    }

    /// The registrable domain ("site" without the scheme): `bmw.test` for `api.bmw.test`. IP
    /// addresses and single labels such as `localhost` are their own site.
    pub fn registrable_domain(&self) -> String {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if host.parse::<std::net::IpAddr>().is_ok() || !host.contains('.') {
            return host.to_string();
        }
        psl::domain(host.as_bytes()).and_then(|d| std::str::from_utf8(d.as_bytes()).ok()).unwrap_or(host).to_string()
    }

    /// The public suffix `host` is under (`co.uk`, `github.io`), from the Public Suffix List;
    /// unknown top-level names count as suffixes, as browsers treat them.
    pub fn public_suffix(host: &str) -> String {
        let host = host.trim_start_matches('.').to_ascii_lowercase();
        psl::suffix(host.as_bytes()).and_then(|s| std::str::from_utf8(s.as_bytes()).ok()).unwrap_or(&host).to_string()
    }

    /// Same site in the browser's (schemeful) sense: same scheme, same registrable domain.
    /// Ports do not count.
    pub fn same_site(&self, other: &Origin) -> bool {
        self.scheme == other.scheme && self.registrable_domain() == other.registrable_domain()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}://{}:{port}", self.scheme, self.host),
            None => write!(f, "{}://{}", self.scheme, self.host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Origin {
        Origin::parse(s).unwrap()
    }

    #[test]
    fn parses_and_normalises() {
        assert_eq!(o("https://App.Example.com").to_string(), "https://app.example.com");
        assert_eq!(o("https://x.test:443").to_string(), "https://x.test");
        assert_eq!(o("http://127.0.0.1:3000").to_string(), "http://127.0.0.1:3000");
        assert_eq!(o("http://x.test/").to_string(), "http://x.test");
    }

    #[test]
    fn refuses_what_is_not_a_bare_origin() {
        for bad in [
            "*",
            "null",
            "example.com",
            "ftp://x.test",
            "https://x.test/app",
            "https://u:p@x.test",
            "https://x.test/?q",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sites_follow_the_public_suffix_list() {
        assert!(o("https://app.bmw.test").same_site(&o("https://api.bmw.test")));
        assert!(o("http://localhost:3000").same_site(&o("http://localhost:8080")));
        assert!(!o("http://localhost:3000").same_site(&o("http://127.0.0.1:3000")));
        assert!(!o("https://bmw-app.test").same_site(&o("https://bmw-api.test")));
        assert!(!o("http://app.bmw.test").same_site(&o("https://app.bmw.test")), "schemeful");
        // github.io is a public suffix: two users' pages are different sites.
        assert!(!o("https://alice.github.io").same_site(&o("https://bob.github.io")));
        assert_eq!(o("https://a.b.example.co.uk").registrable_domain(), "example.co.uk");
    }
}
