//! Helpers shared by the integration tests (each test binary includes this with `mod common;`).
#![allow(dead_code)]

pub mod conformance;

use std::path::PathBuf;
use std::process::Command;

pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/otio")).join(rel);
    if p.exists() {
        Some(p)
    } else {
        println!("SKIP: {} is absent", p.display());
        None
    }
}

fn list(dir: &str, ext: &str) -> Option<Vec<PathBuf>> {
    let d = shared(dir)?;
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    Some(v)
}

/// All `.otio` files under core/, open-content/ and cmx3600/.
pub fn otio_files() -> Option<Vec<PathBuf>> {
    let mut v = list("core", "otio")?;
    v.extend(list("open-content", "otio")?);
    v.extend(list("cmx3600", "otio")?);
    Some(v)
}

pub fn edl_files() -> Option<Vec<PathBuf>> {
    list("cmx3600", "edl")
}

pub fn read(rel: &str) -> Option<String> {
    Some(std::fs::read_to_string(shared(rel)?).unwrap())
}

/// True when python3 can import opentimelineio; prints why not otherwise.
pub fn have_python_otio() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import opentimelineio"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        println!("SKIP: python3 cannot import opentimelineio (pip install -r tests/python/requirements.txt)");
    }
    ok
}

/// Runs `tests/python/<script>` with `args`; panics with its output when it fails. Returns stdout.
pub fn python(script: &str, args: &[String]) -> Option<String> {
    if !have_python_otio() {
        return None;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/").to_string() + script;
    let out = Command::new("python3").arg(path).args(args).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    Some(stdout)
}
