//! Real devices through the cpal plugin (`crates/cpal-plugin`): ALSA and JACK.
//!
//! The plugin is a separate shared library loaded at run time ([`loader`]),
//! so that a machine without libasound still loads ringstream; the hosts
//! then report why they are unavailable. Everything crosses the boundary as
//! C data ([`abi`]).

pub use ringstream_cpal_abi as abi;
pub mod listing;
pub mod loader;
mod own_file;
mod period;

use super::{
    Callback, DeviceInfo, DeviceSelector, DeviceStream, ErrorCallback, Host, Latency, StreamConfig,
};
use crate::engine::Sample;
use crate::engine::{BlockInfo, Flow};
use crate::error::{Error, ErrorKind, Result};
use abi::{flow, RsBlockInfo, RsError, RsOpenArgs, RsStreamConfig, RsStreamInfo};
use loader::Plugin;
use std::cell::UnsafeCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

/// A host served by the plugin.
pub struct CpalHost {
    name: &'static str,
    plugin: &'static Plugin,
    /// What [`Host::own_block`] opened on a device (its id), for that
    /// device's open to plan on; closed with the host if no open takes it.
    planned: Mutex<Option<(String, period::Planned)>>,
}

impl CpalHost {
    /// The name the plugin knows `device` by: its stable name, the id's part
    /// after the host (the listed name may be the description the desktop shows).
    fn stable_name(&self, device: &DeviceInfo) -> Result<CString> {
        let stable = device
            .id
            .strip_prefix(self.name)
            .and_then(|s| s.strip_prefix(':'))
            .unwrap_or(&device.name);
        c_string(stable, "device name")
    }
}

/// The plugin's error about `device`; its message names the device itself
/// when it can.
fn device_error(device: &DeviceInfo, err: &RsError) -> Error {
    let e = error_of(err);
    if e.message().starts_with(&device.id) {
        e
    } else {
        e.context(&device.id)
    }
}

/// `config` as the plugin takes it.
fn rs_config(config: &StreamConfig) -> Result<RsStreamConfig> {
    let u32_of = |v: usize, what: &str| {
        u32::try_from(v).map_err(|_| Error::invalid_arg(format!("{what} is too large: {v}")))
    };
    let abi_latency = |l: Latency| match l {
        Latency::Low => (abi::latency::LOW, 0.0),
        Latency::High => (abi::latency::HIGH, 0.0),
        Latency::Seconds(s) => (abi::latency::SECONDS, s),
    };
    let (lat_in, lat_out) = config.latencies();
    let ((in_kind, in_seconds), (out_kind, out_seconds)) =
        (abi_latency(lat_in), abi_latency(lat_out));
    Ok(RsStreamConfig {
        samplerate: config.samplerate,
        blocksize: u32_of(config.blocksize, "blocksize")?,
        input_channels: u32_of(config.input_channels, "input channels")?,
        output_channels: u32_of(config.output_channels, "output channels")?,
        latency_kind: out_kind,
        latency_seconds: out_seconds,
        input_latency_kind: in_kind,
        input_latency_seconds: in_seconds,
        loopback: u32::from(config.loopback),
    })
}

/// The plugin's host `name`, or why it is unavailable.
pub fn host(name: &'static str) -> Result<CpalHost> {
    match loader::plugin_for(name) {
        Ok(p) if p.hosts().contains(&name) => Ok(CpalHost {
            name,
            plugin: p,
            planned: Mutex::new(None),
        }),
        Ok(p) => Err(Error::new(
            ErrorKind::DeviceNotFound,
            format!(
                "the cpal plugin {} offers no '{name}' host",
                p.path().display()
            ),
        )),
        Err(e) => Err(Error::new(
            ErrorKind::DeviceNotFound,
            format!("the '{name}' host is unavailable: {}", e.message()),
        )),
    }
}

/// The hosts the plugins offer and can use now (a sound server's host only
/// while its server answers); empty when no plugin loaded.
pub fn hosts() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for p in [loader::plugin(), loader::pipewire_plugin()]
        .into_iter()
        .flatten()
    {
        v.extend(p.hosts().iter().filter(|h| p.available(h)));
    }
    v
}

pub(crate) fn empty_error() -> RsError {
    RsError {
        kind: 0,
        message: [0; abi::MESSAGE_LEN],
    }
}

fn kind_of(k: u32) -> ErrorKind {
    match k {
        abi::kind::INVALID_ARG => ErrorKind::InvalidArg,
        abi::kind::DEVICE_NOT_FOUND => ErrorKind::DeviceNotFound,
        abi::kind::DEVICE_BUSY => ErrorKind::DeviceBusy,
        abi::kind::UNSUPPORTED_CONFIG => ErrorKind::UnsupportedConfig,
        abi::kind::PANIC => ErrorKind::Panic,
        _ => ErrorKind::Io,
    }
}

pub(crate) fn c_text(p: &[c_char]) -> String {
    let bytes: Vec<u8> = p
        .iter()
        .take_while(|c| **c != 0)
        // c_char is i8 on x86_64 and u8 on aarch64: a cast that is a no-op on one.
        .map(|c| u8::from_ne_bytes(c.to_ne_bytes()))
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

pub(crate) fn error_of(e: &RsError) -> Error {
    Error::new(kind_of(e.kind), c_text(&e.message))
}

pub(crate) fn c_string(s: &str, what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid_arg(format!("{what} must not contain NUL")))
}

impl Host for CpalHost {
    fn name(&self) -> &'static str {
        self.name
    }

    fn devices(&self) -> Result<Vec<DeviceInfo>> {
        listing::devices(self.name, self.plugin)
    }

    fn device(&self, sel: &DeviceSelector, input: bool, output: bool) -> Result<DeviceInfo> {
        listing::device(self.name, self.plugin, sel, input, output)
    }

    fn own_block(&self, device: &DeviceInfo, config: &StreamConfig) -> Result<usize> {
        self.period(device, config)
    }

    fn open(
        &self,
        device: &DeviceInfo,
        config: &StreamConfig,
        callback: Callback,
        on_error: ErrorCallback,
    ) -> Result<Box<dyn DeviceStream>> {
        let cfg = rs_config(config)?;
        let host = c_string(self.name, "host")?;
        let name = self.stable_name(device)?;
        let ctx = Box::into_raw(Box::new(Ctx {
            engine: UnsafeCell::new(EngineCall {
                callback,
                calls: 0,
                panic_at: config.faults.panic_at_block,
                input: vec![0.0; config.blocksize * config.input_channels],
                output: vec![0.0; config.blocksize * config.output_channels],
            }),
            on_error,
            in_ch: config.input_channels,
            out_ch: config.output_channels,
        }));
        let mut info = RsStreamInfo {
            input_latency: 0.0,
            output_latency: 0.0,
        };
        let mut err = empty_error();
        let args = RsOpenArgs {
            host: host.as_ptr(),
            device: name.as_ptr(),
            config: cfg,
            user: ctx.cast(),
            callback: trampoline,
            on_error: error_trampoline,
            planned: self.take_planned(device),
        };
        // SAFETY: the strings and structs live across the call; `ctx` stays
        // valid until the stream is closed (see `CpalStream::drop`), and both
        // trampolines catch every panic.
        let raw = unsafe { (self.plugin.open)(&args, &mut info, &mut err) };
        if raw.is_null() {
            // SAFETY: the plugin failed to open and keeps no reference to `ctx`.
            drop(unsafe { Box::from_raw(ctx) });
            return Err(device_error(device, &err));
        }
        Ok(Box::new(CpalStream {
            plugin: self.plugin,
            raw,
            ctx,
            latency: (info.input_latency, info.output_latency),
        }))
    }
}

/// The engine callback and what only its thread touches.
struct EngineCall {
    callback: Callback,
    /// Engine calls since open.
    calls: u64,
    /// Fault injection (tests of the panic path across the plugin boundary).
    panic_at: Option<u64>,
    /// The engine's input block: the plugin's f32 samples, widened
    /// (preallocated for a block: the plugin calls with `blocksize` frames).
    input: Vec<Sample>,
    /// The engine's output block, narrowed into the plugin's f32 buffer.
    output: Vec<Sample>,
}

/// What the plugin's callbacks reach through their `user` pointer.
struct Ctx {
    /// Used by one plugin thread at a time (the plugin's contract), hence
    /// the cell: the error trampoline may share `Ctx` from another thread.
    engine: UnsafeCell<EngineCall>,
    on_error: ErrorCallback,
    in_ch: usize,
    out_ch: usize,
}

/// The engine call, from the plugin's audio thread. Never unwinds.
unsafe extern "C" fn trampoline(
    user: *mut c_void,
    input: *const f32,
    output: *mut f32,
    info: *const RsBlockInfo,
) -> u32 {
    // SAFETY: `user` is the `Ctx` of this stream, alive until close.
    let ctx = unsafe { &*(user as *const Ctx) };
    // SAFETY: the plugin passes a valid info for the call.
    let Some(info) = (unsafe { info.as_ref() }) else {
        return flow::COMPLETE;
    };
    let frames = info.frames as usize;
    let r = super::callback_panic::catch(|| {
        let inp: &[f32] = if ctx.in_ch == 0 || input.is_null() {
            &[]
        } else {
            // SAFETY: the plugin passes `frames * in_ch` input samples.
            unsafe { std::slice::from_raw_parts(input, frames * ctx.in_ch) }
        };
        let out: &mut [f32] = if ctx.out_ch == 0 || output.is_null() {
            &mut []
        } else {
            // SAFETY: the plugin passes room for `frames * out_ch` samples.
            unsafe { std::slice::from_raw_parts_mut(output, frames * ctx.out_ch) }
        };
        let block = BlockInfo {
            frames,
            output_time: info.output_time,
            input_time: info.input_time,
            current_time: info.current_time,
            flags: info.flags,
            lost_frames: 0,
        };
        // SAFETY: only one plugin thread calls the engine at a time.
        let e = unsafe { &mut *ctx.engine.get() };
        let k = e.calls;
        e.calls += 1;
        if e.panic_at == Some(k) {
            panic!("fault injection: panicAtBlock");
        }
        if inp.len() > e.input.len() || out.len() > e.output.len() {
            // Not the block the plugin promised: silence, never an allocation here.
            out.fill(0.0);
            return Flow::Continue;
        }
        let (wide_in, wide_out) = (&mut e.input[..inp.len()], &mut e.output[..out.len()]);
        for (w, v) in wide_in.iter_mut().zip(inp) {
            *w = Sample::from(*v);
        }
        let flow = (e.callback)(wide_in, wide_out, &block);
        for (v, w) in out.iter_mut().zip(wide_out.iter()) {
            *v = *w as f32;
        }
        flow
    });
    match r {
        Ok(Flow::Continue) => flow::CONTINUE,
        Ok(Flow::Complete) => flow::COMPLETE,
        Err(_) => {
            let _ = catch_unwind(AssertUnwindSafe(|| {
                (ctx.on_error)(Error::new(
                    ErrorKind::Panic,
                    "a panic in the audio callback stopped the stream",
                ))
            }));
            flow::COMPLETE
        }
    }
}

/// A fatal device error, from any plugin thread. Never unwinds.
unsafe extern "C" fn error_trampoline(user: *mut c_void, kind: u32, message: *const c_char) {
    // SAFETY: `user` is the `Ctx` of this stream, alive until close.
    let ctx = unsafe { &*(user as *const Ctx) };
    let msg = if message.is_null() {
        String::from("the device failed")
    } else {
        // SAFETY: the plugin passes a NUL-terminated string.
        unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    };
    let _ = catch_unwind(AssertUnwindSafe(|| {
        (ctx.on_error)(Error::new(kind_of(kind), msg))
    }));
}

/// An open plugin stream.
struct CpalStream {
    plugin: &'static Plugin,
    raw: *mut c_void,
    ctx: *mut Ctx,
    latency: (f64, f64),
}

// SAFETY: the plugin's stream handle may be used from any thread (its
// control functions only touch atomics), and `ctx` is freed only on drop.
unsafe impl Send for CpalStream {}

impl CpalStream {
    fn control(&self, f: loader::ControlFn) -> Result<()> {
        let mut err = empty_error();
        // SAFETY: `raw` is open until drop.
        if unsafe { f(self.raw, &mut err) } != 0 {
            return Err(error_of(&err));
        }
        Ok(())
    }
}

impl DeviceStream for CpalStream {
    fn start(&mut self) -> Result<()> {
        self.control(self.plugin.start)
    }

    fn pause(&mut self) -> Result<()> {
        self.control(self.plugin.pause)
    }

    fn latency(&self) -> (f64, f64) {
        self.latency
    }

    fn moved_to(&self, input: bool) -> Option<String> {
        let mut name = [0 as c_char; abi::NAME_LEN];
        // SAFETY: `raw` is open until drop; `name` holds NAME_LEN bytes.
        let known = unsafe {
            (self.plugin.moved_to)(self.raw, u32::from(input), name.as_mut_ptr(), name.len())
        };
        (known == 1).then(|| {
            // SAFETY: the plugin wrote a NUL-terminated string when it says so.
            unsafe { CStr::from_ptr(name.as_ptr()) }
                .to_string_lossy()
                .into_owned()
        })
    }
}

impl Drop for CpalStream {
    fn drop(&mut self) {
        // SAFETY: `raw` came from open and is closed once; after close no
        // callback runs, so `ctx` can be freed.
        unsafe {
            (self.plugin.close)(self.raw);
            drop(Box::from_raw(self.ctx));
        }
    }
}
