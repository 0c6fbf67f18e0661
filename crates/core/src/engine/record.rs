//! A recording action: device input written into a sink ring, with
//! pastream's offset rule (the first `offset` frames are dropped).

use super::map::ChannelMap;
use super::notify::{events, Notifier};
use super::sample::{Dtype, Sample};
use super::schedule::Timing;
use crate::error::ErrorKind;
use crate::ring::Producer;

/// A recording action.
pub struct Record {
    prod: Producer,
    dtype: Dtype,
    map: ChannelMap,
    skip: u64,
    remaining: Option<u64>,
    follow: bool,
    done: bool,
    notify_every: u64,
    since_notify: u64,
    drop_on_overflow: bool,
    end_when_full: bool,
    dropped: usize,
    /// Its ring's fill drives drift correction (see [`Record::watched`]).
    watched: bool,
    /// When it starts and stops (rtmixer); `Timing::now()` for stream jobs.
    pub timing: Timing,
}

impl Record {
    /// Records into `prod` (frames of `map.outputs()` channels in `dtype`).
    /// `frames` counts from the stream's start and includes the `offset`
    /// dropped frames; `frames < 0` records until stopped, or, when `follow`
    /// is set, until the stream's playback ends.
    pub fn new(
        prod: Producer,
        dtype: Dtype,
        map: ChannelMap,
        frames: i64,
        offset: u64,
        follow: bool,
    ) -> Record {
        let remaining = (frames >= 0).then(|| (frames as u64).saturating_sub(offset));
        Record {
            prod,
            dtype,
            map,
            skip: offset,
            done: remaining == Some(0) && !follow,
            remaining,
            follow,
            notify_every: 0,
            since_notify: 0,
            drop_on_overflow: false,
            end_when_full: false,
            dropped: 0,
            watched: false,
            timing: Timing::now(),
        }
    }

    /// Marks the sink ring as drained at another clock's pace (a RingBuffer
    /// the user reads), so that its fill drives the stream's drift
    /// correction; a file's writer thread drains as fast as it can.
    pub fn watched(mut self) -> Record {
        self.watched = true;
        self
    }

    /// `(frames in it, frames it holds)` of the sink ring while a watched
    /// action records; None otherwise.
    ///
    /// ```
    /// use ringstream_core::engine::map::ChannelMap;
    /// use ringstream_core::engine::record::Record;
    /// use ringstream_core::engine::sample::Dtype;
    /// use ringstream_core::ring::Ring;
    /// let ring = Ring::new(4, 32).unwrap();
    /// let prod = ring.producer().unwrap();
    /// let rec = Record::new(prod, Dtype::Float32, ChannelMap::identity(1, 1), -1, 0, false);
    /// assert_eq!(rec.watched().watched_ring(), Some((0, 32)));
    /// ```
    pub fn watched_ring(&self) -> Option<(usize, usize)> {
        if !self.watched || self.done {
            return None;
        }
        let frame = self.map.outputs() * self.dtype.size();
        let size = self.prod.ring().byte_len();
        Some(((size - self.prod.vacant_bytes()) / frame, size / frame))
    }

    /// Raise [`events::DATA`] each time another `frames` frames have been
    /// written (0 = never): a reader waiting for whole chunks is woken once
    /// per chunk, not once per block.
    pub fn notify_every(mut self, frames: u64) -> Record {
        self.notify_every = frames;
        self
    }

    /// Starts (and is followed) as `timing` says. A followed action (a
    /// Mixer's) of 0 frames still waits for its start time, then ends
    /// (rtmixer's delay.py waits for a time with an empty recording).
    pub fn with_timing(mut self, timing: Timing) -> Record {
        if timing.state.is_some() && !self.follow {
            self.done = false;
        }
        self.timing = timing;
        self
    }

    /// On a full sink, drop the frames that do not fit (flagged as an input
    /// overflow) instead of failing with `BufferFull`.
    pub fn drop_on_overflow(mut self, drop: bool) -> Record {
        self.drop_on_overflow = drop;
        self
    }

    /// On a full sink, end the action (python-rtmixer's ring recording):
    /// the frames that do not fit are dropped, counted by
    /// [`Record::dropped`], and the stream is not disturbed.
    pub fn end_when_full(mut self, end: bool) -> Record {
        self.end_when_full = end;
        self
    }

    /// Whether a full sink ends the action (see [`Record::end_when_full`]).
    pub fn ends_when_full(&self) -> bool {
        self.end_when_full
    }

    /// Frames dropped in the last block (see `drop_on_overflow` and `end_when_full`).
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Whether recording ends with the stream's playback.
    pub fn follows_playback(&self) -> bool {
        self.follow
    }

    /// Whether the action has finished.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Ends the action now.
    pub fn finish(&mut self) {
        self.done = true;
    }

    /// Records frames `from..limit` of this block from `input`
    /// (interleaved, `in_ch` channels); returns the frames recorded (or
    /// dropped, with `drop_on_overflow`). A full sink is an error
    /// (`BufferFull`): recorded data must never be lost silently.
    pub fn process(
        &mut self,
        input: &[Sample],
        in_ch: usize,
        (from, limit): (usize, usize),
        notifier: &Notifier,
    ) -> Result<usize, ErrorKind> {
        self.dropped = 0;
        if self.done || limit <= from {
            return Ok(0);
        }
        let skip = ((limit - from) as u64).min(self.skip) as usize;
        self.skip -= skip as u64;
        let want = ((limit - from - skip) as u64).min(self.remaining.unwrap_or(u64::MAX)) as usize;
        let out_ch = self.map.outputs();
        let frame_bytes = out_ch * self.dtype.size();
        let fit = want.min(self.prod.vacant_bytes() / frame_bytes);
        let (a, b) = self.prod.vacant_slices(fit * frame_bytes);
        let mut f = from + skip;
        for part in [a, b] {
            for frame in part.chunks_exact_mut(frame_bytes) {
                let src = &input[f * in_ch..(f + 1) * in_ch];
                for (k, dst) in frame.chunks_exact_mut(self.dtype.size()).enumerate() {
                    let feed = self.map.feed(k);
                    let v = if feed > 0 { src[feed - 1] } else { 0.0 };
                    self.dtype.encode(v, dst);
                }
                f += 1;
            }
        }
        self.prod
            .advance_bytes(fit * frame_bytes)
            .expect("within vacant space");
        if self.notify_every > 0 {
            self.since_notify += fit as u64;
            if self.since_notify >= self.notify_every {
                self.since_notify %= self.notify_every;
                notifier.raise(events::DATA);
            }
        }
        let lost = if fit < want && self.drop_on_overflow {
            want - fit
        } else {
            0
        };
        if let Some(rem) = &mut self.remaining {
            *rem -= (fit + lost) as u64;
            if *rem == 0 {
                self.done = true;
            }
        }
        if fit < want {
            if self.end_when_full {
                // Only this action ends; its part of the block that did not fit is lost.
                self.dropped = want - fit;
                self.done = true;
                return Ok(fit);
            }
            if self.drop_on_overflow {
                self.dropped = lost;
                return Ok(fit + lost);
            }
            return Err(ErrorKind::BufferFull);
        }
        Ok(fit)
    }
}
