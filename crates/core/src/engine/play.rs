//! A playback action: a source played into the device output with pastream's
//! frames / pad rules.

use super::map::ChannelMap;
use super::notify::{events, Notifier};
use super::sample::Sample;
use super::schedule::Timing;
use super::source::Mix;
pub use super::source::Source;
use crate::error::ErrorKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Source,
    Pad,
    Done,
}

/// What one block of a play action produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlayBlock {
    /// The source could not deliver what was due (an underflow).
    pub underflow: bool,
    /// Where in the block the action ended, if it did.
    pub ended_at: Option<usize>,
    /// Frames played as silence because the data was not there in time.
    pub lost: usize,
    /// Frames of the block a ring that ran empty left unplayed when that
    /// ended the action, its producer not having marked it done (rtmixer's
    /// end of a ring: the frames may have come too late).
    pub missing: usize,
}

/// A playback action.
pub struct Play {
    source: Source,
    map: ChannelMap,
    /// The factor every source sample is multiplied by (sox's `-v`).
    gain: Sample,
    /// Source frames still owed; `None` = until the source ends (frames < 0).
    remaining: Option<u64>,
    /// pastream's pad: zeros after the source (>= 0), or automatic (< 0).
    pad: i64,
    pad_left: u64,
    phase: Phase,
    notify_every: u64,
    since_notify: u64,
    /// Its ring's fill drives drift correction (see [`Play::watched`]).
    watched: bool,
    /// When it starts and stops (rtmixer); `Timing::now()` for stream jobs.
    pub timing: Timing,
}

impl Play {
    /// A play action with pastream's `frames` (< 0: until the source ends)
    /// and `pad` (< 0: automatic). The map must have the device's output
    /// channel count as outputs.
    pub fn new(source: Source, map: ChannelMap, frames: i64, pad: i64) -> Play {
        debug_assert!(map.outputs() > 0 && source.channels() > 0);
        Play {
            source,
            map,
            gain: 1.0,
            remaining: (frames >= 0).then_some(frames as u64),
            pad,
            pad_left: pad.max(0) as u64,
            phase: Phase::Source,
            notify_every: 0,
            since_notify: 0,
            watched: false,
            timing: Timing::now(),
        }
    }

    /// Marks a ring source as paced by another clock (a RingBuffer the
    /// user feeds), so that its fill drives the stream's drift correction;
    /// a file's reader thread fills its ring as fast as it can, which says
    /// nothing about any clock.
    pub fn watched(mut self) -> Play {
        self.watched = true;
        self
    }

    /// `(frames in it, frames it holds)` of a watched ring source while the
    /// action plays; None for any other.
    ///
    /// ```
    /// use ringstream_core::engine::map::ChannelMap;
    /// use ringstream_core::engine::play::{Play, Source};
    /// use ringstream_core::engine::sample::Dtype;
    /// use ringstream_core::ring::Ring;
    /// let ring = Ring::new(8, 16).unwrap();
    /// let cons = ring.consumer().unwrap();
    /// let source = Source::Ring { cons, channels: 2, dtype: Dtype::Float32, until_done: true };
    /// let play = Play::new(source, ChannelMap::identity(2, 2), -1, 0);
    /// assert_eq!(play.watched_ring(), None);
    /// assert_eq!(play.watched().watched_ring(), Some((0, 16)));
    /// ```
    pub fn watched_ring(&self) -> Option<(usize, usize)> {
        match &self.source {
            Source::Ring {
                cons,
                channels,
                dtype,
                ..
            } if self.watched && !self.done() => {
                let frame = channels * dtype.size();
                Some((
                    cons.available_bytes() / frame,
                    cons.ring().byte_len() / frame,
                ))
            }
            _ => None,
        }
    }

    /// Starts (and is followed) as `timing` says.
    pub fn with_timing(mut self, timing: Timing) -> Play {
        self.timing = timing;
        self
    }

    /// Plays the source times `gain` (1: unchanged; negative: inverted, as
    /// sox's `-v`). The factor is applied before the output is metered, so
    /// what it pushes past full scale counts as clipped.
    ///
    /// ```
    /// use ringstream_core::engine::map::ChannelMap;
    /// use ringstream_core::engine::play::{Play, Source};
    /// let source = Source::Buffer { data: vec![0.5; 4], channels: 1, pos: 0, looping: false };
    /// let play = Play::new(source, ChannelMap::identity(1, 1), -1, 0).with_gain(0.5);
    /// assert_eq!(play.gain(), 0.5);
    /// ```
    pub fn with_gain(mut self, gain: Sample) -> Play {
        self.gain = gain;
        self
    }

    /// The factor the source is played at.
    pub fn gain(&self) -> Sample {
        self.gain
    }

    /// Raise [`events::DATA`] each time another `frames` frames have been
    /// taken from the source (0 = never): a JS feeder is woken when there is
    /// room for a chunk, not once per block.
    pub fn notify_every(mut self, frames: u64) -> Play {
        self.notify_every = frames;
        self
    }

    /// Ends the action now: no more data is taken from the source
    /// (`Pa_StopStream`'s "stop taking data").
    pub fn stop(&mut self) {
        self.phase = Phase::Done;
    }

    /// Whether the action has finished.
    pub fn done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Native bytes the action owns (a buffer source's samples).
    pub fn bytes(&self) -> usize {
        match &self.source {
            Source::Buffer { data, .. } => data.capacity() * std::mem::size_of::<f32>(),
            Source::Pcm { data, .. } => data.capacity(),
            Source::Ring { .. } => 0,
        }
    }

    /// Takes the source back (for the control side to release it).
    pub fn into_source(self) -> Source {
        self.source
    }

    /// Adds frames `from..to` of this block into `out` (interleaved,
    /// `out_ch` channels). An error ends the stream.
    pub fn process(
        &mut self,
        out: &mut [Sample],
        out_ch: usize,
        (from, to): (usize, usize),
        notifier: &Notifier,
    ) -> Result<PlayBlock, ErrorKind> {
        let n = to;
        let mut r = PlayBlock::default();
        let mut at = from;
        while at < n && self.phase != Phase::Done {
            match self.phase {
                Phase::Source => {
                    let want = (n - at)
                        .min(self.remaining.unwrap_or(u64::MAX).min((n - at) as u64) as usize);
                    if want == 0 {
                        self.phase = Phase::Pad;
                        continue;
                    }
                    let mix = Mix {
                        map: &self.map,
                        gain: self.gain,
                    };
                    let got = self.source.pull(out, out_ch, at, want, mix);
                    at += got;
                    if self.notify_every > 0 {
                        self.since_notify += got as u64;
                        if self.since_notify >= self.notify_every {
                            self.since_notify %= self.notify_every;
                            notifier.raise(events::DATA);
                        }
                    }
                    if let Some(rem) = &mut self.remaining {
                        *rem -= got as u64;
                    }
                    if got == want {
                        continue;
                    }
                    // The source came up short.
                    let ended = self.source.ended();
                    let live = matches!(self.source, Source::Ring { .. });
                    if ended && live && !self.source.producer_done() {
                        r.missing = n - at;
                    }
                    if !ended {
                        // A reader thread fell behind: zeros now, the data later.
                        r.underflow = true;
                        r.lost += n - at;
                        self.skip(n - at);
                        break;
                    }
                    match (self.remaining.is_some(), self.pad >= 0) {
                        (true, true) => return Err(ErrorKind::BufferEmpty),
                        (false, true) => self.phase = Phase::Pad,
                        (_, false) => {
                            // Automatic padding: zeros for the rest of the block,
                            // then try the source again (a live ring may refill).
                            r.underflow |= live;
                            if live {
                                r.lost += n - at;
                            }
                            self.skip(n - at);
                            break;
                        }
                    }
                }
                Phase::Pad => {
                    if self.pad_left == 0 {
                        self.phase = Phase::Done;
                        break;
                    }
                    let z = ((n - at) as u64).min(self.pad_left);
                    at += z as usize;
                    self.pad_left -= z;
                }
                Phase::Done => {}
            }
        }
        if self.phase == Phase::Source && self.remaining == Some(0) {
            self.phase = Phase::Pad;
        }
        if self.phase == Phase::Pad && self.pad_left == 0 {
            self.phase = Phase::Done;
        }
        if self.phase == Phase::Done {
            r.ended_at = Some(at);
        }
        Ok(r)
    }

    /// Counts `k` silent frames against what is owed (automatic padding).
    fn skip(&mut self, k: usize) {
        if let Some(rem) = &mut self.remaining {
            *rem = rem.saturating_sub(k as u64);
        }
    }
}
