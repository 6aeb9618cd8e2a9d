//! Requests to URLs people type (forward targets, the rules' notify action), guarded against
//! server-side request forgery.
//!
//! A URL may be called only when every address its host resolves to is a public one: not
//! loopback, private (RFC 1918), link-local (the cloud metadata address 169.254.169.254
//! included), CGNAT, unique-local (fc00::/7, so also fd00:ec2::254), unspecified, multicast,
//! broadcast, reserved or documentation space, nor an IPv6 form that embeds one of those
//! (IPv4-mapped, IPv4-compatible, NAT64, 6to4). The check runs when a target or rule is saved
//! and again inside the HTTP client's DNS resolver at send time, so the address connected to
//! is the address that was checked: a name that rebinds to a private address between two
//! lookups is refused at the lookup the connection uses. IP literals skip DNS and are checked
//! before the request.
//!
//! An operator may open private hosts on purpose with `outbound.allow_private_hosts` (an IP,
//! a CIDR network or a host name). Whatever the reason a URL is refused or cannot be reached,
//! the person sees [`UNREACHABLE`] (or [`REFUSED_AT_SAVE`]); the reason goes to the log, so
//! the feature cannot be used to map the console's network.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::{Arc, OnceLock},
    time::Duration,
};
use url::{Host, Url};

/// What a person is told when a request could not be delivered for any reason but an HTTP
/// answer.
pub const UNREACHABLE: &str = "the target could not be reached (the reason is in the console's log)";

/// What a person is told when a URL is refused while saving.
pub const REFUSED_AT_SAVE: &str = "The console cannot send to this URL: it does not resolve, or it \
     points to a private, local or reserved address. (An operator can allow a private host with \
     outbound.allow_private_hosts; the reason is in the console's log.)";

/// The longest an outbound request may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The longest a DNS lookup may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// One entry of `outbound.allow_private_hosts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allowance {
    /// Addresses in this network may be called, whatever name led to them.
    Network(ipnet::IpNet),
    /// This host name may resolve to any address.
    Host(String),
}

impl std::str::FromStr for Allowance {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let text = raw.trim().trim_start_matches('[').trim_end_matches(']');
        if let Ok(network) = text.parse::<ipnet::IpNet>() {
            return Ok(Self::Network(network.trunc()));
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Self::Network(ipnet::IpNet::from(canonical(ip))));
        }
        let name = text.trim_end_matches('.').to_ascii_lowercase();
        let valid = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if valid {
            Ok(Self::Host(name))
        } else {
            Err(format!("`{raw}` is not an IP address, a CIDR network (10.1.0.0/16) or a host name"))
        }
    }
}

/// Why a URL was refused or could not be looked up: for the log only, never for a person.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The URL is not an `http(s)://host` URL.
    #[error("not an http(s) URL with a host")]
    NotHttp,
    /// DNS failed or timed out.
    #[error("the host `{host}` could not be resolved: {reason}")]
    Lookup {
        /// The host.
        host: String,
        /// What DNS said.
        reason: String,
    },
    /// DNS answered with no address.
    #[error("the host `{0}` has no address")]
    NoAddress(String),
    /// An address is not public and not allowed.
    #[error("the host `{host}` resolves to {address}, which is not a public address")]
    NotPublic {
        /// The host.
        host: String,
        /// The address refused.
        address: IpAddr,
    },
}

/// The guard: the allowlist and the HTTP client whose DNS resolver applies it. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Outbound {
    allow: Arc<[Allowance]>,
    client: Arc<OnceLock<reqwest::Client>>,
}

impl Outbound {
    /// A guard that opens `allow` besides the public internet.
    pub fn new(allow: Vec<Allowance>) -> Self {
        Self { allow: allow.into(), client: Arc::default() }
    }

    /// The entries of `outbound.allow_private_hosts`.
    pub fn allowances(&self) -> &[Allowance] {
        &self.allow
    }

    /// Checks `url` as sending would, for saving a target or a rule: `Ok` when it may be
    /// called; else the sentence to show (the reason is logged).
    pub async fn check(&self, url: &str) -> Result<(), String> {
        let checked = match Url::parse(url.trim()) {
            Ok(parsed) => self.check_url(&parsed).await,
            Err(_) => Err(Refused::NotHttp),
        };
        checked.map(drop).map_err(|refused| {
            tracing::warn!(%refused, "an outbound URL was refused when saved");
            REFUSED_AT_SAVE.to_owned()
        })
    }

    async fn check_url(&self, url: &Url) -> Result<Vec<SocketAddr>, Refused> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refused::NotHttp);
        }
        let port = url.port_or_known_default().unwrap_or(0);
        match url.host() {
            Some(Host::Ipv4(ip)) => self.check_literal(IpAddr::V4(ip), port),
            Some(Host::Ipv6(ip)) => self.check_literal(IpAddr::V6(ip), port),
            Some(Host::Domain(name)) => resolve_checked(&self.allow, name, port).await,
            None => Err(Refused::NotHttp),
        }
    }

    fn check_literal(&self, ip: IpAddr, port: u16) -> Result<Vec<SocketAddr>, Refused> {
        let host = ip.to_string();
        if allowed(&self.allow, &host, ip) {
            Ok(vec![SocketAddr::new(ip, port)])
        } else {
            Err(Refused::NotPublic { host, address: ip })
        }
    }

    fn client(&self) -> Result<reqwest::Client, String> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        upstream::ensure_tls_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(LOOKUP_TIMEOUT)
            .timeout(TIMEOUT)
            .no_proxy()
            .dns_resolver(Arc::new(Guard { allow: self.allow.clone() }))
            .build()
            .map_err(|e| format!("could not build the HTTP client: {e}"))?;
        Ok(self.client.get_or_init(|| client).clone())
    }

    /// POSTs `body` as JSON to `url`, with `headers`. Answers the HTTP status, if there was
    /// one, and what went wrong as a sentence for people: an HTTP status other than 2xx is
    /// named; anything else is [`UNREACHABLE`], with the reason in the log.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> (Option<u16>, Option<String>) {
        let unreachable = |reason: &dyn std::fmt::Display, host: &str| {
            tracing::warn!(%reason, host, "an outbound request was not delivered");
            (None, Some(UNREACHABLE.to_owned()))
        };
        let parsed = match Url::parse(url.trim()) {
            Ok(parsed) => parsed,
            Err(error) => return unreachable(&error, ""),
        };
        let host = parsed.host_str().unwrap_or_default().to_owned();
        // Names are checked by the client's resolver on the lookup the connection uses; IP
        // literals never reach a resolver, so they are checked here.
        let literal = matches!(parsed.host(), Some(Host::Ipv4(_) | Host::Ipv6(_)));
        if (literal || !matches!(parsed.scheme(), "http" | "https"))
            && let Err(refused) = self.check_url(&parsed).await
        {
            return unreachable(&refused, &host);
        }
        let client = match self.client() {
            Ok(client) => client,
            Err(error) => return unreachable(&error, &host),
        };
        let mut request = client.post(parsed).header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.body(body).send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let error = match status {
                    200..=299 => None,
                    300..=399 => Some(format!("answered a redirect ({status}); redirects are not followed")),
                    _ => Some(format!("answered HTTP {status}")),
                };
                (Some(status), error)
            }
            Err(error) => unreachable(&error_chain(&error), &host),
        }
    }
}

/// An error with its sources, for the log (reqwest's own text hides the resolver's reason).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The HTTP client's DNS resolver: resolves, then refuses the answer unless every address
/// may be called, so the connection goes only to addresses that were checked.
struct Guard {
    allow: Arc<[Allowance]>,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addresses = resolve_checked(&allow, &host, 0).await?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// Resolves `host` and checks every address; all must be allowed (a name that answers with
/// a public and a private address is refused).
async fn resolve_checked(allow: &[Allowance], host: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
    let lookup = tokio::time::timeout(LOOKUP_TIMEOUT, tokio::net::lookup_host((host, port))).await;
    let addresses: Vec<SocketAddr> = match lookup {
        Ok(Ok(addresses)) => addresses.collect(),
        Ok(Err(error)) => return Err(Refused::Lookup { host: host.to_owned(), reason: error.to_string() }),
        Err(_) => return Err(Refused::Lookup { host: host.to_owned(), reason: "timed out".into() }),
    };
    if addresses.is_empty() {
        return Err(Refused::NoAddress(host.to_owned()));
    }
    match addresses.iter().find(|a| !allowed(allow, host, a.ip())) {
        Some(refused) => Err(Refused::NotPublic { host: host.to_owned(), address: refused.ip() }),
        None => Ok(addresses),
    }
}

/// Whether `ip`, reached through the name `host`, may be called.
fn allowed(allow: &[Allowance], host: &str, ip: IpAddr) -> bool {
    let ip = canonical(ip);
    let host = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.');
    is_public(ip)
        || allow.iter().any(|entry| match entry {
            Allowance::Network(network) => network.contains(&ip),
            Allowance::Host(name) => name.eq_ignore_ascii_case(host),
        })
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0 // "this network", 0.0.0.0 included
        || ip.is_loopback() // 127/8
        || ip.is_private() // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local() // 169.254/16, the metadata address included
        || (a == 100 && (b & 0xc0) == 64) // 100.64/10, carrier-grade NAT
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF assignments, documentation
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (b & 0xfe) == 18) // 198.18/15, benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || ip.is_multicast() // 224/4
        || a >= 240; // 240/4 reserved, 255.255.255.255 broadcast
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
        return false;
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64: the IPv4 address it reaches decides.
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4: likewise.
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    let special = ip.is_multicast() // ff00::/8
        || (s[0] & 0xfe00) == 0xfc00 // fc00::/7 unique-local, fd00:ec2::254 included
        || (s[0] & 0xffc0) == 0xfe80 // fe80::/10 link-local
        || (s[0] & 0xffc0) == 0xfec0 // fec0::/10 site-local (deprecated)
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // 64:ff9b:1::/48 local NAT64
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0]) // 100::/64 discard
        || (s[0] == 0x2001 && s[1] == 0) // 2001::/32 Teredo (hides an IPv4 address)
        || (s[0] == 0x2001 && s[1] == 0xdb8); // documentation
    !special
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an IP address")
    }

    #[test]
    fn finding_4_ssrf_private_local_and_reserved_addresses_are_not_public() {
        for refused in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::1",
            "2001:db8::1",
            "2001::1",
        ] {
            assert!(!is_public(ip(refused)), "{refused} must be refused");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::101:101",
        ] {
            assert!(is_public(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn finding_4_ssrf_the_allowlist_opens_only_what_it_names() {
        let allow: Vec<Allowance> = ["127.0.0.1", "10.1.0.0/16", "Hooks.Internal."]
            .iter()
            .map(|a| a.parse().expect("entry"))
            .collect();
        assert!(allowed(&allow, "127.0.0.1", ip("127.0.0.1")));
        assert!(allowed(&allow, "x", ip("::ffff:127.0.0.1")), "the mapped form of an allowed address");
        assert!(!allowed(&allow, "127.0.0.2", ip("127.0.0.2")));
        assert!(allowed(&allow, "a", ip("10.1.200.3")));
        assert!(!allowed(&allow, "a", ip("10.2.0.1")));
        assert!(allowed(&allow, "hooks.internal", ip("192.168.5.5")));
        assert!(!allowed(&allow, "other.internal", ip("192.168.5.5")));
        assert!(!allowed(&[], "localhost", ip("127.0.0.1")));
        assert!("not a host!".parse::<Allowance>().is_err());
    }

    #[tokio::test]
    async fn finding_4_ssrf_urls_to_private_addresses_are_refused_with_one_generic_message() {
        let outbound = Outbound::default();
        let mut messages = std::collections::BTreeSet::new();
        for url in [
            "http://127.0.0.1:9/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[fd00:ec2::254]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://0.0.0.0:22/",
            "http://localhost:9/",
            "http://no-such-host.invalid/",
        ] {
            messages.insert(outbound.check(url).await.expect_err(url));
            let (status, error) = outbound.post(url, &[], b"{}".to_vec()).await;
            assert_eq!((status, error.as_deref()), (None, Some(UNREACHABLE)), "{url}");
        }
        assert_eq!(messages.len(), 1, "one message whatever the reason: {messages:?}");
    }

    #[tokio::test]
    async fn finding_4_ssrf_an_allowed_loopback_receiver_is_reached() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buffer = [0_u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let _ = socket.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
            }
        });
        let url = format!("http://127.0.0.1:{port}/hook");
        let (status, _) = Outbound::default().post(&url, &[], b"{}".to_vec()).await;
        assert_eq!(status, None, "refused without the allowlist");
        let open = Outbound::new(vec!["127.0.0.1".parse().expect("entry")]);
        assert_eq!(open.check(&url).await, Ok(()));
        assert_eq!(open.post(&url, &[], b"{}".to_vec()).await, (Some(204), None));
        // A name is checked by the client's own resolver, on the lookup the connection uses.
        let by_name = format!("http://localhost:{port}/hook");
        let (status, _) = Outbound::default().post(&by_name, &[], b"{}".to_vec()).await;
        assert_eq!(status, None, "a name that resolves to loopback is refused by the resolver");
    }
}
