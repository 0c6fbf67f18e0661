//! Emits `cfg(alsa_stack)`: the target has the Unix audio stack that cpal
//! builds its ALSA, JACK, PulseAudio and PipeWire hosts for — Linux,
//! DragonFly, FreeBSD and NetBSD (cpal 0.18's own gate, in its Cargo.toml and
//! `src/platform/mod.rs`). The plugin's code for those hosts is gated on it,
//! so that it follows cpal to the BSDs; `target_os = "linux"` stays only on
//! what is truly Linux's.
//!
//! Cargo.toml's target table for the same dependencies cannot use a cfg set
//! here and spells the list out: this script refuses to build when the two
//! differ.

use std::path::Path;

/// The `target_os` values of `cfg(alsa_stack)`.
const ALSA_STACK_OSES: &[&str] = &["linux", "dragonfly", "freebsd", "netbsd"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(alsa_stack)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let oses: Vec<String> = ALSA_STACK_OSES
        .iter()
        .map(|os| format!("target_os = \"{os}\""))
        .collect();
    let table = format!("[target.'cfg(any({}))'.dependencies]", oses.join(", "));
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let manifest = std::fs::read_to_string(Path::new(&dir).join("Cargo.toml"))
        .expect("the crate's Cargo.toml is readable");
    assert!(
        manifest.contains(&table),
        "Cargo.toml must gate the ALSA stack's dependencies with {table}, as build.rs's ALSA_STACK_OSES"
    );
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if ALSA_STACK_OSES.contains(&os.as_str()) {
        println!("cargo::rustc-cfg=alsa_stack");
    }
}
