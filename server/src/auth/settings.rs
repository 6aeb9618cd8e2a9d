//! The sign-in sections of the configuration — `[oidc]`, `[proxy]`, `[access]` and
//! `[access.groups]` — and their validation into [`SignInConfig`].

use super::groups::GroupRoles;
use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{path::PathBuf, time::Duration};
use url::Url;

/// `[oidc]`: single sign-on with an OpenID provider (authorization code + PKCE).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcSettings {
    /// Turns OIDC sign-in on.
    pub enabled: bool,
    /// The issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: Option<String>,
    /// The client id registered at the provider.
    pub client_id: Option<String>,
    /// The client secret (`CONSOLE_OIDC_CLIENT_SECRET`); none for a public client.
    pub client_secret: Option<SecretString>,
    /// A file holding the client secret, instead of `client_secret`.
    pub client_secret_file: Option<PathBuf>,
    /// Scopes to ask for besides `openid`.
    pub scopes: Vec<String>,
    /// The ID-token claim that lists the person's groups.
    pub groups_claim: String,
    /// The provider's name on the sign-in button.
    pub display_name: String,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            issuer_url: None,
            client_id: None,
            client_secret: None,
            client_secret_file: None,
            scopes: vec!["email".into(), "profile".into(), "groups".into()],
            groups_claim: "groups".into(),
            display_name: "single sign-on".into(),
        }
    }
}

/// `[proxy]`: identity headers set by a reverse proxy that authenticated the person
/// (oauth2-proxy, Authelia, Pomerium, Cloudflare Access).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProxySettings {
    /// Turns trusted-proxy sign-in on.
    pub enabled: bool,
    /// Networks of the proxies whose headers are believed (TCP peer address, CIDR).
    /// Empty trusts nobody.
    pub trusted_proxies: Vec<String>,
    /// Header with the user's stable id.
    pub user_header: String,
    /// Header with the e-mail address.
    pub email_header: String,
    /// Header with the groups, comma-separated.
    pub groups_header: String,
    /// Header with the client's address as the proxy saw it (one address, not a list);
    /// used for the IP allowlist and rate limits. Empty uses the TCP peer.
    pub client_ip_header: String,
    /// Header with a signed JWT assertion (e.g. `x-pomerium-jwt-assertion`,
    /// `cf-access-jwt-assertion`). When set, only the verified assertion is believed.
    pub jwt_header: String,
    /// Where the assertion's signing keys are (JWKS).
    pub jwks_url: Option<String>,
    /// The assertion's expected `iss`.
    pub jwt_issuer: Option<String>,
    /// The assertion's expected `aud`.
    pub jwt_audience: Option<String>,
    /// The assertion claim that lists groups.
    pub jwt_groups_claim: String,
}

impl Default for ProxySettings {
    fn default() -> Self {
        Self {
            enabled: false,
            trusted_proxies: Vec::new(),
            user_header: "x-forwarded-user".into(),
            email_header: "x-forwarded-email".into(),
            groups_header: "x-forwarded-groups".into(),
            client_ip_header: String::new(),
            jwt_header: String::new(),
            jwks_url: None,
            jwt_issuer: None,
            jwt_audience: None,
            jwt_groups_claim: "groups".into(),
        }
    }
}

/// `[access]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessSettings {
    /// IdP groups per role; the most privileged matching role wins.
    pub groups: GroupRoles,
    /// Networks allowed to reach the console at all (CIDR); empty allows everyone.
    pub allowed_ips: Vec<String>,
    /// Sign-in attempts allowed per minute, per client address and per user name.
    pub sign_in_attempts_per_minute: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// An OIDC session's role is re-read from the provider at most this often (minutes).
    pub recheck_minutes: u64,
    /// An admin session ends this long after sign-in, whatever `[session]` allows (hours).
    pub admin_session_hours: u64,
}

impl Default for AccessSettings {
    fn default() -> Self {
        Self {
            groups: GroupRoles::default(),
            allowed_ips: Vec::new(),
            sign_in_attempts_per_minute: 10,
            max_body_bytes: 1024 * 1024,
            recheck_minutes: 15,
            admin_session_hours: 12,
        }
    }
}

/// Validated OIDC settings.
#[derive(Debug)]
pub struct OidcConfig {
    /// Issuer, exactly as configured: it must equal the `iss` the provider puts in tokens,
    /// where a trailing slash matters.
    pub issuer_url: String,
    /// Client id.
    pub client_id: String,
    /// Client secret, when the client is confidential.
    pub client_secret: Option<SecretString>,
    /// Where the provider sends people back: `<public_url>/auth/oidc/callback`.
    pub redirect_url: Url,
    /// Where the provider sends people after signing out there: `<public_url>/login?signed_out=1`.
    pub post_logout_url: Url,
    /// Extra scopes.
    pub scopes: Vec<String>,
    /// Groups claim.
    pub groups_claim: String,
    /// Button label.
    pub display_name: String,
}

/// Validated signed-assertion settings.
#[derive(Debug, Clone)]
pub struct AssertionConfig {
    /// Header name (lower case).
    pub header: String,
    /// JWKS URL.
    pub jwks_url: Url,
    /// Expected issuer.
    pub issuer: String,
    /// Expected audience.
    pub audience: String,
    /// Groups claim.
    pub groups_claim: String,
}

/// Validated trusted-proxy settings.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Whether identity headers are read at all.
    pub enabled: bool,
    /// Trusted peers.
    pub trusted: Vec<IpNet>,
    /// Header names, lower case.
    pub user_header: String,
    /// E-mail header.
    pub email_header: String,
    /// Groups header.
    pub groups_header: String,
    /// Client address header, if any.
    pub client_ip_header: Option<String>,
    /// Signed assertion, if configured.
    pub assertion: Option<AssertionConfig>,
}

/// Everything about signing in, validated.
#[derive(Debug)]
pub struct SignInConfig {
    /// OIDC, when enabled.
    pub oidc: Option<OidcConfig>,
    /// Trusted proxy (also used to find the client address when disabled for identity).
    pub proxy: ProxyConfig,
    /// Group → role table.
    pub groups: GroupRoles,
    /// IP allowlist; empty allows all.
    pub allowed_ips: Vec<IpNet>,
    /// Sign-in attempts per minute.
    pub attempts_per_minute: u32,
    /// Body limit.
    pub max_body_bytes: usize,
    /// How often an OIDC session's role is re-read at most.
    pub recheck: Duration,
    /// Absolute lifetime of an admin session.
    pub admin_session: Duration,
}

/// Validates the sign-in sections, pushing every problem. `None` when any was found.
pub fn validate(
    oidc: &OidcSettings,
    proxy: &ProxySettings,
    access: &AccessSettings,
    public_url: Option<&str>,
    problems: &mut Vec<String>,
) -> Option<SignInConfig> {
    let before = problems.len();
    let oidc = if oidc.enabled { oidc_config(oidc, public_url, problems) } else { None };
    let trusted = networks("proxy.trusted_proxies", &proxy.trusted_proxies, problems);
    let allowed_ips = networks("access.allowed_ips", &access.allowed_ips, problems);
    if proxy.enabled && trusted.is_empty() {
        problems.push(
            "proxy.enabled is true but proxy.trusted_proxies is empty: list the proxy's address \
             (e.g. [\"127.0.0.1/32\"]); headers from any other peer are ignored"
                .into(),
        );
    }
    let header = |key: &str, value: &str, problems: &mut Vec<String>| {
        let lower = value.trim().to_ascii_lowercase();
        if http::HeaderName::from_bytes(lower.as_bytes()).is_err() {
            problems.push(format!("proxy.{key} `{value}` is not a header name"));
        }
        lower
    };
    let user_header = header("user_header", &proxy.user_header, problems);
    let email_header = header("email_header", &proxy.email_header, problems);
    let groups_header = header("groups_header", &proxy.groups_header, problems);
    let client_ip_header = (!proxy.client_ip_header.trim().is_empty())
        .then(|| header("client_ip_header", &proxy.client_ip_header, problems));
    if client_ip_header.as_deref() == Some("x-forwarded-for") {
        problems.push(
            "proxy.client_ip_header must name a single-address header (e.g. x-real-ip), not \
             x-forwarded-for, whose left part any client can write"
                .into(),
        );
    }
    let assertion = if proxy.jwt_header.trim().is_empty() {
        None
    } else {
        let name = header("jwt_header", &proxy.jwt_header, problems);
        let jwks_url = match proxy.jwks_url.as_deref().map(Url::parse) {
            Some(Ok(url)) if matches!(url.scheme(), "http" | "https") => Some(url),
            Some(_) => {
                problems.push("proxy.jwks_url is not an http(s) URL".into());
                None
            }
            None => {
                problems.push("proxy.jwt_header is set, so proxy.jwks_url is required".into());
                None
            }
        };
        let required = |key: &str, value: &Option<String>, problems: &mut Vec<String>| match value {
            Some(v) if !v.trim().is_empty() => Some(v.trim().to_owned()),
            _ => {
                problems.push(format!("proxy.jwt_header is set, so proxy.{key} is required"));
                None
            }
        };
        let issuer = required("jwt_issuer", &proxy.jwt_issuer, problems);
        let audience = required("jwt_audience", &proxy.jwt_audience, problems);
        match (jwks_url, issuer, audience) {
            (Some(jwks_url), Some(issuer), Some(audience)) => Some(AssertionConfig {
                header: name,
                jwks_url,
                issuer,
                audience,
                groups_claim: proxy.jwt_groups_claim.clone(),
            }),
            _ => None,
        }
    };
    if access.sign_in_attempts_per_minute == 0 {
        problems.push("access.sign_in_attempts_per_minute must be greater than 0".into());
    }
    if access.max_body_bytes < 1024 {
        problems.push("access.max_body_bytes must be at least 1024".into());
    }
    for (name, value) in [
        ("access.recheck_minutes", access.recheck_minutes),
        ("access.admin_session_hours", access.admin_session_hours),
    ] {
        if value == 0 {
            problems.push(format!("{name} must be greater than 0"));
        }
    }
    if (oidc.is_some() || proxy.enabled) && access.groups.is_empty() {
        problems.push(
            "single sign-on is enabled but [access.groups] maps no group to a role, so nobody could \
             sign in: e.g. admin = [\"console-admins\"]"
                .into(),
        );
    }
    (problems.len() == before).then(|| SignInConfig {
        oidc,
        proxy: ProxyConfig {
            enabled: proxy.enabled,
            trusted,
            user_header,
            email_header,
            groups_header,
            client_ip_header,
            assertion,
        },
        groups: access.groups.clone(),
        allowed_ips,
        attempts_per_minute: access.sign_in_attempts_per_minute,
        max_body_bytes: access.max_body_bytes,
        recheck: Duration::from_secs(access.recheck_minutes.saturating_mul(60)),
        admin_session: Duration::from_secs(access.admin_session_hours.saturating_mul(3600)),
    })
}

fn oidc_config(
    oidc: &OidcSettings,
    public_url: Option<&str>,
    problems: &mut Vec<String>,
) -> Option<OidcConfig> {
    let issuer_url = match oidc.issuer_url.as_deref().map(|raw| (raw, Url::parse(raw))) {
        Some((raw, Ok(url))) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Some(raw.trim().to_owned())
        }
        Some(_) => {
            problems.push("oidc.issuer_url is not an http(s) URL".into());
            None
        }
        None => {
            problems
                .push("oidc.enabled is true but oidc.issuer_url (CONSOLE_OIDC_ISSUER_URL) is not set".into());
            None
        }
    };
    let client_id = match &oidc.client_id {
        Some(id) if !id.trim().is_empty() => Some(id.trim().to_owned()),
        _ => {
            problems
                .push("oidc.enabled is true but oidc.client_id (CONSOLE_OIDC_CLIENT_ID) is not set".into());
            None
        }
    };
    let client_secret = match (&oidc.client_secret, &oidc.client_secret_file) {
        (Some(secret), _) if !secret.expose_secret().trim().is_empty() => {
            Some(SecretString::from(secret.expose_secret().trim().to_owned()))
        }
        (_, Some(path)) => match std::fs::read_to_string(path) {
            Ok(text) if !text.trim().is_empty() => Some(SecretString::from(text.trim().to_owned())),
            _ => {
                problems.push(format!("oidc.client_secret_file `{}` is empty or unreadable", path.display()));
                None
            }
        },
        _ => None,
    };
    let base = match public_url.map(Url::parse) {
        Some(Ok(url)) => Some(url),
        Some(Err(_)) => None,
        None => {
            problems.push(
                "oidc.enabled needs server.public_url (CONSOLE_SERVER_PUBLIC_URL), the address people \
                 use, to build the redirect URL registered at the provider"
                    .into(),
            );
            None
        }
    };
    let redirect = base.as_ref().and_then(|b| b.join("/auth/oidc/callback").ok());
    let post_logout = base.as_ref().and_then(|b| b.join("/login?signed_out=1").ok());
    if oidc.groups_claim.trim().is_empty() {
        problems.push("oidc.groups_claim must not be empty".into());
    }
    match (issuer_url, client_id, redirect, post_logout) {
        (Some(issuer_url), Some(client_id), Some(redirect_url), Some(post_logout_url)) => Some(OidcConfig {
            issuer_url,
            client_id,
            client_secret,
            redirect_url,
            post_logout_url,
            scopes: oidc.scopes.iter().filter(|s| s.as_str() != "openid").cloned().collect(),
            groups_claim: oidc.groups_claim.trim().to_owned(),
            display_name: oidc.display_name.clone(),
        }),
        _ => None,
    }
}

/// Parses CIDRs (or single addresses) of `key`.
fn networks(key: &str, raw: &[String], problems: &mut Vec<String>) -> Vec<IpNet> {
    raw.iter()
        .filter_map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| problems.push(format!("{key}: `{entry}` is not an IP address or CIDR network")))
                .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(oidc: &OidcSettings, proxy: &ProxySettings, access: &AccessSettings) -> Vec<String> {
        let mut problems = Vec::new();
        validate(oidc, proxy, access, None, &mut problems);
        problems
    }

    #[test]
    fn the_defaults_trust_no_proxy_and_allow_every_address() {
        let mut problems = Vec::new();
        let config = validate(
            &OidcSettings::default(),
            &ProxySettings::default(),
            &AccessSettings::default(),
            None,
            &mut problems,
        )
        .expect("valid");
        assert!(config.proxy.trusted.is_empty() && !config.proxy.enabled);
        assert!(config.allowed_ips.is_empty() && config.oidc.is_none());
    }

    #[test]
    fn every_sign_in_problem_is_listed() {
        let oidc = OidcSettings { enabled: true, ..OidcSettings::default() };
        let proxy = ProxySettings {
            enabled: true,
            client_ip_header: "X-Forwarded-For".into(),
            jwt_header: "x-pomerium-jwt-assertion".into(),
            ..ProxySettings::default()
        };
        let access = AccessSettings { allowed_ips: vec!["10.0.0.0/33".into()], ..AccessSettings::default() };
        let problems = check(&oidc, &proxy, &access);
        for expected in [
            "oidc.issuer_url",
            "oidc.client_id",
            "server.public_url",
            "trusted_proxies is empty",
            "x-forwarded-for",
            "proxy.jwks_url",
            "proxy.jwt_issuer",
            "proxy.jwt_audience",
            "`10.0.0.0/33`",
            "[access.groups]",
        ] {
            assert!(problems.iter().any(|p| p.contains(expected)), "{expected} in {problems:#?}");
        }
    }

    #[test]
    fn single_addresses_count_as_networks() {
        let mut problems = Vec::new();
        let nets = networks("k", &["127.0.0.1".into(), "10.0.0.0/8".into(), "::1".into()], &mut problems);
        assert!(problems.is_empty());
        assert_eq!(nets.len(), 3);
    }
}
