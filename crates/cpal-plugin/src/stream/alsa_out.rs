//! An ALSA output played by a thread of the plugin's own, on the PCM the
//! stream planned with ([`super::alsa_setup`]): cpal opens a PCM of its own
//! and takes no handle, so its path to the first sound opened the device
//! twice. The callback contract is cpal's: [`OutSide::callback`] fills one
//! period, timed by the PCM's status (its monotonic timestamp and delay).
//!
//! Realtime contract: the loop waits on the PCM, reads its status, calls
//! the side and writes; everything it touches is allocated before the first
//! period. Underruns are counted as cpal's are (an output underflow on the
//! next block while the gate is open); a PCM that fails otherwise is a lost
//! device.

use super::alsa_setup::Geometry;
use super::config::Fmt;
use super::convert::DeviceSample;
use super::gate::Ctl;
use super::sides::OutSide;
use crate::abi::kind;
use crate::pcm::Pcm;
use alsa_sys as sys;
use cpal::{OutputCallbackInfo, OutputStreamTimestamp, StreamInstant};
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::thread::JoinHandle;

const EAGAIN: c_int = 11;
const EPIPE: c_int = 32;
const ESTRPIPE: c_int = 86;
const ENODEV: c_int = 19;

/// What the thread plays.
pub struct Playback {
    /// The PCM, set up by [`super::alsa_setup::install`].
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

#[derive(Default)]
struct RunFlags {
    go: AtomicBool,
    stop: AtomicBool,
}

/// A running (or, until [`AlsaOut::play`], waiting) ALSA output thread.
pub struct AlsaOut {
    thread: Option<JoinHandle<()>>,
    flags: Arc<RunFlags>,
    period: u32,
}

impl AlsaOut {
    /// Starts the thread, which waits for [`AlsaOut::play`] before it calls
    /// `side` (the first two periods fill the buffer, which starts the PCM).
    pub fn spawn(play: Playback, side: OutSide, ctl: Arc<Ctl>) -> Result<AlsaOut, String> {
        let flags = Arc::new(RunFlags::default());
        let f = flags.clone();
        let period = play.geometry.period;
        let thread = std::thread::Builder::new()
            .name("ringstream-alsa-out".into())
            .spawn(move || {
                while !f.go.load(SeqCst) && !f.stop.load(SeqCst) {
                    std::thread::park();
                }
                match play.fmt {
                    Fmt::F32 => Player::<f32>::new(play, side, ctl, f).run(),
                    Fmt::I32 => Player::<i32>::new(play, side, ctl, f).run(),
                    Fmt::I16 => Player::<i16>::new(play, side, ctl, f).run(),
                }
            })
            .map_err(|e| format!("cannot start its thread: {e}"))?;
        Ok(AlsaOut {
            thread: Some(thread),
            flags,
            period,
        })
    }

    /// Lets the thread play.
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

impl Drop for AlsaOut {
    /// Stops the thread (within a wait timeout) and joins it; it closes the PCM.
    fn drop(&mut self) {
        self.flags.stop.store(true, SeqCst);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
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

struct Player<T> {
    play: Playback,
    status: Status,
    buf: Vec<T>,
    side: OutSide,
    ctl: Arc<Ctl>,
    flags: Arc<RunFlags>,
    /// How long one wait for room may take before the PCM's state is read.
    timeout_ms: c_int,
}

impl<T: DeviceSample> Player<T> {
    fn new(play: Playback, side: OutSide, ctl: Arc<Ctl>, flags: Arc<RunFlags>) -> Player<T> {
        let mut status = std::ptr::null_mut();
        // SAFETY: a valid out-pointer; on failure it stays null and the
        // periods are timed by the monotonic clock.
        unsafe { sys::snd_pcm_status_malloc(&mut status) };
        let period = play.geometry.period as usize;
        let ms = 2000.0 * period as f64 / f64::from(play.rate.max(1));
        Player {
            buf: vec![T::EQUILIBRIUM; period * play.channels],
            status: Status(status),
            timeout_ms: ms.ceil().clamp(50.0, 2000.0) as c_int,
            play,
            side,
            ctl,
            flags,
        }
    }

    fn run(mut self) {
        while !self.flags.stop.load(SeqCst) {
            if let Err(rc) = self.step() {
                if !self.recover(rc) {
                    return;
                }
            }
        }
    }

    /// Waits for a period of room, or fills and writes one.
    fn step(&mut self) -> Result<(), c_int> {
        let h = self.play.pcm.handle();
        // SAFETY: a valid, set-up pcm (as for every call below).
        let avail = unsafe { sys::snd_pcm_avail_update(h) };
        if avail < 0 {
            return Err(avail as c_int);
        }
        if (avail as u64) < u64::from(self.play.geometry.period) {
            // The buffer is as full as whole periods make it: start a PCM
            // that has not started (a rate-converting `plug` may have a
            // buffer that is no whole number of periods, which never reaches
            // a start threshold of the whole buffer).
            // SAFETY: a valid pcm (as below).
            if unsafe { sys::snd_pcm_state(h) } == sys::SND_PCM_STATE_PREPARED {
                // SAFETY: as above.
                let rc = unsafe { sys::snd_pcm_start(h) };
                if rc < 0 {
                    return Err(rc);
                }
            }
            return self.wait();
        }
        let info = self.times();
        self.side.callback(&mut self.buf, &info);
        let n = self.play.geometry.period as usize;
        let mut at = 0;
        while at < n && !self.flags.stop.load(SeqCst) {
            let from = self.buf[at * self.play.channels..].as_ptr().cast();
            // SAFETY: `from` holds `n - at` frames of the PCM's channels and format.
            let rc = unsafe { sys::snd_pcm_writei(h, from, (n - at) as sys::snd_pcm_uframes_t) };
            match rc {
                r if r == -(EAGAIN as sys::snd_pcm_sframes_t) => self.wait()?,
                r if r < 0 => return Err(r as c_int),
                r => at += r as usize,
            }
        }
        Ok(())
    }

    /// Waits for room; a timeout reads the state (a disconnect or an xrun
    /// whose poll event was missed).
    fn wait(&self) -> Result<(), c_int> {
        let h = self.play.pcm.handle();
        // SAFETY: a valid pcm.
        let rc = unsafe { sys::snd_pcm_wait(h, self.timeout_ms) };
        if rc < 0 {
            return Err(rc);
        }
        if rc > 0 {
            return Ok(());
        }
        // SAFETY: a valid pcm.
        match unsafe { sys::snd_pcm_state(h) } {
            sys::SND_PCM_STATE_DISCONNECTED => Err(-ENODEV),
            sys::SND_PCM_STATE_XRUN => Err(-EPIPE),
            sys::SND_PCM_STATE_SUSPENDED => Err(-ESTRPIPE),
            _ => Ok(()),
        }
    }

    /// The period's callback and playback instants: the status timestamp
    /// of the running PCM (else now) and its delay.
    fn times(&self) -> OutputCallbackInfo {
        let mut cb = 0;
        let mut delay = 0;
        let st = self.status.0;
        // SAFETY: a valid pcm and status.
        if !st.is_null() && unsafe { sys::snd_pcm_status(self.play.pcm.handle(), st) } >= 0 {
            // SAFETY: a filled status and a valid out-pointer.
            unsafe {
                delay = sys::snd_pcm_status_get_delay(st).max(0) as u64;
                if self.play.geometry.tstamps
                    && sys::snd_pcm_status_get_state(st) == sys::SND_PCM_STATE_RUNNING
                {
                    let mut ts = std::mem::zeroed::<sys::snd_htimestamp_t>();
                    sys::snd_pcm_status_get_htstamp(st, &mut ts);
                    cb = ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64;
                }
            }
        }
        if cb == 0 {
            cb = mono_ns();
        }
        let pb = cb + delay * 1_000_000_000 / u64::from(self.play.rate.max(1));
        OutputCallbackInfo::new(OutputStreamTimestamp {
            callback: StreamInstant::from_nanos(cb),
            playback: StreamInstant::from_nanos(pb),
        })
    }

    /// Recovers from an xrun or a suspend (true), or reports the device
    /// lost and ends the thread (false).
    fn recover(&mut self, rc: c_int) -> bool {
        let h = self.play.pcm.handle();
        let mut rc = rc;
        if rc == -ESTRPIPE {
            // SAFETY: a valid pcm (as below).
            rc = unsafe { sys::snd_pcm_resume(h) };
            while rc == -EAGAIN && !self.flags.stop.load(SeqCst) {
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
            self.ctl.xrun(false);
            return true;
        }
        self.ctl.report(
            kind::DEVICE_NOT_FOUND,
            &format!("output stream: the ALSA device stopped (error {rc})"),
        );
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::status;
    use crate::stream::alsa::Probe;
    use crate::stream::alsa_setup::install;
    use crate::stream::gate::Calls;
    use crate::stream::open_tests::engine;
    use crate::stream::sides::Timing;
    use std::ffi::{c_char, c_void};
    use std::sync::atomic::AtomicU32;

    /// The kind of the last error reported (0: none).
    static REPORTED: AtomicU32 = AtomicU32::new(0);

    unsafe extern "C" fn on_error(_user: *mut c_void, kind: u32, _message: *const c_char) {
        REPORTED.store(kind, SeqCst);
    }

    /// A player on alsa-lib's `null` PCM (on every system), not started.
    fn player() -> (Player<f32>, Arc<Ctl>) {
        let probe = Probe::open("null", false).expect("null opens for playback");
        let sizes = [cpal::BufferSize::Fixed(256)];
        let geometry = install(&probe, (Fmt::F32, 2, 48000), &sizes).expect("null takes 256");
        let ctl = Arc::new(Ctl::new(Calls {
            user: std::ptr::null_mut(),
            callback: engine,
            on_error,
        }));
        let side = OutSide::new(ctl.clone(), None, (0, 2), Timing::new(256, 48000.0, 0));
        let play = Playback {
            pcm: probe.into_pcm(),
            fmt: Fmt::F32,
            geometry,
            channels: 2,
            rate: 48000,
        };
        let p = Player::new(play, side, ctl.clone(), Arc::default());
        (p, ctl)
    }

    #[test]
    fn the_thread_waits_for_play_and_ends_on_drop_either_way() {
        for played in [false, true] {
            let (p, ctl) = player();
            let out = AlsaOut::spawn(p.play, p.side, ctl.clone()).expect("a thread");
            assert_eq!(out.period(), 256);
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert_eq!(ctl.out_clock.calls.load(SeqCst), 0, "it ran before play");
            if played {
                out.play();
                let t = std::time::Instant::now();
                while ctl.out_clock.calls.load(SeqCst) < 3 {
                    assert!(t.elapsed().as_secs() < 2, "no periods after play");
                    std::thread::yield_now();
                }
            }
            let t = std::time::Instant::now();
            drop(out);
            assert!(
                t.elapsed().as_millis() < 1000,
                "the drop waited {:?}",
                t.elapsed()
            );
        }
    }

    #[test]
    fn an_underrun_is_counted_with_the_next_block_and_the_pcm_plays_on() {
        let (mut p, ctl) = player();
        // A closed gate: nothing to count (as cpal's handler does).
        assert!(p.recover(-EPIPE));
        assert_eq!(ctl.flags.load(SeqCst), 0);
        ctl.running.store(true, SeqCst);
        assert!(p.recover(-EPIPE));
        assert_eq!(ctl.flags.load(SeqCst), status::OUTPUT_UNDERFLOW);
        // Prepared again: the next period is written.
        p.step().expect("a period is written after the recovery");
        assert_eq!(ctl.out_clock.calls.load(SeqCst), 1);
        assert!(!ctl.dead.load(SeqCst));
    }

    #[test]
    fn any_other_failure_is_a_lost_device_and_ends_the_thread() {
        let (mut p, ctl) = player();
        assert!(!p.recover(-ENODEV));
        assert!(ctl.dead.load(SeqCst));
        assert_eq!(REPORTED.load(SeqCst), kind::DEVICE_NOT_FOUND);
    }
}
