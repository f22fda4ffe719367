//! Trusted reverse proxies (`BMW_TRUSTED_PROXIES`). Only when the TCP peer is one of them is
//! `X-Forwarded-For` read, from the right: each hop a trusted proxy added is skipped, and the
//! first hop that is not a trusted proxy is the client. Whatever a client writes into the
//! header itself sits left of that hop and is never read. From any other peer, forwarded
//! headers are ignored. Throttling, session records and logs all take the address from here
//! (`ClientInfo`).

use app::ssr::client_info::ResolvedClient;
use app::ssr::web_policy::WebPolicy;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct TrustedProxies {
    nets: Vec<IpNet>,
    /// Whether the pages' origin is https (then a proxy forwarding plain http is expected to
    /// redirect; the other way round is a misconfiguration worth one warning).
    public_https: bool,
    warned: AtomicBool,
}

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>, policy: &WebPolicy) -> Self {
        Self { nets, public_https: policy.public_origin.https(), warned: AtomicBool::new(false) }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        let mut hops = forwarded_for(headers).into_iter().rev();
        while self.trusts(client) {
            match hops.next() {
                Some(Some(hop)) => client = hop,
                // The list ended (the request started inside), or a hop is unreadable: the
                // proxy in front of it is as far as anything can be trusted.
                Some(None) | None => break,
            }
        }
        client
    }

    /// The scheme the proxy in front of us was reached with, from `X-Forwarded-Proto`.
    fn forwarded_https(headers: &HeaderMap) -> Option<bool> {
        let last = headers.get_all("x-forwarded-proto").iter().next_back()?.to_str().ok()?;
        match last.rsplit(',').next()?.trim().to_ascii_lowercase().as_str() {
            "https" => Some(true),
            "http" => Some(false),
            _ => None,
        }
    }
}

/// Every `X-Forwarded-For` hop, in order; `None` for one that is not an address.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| value.to_str().unwrap_or("?").split(','))
        .map(|hop| {
            let hop = hop.trim();
            hop.parse::<IpAddr>()
                .ok()
                .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
                .map(|ip| ip.to_canonical())
        })
        .collect()
}

pub async fn resolve_client(State(proxies): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer.filter(|peer| proxies.trusts(peer.to_canonical())) {
        let client = proxies.client(peer, request.headers());
        if TrustedProxies::forwarded_https(request.headers()) == Some(true)
            && !proxies.public_https
            && !proxies.warned.swap(true, Ordering::Relaxed)
        {
            tracing::warn!(
                "a trusted proxy forwards https requests, but BMW_PUBLIC_ORIGIN is http (or unset): the session \
                 cookies are sent without Secure and the __Host- prefix, and there is no HSTS. Set BMW_PUBLIC_ORIGIN \
                 to the https origin users see"
            );
        }
        request.extensions_mut().insert(ResolvedClient(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies {
            nets: list.iter().map(|n| n.parse().unwrap()).collect(),
            public_https: true,
            warned: AtomicBool::new(false),
        }
    }

    fn client(proxies: &TrustedProxies, peer: &str, xff: &[&str]) -> String {
        let mut headers = HeaderMap::new();
        for value in xff {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        proxies.client(peer.parse().unwrap(), &headers).to_string()
    }

    #[test]
    fn the_client_is_the_right_most_hop_that_is_not_a_trusted_proxy() {
        let p = proxies(&["10.0.0.0/8", "192.0.2.1/32"]);
        assert_eq!(client(&p, "10.0.0.5", &["203.0.113.7"]), "203.0.113.7");
        // A client's own header value is left of the hop the proxy added, and never read.
        assert_eq!(client(&p, "10.0.0.5", &["1.1.1.1, 203.0.113.7"]), "203.0.113.7");
        // Two proxies in a row (one header each, or one list): both skipped.
        assert_eq!(client(&p, "10.0.0.5", &["1.1.1.1, 203.0.113.7", "192.0.2.1"]), "203.0.113.7");
        assert_eq!(client(&p, "10.0.0.5", &["203.0.113.7:4711, 10.9.9.9"]), "203.0.113.7");
    }

    #[test]
    fn untrusted_peers_and_unreadable_hops_are_never_taken_further() {
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(client(&p, "198.51.100.9", &["203.0.113.7"]), "198.51.100.9", "not a proxy: header ignored");
        assert_eq!(client(&p, "10.0.0.5", &["203.0.113.7, garbage"]), "10.0.0.5", "stops at what it cannot read");
        assert_eq!(client(&p, "10.0.0.5", &[]), "10.0.0.5");
        assert_eq!(client(&p, "10.0.0.5", &["10.0.0.6"]), "10.0.0.6", "a request from inside");
        assert_eq!(client(&p, "::ffff:10.0.0.5", &["2001:db8::1"]), "2001:db8::1", "IPv4-mapped peers are IPv4");
    }

    #[test]
    fn the_forwarded_scheme_is_the_last_one_given() {
        let mut headers = HeaderMap::new();
        assert_eq!(TrustedProxies::forwarded_https(&headers), None);
        headers.append("x-forwarded-proto", "http, https".parse().unwrap());
        assert_eq!(TrustedProxies::forwarded_https(&headers), Some(true));
        headers.append("x-forwarded-proto", "HTTP".parse().unwrap());
        assert_eq!(TrustedProxies::forwarded_https(&headers), Some(false));
    }
}
