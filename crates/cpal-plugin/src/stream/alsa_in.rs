//! An ALSA input recorded by a thread of the plugin's own, on the PCM the
//! stream planned with ([`super::alsa_setup`]), as [`super::alsa_out`]
//! plays an output: one open of the device on the way to the first block.
//! The callback contract is cpal's: [`InSide::callback`] takes one period,
//! its capture instant the PCM's status timestamp less its delay (the
//! frames captured and not yet read), never earlier than the previous
//! period's (as cpal keeps it: an overrun can pull the delay up).
//!
//! Realtime contract: the loop waits on the PCM, reads its status and a
//! period, and calls the side; everything it touches is allocated before
//! the first period. Overruns are counted as cpal's are (an input overflow
//! on the next block while the gate is open); a PCM that fails otherwise is
//! a lost device.

use super::alsa_thread::{self as thread, AlsaThread, Io, PeriodLoop, Prepared, RunFlags, EAGAIN};
use super::config::Fmt;
use super::convert::DeviceSample;
use super::gate::Ctl;
use super::in_side::InSide;
use alsa_sys as sys;
use cpal::{FromSample, InputCallbackInfo, InputStreamTimestamp, StreamInstant};
use std::ffi::c_int;
use std::sync::Arc;

/// Starts the thread that records `rec` into `side`; it starts the PCM with
/// the first [`AlsaThread::play`].
pub fn spawn(rec: Prepared, side: InSide, ctl: Arc<Ctl>) -> Result<AlsaThread, String> {
    let period = rec.geometry.period;
    AlsaThread::spawn("ringstream-alsa-in", period, move |flags| match rec.fmt {
        Fmt::F32 => Recorder::<f32>::new(rec, side, ctl, flags).run(),
        Fmt::I32 => Recorder::<i32>::new(rec, side, ctl, flags).run(),
        Fmt::I16 => Recorder::<i16>::new(rec, side, ctl, flags).run(),
    })
}

struct Recorder<T> {
    io: Io<T>,
    side: InSide,
    /// The last capture instant handed over, in nanoseconds.
    floor: u64,
}

impl<T> Recorder<T> {
    fn new(rec: Prepared, side: InSide, ctl: Arc<Ctl>, flags: Arc<RunFlags>) -> Recorder<T>
    where
        T: DeviceSample,
    {
        Recorder {
            io: Io::new(rec, ctl, flags),
            side,
            floor: 0,
        }
    }
}

impl<T> PeriodLoop for Recorder<T>
where
    T: DeviceSample,
    f32: FromSample<T>,
{
    type Sample = T;
    const INPUT: bool = true;

    fn io(&self) -> &Io<T> {
        &self.io
    }

    /// Starts the PCM if it is not running (the first period, or after an
    /// overrun), then waits for a period of frames, or reads and hands one over.
    fn step(&mut self) -> Result<(), c_int> {
        let io = &mut self.io;
        let pcm = &io.dev.pcm;
        thread::start_prepared(pcm)?;
        let h = pcm.handle();
        // SAFETY: a valid, set-up pcm (as for every call below).
        let avail = unsafe { sys::snd_pcm_avail_update(h) };
        if avail < 0 {
            return Err(avail as c_int);
        }
        let n = io.dev.geometry.period as usize;
        if (avail as u64) < n as u64 {
            return io.wait();
        }
        let (cb, delay) = io.clock.read(pcm);
        let mut at = 0;
        while at < n {
            if io.flags.stopped() {
                return Ok(());
            }
            let to = io.buf[at * io.dev.channels..].as_mut_ptr().cast();
            // SAFETY: `to` has room for `n - at` frames of the PCM's channels and format.
            let rc = unsafe { sys::snd_pcm_readi(h, to, (n - at) as sys::snd_pcm_uframes_t) };
            match rc {
                r if r == -(EAGAIN as sys::snd_pcm_sframes_t) => io.wait()?,
                r if r < 0 => return Err(r as c_int),
                r => at += r as usize,
            }
        }
        let capture = cb.saturating_sub(io.nanos(delay));
        self.floor = self.floor.max(capture);
        let info = InputCallbackInfo::new(InputStreamTimestamp {
            callback: StreamInstant::from_nanos(cb),
            capture: StreamInstant::from_nanos(self.floor),
        });
        self.side.callback(&io.buf, &info);
        Ok(())
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
    use std::sync::atomic::Ordering::SeqCst;

    unsafe extern "C" fn on_error(_user: *mut c_void, _kind: u32, _message: *const c_char) {}

    /// A recorder on alsa-lib's `null` PCM (on every system; its capture
    /// has a buffer of frames ready at once), not started.
    fn recorder() -> (Recorder<i16>, Arc<Ctl>) {
        let probe = Probe::open("null", true).expect("null opens for capture");
        let sizes = [cpal::BufferSize::Fixed(256)];
        let geometry = install(&probe, (Fmt::I16, 2, 48000), &sizes).expect("null takes 256");
        let ctl = Arc::new(Ctl::new(Calls {
            user: std::ptr::null_mut(),
            callback: engine,
            on_error,
        }));
        let side = InSide::new(ctl.clone(), None, 2, Timing::new(256, 48000.0, 0));
        let rec = Prepared {
            pcm: probe.into_pcm(),
            fmt: Fmt::I16,
            geometry,
            channels: 2,
            rate: 48000,
        };
        let r = Recorder::new(rec, side, ctl.clone(), Arc::default());
        (r, ctl)
    }

    fn state(r: &Recorder<i16>) -> sys::snd_pcm_state_t {
        // SAFETY: a valid pcm.
        unsafe { sys::snd_pcm_state(r.io.dev.pcm.handle()) }
    }

    #[test]
    fn the_first_step_starts_the_pcm_and_hands_over_a_period_captured_before_it() {
        let (mut r, ctl) = recorder();
        assert_eq!(state(&r), sys::SND_PCM_STATE_PREPARED);
        for _ in 0..100 {
            if ctl.in_clock.calls.load(SeqCst) > 0 {
                break;
            }
            r.step().expect("a period is read");
        }
        assert_eq!(ctl.in_clock.calls.load(SeqCst), 1, "no period read");
        assert_eq!(state(&r), sys::SND_PCM_STATE_RUNNING);
        // The side's device latency is its callback less its capture
        // instant. `null` reports no capture delay: the instant is the
        // bound `capture_instant` puts on it, a whole period (256 frames)
        // before the callback, exactly (not only "at least a period",
        // which that bound makes true of any PCM).
        let frames = ctl.in_clock.device_latency.load() * 48000.0;
        assert!((frames - 256.0).abs() < 1e-3, "latency {frames} frames");
    }

    #[test]
    fn an_overrun_is_counted_with_the_next_block_and_the_pcm_records_on() {
        let (mut r, ctl) = recorder();
        r.step().expect("started");
        ctl.running.store(true, SeqCst);
        assert!(r.io.recover(-thread::EPIPE, true));
        assert_eq!(ctl.flags.load(SeqCst), status::INPUT_OVERFLOW);
        assert_eq!(state(&r), sys::SND_PCM_STATE_PREPARED);
        let before = ctl.in_clock.calls.load(SeqCst);
        for _ in 0..100 {
            if ctl.in_clock.calls.load(SeqCst) > before {
                break;
            }
            r.step().expect("a period is read after the recovery");
        }
        assert_eq!(ctl.in_clock.calls.load(SeqCst), before + 1);
        assert_eq!(state(&r), sys::SND_PCM_STATE_RUNNING);
        assert!(!ctl.dead.load(SeqCst));
    }

    #[test]
    fn the_thread_waits_for_play_and_ends_on_drop() {
        let (r, ctl) = recorder();
        let t = spawn(r.io.dev, r.side, ctl.clone()).expect("a thread");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(ctl.in_clock.calls.load(SeqCst), 0, "it ran before play");
        t.play();
        let start = std::time::Instant::now();
        while ctl.in_clock.calls.load(SeqCst) < 3 {
            assert!(start.elapsed().as_secs() < 2, "no periods after play");
            std::thread::yield_now();
        }
        let start = std::time::Instant::now();
        drop(t);
        assert!(
            start.elapsed().as_millis() < 1000,
            "the drop waited {:?}",
            start.elapsed()
        );
    }
}
