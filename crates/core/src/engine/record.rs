//! A recording action: device input written into a sink ring, with
//! pastream's offset rule (the first `offset` frames are dropped).

use super::map::ChannelMap;
use super::sample::Dtype;
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
        }
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

    /// Records the first `limit` frames of this block from `input`
    /// (interleaved, `in_ch` channels). A full sink is an error
    /// (`BufferFull`): recorded data must never be lost silently.
    pub fn process(&mut self, input: &[f32], in_ch: usize, limit: usize) -> Result<(), ErrorKind> {
        if self.done {
            return Ok(());
        }
        let skip = (limit as u64).min(self.skip) as usize;
        self.skip -= skip as u64;
        let want = ((limit - skip) as u64).min(self.remaining.unwrap_or(u64::MAX)) as usize;
        let out_ch = self.map.outputs();
        let frame_bytes = out_ch * self.dtype.size();
        let fit = want.min(self.prod.vacant_bytes() / frame_bytes);
        let (a, b) = self.prod.vacant_slices(fit * frame_bytes);
        let mut f = skip;
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
        if let Some(rem) = &mut self.remaining {
            *rem -= fit as u64;
            if *rem == 0 {
                self.done = true;
            }
        }
        if fit < want {
            return Err(ErrorKind::BufferFull);
        }
        Ok(())
    }
}
