//! Who the client is on the network, and the optional IP allowlist for the whole console.
//!
//! The client address is the TCP peer. Only when the peer is a configured trusted proxy,
//! and `proxy.client_ip_header` names a single-address header (e.g. `x-real-ip`), is that
//! header believed instead. `X-Forwarded-For` is never read: any client can write its left part.

use super::{context::SignInContext, settings::ProxyConfig};
use axum::{
    Extension,
    extract::{ConnectInfo, Request},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use ipnet::IpNet;
use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

/// The network one client controls, as limits and the audit trail count it: an IPv4
/// address alone, an IPv6 address's /64 (one subscriber or host gets a whole /64 and can
/// pick any address in it, so counting single IPv6 addresses would count nothing).
pub fn network_of(ip: IpAddr) -> IpNet {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpNet::from(IpAddr::V4(v4)),
        IpAddr::V6(v6) => {
            ipnet::Ipv6Net::new(v6, 64).map_or(IpNet::from(IpAddr::V6(v6)), |net| IpNet::V6(net.trunc()))
        }
    }
}

/// Whether `peer` is one of the trusted proxies.
pub fn is_trusted(peer: IpAddr, proxy: &ProxyConfig) -> bool {
    let peer = peer.to_canonical();
    proxy.trusted.iter().any(|net| net.contains(&peer))
}

/// The client's address (see the module documentation).
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, proxy: &ProxyConfig) -> IpAddr {
    let peer_ip = peer.ip().to_canonical();
    let Some(name) = proxy.client_ip_header.as_deref() else { return peer_ip };
    if !is_trusted(peer_ip, proxy) {
        return peer_ip;
    }
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => {
            value.to_str().ok().and_then(|v| v.trim().parse::<IpAddr>().ok()).unwrap_or(peer_ip)
        }
        _ => peer_ip,
    }
}

/// The allowlist as configured; empty allows everyone.
#[derive(Clone, Debug, Default)]
pub struct AllowedIps(pub Vec<IpNet>);

/// Answers 403 to clients outside the allowlist. Health checks stay reachable for
/// orchestrators, which probe from their own addresses.
pub async fn allowlist(
    Extension(allowed): Extension<AllowedIps>,
    Extension(ctx): Extension<Arc<SignInContext>>,
    request: Request,
    next: Next,
) -> Response {
    if allowed.0.is_empty() || matches!(request.uri().path(), "/healthz" | "/readyz") {
        return next.run(request).await;
    }
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        tracing::error!("no peer address on the request; refusing it under the IP allowlist");
        return (StatusCode::FORBIDDEN, "Forbidden").into_response();
    };
    let client = ctx.client_ip(peer, request.headers());
    if allowed.0.iter().any(|net| net.contains(&client)) {
        next.run(request).await
    } else {
        tracing::warn!(%client, path = %request.uri().path(), "address not in access.allowed_ips");
        (StatusCode::FORBIDDEN, "This console is not reachable from your network.").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxy(trusted: &[&str], header: Option<&str>) -> ProxyConfig {
        ProxyConfig {
            enabled: true,
            trusted: trusted.iter().map(|t| t.parse().expect("cidr")).collect(),
            user_header: "x-forwarded-user".into(),
            email_header: "x-forwarded-email".into(),
            groups_header: "x-forwarded-groups".into(),
            client_ip_header: header.map(str::to_owned),
            assertion: None,
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_a_trusted_peer_may_name_the_client() {
        let config = proxy(&["10.0.0.0/8"], Some("x-real-ip"));
        let sent = headers(&[("x-real-ip", "203.0.113.7"), ("x-forwarded-for", "198.51.100.1")]);
        let from_proxy: SocketAddr = "10.1.2.3:5000".parse().expect("addr");
        let from_elsewhere: SocketAddr = "192.0.2.9:5000".parse().expect("addr");
        assert_eq!(client_ip(from_proxy, &sent, &config).to_string(), "203.0.113.7");
        assert_eq!(client_ip(from_elsewhere, &sent, &config).to_string(), "192.0.2.9");
    }

    #[test]
    fn forwarded_for_and_repeated_headers_are_not_believed() {
        let from_proxy: SocketAddr = "10.1.2.3:5000".parse().expect("addr");
        let no_header = proxy(&["10.0.0.0/8"], None);
        let xff = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(client_ip(from_proxy, &xff, &no_header).to_string(), "10.1.2.3");
        let twice = headers(&[("x-real-ip", "203.0.113.7"), ("x-real-ip", "203.0.113.8")]);
        let config = proxy(&["10.0.0.0/8"], Some("x-real-ip"));
        assert_eq!(client_ip(from_proxy, &twice, &config).to_string(), "10.1.2.3");
    }

    #[test]
    fn finding_2_ipv6_clients_are_counted_by_their_64_and_ipv4_clients_alone() {
        let a = network_of("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = network_of("2001:db8:1:2:ffff:1:2:3".parse().expect("ip"));
        let other = network_of("2001:db8:1:3::1".parse().expect("ip"));
        assert_eq!(a, b, "one /64 is one client");
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_ne!(a, other);
        assert_eq!(network_of("192.0.2.7".parse().expect("ip")).to_string(), "192.0.2.7/32");
        assert_eq!(network_of("::ffff:192.0.2.7".parse().expect("ip")).to_string(), "192.0.2.7/32");
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_networks() {
        let config = proxy(&["127.0.0.1/32"], None);
        assert!(is_trusted("::ffff:127.0.0.1".parse().expect("ip"), &config));
        assert!(!is_trusted("127.0.0.2".parse().expect("ip"), &config));
    }
}
