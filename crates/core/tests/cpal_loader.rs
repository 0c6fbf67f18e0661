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
    let e = load(&p, None).err().expect("must fail");
    assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
    assert!(e.message().contains(&p.display().to_string()), "{e}");
    assert!(e.message().contains("does not exist"), "{e}");
    assert!(e.message().contains(loader::PATH_VAR), "{e}");
}

#[test]
fn a_file_that_is_no_shared_library_is_refused() {
    let p = temp("garbage.so");
    std::fs::write(&p, b"this is not an ELF file").expect("write");
    let e = load(&p, None).err().expect("must fail");
    assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
    assert!(
        e.message().starts_with("cannot load the cpal plugin"),
        "{e}"
    );
    assert!(e.message().contains(&p.display().to_string()), "{e}");
}

/// The C library this very process runs on: a shared library that is surely
/// on disk and is no plugin. Found through the dynamic linker rather than a
/// list of usual paths, which differ between distributions.
#[cfg(target_os = "linux")]
fn system_library() -> PathBuf {
    use std::ffi::CStr;
    let mut info = std::mem::MaybeUninit::<libc::Dl_info>::zeroed();
    // SAFETY: `malloc` is a function of the loaded libc, so its address lies
    // in a mapped object; `info` is a valid out-pointer for one `Dl_info`.
    let found = unsafe { libc::dladdr(libc::malloc as *const libc::c_void, info.as_mut_ptr()) };
    assert_ne!(found, 0, "dladdr found no object for malloc");
    // SAFETY: dladdr succeeded, so it filled `info`.
    let info = unsafe { info.assume_init() };
    assert!(
        !info.dli_fname.is_null(),
        "dladdr gave no file name for malloc"
    );
    // SAFETY: a non-null `dli_fname` is a NUL-terminated string owned by the
    // dynamic linker, valid while the object stays loaded (libc always is).
    let name = unsafe { CStr::from_ptr(info.dli_fname) };
    let path = PathBuf::from(name.to_str().expect("a UTF-8 path"));
    assert!(
        path.is_absolute() && path.exists(),
        "libc at {}?",
        path.display()
    );
    path
}

#[test]
// Elsewhere the system libraries live in a shared cache, not as files the
// loader's existence check would find: this case needs Linux.
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs a system shared library on disk (Linux only)"
)]
fn a_shared_library_without_the_entry_points_is_refused() {
    #[cfg(target_os = "linux")]
    {
        let p = system_library();
        let e = load(&p, None).err().expect("must fail");
        assert_eq!(e.kind(), ErrorKind::DeviceNotFound);
        assert!(
            e.message().contains("is not a ringstream cpal plugin"),
            "{e}"
        );
        assert!(e.message().contains("rs_cpal_abi_version"), "{e}");
    }
}

#[test]
fn the_plugin_is_named_after_the_node_module() {
    assert_eq!(
        plugin_name("ringstream.linux-x64-gnu.node", "ringstream-cpal"),
        format!(
            "ringstream-cpal.linux-x64-gnu{}",
            std::env::consts::DLL_SUFFIX
        )
    );
    assert_eq!(
        plugin_name("something-else", "ringstream-cpal"),
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
