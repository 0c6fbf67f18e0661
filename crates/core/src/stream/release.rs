//! Closing a stream off the caller's thread.
//!
//! Releasing a device can block for as long as the device likes: closing
//! an ALSA PCM or a JACK client waits for the server, and a server that is
//! frozen (SIGSTOP, a debugger) never answers. The control side (the JS
//! thread) must never wait on that, so [`Stream::release`] drops the stream
//! on a thread of its own and hands back a [`Release`] that says when the
//! device is released, or when it is no use waiting any longer.

use super::Stream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a release may take beyond the output latency (which a close
/// waits for, so that queued output reaches the DAC) before the caller
/// stops waiting for it.
pub const RELEASE_WAIT: Duration = Duration::from_secs(2);

/// A stream being released (see [`Stream::release`]).
#[derive(Debug, Clone)]
pub struct Release {
    done: Arc<AtomicBool>,
    deadline: Instant,
}

impl Release {
    /// A release that is already over.
    pub fn finished() -> Release {
        Release {
            done: Arc::new(AtomicBool::new(true)),
            deadline: Instant::now(),
        }
    }

    /// Whether the device and the stream's threads are released.
    pub fn done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Whether the caller can stop waiting: the release is done, or it took
    /// longer than the output latency plus [`RELEASE_WAIT`] (a device that
    /// does not let go; the release goes on in the background, and the
    /// process can still exit).
    pub fn settled(&self) -> bool {
        self.done() || Instant::now() >= self.deadline
    }

    /// How long the caller may still wait before [`Release::settled`] holds
    /// whatever the device does (zero once it does): a caller told of the
    /// release by [`Stream::release_then`] needs one timer for the rest.
    pub fn remaining(&self) -> Duration {
        if self.done() {
            return Duration::ZERO;
        }
        self.deadline.saturating_duration_since(Instant::now())
    }
}

impl Stream {
    /// Closes the stream on a thread of its own and returns at once: the
    /// device's own close may block (a frozen server) and the caller must
    /// not. Without a thread to spare, the stream is closed here.
    pub fn release(self) -> Release {
        self.release_then(|| {})
    }

    /// [`Stream::release`], then `then()` on the release thread once the
    /// device let go: the caller is told, rather than asking on a timer.
    /// `then` is not called while the device holds on (a frozen server).
    pub fn release_then(self, then: impl FnOnce() + Send + 'static) -> Release {
        let wait = RELEASE_WAIT + Duration::from_secs_f64(self.info.latency.1.clamp(0.0, 60.0));
        in_background(self, wait, then)
    }
}

/// Drops `value` on a thread of its own, then calls `then`; the caller may
/// wait up to `wait`.
fn in_background<T: Send + 'static>(
    value: T,
    wait: Duration,
    then: impl FnOnce() + Send + 'static,
) -> Release {
    let done = Arc::new(AtomicBool::new(false));
    let release = Release {
        done: done.clone(),
        deadline: Instant::now() + wait,
    };
    let spawned = std::thread::Builder::new()
        .name("ringstream-close".into())
        .spawn(move || {
            drop(value);
            done.store(true, Ordering::Release);
            then();
        });
    if spawned.is_err() {
        // Without a thread, spawn has dropped the closure: the value is
        // dropped already (and `then` uncalled: the release reads as done).
        return Release::finished();
    }
    release
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Blocks its drop until told to go on (a device whose server froze).
    struct Stuck(mpsc::Receiver<()>);

    impl Drop for Stuck {
        fn drop(&mut self) {
            let _ = self.0.recv();
        }
    }

    #[test]
    fn a_release_that_blocks_returns_at_once_and_settles_at_the_deadline() {
        let (go, wait) = mpsc::channel();
        let (told, heard) = mpsc::channel();
        let r = in_background(Stuck(wait), Duration::from_millis(50), move || {
            told.send(()).unwrap()
        });
        assert!(!r.done(), "the drop is still blocked");
        assert!(!r.settled(), "within the wait");
        assert!(r.remaining() > Duration::ZERO && r.remaining() <= Duration::from_millis(50));
        std::thread::sleep(Duration::from_millis(80));
        assert!(!r.done());
        assert!(r.settled(), "past the wait: the caller stops waiting");
        assert_eq!(r.remaining(), Duration::ZERO);
        assert!(
            heard.try_recv().is_err(),
            "not told while the device holds on"
        );
        go.send(()).unwrap();
        heard
            .recv_timeout(Duration::from_secs(5))
            .expect("told once the device let go");
        let t0 = Instant::now();
        while !r.done() && t0.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(r.done(), "the drop ends once the device lets go");
    }

    #[test]
    fn a_quick_release_is_done_before_its_deadline() {
        let r = in_background(vec![1u8; 16], Duration::from_secs(60), || {});
        let t0 = Instant::now();
        while !r.settled() && t0.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(r.done());
    }
}
