//! A device stream on cpal: the engine runs from the output callback (or
//! the input callback when there is no output), and a duplex stream's input
//! reaches it through a preallocated SPSC ring with a fixed prefill.
//!
//! Realtime contract of the cpal callbacks: they copy samples, touch atomics
//! and the SPSC ring, and call the engine callback; nothing else. Every
//! buffer is allocated before the streams are built.

use crate::abi::{flow, kind, status, RsBlockInfo, RsCallback, RsErrorFn, RsStreamConfig};
use crate::host::{self, Failure};
use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{
    BufferSize, Data, Device, InputCallbackInfo, OutputCallbackInfo, Sample, SampleFormat,
    StreamInstant, SupportedBufferSize,
};
use ringbuf::traits::{Consumer as _, Observer as _, Producer as _};
use ringbuf::{HeapCons, HeapProd, HeapRb};
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The core's callbacks and their context pointer.
struct Calls {
    user: *mut c_void,
    callback: RsCallback,
    on_error: RsErrorFn,
}

// SAFETY: the core guarantees that `user` may be used from any thread through
// these two functions until `rs_cpal_close` returns, and that it never calls
// them concurrently with itself (we call `callback` from one thread at a time).
unsafe impl Send for Calls {}
// SAFETY: see `Send`; `on_error` is thread-safe by contract.
unsafe impl Sync for Calls {}

/// State shared by the control side and both callbacks: atomics only.
struct Ctl {
    calls: Calls,
    /// The engine may be called.
    running: AtomicBool,
    /// Bumped by every start, so the output side resets the handoff.
    generation: AtomicU64,
    /// Callbacks inside the gate (pause waits for 0).
    busy: AtomicU32,
    /// Status flags waiting for the next engine call (xruns cpal reported).
    flags: AtomicU32,
    /// A panic or a fatal error: never call the engine again.
    dead: AtomicBool,
    /// Frames of silence the handoff starts with.
    prefill: AtomicUsize,
}

impl Ctl {
    /// Enters the gate; false when the engine must not be called now.
    fn enter(&self) -> bool {
        self.busy.fetch_add(1, SeqCst);
        if self.running.load(SeqCst) && !self.dead.load(SeqCst) {
            true
        } else {
            self.busy.fetch_sub(1, SeqCst);
            false
        }
    }

    fn leave(&self) {
        self.busy.fetch_sub(1, SeqCst);
    }

    /// Reports a fatal error once and stops calling. Allocates: only on the
    /// way out of a dead stream, never per block.
    fn report(&self, kind: u32, message: &str) {
        if self.dead.swap(true, SeqCst) {
            return;
        }
        self.running.store(false, SeqCst);
        let msg = CString::new(message.replace('\0', " ")).unwrap_or_default();
        // SAFETY: the core's contract for `on_error` (see `Calls`); `msg`
        // outlives the call.
        unsafe { (self.calls.on_error)(self.calls.user, kind, msg.as_ptr()) };
    }

    /// Calls the engine for `frames` frames.
    fn engine(&self, input: &[f32], output: &mut [f32], info: &RsBlockInfo) -> u32 {
        let inp = if input.is_empty() {
            std::ptr::null()
        } else {
            input.as_ptr()
        };
        let out = if output.is_empty() {
            std::ptr::null_mut()
        } else {
            output.as_mut_ptr()
        };
        // SAFETY: the buffers hold `info.frames` frames of each side's
        // channels (checked by the callers), and the core's contract holds.
        let r = unsafe { (self.calls.callback)(self.calls.user, inp, out, info) };
        if r != flow::CONTINUE {
            self.running.store(false, SeqCst);
        }
        r
    }
}

fn secs(t: StreamInstant) -> f64 {
    t.duration_since(StreamInstant::ZERO).as_secs_f64()
}

/// The sample formats we convert from and to f32.
#[derive(Clone, Copy)]
enum Fmt {
    F32,
    I32,
    I16,
}

impl Fmt {
    fn cpal(self) -> SampleFormat {
        match self {
            Fmt::F32 => SampleFormat::F32,
            Fmt::I32 => SampleFormat::I32,
            Fmt::I16 => SampleFormat::I16,
        }
    }
}

/// Copies device samples (any supported format) into `out` as f32.
fn read_samples(data: &Data, fmt: Fmt, at: usize, out: &mut [f32]) {
    let n = out.len();
    match fmt {
        Fmt::F32 => {
            if let Some(s) = data.as_slice::<f32>() {
                out.copy_from_slice(&s[at..at + n]);
            }
        }
        Fmt::I32 => {
            if let Some(s) = data.as_slice::<i32>() {
                for (o, x) in out.iter_mut().zip(&s[at..at + n]) {
                    *o = f32::from_sample(*x);
                }
            }
        }
        Fmt::I16 => {
            if let Some(s) = data.as_slice::<i16>() {
                for (o, x) in out.iter_mut().zip(&s[at..at + n]) {
                    *o = f32::from_sample(*x);
                }
            }
        }
    }
}

/// Copies f32 samples into the device buffer at sample `at`.
fn write_samples(data: &mut Data, fmt: Fmt, at: usize, src: &[f32]) {
    let n = src.len();
    match fmt {
        Fmt::F32 => {
            if let Some(d) = data.as_slice_mut::<f32>() {
                d[at..at + n].copy_from_slice(src);
            }
        }
        Fmt::I32 => {
            if let Some(d) = data.as_slice_mut::<i32>() {
                for (o, x) in d[at..at + n].iter_mut().zip(src) {
                    *o = i32::from_sample(*x);
                }
            }
        }
        Fmt::I16 => {
            if let Some(d) = data.as_slice_mut::<i16>() {
                for (o, x) in d[at..at + n].iter_mut().zip(src) {
                    *o = i16::from_sample(*x);
                }
            }
        }
    }
}

/// Picks a format and a buffer size for `channels` at `rate` in one direction.
fn choose(
    dev: &Device,
    input: bool,
    channels: u16,
    rate: u32,
    block: u32,
) -> Result<(Fmt, BufferSize), Failure> {
    let dir = if input { "input" } else { "output" };
    let ranges: Vec<_> = if input {
        dev.supported_input_configs().map(|c| c.collect())
    } else {
        dev.supported_output_configs().map(|c| c.collect())
    }
    .map_err(|e| {
        host::fail(
            &format!("cannot query the device's {dir} configurations"),
            &e,
        )
    })?;
    for fmt in [Fmt::F32, Fmt::I32, Fmt::I16] {
        let hit = ranges.iter().find(|r| {
            r.channels() == channels
                && r.sample_format() == fmt.cpal()
                && r.min_sample_rate() <= rate
                && rate <= r.max_sample_rate()
        });
        if let Some(r) = hit {
            let size = match r.buffer_size() {
                SupportedBufferSize::Range { min, max } if (*min..=*max).contains(&block) => {
                    BufferSize::Fixed(block)
                }
                _ => BufferSize::Default,
            };
            return Ok((fmt, size));
        }
    }
    let offered: Vec<String> = ranges
        .iter()
        .map(|r| {
            format!(
                "{} ch {} {}-{} Hz",
                r.channels(),
                r.sample_format(),
                r.min_sample_rate(),
                r.max_sample_rate()
            )
        })
        .collect();
    Err((
        kind::UNSUPPORTED_CONFIG,
        format!(
            "the device has no {dir} configuration with {channels} channels at {rate} Hz in f32, i32 or i16 (offered: {})",
            if offered.is_empty() { "none".to_string() } else { offered.join("; ") }
        ),
    ))
}

/// The output side: runs the engine, fed by the handoff ring.
struct OutSide {
    ctl: Arc<Ctl>,
    cons: Option<HeapCons<f32>>,
    fmt: Fmt,
    in_ch: usize,
    out_ch: usize,
    block: usize,
    rate: f64,
    in_latency: f64,
    seen: u64,
    primed: bool,
    owed: usize,
    inbuf: Vec<f32>,
    outbuf: Vec<f32>,
}

impl OutSide {
    fn callback(&mut self, data: &mut Data, info: &OutputCallbackInfo) {
        if !self.ctl.enter() {
            return; // cpal pre-fills the buffer with silence
        }
        let ctl = self.ctl.clone();
        let r = catch_unwind(AssertUnwindSafe(|| self.run(data, info)));
        ctl.leave();
        if r.is_err() {
            ctl.report(
                kind::PANIC,
                "a panic in the cpal output callback stopped the stream",
            );
        }
    }

    fn run(&mut self, data: &mut Data, info: &OutputCallbackInfo) {
        let generation = self.ctl.generation.load(SeqCst);
        if generation != self.seen {
            self.seen = generation;
            self.primed = false;
            if let Some(c) = self.cons.as_mut() {
                let stale = c.occupied_len();
                c.skip(stale);
            }
        }
        // The handoff starts when the input delivers its first frames after
        // a start (a capture device can take a while to start): those frames
        // are kept (they may already hold what this side played) behind a
        // fixed run of silence, and from then on every captured frame reaches
        // the engine exactly once, so the round trip stays constant until an
        // xrun.
        if !self.primed {
            if let Some(c) = self.cons.as_ref() {
                if c.occupied_len() > 0 {
                    self.owed = self.ctl.prefill.load(SeqCst);
                    self.primed = true;
                }
            }
        }
        let frames = data.len() / self.out_ch.max(1);
        let t0 = secs(info.timestamp().playback);
        let mut done = 0;
        while done < frames {
            let m = (frames - done).min(self.block);
            let mut flags = 0;
            let need = m * self.in_ch;
            if !self.primed {
                self.inbuf[..need].fill(0.0);
            } else if let Some(c) = self.cons.as_mut() {
                let zeros = self.owed.min(m);
                self.owed -= zeros;
                let z = zeros * self.in_ch;
                self.inbuf[..z].fill(0.0);
                let got = c.pop_slice(&mut self.inbuf[z..need]);
                if z + got < need {
                    self.inbuf[z + got..need].fill(0.0);
                    flags |= status::INPUT_UNDERFLOW;
                }
            }
            flags |= self.ctl.flags.swap(0, SeqCst);
            let out_time = t0 + done as f64 / self.rate;
            let block = RsBlockInfo {
                frames: m as u64,
                output_time: out_time,
                input_time: out_time - self.in_latency,
                current_time: secs(info.timestamp().callback) + done as f64 / self.rate,
                flags,
            };
            let n = m * self.out_ch;
            let r = self
                .ctl
                .engine(&self.inbuf[..need], &mut self.outbuf[..n], &block);
            write_samples(data, self.fmt, done * self.out_ch, &self.outbuf[..n]);
            done += m;
            if r != flow::CONTINUE {
                break;
            }
        }
    }
}

/// The input side: hands frames to the output side, or runs the engine
/// itself when the stream has no output.
struct InSide {
    ctl: Arc<Ctl>,
    prod: Option<HeapProd<f32>>,
    fmt: Fmt,
    in_ch: usize,
    block: usize,
    rate: f64,
    inbuf: Vec<f32>,
}

impl InSide {
    fn callback(&mut self, data: &Data, info: &InputCallbackInfo) {
        if !self.ctl.enter() {
            return;
        }
        let ctl = self.ctl.clone();
        let r = catch_unwind(AssertUnwindSafe(|| self.run(data, info)));
        ctl.leave();
        if r.is_err() {
            ctl.report(
                kind::PANIC,
                "a panic in the cpal input callback stopped the stream",
            );
        }
    }

    fn run(&mut self, data: &Data, info: &InputCallbackInfo) {
        let frames = data.len() / self.in_ch.max(1);
        let t0 = secs(info.timestamp().capture);
        let mut done = 0;
        while done < frames {
            let m = (frames - done).min(self.block);
            let n = m * self.in_ch;
            read_samples(data, self.fmt, done * self.in_ch, &mut self.inbuf[..n]);
            match self.prod.as_mut() {
                Some(p) => {
                    if p.push_slice(&self.inbuf[..n]) < n {
                        self.ctl.flags.fetch_or(status::INPUT_OVERFLOW, SeqCst);
                    }
                }
                None => {
                    let in_time = t0 + done as f64 / self.rate;
                    let block = RsBlockInfo {
                        frames: m as u64,
                        output_time: in_time,
                        input_time: in_time,
                        current_time: secs(info.timestamp().callback) + done as f64 / self.rate,
                        flags: self.ctl.flags.swap(0, SeqCst),
                    };
                    if self.ctl.engine(&self.inbuf[..n], &mut [], &block) != flow::CONTINUE {
                        break;
                    }
                }
            }
            done += m;
        }
    }
}

/// An open device stream of the plugin.
pub struct PluginStream {
    // Dropped first: cpal joins its threads, so no callback runs after.
    input: Option<cpal::Stream>,
    output: Option<cpal::Stream>,
    ctl: Arc<Ctl>,
    /// `(input, output)` latency in seconds.
    pub latency: (f64, f64),
}

fn error_handler(ctl: Arc<Ctl>, input: bool) -> impl FnMut(cpal::Error) + Send + 'static {
    move |e: cpal::Error| match e.kind() {
        cpal::ErrorKind::Xrun => {
            // Counted with the next block, as PortAudio's status flags are.
            if ctl.running.load(SeqCst) {
                let f = if input {
                    status::INPUT_OVERFLOW
                } else {
                    status::OUTPUT_UNDERFLOW
                };
                ctl.flags.fetch_or(f, SeqCst);
            }
        }
        // Not failures: the stream goes on.
        cpal::ErrorKind::DeviceChanged | cpal::ErrorKind::RealtimeDenied => {}
        _ => {
            let (k, m) = host::fail(
                if input {
                    "input stream"
                } else {
                    "output stream"
                },
                &e,
            );
            ctl.report(k, &m);
        }
    }
}

fn period_of(s: &cpal::Stream, fallback: usize) -> usize {
    s.buffer_size()
        .map(|f| f as usize)
        .unwrap_or(fallback)
        .max(1)
}

/// Frames the duplex ring holds: far more than any callback can bring.
const RING_FRAMES: usize = 1 << 16;

impl PluginStream {
    /// Opens `device` of `host_name` for `cfg`.
    ///
    /// # Safety
    /// `user`, `callback` and `on_error` must follow the contract of [`Calls`]
    /// until the returned stream is dropped.
    pub unsafe fn open(
        host_name: &str,
        device: &str,
        cfg: &RsStreamConfig,
        user: *mut c_void,
        callback: RsCallback,
        on_error: RsErrorFn,
    ) -> Result<PluginStream, Failure> {
        let (in_ch, out_ch) = (cfg.input_channels as usize, cfg.output_channels as usize);
        let block = cfg.blocksize as usize;
        if block == 0 || (in_ch == 0 && out_ch == 0) || in_ch > 1024 || out_ch > 1024 {
            return Err((
                kind::INVALID_ARG,
                format!("bad stream config: blocksize {block}, {in_ch} in, {out_ch} out"),
            ));
        }
        let rate = cfg.samplerate;
        let h = host::host(host_name)?;
        let (idev, odev) = host::find(&h, host_name, device)?;
        let ctl = Arc::new(Ctl {
            calls: Calls {
                user,
                callback,
                on_error,
            },
            running: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            busy: AtomicU32::new(0),
            flags: AtomicU32::new(0),
            dead: AtomicBool::new(false),
            prefill: AtomicUsize::new(0),
        });
        let duplex = in_ch > 0 && out_ch > 0;
        // Shared by the two sides; each build attempt takes a fresh producer
        // or consumer handle on it.
        let rb = duplex.then(|| Arc::new(HeapRb::<f32>::new(RING_FRAMES * in_ch)));
        let timeout = Some(Duration::from_secs(5));
        let no_dev = |dir: &str| {
            (
                kind::UNSUPPORTED_CONFIG,
                format!("{host_name}:{device} has no {dir}"),
            )
        };
        let mut input = None;
        let mut in_period = 0;
        if in_ch > 0 {
            let dev = idev.ok_or_else(|| no_dev("input"))?;
            let (fmt, size) = choose(&dev, true, in_ch as u16, rate, cfg.blocksize)?;
            let make = || InSide {
                ctl: ctl.clone(),
                prod: rb.as_ref().map(|rb| HeapProd::new(rb.clone())),
                fmt,
                in_ch,
                block,
                rate: rate as f64,
                inbuf: vec![0.0; block * in_ch],
            };
            let s = build(size, "input", make, |size, mut side| {
                let cfg = cpal::StreamConfig {
                    channels: in_ch as u16,
                    sample_rate: rate,
                    buffer_size: size,
                };
                dev.build_input_stream_raw(
                    cfg,
                    fmt.cpal(),
                    move |d: &Data, i: &InputCallbackInfo| side.callback(d, i),
                    error_handler(ctl.clone(), true),
                    timeout,
                )
            })?;
            in_period = period_of(&s, block);
            input = Some(s);
        }
        // Enough silence in front of the input that the output side never
        // runs dry while both callbacks keep their pace.
        let prefill = if duplex {
            (2 * in_period.max(block)).max(2048)
        } else {
            0
        };
        ctl.prefill.store(prefill, SeqCst);
        let in_latency = (in_period + prefill) as f64 / rate as f64;
        let mut output = None;
        let mut out_period = 0;
        if out_ch > 0 {
            let dev = odev.ok_or_else(|| no_dev("output"))?;
            let (fmt, size) = choose(&dev, false, out_ch as u16, rate, cfg.blocksize)?;
            let make = || OutSide {
                ctl: ctl.clone(),
                cons: rb.as_ref().map(|rb| HeapCons::new(rb.clone())),
                fmt,
                in_ch,
                out_ch,
                block,
                rate: rate as f64,
                in_latency,
                seen: 0,
                primed: false,
                owed: 0,
                inbuf: vec![0.0; block * in_ch],
                outbuf: vec![0.0; block * out_ch],
            };
            let s = build(size, "output", make, |size, mut side| {
                let cfg = cpal::StreamConfig {
                    channels: out_ch as u16,
                    sample_rate: rate,
                    buffer_size: size,
                };
                dev.build_output_stream_raw(
                    cfg,
                    fmt.cpal(),
                    move |d: &mut Data, i: &OutputCallbackInfo| side.callback(d, i),
                    error_handler(ctl.clone(), false),
                    timeout,
                )
            })?;
            out_period = period_of(&s, block);
            output = Some(s);
        }
        // The devices run from now until close; start/pause only open and
        // close the gate, so restarts never make the device underrun.
        for s in input.iter().chain(output.iter()) {
            s.play()
                .map_err(|e| host::fail("cannot start the device", &e))?;
        }
        let rate = rate as f64;
        Ok(PluginStream {
            input,
            output,
            ctl,
            latency: (
                if in_ch > 0 { in_latency } else { 0.0 },
                out_period as f64 / rate,
            ),
        })
    }

    /// Opens the gate: the engine is called from the next callback on.
    pub fn start(&self) -> Result<(), Failure> {
        if self.ctl.dead.load(SeqCst) {
            return Err((
                kind::DEVICE_NOT_FOUND,
                "the stream failed and cannot be restarted".to_string(),
            ));
        }
        self.ctl.flags.store(0, SeqCst);
        self.ctl.generation.fetch_add(1, SeqCst);
        self.ctl.running.store(true, SeqCst);
        Ok(())
    }

    /// Closes the gate and waits until no callback is inside it.
    pub fn pause(&self) -> Result<(), Failure> {
        self.ctl.running.store(false, SeqCst);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.ctl.busy.load(SeqCst) != 0 {
            if Instant::now() > deadline {
                return Err((
                    kind::IO,
                    "the audio callback did not return within 5 s".to_string(),
                ));
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        Ok(())
    }
}

impl Drop for PluginStream {
    fn drop(&mut self) {
        self.ctl.running.store(false, SeqCst);
        self.input = None;
        self.output = None;
    }
}

/// Builds a stream, asking for `size` frames per period, then for doubled
/// sizes (ALSA's JACK plugin, for one, refuses periods below the server's),
/// then for the device's default (which can be a huge buffer). Every attempt
/// gets fresh callback state from `make` (a failed attempt drops its own).
fn build<S: Send + 'static>(
    size: BufferSize,
    what: &str,
    make: impl Fn() -> S,
    mut attempt: impl FnMut(BufferSize, S) -> Result<cpal::Stream, cpal::Error>,
) -> Result<cpal::Stream, Failure> {
    let mut tries = Vec::new();
    if let BufferSize::Fixed(n) = size {
        let mut n = n.max(1);
        while n <= 16384 {
            tries.push(BufferSize::Fixed(n));
            n *= 2;
        }
    }
    tries.push(BufferSize::Default);
    let mut last = None;
    for t in tries {
        match attempt(t, make()) {
            Ok(s) => return Ok(s),
            Err(e) if e.kind() == cpal::ErrorKind::UnsupportedConfig => last = Some(e),
            Err(e) => return Err(host::fail(&format!("cannot open the {what}"), &e)),
        }
    }
    let e = last.unwrap_or_else(|| cpal::Error::new(cpal::ErrorKind::UnsupportedConfig));
    Err(host::fail(&format!("cannot open the {what}"), &e))
}
