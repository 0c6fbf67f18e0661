//! What the plugin's own ALSA playback ([`super::alsa_out`]) and capture
//! ([`super::alsa_in`]) threads share: the thread that waits for its first
//! start and is joined on drop, the wait on the PCM, the period's device
//! times read from its status, and the recovery from an xrun or a suspend
//! (anything else is a lost device).
//!
//! Realtime contract: [`wait`], [`Clock::read`] and [`recover`]'s xrun path
//! call alsa-lib on a set-up PCM and touch atomics; nothing allocates (the
//! status is allocated with the [`Clock`], before the first period).

use super::alsa_setup::Geometry;
use super::config::Fmt;
use super::convert::DeviceSample;
use super::gate::Ctl;
use crate::abi::kind;
use crate::pcm::Pcm;
use alsa_sys as sys;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::thread::JoinHandle;

pub(super) const EAGAIN: c_int = 11;
pub(super) const EPIPE: c_int = 32;
pub(super) const ESTRPIPE: c_int = 86;
pub(super) const ENODEV: c_int = 19;

/// A PCM set up by [`super::alsa_setup::install`], and what it was set up with.
pub struct Prepared {
    /// The PCM.
    pub pcm: Pcm,
    /// Its sample format.
    pub fmt: Fmt,
    /// Its period and buffer.
    pub geometry: Geometry,
    /// Its channels.
    pub channels: usize,
    /// Its rate in frames per second.
    pub rate: u32,
}

impl Prepared {
    /// How long one wait for a period may take before the PCM's state is
    /// read: two periods, within 50 ms to 2 s.
    pub(super) fn timeout_ms(&self) -> c_int {
        let ms = 2000.0 * f64::from(self.geometry.period) / f64::from(self.rate.max(1));
        ms.ceil().clamp(50.0, 2000.0) as c_int
    }
}

/// What the owner tells its thread.
#[derive(Default)]
pub struct RunFlags {
    go: AtomicBool,
    stop: AtomicBool,
}

impl RunFlags {
    /// The thread is to end.
    pub fn stopped(&self) -> bool {
        self.stop.load(SeqCst)
    }
}

/// A running (or, until [`AlsaThread::play`], waiting) ALSA device thread.
pub struct AlsaThread {
    thread: Option<JoinHandle<()>>,
    flags: Arc<RunFlags>,
    period: u32,
}

impl AlsaThread {
    /// Starts a thread named `name` that runs `body` from the first
    /// [`AlsaThread::play`] on (or never, when dropped first); `body` ends
    /// when [`RunFlags::stopped`] says so.
    pub fn spawn(
        name: &str,
        period: u32,
        body: impl FnOnce(Arc<RunFlags>) + Send + 'static,
    ) -> Result<AlsaThread, String> {
        let flags = Arc::new(RunFlags::default());
        let f = flags.clone();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                while !f.go.load(SeqCst) && !f.stop.load(SeqCst) {
                    std::thread::park();
                }
                if !f.stop.load(SeqCst) {
                    body(f);
                }
            })
            .map_err(|e| format!("cannot start its thread: {e}"))?;
        Ok(AlsaThread {
            thread: Some(thread),
            flags,
            period,
        })
    }

    /// Lets the thread run.
    pub fn play(&self) {
        self.flags.go.store(true, SeqCst);
        if let Some(t) = &self.thread {
            t.thread().unpark();
        }
    }

    /// Frames per period.
    pub fn period(&self) -> u32 {
        self.period
    }
}

impl Drop for AlsaThread {
    /// Stops the thread (within a wait timeout) and joins it; it closes the PCM.
    fn drop(&mut self) {
        self.flags.stop.store(true, SeqCst);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// Waits for a period (of room or of frames); a timeout reads the state (a
/// disconnect or an xrun whose poll event was missed).
pub(super) fn wait(pcm: &Pcm, timeout_ms: c_int) -> Result<(), c_int> {
    let h = pcm.handle();
    // SAFETY: a valid, set-up pcm (as below).
    let rc = unsafe { sys::snd_pcm_wait(h, timeout_ms) };
    if rc < 0 {
        return Err(rc);
    }
    if rc > 0 {
        return Ok(());
    }
    // SAFETY: as above.
    match unsafe { sys::snd_pcm_state(h) } {
        sys::SND_PCM_STATE_DISCONNECTED => Err(-ENODEV),
        sys::SND_PCM_STATE_XRUN => Err(-EPIPE),
        sys::SND_PCM_STATE_SUSPENDED => Err(-ESTRPIPE),
        _ => Ok(()),
    }
}

/// Starts `pcm` when it is set up but not running (a capture PCM, or a
/// playback PCM whose buffer is as full as whole periods make it).
pub(super) fn start_prepared(pcm: &Pcm) -> Result<(), c_int> {
    // SAFETY: a valid, set-up pcm (as below).
    if unsafe { sys::snd_pcm_state(pcm.handle()) } == sys::SND_PCM_STATE_PREPARED {
        // SAFETY: as above.
        let rc = unsafe { sys::snd_pcm_start(pcm.handle()) };
        if rc < 0 {
            return Err(rc);
        }
    }
    Ok(())
}

/// What a device thread's loop works with, all allocated before its first
/// period: the PCM, its status clock, a period's samples, the stream's
/// shared state and the thread's flags.
pub(super) struct Io<T> {
    pub dev: Prepared,
    pub clock: Clock,
    pub buf: Vec<T>,
    pub ctl: Arc<Ctl>,
    pub flags: Arc<RunFlags>,
    pub timeout_ms: c_int,
}

impl<T: DeviceSample> Io<T> {
    pub(super) fn new(dev: Prepared, ctl: Arc<Ctl>, flags: Arc<RunFlags>) -> Io<T> {
        let samples = dev.geometry.period as usize * dev.channels;
        Io {
            buf: vec![T::EQUILIBRIUM; samples],
            clock: Clock::new(&dev.geometry),
            timeout_ms: dev.timeout_ms(),
            dev,
            ctl,
            flags,
        }
    }

    /// Waits for the next period (see [`wait`]).
    pub(super) fn wait(&self) -> Result<(), c_int> {
        wait(&self.dev.pcm, self.timeout_ms)
    }

    /// `frames` of the PCM's rate in nanoseconds (a delay as a time offset).
    pub(super) fn nanos(&self, frames: u64) -> u64 {
        frames * 1_000_000_000 / u64::from(self.dev.rate.max(1))
    }
}

impl<T> Io<T> {
    /// Recovers the PCM of an `input` or output loop (see [`recover`]).
    pub(super) fn recover(&self, rc: c_int, input: bool) -> bool {
        recover(&self.dev.pcm, rc, &self.flags, &self.ctl, input)
    }
}

/// A device thread's loop: one step a period, recovering from xruns and
/// suspends, until the thread is stopped or the device is lost.
pub(super) trait PeriodLoop: Sized {
    /// The device's sample type.
    type Sample;
    /// Whether the loop records (its xruns are input overflows).
    const INPUT: bool;
    /// What the loop works with.
    fn io(&self) -> &Io<Self::Sample>;
    /// Waits for a period, or moves one.
    fn step(&mut self) -> Result<(), c_int>;

    /// Steps until stopped or lost.
    fn run(mut self) {
        while !self.io().flags.stopped() {
            if let Err(rc) = self.step() {
                if !self.io().recover(rc, Self::INPUT) {
                    return;
                }
            }
        }
    }
}

/// A PCM status, allocated once.
struct Status(*mut sys::snd_pcm_status_t);

impl Drop for Status {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: allocated by snd_pcm_status_malloc, freed once.
            unsafe { sys::snd_pcm_status_free(self.0) };
        }
    }
}

/// Nanoseconds on CLOCK_MONOTONIC (a vDSO read), the clock of the PCM's timestamps.
fn mono_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Reads a period's device times from the PCM's status.
pub(super) struct Clock {
    status: Status,
    tstamps: bool,
}

impl Clock {
    /// A clock for a PCM set up with `geometry` (allocates its status).
    pub(super) fn new(geometry: &Geometry) -> Clock {
        let mut status = std::ptr::null_mut();
        // SAFETY: a valid out-pointer; on failure it stays null and the
        // periods are timed by the monotonic clock.
        unsafe { sys::snd_pcm_status_malloc(&mut status) };
        Clock {
            status: Status(status),
            tstamps: geometry.tstamps,
        }
    }

    /// `(now, delay)`: the status timestamp of the running PCM in
    /// nanoseconds on CLOCK_MONOTONIC (else the clock read now), and its
    /// delay in frames (a playback PCM's queued frames, a capture PCM's
    /// frames captured and not yet read).
    pub(super) fn read(&self, pcm: &Pcm) -> (u64, u64) {
        let mut now = 0;
        let mut delay = 0;
        let st = self.status.0;
        // SAFETY: a valid pcm and status.
        if !st.is_null() && unsafe { sys::snd_pcm_status(pcm.handle(), st) } >= 0 {
            // SAFETY: a filled status and a valid out-pointer.
            unsafe {
                delay = sys::snd_pcm_status_get_delay(st).max(0) as u64;
                if self.tstamps && sys::snd_pcm_status_get_state(st) == sys::SND_PCM_STATE_RUNNING {
                    let mut ts = std::mem::zeroed::<sys::snd_htimestamp_t>();
                    sys::snd_pcm_status_get_htstamp(st, &mut ts);
                    now = ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64;
                }
            }
        }
        if now == 0 {
            now = mono_ns();
        }
        (now, delay)
    }
}

/// Recovers `pcm` from an xrun or a suspend (true: the next period is
/// waited for again; a capture PCM left prepared is started by its loop),
/// or reports the device lost (false: the thread ends).
pub(super) fn recover(pcm: &Pcm, rc: c_int, flags: &RunFlags, ctl: &Ctl, input: bool) -> bool {
    let h = pcm.handle();
    let mut rc = rc;
    if rc == -ESTRPIPE {
        // SAFETY: a valid pcm (as below).
        rc = unsafe { sys::snd_pcm_resume(h) };
        while rc == -EAGAIN && !flags.stopped() {
            std::thread::sleep(std::time::Duration::from_millis(5));
            // SAFETY: as above.
            rc = unsafe { sys::snd_pcm_resume(h) };
        }
        if rc >= 0 {
            return true;
        }
        rc = -EPIPE;
    }
    // SAFETY: as above.
    if rc == -EPIPE && unsafe { sys::snd_pcm_prepare(h) } >= 0 {
        ctl.xrun(input);
        return true;
    }
    let side = if input { "input" } else { "output" };
    ctl.report(
        kind::DEVICE_NOT_FOUND,
        &format!("{side} stream: the ALSA device stopped (error {rc})"),
    );
    false
}
