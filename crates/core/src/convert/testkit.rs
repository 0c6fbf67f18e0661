//! A converting stream with work to do, for the converter's benches and
//! allocation tests: an engine at the stream's rate playing a looping buffer
//! and recording into a ring, behind a [`Converter`] for a plan.

use super::converter::{Converter, Plan};
use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::{state, Control, Engine};
use crate::error::Result;
use crate::ring::Ring;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The converting callback for `plan` (duplex: the stream's input and
/// output channel counts must be equal) with a running engine behind it,
/// the engine's control side (keep it alive while the callback runs) and
/// the ring the record fills (drain it between blocks). With `drift`, the
/// converter corrects drift as a stream opened with `driftCorrection` does,
/// holding that ring half full (as if what drains it ran on another
/// clock): the record is watched, and the loop reads its fill from what
/// the engine publishes.
///
/// ```
/// use ringstream_core::convert::{channels::Mix, converter::Plan, testkit::converting_duplex};
/// use ringstream_core::engine::BlockInfo;
/// let plan = Plan {
///     stream_rate: 16_000,
///     device_rate: 48_000,
///     stream_channels: (1, 1),
///     device_channels: (2, 2),
///     mix: Mix::First,
///     chunk: 256,
/// };
/// let (mut conv, _control, ring) = converting_duplex(&plan, false).unwrap();
/// let info = BlockInfo { frames: 480, ..Default::default() };
/// let mut out = vec![0.0; 960];
/// conv.process(&[0.0; 960], &mut out, &info);
/// assert!(out.iter().any(|v| *v != 0.0));
/// assert!(ring.read_available() > 0);
/// ```
pub fn converting_duplex(plan: &Plan, drift: bool) -> Result<(Converter, Control, Arc<Ring>)> {
    let ch = plan.stream_channels.1;
    let (mut engine, mut control) = Engine::new(ch, ch, plan.stream_rate);
    let rec = Ring::new(4 * ch, 1 << 16)?;
    let tone = (0..ch * 4800).map(|k| (k as f32 * 0.01).sin() * 0.5);
    let queued = control.play(Play::new(
        Source::Buffer {
            data: tone.collect(),
            channels: ch,
            pos: 0,
            looping: true,
        },
        ChannelMap::identity(ch, ch),
        -1,
        0,
    )) && control.record(
        Record::new(
            rec.producer_or_err()?,
            Dtype::Float32,
            ChannelMap::identity(ch, ch),
            -1,
            0,
            false,
        )
        .watched(),
    );
    assert!(queued, "a new engine has room for one play and one record");
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    let engine: crate::device::Callback = Box::new(move |i, o, info| engine.process(i, o, info));
    let conv = if drift {
        let drift = crate::stream::watching(control.shared.clone(), false);
        Converter::with_drift(plan, engine, drift)?
    } else {
        Converter::new(plan, engine)?
    };
    Ok((conv, control, rec))
}
