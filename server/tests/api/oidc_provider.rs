//! A real OpenID provider for the tests: PyPI `oidc-provider-mock` (installed by
//! `cargo xtask test` / `cargo xtask e2e` into `<target>/oidc-venv`), started on a free loopback port with
//! predefined users, one process per test.

use crate::helpers::free_port;
use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A running provider; killed when dropped.
pub struct MockProvider {
    /// `http://127.0.0.1:<port>` — also the `iss` of its tokens.
    pub issuer: String,
    child: Child,
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The provider's executable: `OIDC_PROVIDER_MOCK`, else `<target>/oidc-venv/bin/oidc-provider-mock`.
fn executable() -> PathBuf {
    if let Some(path) = std::env::var_os("OIDC_PROVIDER_MOCK") {
        return path.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| {
        // <target>/debug/deps/api-<hash>
        std::env::current_exe().expect("test path").ancestors().nth(3).expect("target dir").to_path_buf()
    });
    target.join("oidc-venv/bin/oidc-provider-mock")
}

/// Users the provider knows: `(sub, JSON claims)`.
pub const ALICE: &str = r#"{"sub": "alice", "email": "alice@example.com", "name": "Alice Admin", "groups": ["console-admins", "staff"]}"#;
/// A moderator.
pub const MO: &str = r#"{"sub": "mo", "email": "mo@example.com", "groups": ["mods"]}"#;
/// Someone no group admits.
pub const NOBODY: &str = r#"{"sub": "nobody", "email": "nobody@example.com", "groups": ["marketing"]}"#;

/// Starts the provider (nonce required) and waits until discovery answers.
pub async fn start() -> MockProvider {
    let exe = executable();
    assert!(
        exe.exists(),
        "{} is missing: run `cargo xtask test` once (it installs PyPI oidc-provider-mock into the target dir) or set OIDC_PROVIDER_MOCK",
        exe.display()
    );
    let port = free_port();
    let child = Command::new(&exe)
        .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--require-nonce", "true"])
        .args(["--user-claims", ALICE, "--user-claims", MO, "--user-claims", NOBODY])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the OpenID provider starts");
    let provider = MockProvider { issuer: format!("http://127.0.0.1:{port}"), child };
    let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if reqwest::get(&discovery).await.is_ok_and(|r| r.status().is_success()) {
            return provider;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the OpenID provider did not answer at {discovery} within 30 s");
}
