//! Building the browser side into `target/site` (the Leptos site root):
//! `pkg/console.js`, `pkg/console_bg.wasm`, `pkg/console.css`, plus `public/` files.
//! Release builds are shrunk with `wasm-opt -Oz` and pre-compressed (brotli, gzip) for the
//! server's static file service.

use crate::{cmd, setup};
use anyhow::{Context, bail};
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

/// Base name of the bundle (`output-name` in Leptos.toml).
pub const OUTPUT_NAME: &str = "console";

/// Which build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Quick to build; used by tests.
    Dev,
    /// Small; used by `run` and benchmarks.
    Release,
}

/// The site root, `<root>/target/site` (relative paths in Leptos.toml are from the root).
pub fn site_root() -> PathBuf {
    cmd::root().join("target").join("site")
}

/// Builds the whole site.
pub fn build(profile: Profile) -> anyhow::Result<()> {
    let (cargo_profile, folder) = match profile {
        Profile::Dev => ("dev", "debug"),
        Profile::Release => ("wasm-release", "wasm-release"),
    };
    cmd::cargo(&[
        "build",
        "--locked",
        "-p",
        "frontend",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        cargo_profile,
    ])?;
    let wasm = cmd::target_dir().join("wasm32-unknown-unknown").join(folder).join("frontend.wasm");
    let pkg = site_root().join("pkg");
    let bundle = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    // wasm-bindgen and wasm-opt take ~25 s; skip them when cargo's output has not changed.
    let stamp = pkg.join(".built-from");
    let source = fs::metadata(&wasm).with_context(|| format!("{} was not built", wasm.display()))?;
    let fingerprint = format!("{profile:?} {} {:?}", source.len(), source.modified()?);
    if fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) && bundle.is_file() {
        eprintln!("xtask: the hydrate bundle is up to date");
    } else {
        bind_and_optimize(&wasm, &pkg, profile)?;
        fs::write(&stamp, fingerprint)?;
    }
    fs::copy(cmd::root().join("style").join("main.css"), pkg.join(format!("{OUTPUT_NAME}.css")))?;
    copy_dir(&cmd::root().join("public"), &site_root())?;
    if profile == Profile::Release {
        for name in
            [format!("{OUTPUT_NAME}_bg.wasm"), format!("{OUTPUT_NAME}.js"), format!("{OUTPUT_NAME}.css")]
        {
            precompress(&pkg.join(name))?;
        }
    }
    let size = fs::metadata(&bundle)?.len();
    eprintln!("xtask: site ready in {} ({} KB of WASM)", site_root().display(), size / 1024);
    Ok(())
}

/// wasm-bindgen (as a library, pinned to the crate's version) and, for release, wasm-opt.
fn bind_and_optimize(wasm: &Path, pkg: &Path, profile: Profile) -> anyhow::Result<()> {
    fs::create_dir_all(pkg).with_context(|| format!("creating {}", pkg.display()))?;
    for entry in fs::read_dir(pkg)? {
        let path = entry?.path();
        if path.is_file() {
            fs::remove_file(&path)?;
        }
    }
    eprintln!("xtask: wasm-bindgen {} → {}", wasm.display(), pkg.display());
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .out_name(OUTPUT_NAME)
        .web(true)?
        .typescript(false)
        .debug(profile == Profile::Dev);
    bindgen.generate(pkg).context("wasm-bindgen")?;
    if profile == Profile::Release {
        optimize(&pkg.join(format!("{OUTPUT_NAME}_bg.wasm")))?;
    }
    Ok(())
}

/// `wasm-opt -Oz` from npm's binaryen (Debian's binaryen 108 produced a WASM that failed to hydrate).
fn optimize(wasm: &Path) -> anyhow::Result<()> {
    let tools = cmd::root().join("frontend");
    setup::npm_packages(&tools)?;
    let wasm_opt = tools.join("node_modules").join(".bin").join("wasm-opt");
    if !wasm_opt.is_file() {
        bail!("{} is missing after npm ci", wasm_opt.display());
    }
    let before = fs::metadata(wasm)?.len();
    let optimized = wasm.with_extension("opt.wasm");
    cmd::run(
        Command::new(&wasm_opt)
            .arg(wasm)
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args(WASM_FEATURES)
            .arg("-o")
            .arg(&optimized),
    )?;
    fs::rename(&optimized, wasm)?;
    let after = fs::metadata(wasm)?.len();
    eprintln!("xtask: wasm-opt {} KB → {} KB", before / 1024, after / 1024);
    Ok(())
}

/// The WASM features rustc 1.95 enables by default for wasm32-unknown-unknown.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Writes `file.br` and `file.gz` next to `file`.
fn precompress(file: &Path) -> anyhow::Result<()> {
    let bytes = fs::read(file)?;
    fs::write(with_suffix(file, "br"), brotli_bytes(&bytes)?)?;
    fs::write(with_suffix(file, "gz"), gzip_bytes(&bytes)?)?;
    Ok(())
}

/// Brotli at quality 11 (what a CDN would serve).
pub fn brotli_bytes(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

/// Gzip at level 9.
pub fn gzip_bytes(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
