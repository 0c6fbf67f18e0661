//! The output device callback: it runs the engine (fed by the handoff in a
//! duplex stream); the input side is [`super::in_side`]. Also what both
//! sides share: the stream clock's seconds and a side's [`Timing`].
//!
//! Realtime contract: it converts samples, touches atomics and the SPSC
//! ring, and calls the engine; nothing else (every buffer is allocated when
//! the side is made, before its stream is built).

use super::adapter::OutFifo;
use super::convert::DeviceSample;
use super::epoch::Epoch;
use super::gate::Ctl;
use super::handoff::{first_frame_offset, on_cycle, Handoff};
use crate::abi::{flow, kind, RsBlockInfo};
use cpal::{OutputCallbackInfo, StreamInstant};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;

/// Seconds since the stream clock's origin.
pub fn secs(t: StreamInstant) -> f64 {
    t.duration_since(StreamInstant::ZERO).as_secs_f64()
}

/// A side's block size and clock.
#[derive(Clone, Copy)]
pub struct Timing {
    /// Frames per engine call.
    pub block: usize,
    /// Frames per second.
    pub rate: f64,
    /// Seconds added to the device's playback and capture instants (a
    /// JACK-backed ALSA PCM's are one JACK period early).
    pub shift: f64,
    /// The sound server plays what an output callback writes one callback
    /// later than the playback instant cpal gives ([`crate::server_queue`]).
    pub server_queue: bool,
    /// An output callback's instant is its graph cycle's start (PipeWire),
    /// so a cycle it missed shows ([`skipped_cycles`]).
    pub graph_cycles: bool,
}

impl Timing {
    /// `block` frames at `rate`, instants shifted by `shift` frames.
    pub fn new(block: usize, rate: f64, shift: u32) -> Timing {
        Timing {
            block,
            rate,
            shift: f64::from(shift) / rate,
            server_queue: false,
            graph_cycles: false,
        }
    }

    /// The same, with output instants a callback later where `queued`,
    /// and missed cycles counted where the host has `graph_cycles`.
    pub fn server(self, queued: bool, graph_cycles: bool) -> Timing {
        Timing {
            server_queue: queued,
            graph_cycles,
            ..self
        }
    }
}

/// The output side.
pub struct OutSide {
    ctl: Arc<Ctl>,
    handoff: Option<Handoff>,
    fifo: OutFifo,
    inbuf: Vec<f32>,
    in_ch: usize,
    out_ch: usize,
    block: usize,
    rate: f64,
    shift: f64,
    server_queue: bool,
    graph_cycles: bool,
    /// With `graph_cycles`: the previous callback's cycle start.
    last_cycle: f64,
    seen: u64,
    epoch: Epoch,
    /// Device frames handed over so far.
    written: u64,
}

impl OutSide {
    /// A side for `block`-frame engine calls; `handoff` in a duplex stream.
    pub fn new(
        ctl: Arc<Ctl>,
        handoff: Option<Handoff>,
        channels: (usize, usize),
        timing: Timing,
    ) -> OutSide {
        let (in_ch, out_ch) = channels;
        let Timing {
            block,
            rate,
            shift,
            server_queue,
            graph_cycles,
        } = timing;
        OutSide {
            ctl,
            handoff,
            fifo: OutFifo::new(block, out_ch),
            inbuf: vec![0.0; block * in_ch],
            in_ch,
            out_ch,
            block,
            rate,
            shift,
            server_queue,
            graph_cycles,
            last_cycle: f64::NAN,
            seen: 0,
            epoch: Epoch::new(shift > 0.0),
            written: 0,
        }
    }

    /// cpal's output callback.
    pub fn callback<T: DeviceSample>(&mut self, data: &mut [T], info: &OutputCallbackInfo) {
        let cb = secs(info.timestamp().callback);
        let n = data.len() / self.out_ch;
        let period = n as f64 / self.rate;
        if self.graph_cycles {
            // The server played silence for the cycles this callback came
            // too late for: an underflow no one else reports.
            if skipped_cycles(self.last_cycle, cb, period) {
                self.ctl.xrun(false);
            }
            self.last_cycle = cb;
        }
        let queued = if self.server_queue { period } else { 0.0 };
        let pb = secs(info.timestamp().playback) + self.shift + queued;
        self.ctl.out_clock.observe(cb, pb - cb);
        // From here on, the DAC time of this callback's first frame.
        let pb = self.epoch.add(pb, self.written, self.rate) + self.written as f64 / self.rate;
        self.written += n as u64;
        // What the engine made last time is played first, gate open or not:
        // a run's last block reaches the device whole.
        let mut done = self.fifo.take_into(data);
        if done < n && self.ctl.enter() {
            let r = catch_unwind(AssertUnwindSafe(|| self.run(data, done, pb, cb)));
            self.ctl.leave();
            match r {
                Ok(d) => done = d,
                Err(_) => self.ctl.report(
                    kind::PANIC,
                    "a panic in the cpal output callback stopped the stream",
                ),
            }
        }
        data[done * self.out_ch..].fill(T::EQUILIBRIUM);
    }

    /// Runs the engine from frame `done` of `data` on; returns the frames
    /// of `data` filled.
    fn run<T: DeviceSample>(&mut self, data: &mut [T], mut done: usize, pb: f64, cb: f64) -> usize {
        let ctl = &*self.ctl;
        let generation = ctl.generation.load(SeqCst);
        if generation != self.seen {
            self.seen = generation;
            if let Some(h) = self.handoff.as_mut() {
                h.reset();
                ctl.accept_gen.store(generation, SeqCst);
            }
        }
        let n = data.len() / self.out_ch;
        let need = self.block * self.in_ch;
        let round_trip = ctl.round_trip.load();
        while done < n {
            let output_time = pb + done as f64 / self.rate;
            let mut flags = 0;
            let mut input_time = output_time;
            if let Some(h) = self.handoff.as_mut() {
                input_time = output_time - round_trip;
                if !h.primed() && ctl.first_gen.load(SeqCst) == generation {
                    // The input's clock on the output's: both offsets are
                    // the smallest callback-to-monotonic gaps seen so far.
                    let shift = ctl.in_clock.offset.load() - ctl.out_clock.offset.load();
                    let pos = ctl.first_pos.load(SeqCst) as f64 / self.rate;
                    let first = on_cycle(ctl.in_epoch.load() + pos + shift, pb, self.shift);
                    let z = first_frame_offset(first, output_time, round_trip, self.rate);
                    h.prime(z);
                }
                flags |= h.fill(&mut self.inbuf[..need]);
            }
            flags |= ctl.flags.swap(0, SeqCst);
            let info = RsBlockInfo {
                frames: self.block as u64,
                output_time,
                input_time,
                current_time: cb,
                flags,
            };
            let inbuf = &self.inbuf[..need];
            let r = self.fifo.refill(|out| ctl.engine(inbuf, out, &info));
            let audible = self.fifo.audible_frames();
            if audible > 0 {
                ctl.last_audible
                    .store(output_time + audible as f64 / self.rate);
            }
            done += self.fifo.take_into(&mut data[done * self.out_ch..]);
            if r != flow::CONTINUE {
                break;
            }
        }
        done
    }
}

/// Whether a sound server ran graph cycles without a stream's buffer
/// between its output callbacks at cycle times `previous` and `now`
/// (seconds; one cycle takes `period`). cpal's PipeWire stream fills its
/// buffers on the stream's main loop: one that is late for a cycle leaves
/// the server nothing for it, and the server plays a cycle of silence
/// (every frame still plays, one cycle later). cpal reports only the
/// driver's xruns.
pub fn skipped_cycles(previous: f64, now: f64, period: f64) -> bool {
    now - previous > 1.5 * period
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::gate::Calls;
    use cpal::OutputStreamTimestamp;
    use std::ffi::{c_char, c_void};

    #[test]
    fn a_cycle_between_two_callbacks_is_a_skipped_one() {
        let p = 512.0 / 48000.0;
        assert!(!skipped_cycles(f64::NAN, 1.0, p), "the first callback");
        assert!(!skipped_cycles(1.0, 1.0 + p, p));
        assert!(!skipped_cycles(1.0, 1.0 + 1.4 * p, p), "a late wake-up");
        assert!(skipped_cycles(1.0, 1.0 + 2.0 * p, p));
    }

    /// What the fake engine saw.
    #[derive(Default)]
    struct Seen {
        frames: Vec<u64>,
        output_times: Vec<f64>,
        next: f32,
        stop_after: usize,
    }

    unsafe extern "C" fn engine(
        user: *mut c_void,
        _input: *const f32,
        output: *mut f32,
        info: *const RsBlockInfo,
    ) -> u32 {
        // SAFETY: the test passes a live `Seen` and the side valid pointers.
        let (seen, info) = unsafe { (&mut *(user as *mut Seen), &*info) };
        // SAFETY: the side passes `frames` frames of 1 channel.
        let out = unsafe { std::slice::from_raw_parts_mut(output, info.frames as usize) };
        for o in out {
            seen.next += 1.0;
            *o = seen.next;
        }
        seen.frames.push(info.frames);
        seen.output_times.push(info.output_time);
        if seen.frames.len() >= seen.stop_after {
            flow::COMPLETE
        } else {
            flow::CONTINUE
        }
    }

    unsafe extern "C" fn on_error(_user: *mut c_void, _kind: u32, _message: *const c_char) {}

    fn info(cb: f64, pb: f64) -> OutputCallbackInfo {
        let at = |s: f64| StreamInstant::from_nanos((s * 1e9).round() as u64);
        OutputCallbackInfo::new(OutputStreamTimestamp {
            callback: at(cb),
            playback: at(pb),
        })
    }

    #[test]
    fn the_output_side_calls_whole_blocks_and_plays_the_last_one_out() {
        let mut seen = Seen {
            stop_after: 25,
            ..Seen::default()
        };
        let ctl = Arc::new(Ctl::new(Calls {
            user: (&mut seen as *mut Seen).cast(),
            callback: engine,
            on_error,
        }));
        let rate = 1000.0;
        let mut side = OutSide::new(ctl.clone(), None, (0, 1), Timing::new(100, rate, 0));
        ctl.generation.store(1, SeqCst);
        ctl.running.store(true, SeqCst);
        let mut heard = Vec::new();
        for k in 0..12 {
            let mut data = [9.0f32; 256];
            let cb = 10.0 + k as f64 * 0.256;
            // Late wake-ups on some callbacks: the smoothed clock ignores them.
            let late = if k % 5 == 4 { 0.003 } else { 0.0 };
            side.callback(&mut data, &info(cb + late, cb + 0.512 + late));
            heard.extend_from_slice(&data);
        }
        assert!(seen.frames.iter().all(|f| *f == 100), "{:?}", seen.frames);
        assert_eq!(seen.frames.len(), 25);
        // 25 blocks of a ramp, without gap or repeat, then silence.
        let expect: Vec<f32> = (1..=2500).map(|i| i as f32).collect();
        assert_eq!(&heard[..2500], &expect[..]);
        assert!(heard[2500..].iter().all(|x| *x == 0.0));
        // DAC times exactly a block apart from the first callback's.
        for (j, t) in seen.output_times.iter().enumerate() {
            assert!(
                (t - (10.512 + j as f64 * 0.1)).abs() < 1e-9,
                "block {j} at {t}"
            );
        }
        // The last audible frame (2500) reaches the DAC at 10.512 + 2.5 s.
        assert!((ctl.last_audible.load() - 13.012).abs() < 1e-9);
    }
}
