//! ringstream-cpal: ringstream's real devices (cpal over ALSA, JACK,
//! PulseAudio and PipeWire on Linux, and on the BSDs cpal builds them for,
//! `cfg(alsa_stack)` from build.rs, type-checked for FreeBSD but never run
//! there; CoreAudio on macOS and WASAPI on Windows, type-checked for them but
//! never run) as a plugin that the core loads at run time.
//!
//! Why a separate library: it links libasound.so.2. Kept out of the .node
//! module, a machine without ALSA still loads ringstream (virtual host, rings,
//! WAV) and only the ALSA host reports what is missing.
//!
//! The interface is a small C ABI ([`abi`]): the `rs_cpal_*` functions below.
//! None of them unwinds: each catches panics and reports them as errors.

pub use ringstream_cpal_abi as abi;
#[cfg(alsa_stack)]
mod alsa_list;
#[cfg(alsa_stack)]
pub mod desktop;
pub mod host;
pub mod jack_cache;
pub mod listed;
pub mod loopback;
#[cfg(alsa_stack)]
pub mod pcm;
#[cfg(alsa_stack)]
pub mod pulse_conn;
#[cfg(alsa_stack)]
pub mod pulse_server;
#[cfg(alsa_stack)]
pub mod pulse_watch;
#[cfg(not(alsa_stack))]
#[path = "no_pulse_watch.rs"]
pub mod pulse_watch;
#[cfg(alsa_stack)]
pub mod server_queue;
pub mod stream;

use abi::{kind, write_cstr, RsDevice, RsError, RsOpenArgs, RsPeriod, RsPeriodArgs, RsStreamInfo};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
#[cfg(alsa_stack)]
use std::sync::Once;
use stream::PluginStream;

/// The ABI version of this build ([`abi::ABI_VERSION`]); the core refuses a
/// plugin whose version differs from its own.
#[no_mangle]
pub extern "C" fn rs_cpal_abi_version() -> u32 {
    abi::ABI_VERSION
}

/// How many hosts the plugin offers.
#[no_mangle]
pub extern "C" fn rs_cpal_host_count() -> u32 {
    host::HOSTS.len() as u32
}

/// The name of host `i` (a static NUL-terminated string), or null.
#[no_mangle]
pub extern "C" fn rs_cpal_host_name(i: u32) -> *const c_char {
    host::HOSTS
        .get(i as usize)
        .map_or(std::ptr::null(), |h| h.as_ptr())
}

/// Whether host `name` can be used now: 1 or 0. A sound server's host
/// (PipeWire, PulseAudio) only while its server answers (a connect to its
/// socket, nothing more); the others always.
///
/// # Safety
/// `name` is null or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_host_available(name: *const c_char) -> c_int {
    // SAFETY: by this function's contract.
    let Ok(name) = (unsafe { str_arg(name, "host") }) else {
        return 0;
    };
    let offered = host::HOSTS.iter().any(|h| h.to_bytes() == name.as_bytes());
    catch_unwind(|| offered && host::server_answers(name)).map_or(0, c_int::from)
}

#[cfg(alsa_stack)]
type AlsaErrorHandler =
    unsafe extern "C" fn(*const c_char, c_int, *const c_char, c_int, *const c_char);

/// Ignores what alsa-lib would print.
#[cfg(alsa_stack)]
unsafe extern "C" fn alsa_quiet(
    _file: *const c_char,
    _line: c_int,
    _function: *const c_char,
    _err: c_int,
    _fmt: *const c_char,
) {
}

/// alsa-lib and libjack print every failed probe (and a missing JACK server)
/// to stderr; errors reach us as return codes anyway, so their printing is
/// switched off once per process.
#[cfg(alsa_stack)]
fn quiet() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // libjack is process-wide: this also silences ALSA's jack plugin.
        // Without libjack (it is loaded at run time) jack-sys would panic.
        if jack::jack_sys::library().is_ok() {
            jack::set_logger(jack::LoggerType::None);
        }
        let handler: AlsaErrorHandler = alsa_quiet;
        // SAFETY: alsa-lib's handler type is variadic; a handler that never
        // reads its variadic arguments may be a plain C function with the
        // fixed parameters (the caller owns and cleans up the arguments on
        // every ABI Rust targets), so the transmute only changes the type.
        unsafe {
            let h: alsa_sys::snd_lib_error_handler_t = Some(std::mem::transmute::<
                AlsaErrorHandler,
                unsafe extern "C" fn(
                    *const c_char,
                    c_int,
                    *const c_char,
                    c_int,
                    *const c_char,
                    ...
                ),
            >(handler));
            alsa_sys::snd_lib_error_set_handler(h);
        }
    });
}

/// Nothing prints on its own without ALSA and JACK.
#[cfg(not(alsa_stack))]
fn quiet() {}

fn set_error(err: *mut RsError, kind: u32, message: &str) {
    // SAFETY: the caller passes a valid, writable RsError or null.
    if let Some(e) = unsafe { err.as_mut() } {
        e.kind = kind;
        write_cstr(&mut e.message, message);
    }
}

/// Runs `f`, turning a panic into a PANIC error; `Err` is written to `err`.
fn guarded<T>(err: *mut RsError, fallback: T, f: impl FnOnce() -> Result<T, host::Failure>) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err((k, m))) => {
            set_error(err, k, &m);
            fallback
        }
        Err(_) => {
            set_error(err, kind::PANIC, "a panic in the cpal plugin");
            fallback
        }
    }
}

/// # Safety
/// `p` must be null or a valid NUL-terminated string.
unsafe fn str_arg<'a>(p: *const c_char, what: &str) -> Result<&'a str, host::Failure> {
    if p.is_null() {
        return Err((kind::INVALID_ARG, format!("{what} is null")));
    }
    // SAFETY: by this function's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| (kind::INVALID_ARG, format!("{what} is not UTF-8")))
}

/// Lists the devices of `host` into `out[..cap]`; `*count` gets how many
/// exist (may exceed `cap`). Returns 0, or -1 with `err` set.
///
/// # Safety
/// `host` is a NUL-terminated string; `out` has room for `cap` devices (or
/// `cap` is 0); `count` and `err` are valid for writes.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_devices(
    host: *const c_char,
    out: *mut RsDevice,
    cap: usize,
    count: *mut usize,
    err: *mut RsError,
) -> c_int {
    guarded(err, -1, || {
        quiet();
        // SAFETY: by this function's contract.
        let host = unsafe { str_arg(host, "host") }?;
        let list = host::devices(host)?;
        // SAFETY: by this function's contract.
        if let Some(c) = unsafe { count.as_mut() } {
            *c = list.len();
        }
        for (i, d) in list.iter().take(cap).enumerate() {
            // SAFETY: i < cap, and `out` has room for `cap` devices.
            let slot = unsafe { &mut *out.add(i) };
            write_cstr(&mut slot.name, &d.name);
            write_cstr(&mut slot.description, &d.description);
            slot.loopback = d.loopback as u8;
            slot.max_input_channels = d.max_in;
            slot.max_output_channels = d.max_out;
            slot.default_samplerate = d.samplerate;
            slot.is_default_input = d.default_in as u8;
            slot.is_default_output = d.default_out as u8;
            slot.native_input = d.native_in;
            slot.native_output = d.native_out;
        }
        Ok(0)
    })
}

/// Whether `host` has a device called exactly `name` (1) or not (0),
/// found without opening any device; -1 with `err` set.
///
/// # Safety
/// `host` and `name` are NUL-terminated strings; `err` is valid for writes.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_has_device(
    host: *const c_char,
    name: *const c_char,
    err: *mut RsError,
) -> c_int {
    guarded(err, -1, || {
        quiet();
        // SAFETY: by this function's contract.
        let (host, name) = unsafe { (str_arg(host, "host")?, str_arg(name, "name")?) };
        host::has_device(host, name).map(c_int::from)
    })
}

/// The host's own period for the stream `args` describes (what a stream
/// with `blocksize: 0` runs its blocks at: see [`stream::host_period`]) into
/// `out.frames`; `out.planned` gets what was opened to find it (an ALSA
/// PCM) for the open that follows, or null. 0, or -1 with `err` set.
///
/// # Safety
/// `args` is valid and its strings NUL-terminated; `out` and `err` are
/// valid for writes; a non-null `out.planned` goes to [`rs_cpal_open`] or
/// [`rs_cpal_forget`], once.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_period(
    args: *const RsPeriodArgs,
    out: *mut RsPeriod,
    err: *mut RsError,
) -> c_int {
    guarded(err, -1, || {
        quiet();
        // SAFETY: by this function's contract.
        let args =
            unsafe { args.as_ref() }.ok_or((kind::INVALID_ARG, "period args are null".into()))?;
        // SAFETY: by this function's contract.
        let out = unsafe { out.as_mut() }.ok_or((kind::INVALID_ARG, "out is null".into()))?;
        // SAFETY: by this function's contract.
        let (host, device) =
            unsafe { (str_arg(args.host, "host")?, str_arg(args.device, "device")?) };
        let (frames, planned) = stream::host_period::host_period(host, device, &args.config)?;
        out.frames = frames.max(1);
        out.planned = planned.map_or(std::ptr::null_mut(), |p| Box::into_raw(Box::new(p)).cast());
        Ok(0)
    })
}

/// Closes what [`rs_cpal_period`] opened when no open takes it.
///
/// # Safety
/// `planned` is null or an `out.planned` of [`rs_cpal_period`], not used again.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_forget(planned: *mut c_void) {
    // SAFETY: by this function's contract.
    let p = unsafe { take_planned(planned) };
    let _ = catch_unwind(AssertUnwindSafe(move || drop(p)));
}

/// # Safety
/// `p` is null or an `out.planned` of [`rs_cpal_period`], not used again.
unsafe fn take_planned(p: *mut c_void) -> Option<stream::host_period::Planned> {
    // SAFETY: by this function's contract, a `Box<Planned>` we gave out.
    (!p.is_null()).then(|| *unsafe { Box::from_raw(p.cast::<stream::host_period::Planned>()) })
}

/// Opens `args.device` of `args.host`. Returns the stream (running its
/// device, the engine gated off until [`rs_cpal_start`]), or null with `err`
/// set; `info` gets the latencies in effect.
///
/// # Safety
/// `args` is valid and its strings NUL-terminated; `info` and `err` are
/// valid for writes; `args.user`, `args.callback` and `args.on_error` stay
/// usable from any thread until [`rs_cpal_close`] returns, and the two
/// functions never unwind; `args.planned` is null or an `out.planned` of
/// [`rs_cpal_period`], not used again.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_open(
    args: *const RsOpenArgs,
    info: *mut RsStreamInfo,
    err: *mut RsError,
) -> *mut PluginStream {
    guarded(err, std::ptr::null_mut(), || {
        quiet();
        // SAFETY: by this function's contract.
        let args =
            unsafe { args.as_ref() }.ok_or((kind::INVALID_ARG, "open args are null".into()))?;
        // SAFETY: by this function's contract.
        let (host, device) =
            unsafe { (str_arg(args.host, "host")?, str_arg(args.device, "device")?) };
        // SAFETY: by this function's contract, `planned` is null or comes
        // from `rs_cpal_period` and is not used again.
        let planned = unsafe { take_planned(args.planned) };
        let calls = stream::gate::Calls {
            user: args.user,
            callback: args.callback,
            on_error: args.on_error,
        };
        // SAFETY: `calls` is valid until close, forwarded from this
        // function's contract.
        let s = unsafe { PluginStream::open(host, device, &args.config, calls, planned) }?;
        // SAFETY: by this function's contract.
        if let Some(i) = unsafe { info.as_mut() } {
            i.input_latency = s.latency.0;
            i.output_latency = s.latency.1;
        }
        Ok(Box::into_raw(Box::new(s)))
    })
}

/// Lets the engine run from the next callback on. 0, or -1 with `err` set.
///
/// # Safety
/// `s` comes from [`rs_cpal_open`] and is not closed.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_start(s: *mut PluginStream, err: *mut RsError) -> c_int {
    guarded(err, -1, || {
        // SAFETY: by this function's contract.
        let s = unsafe { s.as_ref() }.ok_or((kind::INVALID_ARG, "stream is null".into()))?;
        s.start().map(|_| 0)
    })
}

/// Stops calling the engine; returns once no callback runs it.
///
/// # Safety
/// As [`rs_cpal_start`].
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_pause(s: *mut PluginStream, err: *mut RsError) -> c_int {
    guarded(err, -1, || {
        // SAFETY: by this function's contract.
        let s = unsafe { s.as_ref() }.ok_or((kind::INVALID_ARG, "stream is null".into()))?;
        s.pause().map(|_| 0)
    })
}

/// Where the host moved the `input` (1) or output (0) side of the stream:
/// writes the device's name (as the listing names it, NUL-terminated,
/// truncated to `len` bytes) to `out` and returns 1; returns 0, writing
/// nothing, if it never moved or the host does not say where (PipeWire:
/// then it followed the default).
///
/// # Safety
/// `s` comes from [`rs_cpal_open`] and is not closed; `out` is valid for
/// `len` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_moved_to(
    s: *const PluginStream,
    input: u32,
    out: *mut c_char,
    len: usize,
) -> c_int {
    let found = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: by this function's contract.
        unsafe { s.as_ref() }.and_then(|s| s.moved_to(input != 0))
    }));
    match found {
        Ok(Some(name)) if !out.is_null() && len > 0 => {
            // SAFETY: by this function's contract, `out` holds `len` bytes.
            write_cstr(unsafe { std::slice::from_raw_parts_mut(out, len) }, &name);
            1
        }
        _ => 0,
    }
}

/// Closes the stream; no callback runs once it returns.
///
/// # Safety
/// `s` comes from [`rs_cpal_open`] and is not used again.
#[no_mangle]
pub unsafe extern "C" fn rs_cpal_close(s: *mut PluginStream) {
    if s.is_null() {
        return;
    }
    // SAFETY: by this function's contract, we own `s`.
    let b = unsafe { Box::from_raw(s) };
    let _ = catch_unwind(AssertUnwindSafe(move || drop(b)));
}
