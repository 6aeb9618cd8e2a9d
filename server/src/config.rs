//! Configuration: code defaults → `config/base.toml` → `config/<CONSOLE_ENV>.toml` → `CONSOLE_*`
//! environment variables, then validated into a typed [`Config`] with readable errors.
//!
//! Environment variables are `CONSOLE_<SECTION>_<KEY>`: the first `_` after the prefix
//! separates the section (`CONSOLE_UPSTREAM_ADMIN_TOKEN` → `upstream.admin_token`).
//! `CONSOLE_ENV` (default `local`) picks the environment file and `CONSOLE_CONFIG_DIR`
//! (default `config`) the folder. Secrets are taken verbatim from the environment (not parsed
//! as numbers or lists) and live in `SecretString`, which never prints its value.

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};
use upstream::Region;
use url::Url;

/// Settings as written in files and the environment, before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// HTTP server.
    pub server: ServerSettings,
    /// Where Social+ is.
    pub upstream: UpstreamSettings,
    /// The console database.
    pub database: DatabaseSettings,
    /// The local bootstrap admin.
    pub bootstrap: BootstrapSettings,
    /// Sign-in sessions.
    pub session: SessionSettings,
    /// The embedded stand-in (upstream mode `standin`).
    pub standin: StandinSettings,
    /// Logging.
    pub log: LogSettings,
    /// Single sign-on with an OpenID provider.
    pub oidc: crate::auth::settings::OidcSettings,
    /// Sign-in by identity headers from a trusted reverse proxy.
    pub proxy: crate::auth::settings::ProxySettings,
    /// Who may reach the console and with which role.
    pub access: crate::auth::settings::AccessSettings,
    /// The signed appeal intake endpoint.
    pub appeals: AppealsSettings,
    /// The signed webhook intake (`server/src/hooks.rs`).
    pub webhooks: crate::hooks::WebhooksSettings,
    /// Backfill and report schedules (`server/src/hooks.rs`).
    pub events: crate::hooks::EventsSettings,
    /// Per-person limits and retention of stored files (`server/src/limits.rs`).
    pub limits: crate::limits::LimitsSettings,
    /// Where forwarding and rule notifications may send (`server/src/outbound.rs`).
    pub outbound: crate::outbound::OutboundSettings,
}

/// `[appeals]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppealsSettings {
    /// Shared secret that signs `POST /intake/appeals` (at least 32 characters); unset
    /// disables the endpoint.
    pub secret: Option<SecretString>,
}

/// `[server]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Listen address, `IP:port`.
    pub addr: String,
    /// The URL people use to reach the console, e.g. `https://mod.example.com`.
    /// Decides secure cookies and the allowed `Origin` of form posts.
    pub public_url: Option<String>,
    /// Path of `Leptos.toml`.
    pub leptos_config: PathBuf,
    /// Longest a request may take before it is answered with 408.
    pub request_timeout_secs: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:3000".into(),
            public_url: None,
            leptos_config: "Leptos.toml".into(),
            request_timeout_secs: 30,
        }
    }
}

/// Which Social+ the console talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpstreamMode {
    /// The embedded stand-in with seeded demo data.
    #[default]
    Standin,
    /// A real Social+ region (or any compatible `base_url`).
    Region,
}

/// `[upstream]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpstreamSettings {
    /// `standin` or `region`.
    pub mode: UpstreamMode,
    /// `us`, `eu` or `sg` (region mode).
    pub region: Option<Region>,
    /// Explicit API URL; overrides `region`.
    pub base_url: Option<String>,
    /// The network's admin token (region mode).
    pub admin_token: Option<SecretString>,
    /// A file holding the admin token, instead of `admin_token`.
    pub admin_token_file: Option<PathBuf>,
    /// The network's API key (`x-api-key`, region mode): creating users goes through
    /// session registration, which needs it. Secret like the admin token. The embedded
    /// stand-in's own generated key is used in stand-in mode.
    pub api_key: Option<SecretString>,
    /// Per-request timeout.
    pub timeout_secs: u64,
    /// Requests per second the console may send to Social+ (0 = no limit).
    pub budget_per_second: u32,
}

impl Default for UpstreamSettings {
    fn default() -> Self {
        Self {
            mode: UpstreamMode::Standin,
            region: None,
            base_url: None,
            admin_token: None,
            admin_token_file: None,
            api_key: None,
            timeout_secs: 10,
            budget_per_second: upstream::DEFAULT_BUDGET_PER_SECOND.get(),
        }
    }
}

/// `[database]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// SQLite file of the console's own data (sessions, audit).
    pub path: PathBuf,
    /// Key sealing the secrets stored in the database: 32 bytes as Base64 or hex. Unset:
    /// read from `secret_key_file`, else from `secret.key` next to the database, generated
    /// (0600) on the first start.
    pub secret_key: Option<SecretString>,
    /// A file holding that key.
    pub secret_key_file: Option<PathBuf>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self { path: "data/console.sqlite".into(), secret_key: None, secret_key_file: None }
    }
}

/// `[bootstrap]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BootstrapSettings {
    /// User name of the bootstrap admin.
    pub username: String,
    /// Its password; generated and printed at start when unset.
    pub password: Option<SecretString>,
    /// Break-glass: allow the bootstrap admin against a real region too (`break_glass`;
    /// `allow_in_region_mode` is the older name). Logged at error level and audited.
    #[serde(alias = "break_glass")]
    pub allow_in_region_mode: bool,
}

impl Default for BootstrapSettings {
    fn default() -> Self {
        Self { username: "admin".into(), password: None, allow_in_region_mode: false }
    }
}

/// `[session]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// Sign out after this long without a request.
    pub idle_minutes: u64,
    /// Sign out this long after signing in, whatever happens.
    pub absolute_hours: u64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self { idle_minutes: 60, absolute_hours: 12 }
    }
}

/// `[standin]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StandinSettings {
    /// Its SQLite file; `:memory:` for a throw-away database.
    pub database: PathBuf,
    /// Users to generate.
    pub users: u32,
    /// Generator seed.
    pub seed: u64,
    /// A fixed admin token (tests); generated per start when unset.
    pub admin_token: Option<SecretString>,
    /// Simulated member activity (posts, comments, flags, joins) per second; 0 = off.
    pub simulate_per_second: f64,
    /// The stand-in answers 429 past this many requests per second, like the real rate
    /// limit; 0 = no limit.
    pub budget_per_second: u32,
    /// Days of activity history seeded with the network and delivered to this console's
    /// webhook intake on its first start, so the charts have a past; 0 = none.
    pub history_days: u32,
}

impl Default for StandinSettings {
    fn default() -> Self {
        Self {
            database: "data/standin.sqlite".into(),
            users: 3_000,
            seed: 42,
            admin_token: None,
            simulate_per_second: 0.0,
            budget_per_second: 0,
            history_days: 90,
        }
    }
}

/// Log output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// `[log]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter, e.g. `info,server=debug`. `RUST_LOG` overrides it.
    pub filter: String,
    /// `text` or `json`.
    pub format: LogFormat,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self { filter: "info".into(), format: LogFormat::Text }
    }
}

/// Secrets read verbatim from the environment: `(variable, key)`.
const VERBATIM_SECRETS: [(&str, &str); 7] = [
    ("CONSOLE_DATABASE_SECRET_KEY", "database.secret_key"),
    ("CONSOLE_UPSTREAM_ADMIN_TOKEN", "upstream.admin_token"),
    ("CONSOLE_UPSTREAM_API_KEY", "upstream.api_key"),
    ("CONSOLE_BOOTSTRAP_PASSWORD", "bootstrap.password"),
    ("CONSOLE_STANDIN_ADMIN_TOKEN", "standin.admin_token"),
    ("CONSOLE_OIDC_CLIENT_SECRET", "oidc.client_secret"),
    ("CONSOLE_APPEALS_SECRET", "appeals.secret"),
];

impl Settings {
    /// Loads the layers from `config_dir` and the process environment.
    pub fn load(config_dir: &Path, environment: &str) -> Result<Self, ConfigError> {
        let mut figment = Figment::new()
            .merge(Toml::file(config_dir.join("base.toml")))
            .merge(Toml::file(config_dir.join(format!("{environment}.toml"))))
            .merge(
                Env::prefixed("CONSOLE_")
                    .ignore(&[
                        "env",
                        "config_dir",
                        "upstream_admin_token",
                        "upstream_api_key",
                        "bootstrap_password",
                        "standin_admin_token",
                        "oidc_client_secret",
                        "appeals_secret",
                        "webhook_secrets",
                        "database_secret_key",
                    ])
                    .map(|key| key.as_str().replacen('_', ".", 1).into()),
            );
        for (variable, key) in VERBATIM_SECRETS {
            if let Ok(value) = std::env::var(variable) {
                figment = figment.merge(Serialized::default(key, value));
            }
        }
        let mut settings: Self =
            figment.extract().map_err(|e| ConfigError(e.into_iter().map(|e| e.to_string()).collect()))?;
        settings.webhooks.env_secrets = std::env::var("CONSOLE_WEBHOOK_SECRETS").ok().map(SecretString::from);
        Ok(settings)
    }

    /// Loads from `CONSOLE_CONFIG_DIR` (default `config`) and `CONSOLE_ENV` (default `local`).
    pub fn from_env() -> Result<Self, ConfigError> {
        let dir = std::env::var("CONSOLE_CONFIG_DIR").unwrap_or_else(|_| "config".into());
        let environment = std::env::var("CONSOLE_ENV").unwrap_or_else(|_| "local".into());
        Self::load(Path::new(&dir), &environment)
    }

    /// Checks everything and builds the typed configuration, listing every problem at once.
    pub fn validate(self) -> Result<Config, ConfigError> {
        let mut problems = Vec::new();
        let addr = self.server.addr.parse::<SocketAddr>().map_err(|_| {
            problems.push(format!(
                "server.addr `{}` is not an IP address and port, e.g. 127.0.0.1:3000 or 0.0.0.0:8080",
                self.server.addr
            ))
        });
        let public_origin = match &self.server.public_url {
            None => Ok(None),
            Some(raw) => origin_of(raw).map(Some).map_err(|why| {
                problems.push(format!("server.public_url `{raw}` {why}"));
            }),
        };
        if self.upstream.mode == UpstreamMode::Region
            && let Some(raw) = &self.server.public_url
            && is_plain_http_elsewhere(raw)
        {
            problems.push(format!(
                "server.public_url `{raw}` is plain http, but region mode serves a real network's data                  and sign-ins: put a TLS-terminating proxy in front and set                  CONSOLE_SERVER_PUBLIC_URL=https://… (http is accepted only for a loopback address                  such as http://127.0.0.1:3000)"
            ));
        }
        let upstream = self.upstream_target(&mut problems);
        let sign_in = crate::auth::settings::validate(
            &self.oidc,
            &self.proxy,
            &self.access,
            self.server.public_url.as_deref(),
            &mut problems,
        );
        for (name, value) in [
            ("server.request_timeout_secs", self.server.request_timeout_secs),
            ("upstream.timeout_secs", self.upstream.timeout_secs),
            ("session.idle_minutes", self.session.idle_minutes),
            ("session.absolute_hours", self.session.absolute_hours),
        ] {
            if value == 0 {
                problems.push(format!("{name} must be greater than 0"));
            }
        }
        // Minutes and hours become seconds: a bound keeps the conversion from overflowing.
        for (name, value, max) in [
            ("session.idle_minutes", self.session.idle_minutes, 366 * 24 * 60),
            ("session.absolute_hours", self.session.absolute_hours, 366 * 24),
        ] {
            if value > max {
                problems.push(format!("{name} must be at most {max} (366 days)"));
            }
        }
        if let Some(password) = &self.bootstrap.password
            && password.expose_secret().chars().count() < 12
        {
            problems.push(
                "bootstrap.password (CONSOLE_BOOTSTRAP_PASSWORD) must be at least 12 characters".into(),
            );
        }
        if let Some(secret) = &self.appeals.secret
            && secret.expose_secret().chars().count() < 32
        {
            problems.push("appeals.secret (CONSOLE_APPEALS_SECRET) must be at least 32 characters".into());
        }
        let webhooks = self.webhooks.validate(&mut problems);
        let limits = self.limits.validate(&mut problems);
        let outbound = self.outbound.validate(&mut problems);
        let secret_key = crate::stored_secrets::key_source(&self.database, &mut problems);
        let simulate = self.standin.simulate_per_second;
        if !simulate.is_finite() || !(0.0..=1_000.0).contains(&simulate) {
            problems.push("standin.simulate_per_second must be between 0 (off) and 1000".into());
        }
        if self.bootstrap.username.trim().is_empty() {
            problems.push("bootstrap.username must not be empty".into());
        }
        let break_glass =
            matches!(upstream, Ok(UpstreamTarget::Remote { .. })) && self.bootstrap.allow_in_region_mode;
        let bootstrap_disabled_reason = match (&upstream, self.bootstrap.allow_in_region_mode) {
            (Ok(UpstreamTarget::Remote { .. }), false) => Some(
                "This console talks to a real Social+ region, where the local bootstrap admin is \
                 refused. Configure single sign-on, or for emergency access set \
                 CONSOLE_BOOTSTRAP_BREAK_GLASS=true (it is logged loudly and audited)."
                    .to_owned(),
            ),
            _ => None,
        };
        match (addr, public_origin, upstream, sign_in) {
            (Ok(addr), Ok(public_origin), Ok(upstream), Some(sign_in)) if problems.is_empty() => Ok(Config {
                addr,
                public_origin,
                leptos_config: self.server.leptos_config,
                request_timeout: Duration::from_secs(self.server.request_timeout_secs),
                upstream,
                upstream_timeout: Duration::from_secs(self.upstream.timeout_secs),
                upstream_budget: std::num::NonZeroU32::new(self.upstream.budget_per_second),
                upstream_api_key: self
                    .upstream
                    .api_key
                    .filter(|k| !k.expose_secret().trim().is_empty())
                    .map(|k| SecretString::from(k.expose_secret().trim().to_owned())),
                database_path: self.database.path,
                secret_key,
                outbound,
                appeals_secret: self.appeals.secret,
                webhooks,
                events: self.events,
                limits,
                standin_simulate_per_second: (simulate > 0.0).then_some(simulate),
                standin_budget_per_second: (self.standin.budget_per_second > 0)
                    .then_some(self.standin.budget_per_second),
                bootstrap: BootstrapConfig {
                    username: self.bootstrap.username,
                    password: self.bootstrap.password,
                    disabled_reason: bootstrap_disabled_reason,
                    break_glass,
                },
                sign_in,
                session: SessionConfig {
                    idle: Duration::from_secs(self.session.idle_minutes.saturating_mul(60)),
                    absolute: Duration::from_secs(self.session.absolute_hours.saturating_mul(3600)),
                },
                log: self.log,
            }),
            _ => Err(ConfigError(problems)),
        }
    }

    fn upstream_target(&self, problems: &mut Vec<String>) -> Result<UpstreamTarget, ()> {
        let u = &self.upstream;
        match u.mode {
            UpstreamMode::Standin => {
                for (set, name) in [
                    (u.region.is_some(), "upstream.region"),
                    (u.base_url.is_some(), "upstream.base_url"),
                    (u.admin_token.is_some(), "upstream.admin_token"),
                    (u.admin_token_file.is_some(), "upstream.admin_token_file"),
                ] {
                    if set {
                        problems.push(format!(
                            "{name} is set but upstream.mode is `standin`; set upstream.mode = \"region\" \
                             (CONSOLE_UPSTREAM_MODE=region) to use a real Social+ network"
                        ));
                    }
                }
                if self.standin.users > 5_000_000 {
                    problems.push("standin.users must be at most 5000000".into());
                }
                if self.standin.history_days > 365 {
                    problems.push("standin.history_days must be at most 365 (0 = no history)".into());
                }
                let storage = if self.standin.database.as_os_str() == ":memory:" {
                    standin::Storage::Memory
                } else {
                    standin::Storage::File(self.standin.database.clone())
                };
                Ok(UpstreamTarget::Standin {
                    storage,
                    seed: standin::SeedOptions {
                        users: self.standin.users,
                        seed: self.standin.seed,
                        ..standin::SeedOptions::default()
                    },
                    history: standin::HistoryOptions { days: self.standin.history_days, end: None },
                    admin_token: self.standin.admin_token.clone(),
                })
            }
            UpstreamMode::Region => {
                let base_url = match (&u.base_url, u.region) {
                    (Some(raw), _) => match Url::parse(raw) {
                        Ok(url) => match upstream::base_url_problem(&url) {
                            None => Some(url),
                            Some(problem) => {
                                problems.push(format!("upstream.base_url `{raw}` {problem}"));
                                None
                            }
                        },
                        Err(_) => {
                            problems.push(format!("upstream.base_url `{raw}` is not an http(s) URL"));
                            None
                        }
                    },
                    (None, Some(region)) => Url::parse(region.base_url()).ok(),
                    (None, None) => {
                        problems.push(
                            "region mode needs upstream.region (us, eu or sg; CONSOLE_UPSTREAM_REGION) \
                             or upstream.base_url"
                                .into(),
                        );
                        None
                    }
                };
                let admin_token = match (&u.admin_token, &u.admin_token_file) {
                    (Some(token), _) if !token.expose_secret().trim().is_empty() => {
                        Some(SecretString::from(token.expose_secret().trim().to_owned()))
                    }
                    (_, Some(path)) => match std::fs::read_to_string(path) {
                        Ok(text) if !text.trim().is_empty() => {
                            Some(SecretString::from(text.trim().to_owned()))
                        }
                        Ok(_) => {
                            problems.push(format!("upstream.admin_token_file `{}` is empty", path.display()));
                            None
                        }
                        Err(e) => {
                            problems.push(format!(
                                "upstream.admin_token_file `{}` cannot be read: {e}",
                                path.display()
                            ));
                            None
                        }
                    },
                    _ => {
                        problems.push(
                            "region mode needs the network's admin token: set CONSOLE_UPSTREAM_ADMIN_TOKEN \
                             or CONSOLE_UPSTREAM_ADMIN_TOKEN_FILE"
                                .into(),
                        );
                        None
                    }
                };
                // The file is watched and rewritten only when the token came from it.
                let token_from_env =
                    u.admin_token.as_ref().is_some_and(|t| !t.expose_secret().trim().is_empty());
                let admin_token_file = if token_from_env { None } else { u.admin_token_file.clone() };
                match (base_url, admin_token) {
                    (Some(base_url), Some(admin_token)) => {
                        Ok(UpstreamTarget::Remote { base_url, admin_token, admin_token_file })
                    }
                    _ => Err(()),
                }
            }
        }
    }
}

/// `scheme://host[:port]` of a URL, which must have no path, query or fragment.
fn origin_of(raw: &str) -> Result<String, &'static str> {
    let url = Url::parse(raw).map_err(|_| "is not a URL")?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http(s) URL");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("must be an origin only, without a path (the console is served at /)");
    }
    Ok(url.origin().ascii_serialization())
}

/// An `http://` URL whose host is not loopback (`localhost`, 127.0.0.0/8, `::1`).
fn is_plain_http_elsewhere(raw: &str) -> bool {
    let Ok(url) = Url::parse(raw) else { return false };
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    url.scheme() == "http" && !loopback
}

/// Validated configuration.
#[derive(Debug)]
pub struct Config {
    /// Listen address.
    pub addr: SocketAddr,
    /// `scheme://host[:port]` people use, when configured.
    pub public_origin: Option<String>,
    /// Path of `Leptos.toml`.
    pub leptos_config: PathBuf,
    /// Request timeout.
    pub request_timeout: Duration,
    /// Where Social+ is.
    pub upstream: UpstreamTarget,
    /// Upstream request timeout.
    pub upstream_timeout: Duration,
    /// Upstream requests per second (`None` = no limit).
    pub upstream_budget: Option<std::num::NonZeroU32>,
    /// The network's API key for creating users (region mode; the stand-in brings its own).
    pub upstream_api_key: Option<SecretString>,
    /// Console database file.
    pub database_path: PathBuf,
    /// Where the key sealing stored secrets comes from.
    pub secret_key: backend::secret_box::KeySource,
    /// Where forwarding and rule notifications may send.
    pub outbound: backend::outbound::Outbound,
    /// Shared secret of the appeal intake endpoint, when enabled.
    pub appeals_secret: Option<SecretString>,
    /// The webhook intake: path, secrets, body limit.
    pub webhooks: crate::hooks::WebhooksConfig,
    /// Backfill and last-activity report schedules.
    pub events: crate::hooks::EventsSettings,
    /// Per-person limits and retention of stored files.
    pub limits: crate::limits::LimitsConfig,
    /// The embedded stand-in's simulated activity per second, when on.
    pub standin_simulate_per_second: Option<f64>,
    /// The embedded stand-in's request budget per second, when limited.
    pub standin_budget_per_second: Option<u32>,
    /// Bootstrap admin.
    pub bootstrap: BootstrapConfig,
    /// Session lifetimes.
    pub session: SessionConfig,
    /// Single sign-on, trusted proxy, group roles, sign-in limits and the IP allowlist.
    pub sign_in: crate::auth::settings::SignInConfig,
    /// Logging.
    pub log: LogSettings,
}

/// The Social+ API to use.
#[derive(Debug)]
pub enum UpstreamTarget {
    /// Start the embedded stand-in.
    Standin {
        /// Its data.
        storage: standin::Storage,
        /// What to generate.
        seed: standin::SeedOptions,
        /// The activity history to generate with it (ending when it is generated).
        history: standin::HistoryOptions,
        /// Fixed admin token, else generated.
        admin_token: Option<SecretString>,
    },
    /// A real (or separately run) API.
    Remote {
        /// API base URL.
        base_url: Url,
        /// Admin token.
        admin_token: SecretString,
        /// The secret file it was read from (watched for rotation, rewritten on
        /// regeneration); `None` when it came from the environment.
        admin_token_file: Option<PathBuf>,
    },
}

/// Bootstrap admin settings.
#[derive(Debug)]
pub struct BootstrapConfig {
    /// User name.
    pub username: String,
    /// Configured password, if any.
    pub password: Option<SecretString>,
    /// Why it is disabled, if it is.
    pub disabled_reason: Option<String>,
    /// Enabled against a real network by the break-glass flag.
    pub break_glass: bool,
}

/// Session lifetimes.
#[derive(Clone, Copy, Debug)]
pub struct SessionConfig {
    /// Idle timeout.
    pub idle: Duration,
    /// Absolute lifetime.
    pub absolute: Duration,
}

/// Every problem found in the configuration.
#[derive(Debug)]
pub struct ConfigError(pub Vec<String>);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the configuration is not valid:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        write!(f, "See .env.example and config/base.toml for every setting.")
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn region_settings() -> Settings {
        let mut settings = Settings::default();
        settings.upstream.mode = UpstreamMode::Region;
        settings.upstream.region = Some(Region::Eu);
        settings.upstream.admin_token = Some(SecretString::from("token-abc"));
        settings
    }

    #[test]
    fn the_defaults_are_valid_and_use_the_stand_in() {
        let config = Settings::default().validate().expect("valid");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert!(matches!(config.upstream, UpstreamTarget::Standin { .. }));
        assert!(config.bootstrap.disabled_reason.is_none());
    }

    #[test]
    fn region_mode_uses_the_regional_host() {
        let config = region_settings().validate().expect("valid");
        let UpstreamTarget::Remote { base_url, .. } = config.upstream else { panic!("remote") };
        assert_eq!(base_url.as_str(), "https://apix.eu.amity.co/");
        assert!(config.bootstrap.disabled_reason.is_some(), "bootstrap refused in region mode");
    }

    #[test]
    fn a_token_read_from_a_file_remembers_the_file_for_watching_and_regeneration() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("token");
        std::fs::write(&file, "  file-token\n").expect("write");
        let mut settings = region_settings();
        settings.upstream.admin_token = None;
        settings.upstream.admin_token_file = Some(file.clone());
        let UpstreamTarget::Remote { admin_token, admin_token_file, .. } =
            settings.validate().expect("valid").upstream
        else {
            panic!("remote")
        };
        assert_eq!((admin_token.expose_secret(), admin_token_file), ("file-token", Some(file.clone())));

        let mut settings = region_settings();
        settings.upstream.admin_token_file = Some(file);
        let UpstreamTarget::Remote { admin_token_file, .. } = settings.validate().expect("valid").upstream
        else {
            panic!("remote")
        };
        assert_eq!(admin_token_file, None, "the environment's token wins and the file is left alone");
    }

    #[test]
    fn region_mode_without_a_token_is_refused_with_the_variable_to_set() {
        let mut settings = region_settings();
        settings.upstream.admin_token = None;
        let err = settings.validate().expect_err("invalid");
        assert!(err.to_string().contains("CONSOLE_UPSTREAM_ADMIN_TOKEN"), "{err}");
    }

    #[test]
    fn a_bad_address_is_explained() {
        let mut settings = Settings::default();
        settings.server.addr = "localhost".into();
        let err = settings.validate().expect_err("invalid");
        assert!(err.to_string().contains("server.addr `localhost`"), "{err}");
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut settings = region_settings();
        settings.server.addr = "nope".into();
        settings.upstream.admin_token = None;
        settings.session.idle_minutes = 0;
        let err = settings.validate().expect_err("invalid");
        assert_eq!(err.0.len(), 3, "{err}");
    }

    #[test]
    fn an_unknown_region_is_rejected_when_loading() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("base.toml"), "[upstream]\nmode = \"region\"\nregion = \"mars\"\n")
            .expect("write");
        let err = Settings::load(dir.path(), "none").expect_err("invalid");
        let text = err.to_string();
        assert!(text.contains("mars") && text.contains("us"), "{text}");
    }

    #[test]
    fn unknown_keys_are_rejected_when_loading() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("base.toml"), "[server]\nadress = \"x\"\n").expect("write");
        let err = Settings::load(dir.path(), "none").expect_err("invalid");
        assert!(err.to_string().contains("adress"), "{err}");
    }

    #[test]
    fn the_environment_file_overrides_the_base_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("base.toml"), "[standin]\nusers = 10\n").expect("write");
        std::fs::write(dir.path().join("test.toml"), "[standin]\nusers = 20\n").expect("write");
        let settings = Settings::load(dir.path(), "test").expect("valid");
        assert_eq!(settings.standin.users, 20);
    }

    #[test]
    fn a_public_url_must_be_an_origin() {
        assert_eq!(origin_of("https://mod.example.com").as_deref(), Ok("https://mod.example.com"));
        assert_eq!(origin_of("http://127.0.0.1:3000/").as_deref(), Ok("http://127.0.0.1:3000"));
        assert!(origin_of("https://mod.example.com/console").is_err());
        assert!(origin_of("ftp://x").is_err());
    }

    #[test]
    fn break_glass_is_read_under_its_name_and_marked_only_in_region_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("base.toml"), "[bootstrap]\nbreak_glass = true\n").expect("write");
        let settings = Settings::load(dir.path(), "none").expect("valid");
        assert!(settings.bootstrap.allow_in_region_mode);
        assert!(
            !settings.validate().expect("valid").bootstrap.break_glass,
            "the stand-in needs no break-glass"
        );
        let mut settings = region_settings();
        settings.bootstrap.allow_in_region_mode = true;
        let config = settings.validate().expect("valid");
        assert!(config.bootstrap.break_glass && config.bootstrap.disabled_reason.is_none());
    }

    #[test]
    fn sign_in_sections_load_from_toml_and_their_problems_are_listed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("base.toml"),
            "[proxy]\nenabled = true\ntrusted_proxies = [\"10.0.0.0/8\"]\n\
             [access.groups]\nadmin = [\"console-admins\"]\n",
        )
        .expect("write");
        let config = Settings::load(dir.path(), "none").expect("loads").validate().expect("valid");
        assert_eq!(config.sign_in.proxy.trusted.len(), 1);
        assert_eq!(config.sign_in.groups.admin, ["console-admins"]);

        let mut settings = Settings::default();
        settings.oidc.enabled = true;
        settings.server.addr = "nope".into();
        let err = settings.validate().expect_err("invalid");
        assert!(err.0.len() >= 4, "address, issuer, client id, public URL, groups: {err}");
    }

    #[test]
    fn finding_14_upstream_a_plain_http_base_url_is_refused_unless_loopback() {
        let mut settings = region_settings();
        settings.upstream.base_url = Some("http://apix.eu.amity.co".into());
        let err = settings.validate().expect_err("invalid");
        assert!(
            err.to_string().contains("upstream.base_url `http://apix.eu.amity.co` must be https://"),
            "{err}"
        );
        let mut settings = region_settings();
        settings.upstream.base_url = Some("http://127.0.0.1:4010".into());
        assert!(settings.validate().is_ok(), "a stand-in on loopback");
    }

    #[test]
    fn finding_13_region_mode_refuses_a_plain_http_public_url_unless_it_is_loopback() {
        let mut settings = region_settings();
        settings.server.public_url = Some("http://console.example.com".into());
        let err = settings.validate().expect_err("invalid");
        let text = err.to_string();
        assert!(text.contains("server.public_url `http://console.example.com` is plain http"), "{text}");
        assert!(text.contains("CONSOLE_SERVER_PUBLIC_URL=https://"), "says what to do: {text}");

        for fine in [
            "https://console.example.com",
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
        ] {
            let mut settings = region_settings();
            settings.server.public_url = Some(fine.into());
            assert!(settings.validate().is_ok(), "{fine}");
        }
        let mut standin = Settings::default();
        standin.server.public_url = Some("http://console.example.com".into());
        assert!(standin.validate().is_ok(), "the embedded default may stay on http");
    }

    #[test]
    fn short_bootstrap_passwords_are_refused() {
        let mut settings = Settings::default();
        settings.bootstrap.password = Some(SecretString::from("short"));
        let err = settings.validate().expect_err("invalid");
        assert!(err.to_string().contains("at least 12"), "{err}");
    }
}
