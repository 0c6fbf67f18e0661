//! The same corpus and mutations through [`PipeDecoder`], the CLI's stdin
//! path: the bytes pushed in random splits (1 byte to 8 KiB) while the
//! decoded samples are taken, as a pipe delivers them.
//!
//! Heap bound. The decoder runs on a thread of its own, so the peak is of
//! every thread's live bytes (the tests of this binary hold [`SERIAL`] so
//! nothing else counts). Beyond a file reader's bound (4 x the input +
//! 64 KiB + the decoder allowance, which covers symphonia's state), a pipe
//! holds three queues of its own, each bounded by the design, not by the
//! input's headers:
//!
//! - the pushed bytes not yet decoded: at most the input, twice over while
//!   the queue grows (covered by the 4 x);
//! - the decoded samples waiting for the caller: the decoder stops at
//!   [`AHEAD`] samples, and one step (4096 frames of the stream's channels)
//!   may land on top; the queue may double its capacity while growing, and
//!   a sample is 4 bytes: 8 x (AHEAD + 4096 x channels) bytes;
//! - the decoder thread's step buffer: 4096 x channels samples, plus the
//!   caller's block of the same size (4 x 2 x 4096 x channels bytes).
//!
//! So a stream's peak is at most `bound(len) + 8 x (AHEAD + 8192 x ch)`:
//! the channels are the stream's own (its header says them, and a
//! 65535-channel header is refused by the decoders or read within it).

use super::{bound, expected, Rng, MAX_SAMPLES};
use ringstream_core::audio_file::pipe_decoder::AHEAD;
use ringstream_core::audio_file::{sniff, PipeDecoder};
use std::time::{Duration, Instant};

/// Frames a step of the decoder thread and a block of the caller take.
const STEP_FRAMES: u64 = 4096;

/// The heap a pipe decode of a `len`-byte stream of `ch` channels may hold.
pub fn pipe_bound(len: usize, ch: u64) -> u64 {
    bound(len) + 8 * (AHEAD as u64 + 2 * STEP_FRAMES * ch)
}

/// What one pushed stream did.
pub struct Outcome {
    /// Decoded to its end without error.
    pub ok: bool,
    /// Its channels (0: no header decoded).
    pub channels: u64,
}

/// Pushes `bytes` in random pieces into a decoder of the format its first
/// bytes name, taking samples as they come; the decoded samples must be
/// whole frames, and an error one of the expected kinds.
pub fn decode(bytes: &[u8], rng: &mut Rng) -> Outcome {
    let mut outcome = Outcome {
        ok: false,
        channels: 0,
    };
    let Some(format) = sniff(&bytes[..bytes.len().min(16)]) else {
        return outcome;
    };
    let mut d = match PipeDecoder::new(format) {
        Ok(d) => d,
        Err(e) => {
            expected(&e);
            return outcome;
        }
    };
    let (mut at, mut total, mut ended) = (0, 0usize, false);
    let mut out = Vec::new();
    // Generous: a 20 KiB input decodes in milliseconds; only a hang takes this long.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if at < bytes.len() {
            let n = 1 + rng.below((bytes.len() - at).min(8192));
            d.push(&bytes[at..at + n]);
            at += n;
        } else if !ended {
            d.end_input();
            ended = true;
        }
        if outcome.channels == 0 {
            match d.info() {
                Ok(Some(i)) => outcome.channels = u64::from(i.channels),
                Ok(None) => {}
                Err(e) => {
                    expected(&e);
                    return outcome;
                }
            }
        }
        out.clear();
        match d.read(STEP_FRAMES as usize, &mut out) {
            Ok(more) => {
                total += out.len();
                if !out.is_empty() {
                    let ch = outcome.channels.max(1) as usize;
                    assert_eq!(
                        out.len() % ch,
                        0,
                        "{} samples are not whole {ch}-channel frames",
                        out.len()
                    );
                }
                if !more {
                    outcome.ok = true;
                    return outcome;
                }
                if total >= MAX_SAMPLES {
                    return outcome;
                }
            }
            Err(e) => {
                expected(&e);
                return outcome;
            }
        }
        if ended && out.is_empty() {
            std::thread::sleep(Duration::from_micros(100));
        }
        assert!(
            Instant::now() < deadline,
            "the pipe decoder hung ({format:?}, {at} bytes pushed)"
        );
    }
}
