//! The input device callback: it feeds the duplex handoff, or runs the
//! engine itself when the stream has no output.
//!
//! Realtime contract: it converts samples, touches atomics and the SPSC
//! ring, and calls the engine; nothing else (every buffer is allocated when
//! the side is made, before its stream is built).

use super::adapter::InBlock;
use super::convert::{to_f32, DeviceSample};
use super::epoch::Epoch;
use super::gate::Ctl;
use super::sides::{secs, Timing};
use crate::abi::{flow, kind, status, RsBlockInfo};
use cpal::{FromSample, InputCallbackInfo};
use ringbuf::traits::{Observer as _, Producer as _};
use ringbuf::HeapProd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;

/// When the first of `frames` frames handed to an input callback at
/// `callback` was captured, from the device's `capture` instant: never
/// later than `frames` before the callback, since all of them were captured
/// by then. An ALSA plugin chain that converts the channel count (a `plug`
/// PCM routing 1 or 4 channels onto a 2-channel JACK PCM) reports a capture
/// delay of 0 for the period it hands over, one period short of what the
/// PCM under it reports; without the bound, such a stream's input was
/// placed one period late.
pub fn capture_instant(callback: f64, capture: f64, frames: usize, rate: f64) -> f64 {
    capture.min(callback - frames as f64 / rate)
}

/// Frames the input side converts at a time before pushing them.
const CHUNK: usize = 512;

/// The input side.
pub struct InSide {
    ctl: Arc<Ctl>,
    /// Duplex: the handoff's producer end.
    prod: Option<HeapProd<f32>>,
    /// Input only: the block adapter.
    col: InBlock,
    scratch: Vec<f32>,
    in_ch: usize,
    block: usize,
    rate: f64,
    shift: f64,
    seen: u64,
    epoch: Epoch,
    /// Device frames received so far.
    read: u64,
}

impl InSide {
    /// A side feeding `prod` (duplex), or running the engine on blocks of
    /// `block` frames (input only).
    pub fn new(ctl: Arc<Ctl>, prod: Option<HeapProd<f32>>, in_ch: usize, timing: Timing) -> InSide {
        let duplex = prod.is_some();
        let Timing {
            block, rate, shift, ..
        } = timing;
        InSide {
            ctl,
            prod,
            col: InBlock::new(if duplex { 1 } else { block }, in_ch),
            scratch: vec![0.0; if duplex { CHUNK * in_ch } else { 0 }],
            in_ch,
            block,
            rate,
            shift,
            seen: 0,
            epoch: Epoch::new(shift > 0.0),
            read: 0,
        }
    }

    /// cpal's input callback.
    pub fn callback<T>(&mut self, data: &[T], info: &InputCallbackInfo)
    where
        T: DeviceSample,
        f32: FromSample<T>,
    {
        let cb = secs(info.timestamp().callback);
        let n = data.len() / self.in_ch;
        let cap = capture_instant(cb, secs(info.timestamp().capture), n, self.rate) + self.shift;
        self.ctl.in_clock.observe(cb, cb - cap);
        // From here on, the capture time of this callback's first frame.
        let epoch = self.epoch.add(cap, self.read, self.rate);
        self.ctl.in_epoch.store(epoch);
        let pos = self.read;
        let cap = epoch + pos as f64 / self.rate;
        self.read += n as u64;
        if !self.ctl.enter() {
            return;
        }
        let r = catch_unwind(AssertUnwindSafe(|| self.run(data, (cb, cap), pos)));
        self.ctl.leave();
        if r.is_err() {
            self.ctl.report(
                kind::PANIC,
                "a panic in the cpal input callback stopped the stream",
            );
        }
    }

    /// Runs the engine (input only) or feeds the handoff; `times` are the
    /// callback and capture instants, `pos` the device position of `data`.
    fn run<T>(&mut self, data: &[T], times: (f64, f64), pos: u64)
    where
        T: DeviceSample,
        f32: FromSample<T>,
    {
        let (cb, cap) = times;
        let ctl = &*self.ctl;
        let generation = ctl.generation.load(SeqCst);
        let Some(prod) = self.prod.as_mut() else {
            if generation != self.seen {
                self.seen = generation;
                self.col.reset();
            }
            let frames = self.block as u64;
            self.col.push(data, cap, self.rate, |buf, t| {
                let info = RsBlockInfo {
                    frames,
                    output_time: t,
                    input_time: t,
                    current_time: cb,
                    flags: ctl.flags.swap(0, SeqCst),
                };
                ctl.engine(buf, &mut [], &info) == flow::CONTINUE
            });
            return;
        };
        // Duplex: push once the output side has emptied the handoff for
        // this run, then say where the run's first frame was captured.
        if ctl.accept_gen.load(SeqCst) != generation {
            return;
        }
        let ch = self.in_ch;
        let frames = data.len() / ch;
        let room = prod.vacant_len() / ch;
        let n = frames.min(room);
        let mut at = 0;
        while at < n {
            let m = (n - at).min(CHUNK);
            to_f32(&data[at * ch..(at + m) * ch], &mut self.scratch[..m * ch]);
            prod.push_slice(&self.scratch[..m * ch]);
            at += m;
        }
        if n < frames {
            ctl.flags.fetch_or(status::INPUT_OVERFLOW, SeqCst);
        }
        if self.seen != generation {
            self.seen = generation;
            ctl.first_pos.store(pos, SeqCst);
            ctl.first_gen.store(generation, SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_instant_is_never_later_than_its_frames_allow() {
        // What the PCM says when it is right: the period was captured before the callback.
        assert_eq!(capture_instant(2.0, 1.5, 500, 1000.0), 1.5);
        assert_eq!(capture_instant(2.0, 1.0, 1000, 1000.0), 1.0);
        // A plugin chain that says "no delay" for a period it hands over.
        assert_eq!(capture_instant(2.0, 2.0, 1000, 1000.0), 1.0);
        assert_eq!(capture_instant(2.0, 1.75, 1000, 1000.0), 1.0);
    }
}
