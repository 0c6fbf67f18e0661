//! What a playback action plays: a buffer, a ring, a reader thread's ring
//! (see [`super::play`]), and how its frames are mixed into a block.

use super::map::ChannelMap;
use super::sample::{Dtype, Sample};
use crate::ring::Consumer;

/// Where played frames come from.
pub enum Source {
    /// Interleaved frames in memory, optionally looped.
    Buffer {
        /// The samples, `channels` per frame.
        data: Vec<f32>,
        /// Channels per frame.
        channels: usize,
        /// The next frame to play.
        pos: usize,
        /// Rewind at the end.
        looping: bool,
    },
    /// Interleaved frames in memory kept as the caller's bytes in `dtype`
    /// (decoded as they play, so int32 plays exactly), optionally looped.
    Pcm {
        /// The samples, native endian, `channels` per frame.
        data: Vec<u8>,
        /// Their format.
        dtype: Dtype,
        /// Channels per frame.
        channels: usize,
        /// The next frame to play.
        pos: usize,
        /// Rewind at the end.
        looping: bool,
    },
    /// A ring of interleaved frames filled by JS or by a reader thread.
    Ring {
        /// The consumer role, held for as long as the action lives.
        cons: Consumer,
        /// Channels per frame.
        channels: usize,
        /// Sample format in the ring.
        dtype: Dtype,
        /// Whether the source ends only once the producer marked the ring
        /// done ([`crate::ring::Ring::set_producer_done`]: a reader thread at
        /// the end of its file, a JS feeder whose generator ended). Without
        /// it (a RingBuffer handed to play()), an empty ring is the end, as
        /// in pastream.
        until_done: bool,
    },
}

impl Source {
    pub(super) fn channels(&self) -> usize {
        match self {
            Source::Buffer { channels, .. }
            | Source::Pcm { channels, .. }
            | Source::Ring { channels, .. } => *channels,
        }
    }

    /// Adds up to `n` frames into `out` (interleaved, `out_ch` channels) from
    /// frame `at`, through `mix`. Returns the frames delivered.
    pub(super) fn pull(
        &mut self,
        out: &mut [Sample],
        out_ch: usize,
        at: usize,
        n: usize,
        mix: Mix,
    ) -> usize {
        match self {
            Source::Buffer {
                data,
                channels,
                pos,
                looping,
            } => {
                let ch = *channels;
                let total = data.len() / ch;
                play_frames(pos, total, *looping, n, |from, to| {
                    let src = &data[from * ch..(from + 1) * ch];
                    let dst = &mut out[(at + to) * out_ch..(at + to + 1) * out_ch];
                    mix_frame(dst, mix, |c| Sample::from(src[c]));
                })
            }
            Source::Pcm {
                data,
                dtype,
                channels,
                pos,
                looping,
            } => {
                let (ch, d) = (*channels, *dtype);
                let frame_bytes = ch * d.size();
                let total = data.len() / frame_bytes;
                play_frames(pos, total, *looping, n, |from, to| {
                    let frame = &data[from * frame_bytes..(from + 1) * frame_bytes];
                    let dst = &mut out[(at + to) * out_ch..(at + to + 1) * out_ch];
                    mix_frame(dst, mix, |c| d.decode(&frame[c * d.size()..]));
                })
            }
            Source::Ring {
                cons,
                channels,
                dtype,
                ..
            } => {
                let (ch, d) = (*channels, *dtype);
                let frame_bytes = ch * d.size();
                let bytes = cons.available_bytes().min(n * frame_bytes);
                let (a, b) = cons.occupied_slices(bytes);
                let mut f = at;
                for part in [a, b] {
                    for frame in part.chunks_exact(frame_bytes) {
                        let dst = &mut out[f * out_ch..(f + 1) * out_ch];
                        mix_frame(dst, mix, |c| d.decode(&frame[c * d.size()..]));
                        f += 1;
                    }
                }
                cons.advance_bytes(bytes).expect("within occupied space");
                bytes / frame_bytes
            }
        }
    }

    /// Whether the producer of a ring marked it done (a buffer: always).
    pub(super) fn producer_done(&self) -> bool {
        match self {
            Source::Buffer { .. } | Source::Pcm { .. } => true,
            Source::Ring { cons, .. } => cons.ring().producer_done(),
        }
    }

    /// Whether no more data can ever come.
    pub(super) fn ended(&self) -> bool {
        match self {
            Source::Buffer {
                data,
                channels,
                pos,
                looping,
            } => *pos * channels == data.len() && (!*looping || data.is_empty()),
            Source::Pcm {
                data,
                dtype,
                channels,
                pos,
                looping,
            } => *pos * channels * dtype.size() == data.len() && (!*looping || data.is_empty()),
            Source::Ring {
                cons, until_done, ..
            } => cons.available_bytes() == 0 && (!*until_done || cons.ring().producer_done()),
        }
    }
}

/// Walks up to `n` frames of a source of `total` frames from `*pos`,
/// rewinding at the end when `looping`; `mix(source frame, block frame)` for
/// each. Returns the frames walked.
#[inline]
fn play_frames(
    pos: &mut usize,
    total: usize,
    looping: bool,
    n: usize,
    mut mix: impl FnMut(usize, usize),
) -> usize {
    let mut done = 0;
    while done < n && total > 0 {
        if *pos == total {
            if !looping {
                break;
            }
            *pos = 0;
        }
        let k = (n - done).min(total - *pos);
        for f in 0..k {
            mix(*pos + f, done + f);
        }
        *pos += k;
        done += k;
    }
    done
}

/// How a source's frames are added to the block: through a channel map,
/// times a gain.
#[derive(Clone, Copy)]
pub(super) struct Mix<'a> {
    pub(super) map: &'a ChannelMap,
    pub(super) gain: Sample,
}

#[inline]
fn mix_frame(dst: &mut [Sample], mix: Mix, sample: impl Fn(usize) -> Sample) {
    for (k, d) in dst.iter_mut().enumerate() {
        let feed = mix.map.feed(k);
        if feed > 0 {
            // In f64 a gain of 1 is exact: the default changes no sample.
            *d += mix.gain * sample(feed - 1);
        }
    }
}
