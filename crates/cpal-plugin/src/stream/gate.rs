//! The start gate and the state shared by the control side and the device
//! callbacks: atomics only, so the callbacks never lock or wait.

use crate::abi::{flow, status, RsBlockInfo, RsCallback, RsErrorFn};
use std::ffi::{c_void, CString};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::OnceLock;
use std::time::Instant;

/// An f64 in an atomic.
#[derive(Default)]
pub struct AtomicF64(AtomicU64);

impl AtomicF64 {
    /// A new cell holding `v`.
    pub fn new(v: f64) -> AtomicF64 {
        AtomicF64(AtomicU64::new(v.to_bits()))
    }

    /// The value.
    pub fn load(&self) -> f64 {
        f64::from_bits(self.0.load(SeqCst))
    }

    /// Sets the value.
    pub fn store(&self, v: f64) {
        self.0.store(v.to_bits(), SeqCst);
    }

    /// Lowers the value to `v` if `v` is smaller (one writer).
    pub fn lower(&self, v: f64) {
        if v < self.load() {
            self.store(v);
        }
    }
}

/// Seconds on the process's monotonic clock (a vDSO read: realtime-safe).
pub fn mono_now() -> f64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// The core's callbacks and their context pointer.
pub struct Calls {
    /// The core's context.
    pub user: *mut c_void,
    /// The engine callback.
    pub callback: RsCallback,
    /// The fatal-error callback.
    pub on_error: RsErrorFn,
}

// SAFETY: the core guarantees that `user` may be used from any thread through
// these two functions until `rs_cpal_close` returns, and that it never calls
// them concurrently with itself (we call `callback` from one thread at a time).
unsafe impl Send for Calls {}
// SAFETY: see `Send`; `on_error` is thread-safe by contract.
unsafe impl Sync for Calls {}

/// One direction's clock and timing, as its callbacks observe it.
#[derive(Default)]
pub struct SideClock {
    /// Callbacks so far (gate open or not).
    pub calls: AtomicU32,
    /// The device latency seen by the latest callback, in seconds
    /// (output: playback - callback; input: callback - capture).
    pub device_latency: AtomicF64,
    /// The smallest `mono_now() - callback instant` seen: adding it to
    /// [`mono_now`] gives this side's stream clock.
    pub offset: AtomicF64,
}

impl SideClock {
    /// A side that has not called back yet.
    pub fn new() -> SideClock {
        SideClock {
            offset: AtomicF64::new(f64::MAX),
            ..SideClock::default()
        }
    }

    /// Records one callback: `callback` on the side's clock, `latency` its
    /// device latency.
    pub fn observe(&self, callback: f64, latency: f64) {
        self.offset.lower(mono_now() - callback);
        self.device_latency.store(latency);
        self.calls.fetch_add(1, SeqCst);
    }

    /// The side's clock now.
    pub fn now(&self) -> f64 {
        mono_now() - self.offset.load()
    }
}

/// State shared by the control side and both callbacks.
pub struct Ctl {
    /// The core's callbacks.
    pub calls: Calls,
    /// The engine may be called.
    pub running: AtomicBool,
    /// Bumped by every start, so the sides reset for a new run.
    pub generation: AtomicU64,
    /// Callbacks inside the gate (pause waits for 0).
    pub busy: AtomicU32,
    /// Status flags waiting for the next engine call (xruns cpal reported).
    pub flags: AtomicU32,
    /// A panic or a fatal error: never call the engine again.
    pub dead: AtomicBool,
    /// Duplex: the run whose input the output side accepts (set once it
    /// has emptied the handoff).
    pub accept_gen: AtomicU64,
    /// Duplex: the run whose first input frames are in the handoff.
    pub first_gen: AtomicU64,
    /// Duplex: the input device position of that run's first frame.
    pub first_pos: AtomicU64,
    /// The input side's epoch (see [`super::epoch`]), input clock.
    pub in_epoch: AtomicF64,
    /// Duplex: the round trip in seconds (reported input + output latency).
    pub round_trip: AtomicF64,
    /// Output clock: when the last audible frame the engine wrote reaches
    /// the DAC (0: nothing audible yet).
    pub last_audible: AtomicF64,
    /// The output side's clock.
    pub out_clock: SideClock,
    /// The input side's clock.
    pub in_clock: SideClock,
}

impl Ctl {
    /// A closed gate over `calls`.
    pub fn new(calls: Calls) -> Ctl {
        Ctl {
            calls,
            running: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            busy: AtomicU32::new(0),
            flags: AtomicU32::new(0),
            dead: AtomicBool::new(false),
            accept_gen: AtomicU64::new(0),
            first_gen: AtomicU64::new(0),
            first_pos: AtomicU64::new(0),
            in_epoch: AtomicF64::new(0.0),
            round_trip: AtomicF64::new(0.0),
            last_audible: AtomicF64::new(0.0),
            out_clock: SideClock::new(),
            in_clock: SideClock::new(),
        }
    }

    /// Enters the gate; false when the engine must not be called now.
    pub fn enter(&self) -> bool {
        self.busy.fetch_add(1, SeqCst);
        if self.running.load(SeqCst) && !self.dead.load(SeqCst) {
            true
        } else {
            self.busy.fetch_sub(1, SeqCst);
            false
        }
    }

    /// Leaves the gate (after a successful [`Ctl::enter`]).
    pub fn leave(&self) {
        self.busy.fetch_sub(1, SeqCst);
    }

    /// Counts an xrun of the `input` or output side with the next block,
    /// as PortAudio's status flags are (while the gate is open).
    pub fn xrun(&self, input: bool) {
        if self.running.load(SeqCst) {
            let f = if input {
                status::INPUT_OVERFLOW
            } else {
                status::OUTPUT_UNDERFLOW
            };
            self.flags.fetch_or(f, SeqCst);
        }
    }

    /// Tells the engine with the next block that the host moved the stream
    /// to another device (one following the system default).
    pub fn device_changed(&self) {
        self.flags.fetch_or(status::DEVICE_CHANGED, SeqCst);
    }

    /// Reports a fatal error once and stops calling. Allocates: only on the
    /// way out of a dead stream, never per block.
    pub fn report(&self, kind: u32, message: &str) {
        if self.dead.swap(true, SeqCst) {
            return;
        }
        self.running.store(false, SeqCst);
        let msg = CString::new(message.replace('\0', " ")).unwrap_or_default();
        // SAFETY: the core's contract for `on_error` (see `Calls`); `msg`
        // outlives the call.
        unsafe { (self.calls.on_error)(self.calls.user, kind, msg.as_ptr()) };
    }

    /// Calls the engine for `info.frames` frames; `input` and `output` hold
    /// exactly that many frames of each side's channels (or are empty).
    pub fn engine(&self, input: &[f32], output: &mut [f32], info: &RsBlockInfo) -> u32 {
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
        // channels (the adapters guarantee it), and the core's contract holds.
        let r = unsafe { (self.calls.callback)(self.calls.user, inp, out, info) };
        if r != flow::CONTINUE {
            self.running.store(false, SeqCst);
        }
        r
    }
}
