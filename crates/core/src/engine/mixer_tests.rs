//! Tests: python-rtmixer's rules for how one action ends: a ring action whose ring
//! is full (record) or empty (play) ends alone, with its loss in its own
//! stats; a cancel or a stats fetch whose time has passed without
//! `allow_belated` is dropped, not reported as done.

use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::schedule::{outcome, ActionKind, ActionState, Timing};
use crate::engine::{state, Action, BlockInfo, Cancel, Command, Control, Engine, Flow, Probe};
use crate::ring::Ring;
use std::sync::atomic::Ordering;
use std::sync::Arc;

const B: usize = 256;
const SR: f64 = 48_000.0;

fn engine() -> (Engine, Control) {
    let (engine, mut control) = Engine::new(1, 1, SR as u32);
    assert!(control.send(Command::Begin).is_ok());
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    (engine, control)
}

fn add(control: &mut Control, a: Action) {
    assert!(control.send(Command::Add(Box::new(a))).is_ok());
}

/// Block `k`: device time k * B / SR, input and output at that time.
fn block(engine: &mut Engine, k: usize) -> Flow {
    let t = (k * B) as f64 / SR;
    let info = BlockInfo {
        frames: B,
        output_time: t,
        input_time: t,
        current_time: t,
        ..Default::default()
    };
    let input = vec![0.25f64; B];
    let mut out = vec![0f64; B];
    engine.process(&input, &mut out, &info)
}

fn buffer_play(frames: usize) -> (Action, Arc<ActionState>) {
    let st = ActionState::new(1, ActionKind::PlayBuffer, 0.0, frames as u64);
    let source = Source::Buffer {
        data: vec![0.5; frames],
        channels: 1,
        pos: 0,
        looping: false,
    };
    let play = Play::new(source, ChannelMap::identity(1, 1), frames as i64, 0)
        .with_timing(Timing::at(0.0, true, st.clone()));
    (Action::Play(play), st)
}

fn ring_play(ring: &Arc<Ring>, until_done: bool) -> (Action, Arc<ActionState>) {
    let st = ActionState::new(2, ActionKind::PlayRingbuffer, 0.0, u64::MAX);
    let source = Source::Ring {
        cons: ring.consumer().expect("free consumer"),
        channels: 1,
        dtype: Dtype::Float32,
        until_done,
    };
    let play = Play::new(source, ChannelMap::identity(1, 1), -1, 0).with_timing(Timing::at(
        0.0,
        true,
        st.clone(),
    ));
    (Action::Play(play), st)
}

fn fill(ring: &Arc<Ring>, frames: usize) {
    let mut p = ring.producer().expect("free producer");
    let bytes: Vec<u8> = std::iter::repeat_n(0.5f32.to_ne_bytes(), frames)
        .flatten()
        .collect();
    assert_eq!(p.write(&bytes).expect("fits"), frames);
}

#[test]
fn a_full_record_ring_ends_that_action_only() {
    let (mut engine, mut control) = engine();
    let (play, play_st) = buffer_play(10 * B);
    add(&mut control, play);
    let ring = Ring::new(4, 1024).expect("ring");
    let st = ActionState::new(3, ActionKind::RecordRingbuffer, 0.0, u64::MAX);
    let rec = Record::new(
        ring.producer().expect("producer"),
        Dtype::Float32,
        ChannelMap::identity(1, 1),
        -1,
        0,
        false,
    )
    .end_when_full(true)
    .with_timing(Timing::at(0.0, true, st.clone()));
    add(&mut control, Action::Record(rec));
    // 1024 frames fit in 4 blocks; the fifth finds the ring full.
    for k in 0..5 {
        assert_eq!(block(&mut engine, k), Flow::Continue);
    }
    assert_eq!(st.outcome(), outcome::DONE);
    assert_eq!(st.done_frames.load(Ordering::Acquire), 1024);
    assert_eq!(st.stats.snapshot().frames_lost, B as u64);
    assert_eq!(st.stats.snapshot().input_overflows, 0); // the device did not overflow
                                                        // The stream and the other action go on.
    assert_eq!(control.shared.state.load(Ordering::Acquire), state::RUNNING);
    assert_eq!(control.shared.error_kind(), None);
    for k in 5..11 {
        block(&mut engine, k);
    }
    assert_eq!(play_st.outcome(), outcome::DONE);
    assert_eq!(play_st.done_frames.load(Ordering::Acquire), 10 * B as u64);
}

#[test]
fn an_empty_play_ring_ends_the_action_with_its_played_frames() {
    let (mut engine, mut control) = engine();
    let ring = Ring::new(4, 4096).expect("ring");
    fill(&ring, 1000);
    let (play, st) = ring_play(&ring, false);
    add(&mut control, play);
    for k in 0..4 {
        block(&mut engine, k);
    }
    assert_eq!(st.outcome(), outcome::DONE);
    assert_eq!(st.done_frames.load(Ordering::Acquire), 1000);
    assert_eq!(st.stats.snapshot().frames_lost, (4 * B - 1000) as u64);
    // Its producer said the end was the end: nothing is missing.
    let ring = Ring::new(4, 4096).expect("ring");
    fill(&ring, 1000);
    ring.set_producer_done(true);
    let (play, st) = ring_play(&ring, false);
    add(&mut control, play);
    for k in 4..8 {
        block(&mut engine, k);
    }
    assert_eq!(st.done_frames.load(Ordering::Acquire), 1000);
    assert_eq!(st.stats.snapshot().frames_lost, 0);
}

#[test]
fn until_done_survives_an_underrun_and_counts_only_played_frames() {
    let (mut engine, mut control) = engine();
    let ring = Ring::new(4, 4096).expect("ring");
    fill(&ring, 300);
    let (play, st) = ring_play(&ring, true);
    add(&mut control, play);
    for k in 0..4 {
        block(&mut engine, k);
    }
    assert_eq!(st.outcome(), outcome::PENDING);
    fill(&ring, 300);
    ring.set_producer_done(true);
    for k in 4..8 {
        block(&mut engine, k);
    }
    assert_eq!(st.outcome(), outcome::DONE);
    assert_eq!(st.done_frames.load(Ordering::Acquire), 600);
    assert!(st.stats.snapshot().output_underflows > 0);
}

#[test]
fn a_belated_cancel_without_allow_belated_is_dropped_and_not_applied() {
    let (mut engine, mut control) = engine();
    let (play, play_st) = buffer_play(8 * B);
    add(&mut control, play);
    block(&mut engine, 0);
    block(&mut engine, 1);
    let c = ActionState::new(9, ActionKind::Cancel, 1.0 / SR, 0);
    add(
        &mut control,
        Action::Cancel(Cancel::new(play_st.clone(), 1.0 / SR, false, c.clone())),
    );
    block(&mut engine, 2);
    assert_eq!(c.outcome(), outcome::DROPPED);
    assert_eq!(c.actual_time(), 0.0);
    for k in 3..9 {
        block(&mut engine, k);
    }
    assert_eq!(play_st.outcome(), outcome::DONE);
    assert_eq!(play_st.done_frames.load(Ordering::Acquire), 8 * B as u64);
}

#[test]
fn a_cancel_takes_effect_at_its_time_and_reports_it() {
    let (mut engine, mut control) = engine();
    let (play, play_st) = buffer_play(8 * B);
    add(&mut control, play);
    let at = (2 * B + 10) as f64 / SR;
    let c = ActionState::new(9, ActionKind::Cancel, at, 0);
    add(
        &mut control,
        Action::Cancel(Cancel::new(play_st.clone(), at, false, c.clone())),
    );
    block(&mut engine, 0);
    assert_eq!(c.outcome(), outcome::PENDING); // its time has not come
    block(&mut engine, 1);
    block(&mut engine, 2);
    assert_eq!(c.outcome(), outcome::DONE);
    assert!((c.actual_time() - at).abs() < 1e-12);
    assert_eq!(play_st.outcome(), outcome::CANCELLED);
    assert_eq!(
        play_st.done_frames.load(Ordering::Acquire),
        2 * B as u64 + 10
    );
}

#[test]
fn a_stats_fetch_runs_at_its_time_or_is_dropped() {
    let (mut engine, mut control) = engine();
    let at = (3 * B) as f64 / SR;
    let st = ActionState::new(5, ActionKind::FetchAndResetStats, at, 0);
    add(
        &mut control,
        Action::FetchStats(Probe::at(at, true, st.clone())),
    );
    block(&mut engine, 0);
    block(&mut engine, 1);
    assert_eq!(st.outcome(), outcome::PENDING);
    block(&mut engine, 2);
    block(&mut engine, 3);
    assert_eq!(st.outcome(), outcome::DONE);
    assert!((st.actual_time() - at).abs() < 1e-12);
    assert_eq!(st.stats.snapshot().blocks, 3); // blocks 0..3, taken before block 3 counts
    let late = ActionState::new(6, ActionKind::FetchAndResetStats, 1.0 / SR, 0);
    add(
        &mut control,
        Action::FetchStats(Probe::at(1.0 / SR, false, late.clone())),
    );
    block(&mut engine, 4);
    assert_eq!(late.outcome(), outcome::DROPPED);
    assert_eq!(late.actual_time(), 0.0);
    assert_eq!(late.stats.snapshot().blocks, 0);
}
