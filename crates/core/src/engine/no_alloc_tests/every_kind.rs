//! Every kind of action, and every path an action can take, processed
//! with the counting allocator armed.

use super::armed;
use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::schedule::{outcome, ActionKind, ActionState, Timing};
use crate::engine::{state, Action, BlockInfo, Cancel, Command, Control, Engine, Flow, Probe, Tap};
use crate::ring::Ring;
use std::sync::atomic::Ordering;
use std::sync::Arc;

const SR: f64 = 48_000.0;
const B: usize = 256;

fn add(control: &mut Control, a: Action) {
    assert!(control.send(Command::Add(Box::new(a))).is_ok());
}

fn pcm(dtype: Dtype, frames: usize, channels: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..frames * channels {
        let x = ((i % 97) as f64 / 97.0 - 0.5) * 0.5;
        match dtype {
            Dtype::Float32 => v.extend_from_slice(&(x as f32).to_ne_bytes()),
            Dtype::Int16 => v.extend_from_slice(&((x * 32767.0) as i16).to_ne_bytes()),
            Dtype::Int32 => v.extend_from_slice(&((x * 2147483647.0) as i32).to_ne_bytes()),
        }
    }
    v
}

fn state_of(id: u64, kind: ActionKind, at: f64, total: u64) -> Arc<ActionState> {
    ActionState::new(id, kind, at, total)
}

#[test]
fn every_action_kind_and_path_never_allocates() {
    let (ich, och) = (2usize, 2usize);
    let (mut engine, mut control) = Engine::with_capacity(ich, och, SR as u32, 64);
    assert!(control.send(Command::Begin).is_ok());
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    let t = |frame: usize| frame as f64 / SR;
    // The control side keeps every state (as the mixer's JS objects do), so
    // the engine never drops the last reference to one.
    let mut states = Vec::new();
    let mut rings = Vec::new();

    // Plays: a timed buffer, PCM in each dtype through a channel map, rings
    // in each dtype (one runs empty and ends alone, one waits for its
    // producer), one started belatedly and one dropped as belated.
    let buf = state_of(1, ActionKind::PlayBuffer, t(1000), 4000);
    add(
        &mut control,
        Action::Play(
            Play::new(
                Source::Buffer {
                    data: vec![0.25; 2 * 4000],
                    channels: 2,
                    pos: 0,
                    looping: false,
                },
                ChannelMap::from_list(&[2, 1], 2, och).unwrap(),
                4000,
                0,
            )
            .with_timing(Timing::at(t(1000), true, buf.clone())),
        ),
    );
    states.push(buf.clone());
    for (i, dtype) in [Dtype::Float32, Dtype::Int16, Dtype::Int32]
        .into_iter()
        .enumerate()
    {
        let st = state_of(10 + i as u64, ActionKind::PlayBuffer, t(300), 3000);
        add(
            &mut control,
            Action::Play(
                Play::new(
                    Source::Pcm {
                        data: pcm(dtype, 3000, 1),
                        dtype,
                        channels: 1,
                        pos: 0,
                        looping: i == 1,
                    },
                    ChannelMap::from_list(&[1], 1, och).unwrap(),
                    -1,
                    500,
                )
                .with_timing(Timing::at(t(300), true, st.clone())),
            ),
        );
        states.push(st);
        let ring = Ring::new(dtype.size() * 2, 1 << 12).unwrap();
        ring.producer()
            .unwrap()
            .write(&pcm(dtype, 2000, 2))
            .unwrap();
        let st = state_of(20 + i as u64, ActionKind::PlayRingbuffer, 0.0, u64::MAX);
        add(
            &mut control,
            Action::Play(
                Play::new(
                    Source::Ring {
                        cons: ring.consumer().unwrap(),
                        channels: 2,
                        dtype,
                        until_done: i == 2,
                    },
                    ChannelMap::identity(2, och),
                    -1,
                    0,
                )
                .with_timing(Timing::at(0.0, true, st.clone())),
            ),
        );
        states.push(st);
        rings.push(ring);
    }
    let late = state_of(30, ActionKind::PlayBuffer, 0.0, 100);
    let dropped = state_of(31, ActionKind::PlayBuffer, 0.0, 100);
    // Records: rings in each dtype, one timed, one dropping what does not
    // fit, one ending alone when its ring is full (the mixer's), one
    // counting `offset` frames first.
    let mut rec_rings = Vec::new();
    for (i, dtype) in [Dtype::Float32, Dtype::Int16, Dtype::Int32]
        .into_iter()
        .enumerate()
    {
        let ring = Ring::new(dtype.size() * 2, if i == 2 { 1 << 8 } else { 1 << 14 }).unwrap();
        let st = state_of(
            40 + i as u64,
            ActionKind::RecordRingbuffer,
            t(512),
            u64::MAX,
        );
        add(
            &mut control,
            Action::Record(
                Record::new(
                    ring.producer().unwrap(),
                    dtype,
                    ChannelMap::from_list(&[2, 1], ich, 2).unwrap(),
                    if i == 0 { 20_000 } else { -1 },
                    if i == 0 { 100 } else { 0 },
                    false,
                )
                .drop_on_overflow(i == 1)
                .end_when_full(i == 2)
                .notify_every(1024)
                .with_timing(Timing::at(t(512), true, st.clone())),
            ),
        );
        states.push(st);
        rec_rings.push(ring);
    }
    // Taps of both directions; the output's ring is too small, so it drops.
    let mut tap_rings = Vec::new();
    for (i, output) in [true, false].into_iter().enumerate() {
        let ring = Ring::new(
            4 * if output { och } else { ich },
            if output { 1 << 6 } else { 1 << 14 },
        )
        .unwrap();
        let st = state_of(50 + i as u64, ActionKind::Tap, 0.0, u64::MAX);
        add(
            &mut control,
            Action::Tap(Tap::new(ring.producer().unwrap(), output, st.clone())),
        );
        states.push(st);
        tap_rings.push(ring);
    }

    let input = vec![0.5f64; B * ich];
    let mut output = vec![0f64; B * och];
    let mut drain = vec![0u8; 16 * 4096];
    let mut readers: Vec<_> = rec_rings[..2]
        .iter()
        .chain(&tap_rings[1..])
        .map(|r| r.consumer().unwrap())
        .collect();
    let cancel_states: Vec<Arc<ActionState>> = (0..4)
        .map(|i| state_of(60 + i, ActionKind::Cancel, 0.0, 0))
        .collect();
    let probe_states: Vec<Arc<ActionState>> = (0..3)
        .map(|i| state_of(70 + i, ActionKind::FetchAndResetStats, 0.0, 0))
        .collect();
    for k in 0..160usize {
        // Actions that arrive while it runs: each kind of cancel and
        // stats fetch, and plays whose start has passed.
        match k {
            5 => {
                // Cancel the buffer play at a time ahead: applied there.
                add(
                    &mut control,
                    Action::Cancel(Cancel::new(
                        buf.clone(),
                        t(3000),
                        true,
                        cancel_states[0].clone(),
                    )),
                );
                // A cancel whose time has passed, not allowed belated: dropped.
                add(
                    &mut control,
                    Action::Cancel(Cancel::new(
                        states[4].clone(),
                        t(10),
                        false,
                        cancel_states[1].clone(),
                    )),
                );
                // Stats now, at a time ahead, and one dropped as belated.
                add(
                    &mut control,
                    Action::FetchStats(Probe::at(0.0, true, probe_states[0].clone())),
                );
                add(
                    &mut control,
                    Action::FetchStats(Probe::at(t(8000), true, probe_states[1].clone())),
                );
                add(
                    &mut control,
                    Action::FetchStats(Probe::at(t(10), false, probe_states[2].clone())),
                );
                for (st, belated) in [(&late, true), (&dropped, false)] {
                    add(
                        &mut control,
                        Action::Play(
                            Play::new(
                                Source::Buffer {
                                    data: vec![0.1; 100],
                                    channels: 1,
                                    pos: 0,
                                    looping: false,
                                },
                                ChannelMap::from_list(&[1], 1, och).unwrap(),
                                100,
                                0,
                            )
                            .with_timing(Timing::at(
                                t(10),
                                belated,
                                st.clone(),
                            )),
                        ),
                    );
                }
            }
            40 => {
                // Cancel a looping PCM play now, and a tap.
                add(
                    &mut control,
                    Action::Cancel(Cancel::new(
                        states[3].clone(),
                        0.0,
                        true,
                        cancel_states[2].clone(),
                    )),
                );
                add(
                    &mut control,
                    Action::Cancel(Cancel::new(
                        states[states.len() - 2].clone(),
                        0.0,
                        true,
                        cancel_states[3].clone(),
                    )),
                );
            }
            120 => assert!(control.send(Command::Stop).is_ok()),
            _ => {}
        }
        let now = (k * B) as f64 / SR;
        let info = BlockInfo {
            frames: B,
            output_time: now,
            input_time: now,
            current_time: now,
            flags: if k % 50 == 7 { 4 } else { 0 },
            lost_frames: 0,
        };
        let (flow, n) = armed(|| engine.process(&input, &mut output, &info));
        assert_eq!(n, 0, "allocations or frees in block {k}");
        for r in &mut readers {
            r.read_partial(&mut drain);
        }
        if flow == Flow::Complete {
            break;
        }
    }
    // Every path above was taken.
    let how = |s: &Arc<ActionState>| s.outcome.load(Ordering::Acquire);
    assert_eq!(how(&buf), outcome::CANCELLED, "the timed cancel");
    assert_eq!(how(&cancel_states[0]), outcome::DONE);
    assert_eq!(
        how(&cancel_states[1]),
        outcome::DROPPED,
        "the belated cancel"
    );
    assert_eq!(how(&probe_states[0]), outcome::DONE);
    assert_ne!(
        how(&probe_states[1]),
        outcome::PENDING,
        "the timed stats fetch"
    );
    assert_eq!(
        how(&probe_states[2]),
        outcome::DROPPED,
        "the belated stats fetch"
    );
    assert_eq!(how(&late), outcome::DONE, "the belated start");
    assert_eq!(
        how(&dropped),
        outcome::DROPPED,
        "the start dropped as belated"
    );
    eprintln!(
        "cancel2 {} cancel3 {} target3 {} tap {}",
        how(&cancel_states[2]),
        how(&cancel_states[3]),
        how(&states[3]),
        how(&states[states.len() - 2])
    );
    assert_eq!(how(&states[3]), outcome::CANCELLED, "the looping PCM play");
    assert_eq!(
        how(&states[4]),
        outcome::DONE,
        "the ring play that ran empty ends alone"
    );
    assert_eq!(
        how(&states[states.len() - 3]),
        outcome::DONE,
        "the record whose ring filled ends alone"
    );
    assert_eq!(
        how(&states[states.len() - 2]),
        outcome::CANCELLED,
        "the output tap"
    );
    let pending: Vec<u64> = states
        .iter()
        .filter(|s| how(s) == outcome::PENDING)
        .map(|s| s.id)
        .collect();
    // Every action ended but the input tap: a tap outlives a run (a
    // Monitor's feed), and only a cancel ends it.
    assert_eq!(pending, vec![51], "every action ended");
    // The spent actions come back to be freed here, off the audio thread.
    assert!(control.release_spent() >= states.len() - 1);
}
