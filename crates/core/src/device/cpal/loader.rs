//! Finds and loads the cpal plugin (`ringstream-cpal`), once per process.
//!
//! Where: `$RINGSTREAM_CPAL_PLUGIN` if set, else next to the library this
//! code is linked into (the `.node` file), named after it: next to
//! `ringstream.linux-x64-gnu.node` lies `ringstream-cpal.linux-x64-gnu.so`.
//!
//! On Linux the PipeWire host is a second file beside it
//! (`ringstream-cpal-pipewire.linux-x64-gnu.so`, or
//! `$RINGSTREAM_CPAL_PIPEWIRE_PLUGIN`): it links libpipewire-0.3, so a
//! machine without that library still loads the first and keeps ALSA, JACK
//! and PulseAudio. Only `pipewire` is taken from the second file.

use super::abi::{self, RsDevice, RsError, RsOpenArgs, RsPeriod, RsPeriodArgs, RsStreamInfo};
use super::own_file::own_file;
use crate::error::{Error, ErrorKind, Result};
use libloading::Library;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The environment variable that overrides where the plugin is.
pub const PATH_VAR: &str = "RINGSTREAM_CPAL_PLUGIN";
/// The environment variable that overrides where the PipeWire plugin is.
pub const PIPEWIRE_PATH_VAR: &str = "RINGSTREAM_CPAL_PIPEWIRE_PLUGIN";
/// The host the second plugin file offers (see the module documentation).
pub const PIPEWIRE: &str = "pipewire";

type AbiVersionFn = unsafe extern "C" fn() -> u32;
type HostCountFn = unsafe extern "C" fn() -> u32;
type HostNameFn = unsafe extern "C" fn(u32) -> *const c_char;
type HostAvailableFn = unsafe extern "C" fn(*const c_char) -> c_int;
type DevicesFn =
    unsafe extern "C" fn(*const c_char, *mut RsDevice, usize, *mut usize, *mut RsError) -> c_int;
pub(crate) type HasDeviceFn =
    unsafe extern "C" fn(*const c_char, *const c_char, *mut RsError) -> c_int;
type OpenFn =
    unsafe extern "C" fn(*const RsOpenArgs, *mut RsStreamInfo, *mut RsError) -> *mut c_void;
type PeriodFn = unsafe extern "C" fn(*const RsPeriodArgs, *mut RsPeriod, *mut RsError) -> c_int;
type ForgetFn = unsafe extern "C" fn(*mut c_void);
pub(crate) type ControlFn = unsafe extern "C" fn(*mut c_void, *mut RsError) -> c_int;
type CloseFn = unsafe extern "C" fn(*mut c_void);
pub(crate) type MovedToFn = unsafe extern "C" fn(*const c_void, u32, *mut c_char, usize) -> c_int;

/// A loaded plugin: its entry points, valid while `_lib` lives.
pub struct Plugin {
    pub(crate) devices: DevicesFn,
    pub(crate) has_device: HasDeviceFn,
    pub(crate) open: OpenFn,
    pub(crate) period: PeriodFn,
    pub(crate) forget: ForgetFn,
    pub(crate) start: ControlFn,
    pub(crate) pause: ControlFn,
    pub(crate) close: CloseFn,
    pub(crate) moved_to: MovedToFn,
    available: HostAvailableFn,
    hosts: Vec<&'static str>,
    path: PathBuf,
    _lib: Library,
}

impl Plugin {
    /// The hosts the plugin offers (those of them this core knows).
    pub fn hosts(&self) -> &[&'static str] {
        &self.hosts
    }

    /// Where it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether host `name` can be used now (a sound server's hosts: its
    /// server answers; the others: always).
    pub fn available(&self, name: &str) -> bool {
        let Ok(n) = std::ffi::CString::new(name) else {
            return false;
        };
        // SAFETY: an entry point of the checked ABI version; the string lives across the call.
        unsafe { (self.available)(n.as_ptr()) == 1 }
    }
}

/// Host names the core knows how to offer (`Host::name` is `&'static str`):
/// the plugin offers ALSA, JACK, PulseAudio and PipeWire on Linux, CoreAudio
/// on macOS, WASAPI on Windows.
pub const KNOWN_HOSTS: [&str; 6] = [
    "alsa",
    "jack",
    "pulseaudio",
    PIPEWIRE,
    "coreaudio",
    "wasapi",
];

/// A loader error with advice added: which package provides what is missing.
pub fn explain(reason: String) -> String {
    if reason.contains("libasound") {
        format!("{reason} — install libasound2 (Debian/Ubuntu: apt-get install libasound2)")
    } else if reason.contains("libpipewire") {
        format!("{reason} — install libpipewire-0.3-0 (Debian/Ubuntu: apt-get install libpipewire-0.3-0)")
    } else {
        reason
    }
}

/// libloading's message with the system's reason (dlerror) behind it.
fn describe(e: &libloading::Error) -> String {
    match std::error::Error::source(e) {
        Some(src) => format!("{e}: {src}"),
        None => e.to_string(),
    }
}

/// Loads the plugin at `path` and checks its ABI version; `only` keeps one
/// of its hosts (the PipeWire file also holds the others).
pub fn load(path: &Path, only: Option<&str>) -> Result<Plugin> {
    let fail = |msg: String| Error::new(ErrorKind::DeviceNotFound, explain(msg));
    if !path.exists() {
        return Err(fail(format!(
            "the cpal plugin {} does not exist (build it with `npm run build`, or point {PATH_VAR} at it)",
            path.display()
        )));
    }
    // SAFETY: loading runs the plugin's initialisers; the plugin is our own
    // Rust cdylib, whose only initialisers are those of its dependencies.
    let lib = unsafe { Library::new(path) }.map_err(|e| {
        fail(format!(
            "cannot load the cpal plugin {}: {}",
            path.display(),
            describe(&e)
        ))
    })?;
    macro_rules! sym {
        ($name:literal, $t:ty) => {
            // SAFETY: the symbol has this type in every plugin whose ABI
            // version matches (checked before anything else is called).
            *unsafe { lib.get::<$t>($name) }.map_err(|e| {
                fail(format!(
                    "{} is not a ringstream cpal plugin: no symbol {} ({})",
                    path.display(),
                    String::from_utf8_lossy(&$name[..$name.len() - 1]),
                    describe(&e)
                ))
            })?
        };
    }
    let version: AbiVersionFn = sym!(b"rs_cpal_abi_version\0", AbiVersionFn);
    // SAFETY: a plain function without arguments, in a plugin we just loaded.
    let v = unsafe { version() };
    if v != abi::ABI_VERSION {
        return Err(fail(format!(
            "the cpal plugin {} has ABI version {v}, this build needs {} (rebuild it with `npm run build`)",
            path.display(),
            abi::ABI_VERSION
        )));
    }
    let count: HostCountFn = sym!(b"rs_cpal_host_count\0", HostCountFn);
    let name: HostNameFn = sym!(b"rs_cpal_host_name\0", HostNameFn);
    let mut hosts = Vec::new();
    // SAFETY: entry points of the ABI version just checked; names are static C strings or null.
    for i in 0..unsafe { count() }.min(16) {
        // SAFETY: as above; `i` is below the count the plugin gave.
        let p = unsafe { name(i) };
        if p.is_null() {
            continue;
        }
        // SAFETY: non-null names are static NUL-terminated strings.
        let s = unsafe { CStr::from_ptr(p) }.to_string_lossy();
        if only.is_some_and(|o| o != s) {
            continue;
        }
        if let Some(k) = KNOWN_HOSTS.iter().find(|k| **k == s) {
            hosts.push(*k);
        }
    }
    Ok(Plugin {
        devices: sym!(b"rs_cpal_devices\0", DevicesFn),
        has_device: sym!(b"rs_cpal_has_device\0", HasDeviceFn),
        open: sym!(b"rs_cpal_open\0", OpenFn),
        period: sym!(b"rs_cpal_period\0", PeriodFn),
        forget: sym!(b"rs_cpal_forget\0", ForgetFn),
        start: sym!(b"rs_cpal_start\0", ControlFn),
        pause: sym!(b"rs_cpal_pause\0", ControlFn),
        close: sym!(b"rs_cpal_close\0", CloseFn),
        moved_to: sym!(b"rs_cpal_moved_to\0", MovedToFn),
        available: sym!(b"rs_cpal_host_available\0", HostAvailableFn),
        hosts,
        path: path.to_path_buf(),
        _lib: lib,
    })
}

/// The plugin's file name for a module called `module`: the platform part
/// of `ringstream.<platform>.node` is kept, as napi names the module.
/// `stem` is `ringstream-cpal` (or `ringstream-cpal-pipewire`).
pub fn plugin_name(module: &str, stem: &str) -> String {
    let suffix = std::env::consts::DLL_SUFFIX;
    match module
        .strip_prefix("ringstream.")
        .and_then(|m| m.strip_suffix(".node"))
    {
        Some(platform) if !platform.is_empty() => format!("{stem}.{platform}{suffix}"),
        _ => format!("{stem}{suffix}"),
    }
}

/// Where the plugin called `stem` should be (`var` overrides).
pub fn plugin_path_of(stem: &str, var: &str) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let me = own_file().ok_or_else(|| {
        Error::new(
            ErrorKind::DeviceNotFound,
            format!(
                "cannot tell where ringstream was loaded from; set {PATH_VAR} to the cpal plugin"
            ),
        )
    })?;
    let name = me
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(me
        .parent()
        .unwrap_or(Path::new("."))
        .join(plugin_name(&name, stem)))
}

/// Where the plugin should be.
pub fn plugin_path() -> Result<PathBuf> {
    plugin_path_of("ringstream-cpal", PATH_VAR)
}

/// The process's plugin, loaded on first use; the error says why not.
pub fn plugin() -> std::result::Result<&'static Plugin, &'static Error> {
    static PLUGIN: OnceLock<Result<Plugin>> = OnceLock::new();
    PLUGIN
        .get_or_init(|| plugin_path().and_then(|p| load(&p, None)))
        .as_ref()
}

/// The process's PipeWire plugin (Linux), loaded on first use; the error
/// says why not (no libpipewire: the dynamic loader's message, explained).
pub fn pipewire_plugin() -> std::result::Result<&'static Plugin, &'static Error> {
    static PLUGIN: OnceLock<Result<Plugin>> = OnceLock::new();
    PLUGIN
        .get_or_init(|| {
            plugin_path_of("ringstream-cpal-pipewire", PIPEWIRE_PATH_VAR)
                .and_then(|p| load(&p, Some(PIPEWIRE)))
        })
        .as_ref()
}

/// The plugin that serves `host`: the PipeWire file for `pipewire`, the
/// main one for the rest.
pub fn plugin_for(host: &str) -> std::result::Result<&'static Plugin, &'static Error> {
    if host == PIPEWIRE {
        pipewire_plugin()
    } else {
        plugin()
    }
}
