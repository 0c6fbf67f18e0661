//! A doorbell: one thread sleeps until the other side of a ring has made
//! the progress it needs (room to write, or data to read), with no polling;
//! the side that advances the ring rings it.
//!
//! Polling is what it replaces: a file pump that looked at its ring every
//! 2 ms cost 500 wake-ups a second, and on a virtual machine a wake-up costs
//! tens of microseconds of CPU, so a WAV file played or recorded in real
//! time cost more CPU than anything else a stream does.
//!
//! Ringing is realtime-safe (the audio thread rings after every block): a
//! fence and an atomic load when nobody waits, plus a compare-and-swap and
//! a non-blocking unpark (a futex wake) only when the waiter asked for what
//! is now there.

use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread::{self, Thread};
use std::time::Duration;

/// One waiter thread's wish, and how to wake it.
#[derive(Default)]
pub struct Doorbell {
    /// What the waiter waits for, in the unit of its `have` (0: nobody waits).
    want: AtomicUsize,
    /// The thread that waits: one thread for the doorbell's whole life.
    waiter: OnceLock<Thread>,
}

impl Doorbell {
    /// Wakes the waiter if it waits for at most `have()`. Call it after
    /// publishing the progress (the ring's index store): the fence pairs
    /// with the one in [`Doorbell::wait_for`], so that either this call
    /// sees the wish or the waiter sees the progress, never neither.
    #[inline]
    pub fn ring(&self, have: impl FnOnce() -> usize) {
        fence(Ordering::SeqCst);
        let want = self.want.load(Ordering::Relaxed);
        if want != 0
            && have() >= want
            && self
                .want
                .compare_exchange(want, 0, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            self.wake();
        }
    }

    /// Wakes the waiter whatever it waits for (to make it look at a stop flag).
    pub fn wake(&self) {
        if let Some(t) = self.waiter.get() {
            t.unpark();
        }
    }

    /// Makes the calling thread the waiter now, so that a
    /// [`Doorbell::wake`] before its first wait still reaches it.
    pub fn attach(&self) {
        if self.waiter.get().is_none() {
            let _ = self.waiter.set(thread::current());
        }
    }

    /// Sleeps until `have()` reaches `want`, a [`Doorbell::wake`], or
    /// `timeout`, whichever comes first (a wake-up may also come early:
    /// callers look again). Only ever call it from one thread.
    pub fn wait_for(&self, want: usize, have: impl Fn() -> usize, timeout: Duration) {
        self.attach();
        let want = want.max(1);
        self.want.store(want, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        if have() < want {
            thread::park_timeout(timeout);
        }
        self.want.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn wakes_the_waiter_once_it_has_what_it_wants() {
        let bell = Arc::new(Doorbell::default());
        let level = Arc::new(AtomicUsize::new(0));
        let (b, l) = (bell.clone(), level.clone());
        let t0 = Instant::now();
        let waiter = thread::spawn(move || {
            let mut wakeups = 0;
            while l.load(Ordering::Acquire) < 10 {
                b.wait_for(10, || l.load(Ordering::Acquire), Duration::from_secs(10));
                wakeups += 1;
            }
            (t0.elapsed(), wakeups)
        });
        // Ring only once the waiter has said what it wants, so every ring
        // below ten is one it must sleep through.
        while bell.want.load(Ordering::Acquire) == 0 {
            thread::yield_now();
        }
        for _ in 0..10 {
            thread::sleep(Duration::from_millis(5));
            level.fetch_add(1, Ordering::Release);
            bell.ring(|| level.load(Ordering::Acquire));
        }
        let (took, wakeups) = waiter.join().unwrap();
        // Woken by the tenth ring, not by the 10 s timeout...
        assert!(took < Duration::from_secs(5), "{took:?}");
        // ...and not by the nine before it (one spurious futex wake-up allowed).
        assert!(wakeups <= 2, "woken {wakeups} times for one wish");
    }

    #[test]
    fn a_ring_below_the_wish_does_not_wake_and_wake_always_does() {
        let bell = Doorbell::default();
        bell.ring(|| 100); // nobody waits: nothing happens
        let bell = Arc::new(bell);
        let b = bell.clone();
        let waiter = thread::spawn(move || {
            let t0 = Instant::now();
            b.wait_for(1000, || 0, Duration::from_secs(10));
            t0.elapsed()
        });
        // The waiter registers itself before it sleeps; ring below its wish
        // until it does, then wake it outright.
        while bell.want.load(Ordering::Acquire) == 0 {
            thread::yield_now();
        }
        bell.ring(|| 999);
        assert_eq!(bell.want.load(Ordering::Acquire), 1000, "still waiting");
        bell.wake();
        assert!(waiter.join().unwrap() < Duration::from_secs(5));
    }
}
