//! Tests: the realtime contract, checked. `Engine::process` must not
//! allocate or free. A counting global allocator (this crate's test binary's
//! allocator) records every allocation and free made by the thread while it
//! is armed, around each block the engine processes, with every kind of
//! action (buffer, PCM and ring plays in every dtype, ring records in every
//! dtype, cancels applied, dropped and of actions not yet started, stats
//! fetches, taps of both directions with full rings), the channel maps, the
//! timed starts and the stop and error paths.
//!
//! It sits inside the crate so that it can build the crate-private actions
//! (cancels, probes, taps) exactly as the mixer does.

use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::{state, BlockInfo, Engine, Flow};
use crate::ring::Ring;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::Ordering;

struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // try_with: the allocator can run while thread locals are torn down.
    let _ = ARMED.try_with(|a| {
        if a.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        note();
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        note();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

pub(super) fn armed<T>(f: impl FnOnce() -> T) -> (T, usize) {
    COUNT.with(|c| c.set(0));
    ARMED.with(|a| a.set(true));
    let r = f();
    ARMED.with(|a| a.set(false));
    (r, COUNT.with(|c| c.get()))
}

#[test]
fn process_never_allocates() {
    let (b, ich, och) = (256usize, 4usize, 4usize);
    let (mut engine, mut control) = Engine::new(ich, och, 48_000);
    let play_ring = Ring::new(2 * 4, 1 << 12).unwrap();
    let mut feed = play_ring.producer().unwrap();
    feed.write(&vec![0u8; 8 * 3000]).unwrap();
    let rec_ring = Ring::new(3 * 2, 1 << 14).unwrap();
    // Too small for what is recorded into it: forces the BufferFull path.
    let sink_ring = Ring::new(2 * 4, 1 << 8).unwrap();
    assert!(control.play(Play::new(
        Source::Buffer {
            data: vec![0.25; 2 * 5000],
            channels: 2,
            pos: 0,
            looping: true,
        },
        ChannelMap::from_list(&[2, 0, 1], 2, och).unwrap(),
        20_000,
        300,
    )));
    assert!(control.play(Play::new(
        Source::Ring {
            cons: play_ring.consumer().unwrap(),
            channels: 2,
            dtype: Dtype::Float32,
            until_done: false,
        },
        ChannelMap::identity(2, och),
        -1,
        -1,
    )));
    assert!(control.record(Record::new(
        rec_ring.producer().unwrap(),
        Dtype::Int16,
        ChannelMap::identity(ich, 3),
        10_000,
        100,
        false,
    )));
    assert!(control.finish_when_idle());
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    let input = vec![0.5f64; b * ich];
    let mut output = vec![0f64; b * och];
    let mut info = BlockInfo {
        frames: b,
        ..Default::default()
    };
    let mut drain = vec![0u8; 6 * 4096];
    let mut rec_cons = rec_ring.consumer().unwrap();
    let mut completed_at = None;
    for k in 0..400u64 {
        info.flags = if k % 50 == 7 { 4 } else { 0 }; // a device xrun now and then
        info.output_time = k as f64 * 0.005;
        let (flow, n) = armed(|| engine.process(&input, &mut output, &info));
        assert_eq!(n, 0, "allocations in block {k}");
        rec_cons.read_partial(&mut drain);
        if flow == Flow::Complete && completed_at.is_none() {
            completed_at = Some(k);
        }
        if k == 200 {
            assert!(control.record(Record::new(
                sink_ring.producer().unwrap(),
                Dtype::Float32,
                ChannelMap::identity(ich, 2),
                -1,
                0,
                false,
            )));
        }
    }
    assert!(completed_at.is_some_and(|k| k > 200));
    assert_eq!(
        control.shared.error_kind(),
        Some(crate::ErrorKind::BufferFull)
    );
    assert!(control.shared.xruns.load(Ordering::Relaxed) >= 4);
    // Every action came back to be freed here, off the audio thread.
    assert_eq!(control.release_spent(), 4);
}

mod converting;
mod every_kind;
