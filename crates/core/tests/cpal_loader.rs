//! The cpal plugin loader: clear errors for a missing or broken plugin.

use ringstream_core::device::cpal::loader::{self, load, plugin_name};
use ringstream_core::ErrorKind;
use std::path::PathBuf;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ringstream-loader-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn a_missing_plugin_names_its_path_and_the_way_out() {
    let p = temp("nowhere/ringstream-cpal.so");
    let e = load(&p).err().expect("must fail");
    assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
    assert!(e.message().contains(&p.display().to_string()), "{e}");
    assert!(e.message().contains("does not exist"), "{e}");
    assert!(e.message().contains(loader::PATH_VAR), "{e}");
}

#[test]
fn a_file_that_is_no_shared_library_is_refused() {
    let p = temp("garbage.so");
    std::fs::write(&p, b"this is not an ELF file").expect("write");
    let e = load(&p).err().expect("must fail");
    assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
    assert!(
        e.message().starts_with("cannot load the cpal plugin"),
        "{e}"
    );
    assert!(e.message().contains(&p.display().to_string()), "{e}");
}

#[test]
fn a_shared_library_without_the_entry_points_is_refused() {
    // Any shared library that is surely there and is no plugin: the C math library.
    let candidates = [
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/lib/aarch64-linux-gnu/libm.so.6",
        "/usr/lib/libm.so.6",
        "/lib64/libm.so.6",
    ];
    let Some(p) = candidates.iter().map(PathBuf::from).find(|p| p.exists()) else {
        eprintln!("no libm.so.6 found; skipped");
        return;
    };
    let e = load(&p).err().expect("must fail");
    assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
    assert!(
        e.message().contains("is not a ringstream cpal plugin"),
        "{e}"
    );
    assert!(e.message().contains("rs_cpal_abi_version"), "{e}");
}

#[test]
fn the_plugin_is_named_after_the_node_module() {
    assert_eq!(
        plugin_name("ringstream.linux-x64-gnu.node"),
        format!(
            "ringstream-cpal.linux-x64-gnu{}",
            std::env::consts::DLL_SUFFIX
        )
    );
    assert_eq!(
        plugin_name("something-else"),
        format!("ringstream-cpal{}", std::env::consts::DLL_SUFFIX)
    );
}

#[test]
fn a_missing_libasound_names_the_debian_package() {
    let e = loader::explain(
        "libasound.so.2: cannot open shared object file: No such file or directory".into(),
    );
    assert!(e.contains("libasound.so.2"), "{e}");
    assert!(e.contains("install libasound2"), "{e}");
}
