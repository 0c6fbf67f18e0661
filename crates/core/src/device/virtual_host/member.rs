//! One stream on a virtual card ([`super::card`]): its block clock, its
//! pending xrun report, its buffers, and how one of its blocks runs.

use super::bus::Bus;
use super::fault::{self, xrun_flags, Injected};
use crate::device::{Callback, ErrorCallback, Faults};
use crate::engine::Sample;
use crate::engine::{BlockInfo, Flow};
use crate::error::{Error, ErrorKind};
use std::time::Duration;

/// A stream on a card.
pub struct Member {
    /// Frames per callback.
    pub block: usize,
    /// Input and output channels.
    pub channels: (usize, usize),
    /// Frames of latency `(input, output)`.
    pub latency: (usize, usize),
    /// The engine callback.
    pub callback: Callback,
    /// Where device failures go.
    pub on_error: ErrorCallback,
    /// Faults to inject.
    pub faults: Faults,
    pub(super) running: bool,
    /// Callbacks stopped without a word (a stall fault); still running.
    pub(super) stalled: bool,
    /// Blocks since the last start.
    pub(super) k: u64,
    /// Card frame where the next block starts.
    pub(super) next: u64,
    pub(super) pending_flags: u32,
    pub(super) pending_lost: u64,
    pub(super) gone: bool,
    input: Vec<Sample>,
    output: Vec<Sample>,
}

impl Member {
    /// Applies `fault` now (`why` names its origin).
    pub(super) fn fault(&mut self, fault: Injected, why: &str) {
        match fault {
            Injected::Vanish => {
                (self.on_error)(fault::vanished(why));
                (self.running, self.gone) = (false, true);
            }
            Injected::Stall => self.stalled = true,
        }
    }

    /// A stopped member.
    pub fn new(
        block: usize,
        channels: (usize, usize),
        latency: (usize, usize),
        callback: Callback,
        on_error: ErrorCallback,
        faults: Faults,
    ) -> Member {
        Member {
            block,
            channels,
            latency,
            callback,
            on_error,
            faults,
            running: false,
            stalled: false,
            k: 0,
            next: 0,
            pending_flags: 0,
            pending_lost: 0,
            gone: false,
            input: vec![0.0; block * channels.0],
            output: vec![0.0; block * channels.1],
        }
    }

    /// Whether the card calls it.
    pub(super) fn live(&self) -> bool {
        self.running && !self.stalled
    }
}

/// Runs one block of member `m` at card frame `frame`.
pub(super) fn tick(m: &mut Member, bus: &mut Bus, frame: u64, sr: f64, loopback: bool) {
    let b = m.block;
    let (ich, och) = m.channels;
    let k = m.k;
    m.k += 1;
    m.next = frame + b as u64;
    if let Some((fault, why)) = fault::scheduled(&m.faults, k) {
        m.fault(fault, why);
        return;
    }
    if let Some(&(_, ms)) = m.faults.delay.iter().find(|(blk, _)| *blk == k) {
        // A stalled card: every stream on it waits.
        std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
    }
    if m.faults.skip_blocks.contains(&k) {
        m.pending_flags |= xrun_flags(m.channels);
        m.pending_lost += b as u64;
        return;
    }
    let (lat_in, lat_out) = (m.latency.0 as i64, m.latency.1 as i64);
    if loopback {
        bus.read(frame as i64 - lat_in, &mut m.input, ich);
    }
    let info = BlockInfo {
        frames: b,
        output_time: (frame as i64 + lat_out) as f64 / sr,
        input_time: (frame as i64 - lat_in) as f64 / sr,
        current_time: frame as f64 / sr,
        flags: std::mem::take(&mut m.pending_flags),
        lost_frames: std::mem::take(&mut m.pending_lost),
    };
    let panic_now = m.faults.panic_at_block == Some(k);
    let (cb, input, output) = (&mut m.callback, &m.input, &mut m.output);
    let flow = crate::device::callback_panic::catch(|| {
        if panic_now {
            panic!("fault injection: panicAtBlock");
        }
        cb(input, output, &info)
    });
    if loopback && och > 0 {
        bus.add(frame + m.latency.1 as u64, &m.output, och);
    }
    match flow {
        Ok(Flow::Continue) => {}
        Ok(Flow::Complete) => m.running = false,
        Err(_) => {
            (m.on_error)(Error::new(
                ErrorKind::Panic,
                "a panic in the audio callback stopped the stream",
            ));
            m.running = false;
        }
    }
}
