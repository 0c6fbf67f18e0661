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
//! device ([`super::alsa_thread`] has what the capture thread shares).

use super::alsa_thread::{self as thread, AlsaThread, Io, PeriodLoop, Prepared, RunFlags, EAGAIN};
use super::config::Fmt;
use super::convert::DeviceSample;
use super::gate::Ctl;
use super::sides::OutSide;
use alsa_sys as sys;
use cpal::{OutputCallbackInfo, OutputStreamTimestamp, StreamInstant};
use std::ffi::c_int;
use std::sync::Arc;

/// Starts the thread that plays `play` with `side`, waiting for
/// [`AlsaThread::play`] before it calls `side` (the first two periods fill
/// the buffer, which starts the PCM).
pub fn spawn(play: Prepared, side: OutSide, ctl: Arc<Ctl>) -> Result<AlsaThread, String> {
    let period = play.geometry.period;
    AlsaThread::spawn("ringstream-alsa-out", period, move |flags| match play.fmt {
        Fmt::F32 => Player::<f32>::new(play, side, ctl, flags).run(),
        Fmt::I32 => Player::<i32>::new(play, side, ctl, flags).run(),
        Fmt::I16 => Player::<i16>::new(play, side, ctl, flags).run(),
    })
}

struct Player<T> {
    io: Io<T>,
    side: OutSide,
}

impl<T: DeviceSample> Player<T> {
    fn new(play: Prepared, side: OutSide, ctl: Arc<Ctl>, flags: Arc<RunFlags>) -> Player<T> {
        Player {
            io: Io::new(play, ctl, flags),
            side,
        }
    }

    /// The period's callback and playback instants: the status timestamp
    /// of the running PCM (else now) and its delay.
    fn times(&self) -> OutputCallbackInfo {
        let (cb, delay) = self.io.clock.read(&self.io.dev.pcm);
        let pb = cb + self.io.nanos(delay);
        OutputCallbackInfo::new(OutputStreamTimestamp {
            callback: StreamInstant::from_nanos(cb),
            playback: StreamInstant::from_nanos(pb),
        })
    }
}

impl<T: DeviceSample> PeriodLoop for Player<T> {
    type Sample = T;
    const INPUT: bool = false;

    fn io(&self) -> &Io<T> {
        &self.io
    }

    /// Waits for a period of room, or fills and writes one.
    fn step(&mut self) -> Result<(), c_int> {
        let h = self.io.dev.pcm.handle();
        // SAFETY: a valid, set-up pcm (as for every call below).
        let avail = unsafe { sys::snd_pcm_avail_update(h) };
        if avail < 0 {
            return Err(avail as c_int);
        }
        if (avail as u64) < u64::from(self.io.dev.geometry.period) {
            // The buffer is as full as whole periods make it: start a PCM
            // that has not started (a rate-converting `plug` may have a
            // buffer that is no whole number of periods, which never reaches
            // a start threshold of the whole buffer).
            thread::start_prepared(&self.io.dev.pcm)?;
            return self.io.wait();
        }
        let info = self.times();
        self.side.callback(&mut self.io.buf, &info);
        let n = self.io.dev.geometry.period as usize;
        let mut at = 0;
        while at < n && !self.io.flags.stopped() {
            let from = self.io.buf[at * self.io.dev.channels..].as_ptr().cast();
            // SAFETY: `from` holds `n - at` frames of the PCM's channels and format.
            let rc = unsafe { sys::snd_pcm_writei(h, from, (n - at) as sys::snd_pcm_uframes_t) };
            match rc {
                r if r == -(EAGAIN as sys::snd_pcm_sframes_t) => self.io.wait()?,
                r if r < 0 => return Err(r as c_int),
                r => at += r as usize,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::thread::{ENODEV, EPIPE};
    use super::*;
    use crate::abi::{kind, status};
    use crate::stream::alsa::Probe;
    use crate::stream::alsa_setup::install;
    use crate::stream::gate::Calls;
    use crate::stream::open_tests::engine;
    use crate::stream::sides::Timing;
    use std::ffi::{c_char, c_void};
    use std::sync::atomic::{AtomicU32, Ordering::SeqCst};

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
        let play = Prepared {
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
            let out = spawn(p.io.dev, p.side, ctl.clone()).expect("a thread");
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
        assert!(p.io.recover(-EPIPE, false));
        assert_eq!(ctl.flags.load(SeqCst), 0);
        ctl.running.store(true, SeqCst);
        assert!(p.io.recover(-EPIPE, false));
        assert_eq!(ctl.flags.load(SeqCst), status::OUTPUT_UNDERFLOW);
        // Prepared again: the next period is written.
        p.step().expect("a period is written after the recovery");
        assert_eq!(ctl.out_clock.calls.load(SeqCst), 1);
        assert!(!ctl.dead.load(SeqCst));
    }

    #[test]
    fn any_other_failure_is_a_lost_device_and_ends_the_thread() {
        let (p, ctl) = player();
        assert!(!p.io.recover(-ENODEV, false));
        assert!(ctl.dead.load(SeqCst));
        assert_eq!(REPORTED.load(SeqCst), kind::DEVICE_NOT_FOUND);
    }
}
