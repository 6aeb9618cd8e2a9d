//! Running commands: echo them, fail loudly, find the workspace's folders.

use anyhow::{Context, bail};
use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

/// The repository root.
pub fn root() -> PathBuf {
    // Read when run (`cargo xtask` is `cargo run`, which sets it to this checkout), not only
    // when built: one xtask binary in a shared target dir serves every clone of the repo, and
    // its build-time path may be another clone's, or gone.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target directory (`CARGO_TARGET_DIR` or `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { root().join(dir) }
        }
        None => root().join("target"),
    }
}

/// Runs a command to completion in the repository root; fails on a non-zero exit.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let shown = show(command);
    eprintln!("xtask: $ {shown}");
    let started = Instant::now();
    let status = command
        .current_dir(command.get_current_dir().map(PathBuf::from).unwrap_or_else(root))
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status}) after {}", human(started.elapsed()));
    }
    eprintln!("xtask:   ok in {}", human(started.elapsed()));
    Ok(())
}

/// Runs `cargo <args>` with the same cargo that runs xtask.
pub fn cargo(args: &[&str]) -> anyhow::Result<()> {
    run(Command::new(cargo_bin()).args(args))
}

/// Runs a cargo build and returns the path of the binary target `name` it produced (read
/// from cargo's JSON messages, so it is the artifact of exactly this feature resolution).
pub fn cargo_binary(args: &[&str], name: &str) -> anyhow::Result<PathBuf> {
    cargo_artifact(args, name, Artifact::Binary)
}

/// Runs `cargo test --no-run …` and returns the path of the test binary of the test target
/// `name` it built (read from cargo's JSON messages).
pub fn cargo_test_binary(args: &[&str], name: &str) -> anyhow::Result<PathBuf> {
    cargo_artifact(args, name, Artifact::Test)
}

/// Which executable of a target is wanted.
#[derive(Clone, Copy, PartialEq)]
enum Artifact {
    /// The binary itself (`--all-targets` also builds its unit-test harness under the same name).
    Binary,
    /// A test harness.
    Test,
}

fn cargo_artifact(args: &[&str], name: &str, wanted: Artifact) -> anyhow::Result<PathBuf> {
    let shown = format!("cargo {}", args.join(" "));
    eprintln!("xtask: $ {shown}");
    let started = Instant::now();
    let out = Command::new(cargo_bin())
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !out.status.success() {
        bail!("`{shown}` failed ({})", out.status);
    }
    let is_bin = |message: &serde_json::Value| {
        message["target"]["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "bin"))
    };
    let executable = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == name)
        .filter(|message| match wanted {
            Artifact::Binary => is_bin(message) && message["profile"]["test"] == false,
            Artifact::Test => message["profile"]["test"] == true,
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .with_context(|| format!("`{shown}` produced no `{name}` executable"))?;
    eprintln!("xtask:   ok in {} → {}", human(started.elapsed()), executable.display());
    Ok(executable)
}

/// The cargo executable.
pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command and returns its standard output.
pub fn output(command: &mut Command) -> anyhow::Result<String> {
    let shown = show(command);
    let out = command.output().with_context(|| format!("could not start `{shown}`"))?;
    if !out.status.success() {
        bail!("`{shown}` failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether a program is on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Replaces the current process with `command` (Unix), so Ctrl-C goes straight to it.
pub fn exec(command: &mut Command) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(error).context("could not start the server")
    }
    #[cfg(not(unix))]
    {
        run(command)
    }
}

fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

/// `1 min 05 s` / `4.2 s`.
pub fn human(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs >= 60.0 {
        format!("{} min {:02} s", (secs / 60.0) as u64, (secs % 60.0) as u64)
    } else {
        format!("{secs:.1} s")
    }
}
