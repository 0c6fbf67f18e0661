//! A counting global allocator: the peak of live heap bytes this thread
//! allocated while a measurement runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Counting every thread's bytes (for a decoder with a thread of its own).
static ALL_ARMED: AtomicBool = AtomicBool::new(false);
static ALL_LIVE: AtomicI64 = AtomicI64::new(0);
static ALL_PEAK: AtomicI64 = AtomicI64::new(0);

/// Forwards to the system allocator; counts this thread's live bytes while
/// [`peak_during`] is measuring.
pub struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn add(delta: i64) {
    if ALL_ARMED.load(Ordering::Relaxed) {
        let live = ALL_LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
        ALL_PEAK.fetch_max(live, Ordering::Relaxed);
    }
    // try_with: the allocator can run while thread locals are torn down.
    let _ = ARMED.try_with(|a| {
        if a.get() {
            let live = LIVE.with(|l| {
                l.set(l.get() + delta);
                l.get()
            });
            PEAK.with(|p| p.set(p.get().max(live)));
        }
    });
}

// SAFETY: every call forwards to the system allocator unchanged; the
// counting only touches thread-local cells, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        add(l.size() as i64);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        add(l.size() as i64);
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        add(-(l.size() as i64));
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        // A realloc may hold both blocks at once: count the new one first.
        add(n as i64);
        add(-(l.size() as i64));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(p, l, n) }
    }
}

/// Runs `f` and returns its result with the peak of heap bytes this thread
/// held at once during it (above what it held before).
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, u64) {
    LIVE.with(|l| l.set(0));
    PEAK.with(|p| p.set(0));
    ARMED.with(|a| a.set(true));
    let r = f();
    ARMED.with(|a| a.set(false));
    (r, PEAK.with(|p| p.get()).max(0) as u64)
}

/// Runs `f` and returns its result with the peak of heap bytes all threads
/// held at once during it (above what they held before): for work that
/// spawns threads. Whatever else runs meanwhile counts too, so the caller
/// runs alone (the tests of a binary that uses it hold one lock).
#[allow(dead_code)]
pub fn peak_all_threads_during<T>(f: impl FnOnce() -> T) -> (T, u64) {
    ALL_LIVE.store(0, Ordering::SeqCst);
    ALL_PEAK.store(0, Ordering::SeqCst);
    ALL_ARMED.store(true, Ordering::SeqCst);
    let r = f();
    ALL_ARMED.store(false, Ordering::SeqCst);
    (r, ALL_PEAK.load(Ordering::SeqCst).max(0) as u64)
}
