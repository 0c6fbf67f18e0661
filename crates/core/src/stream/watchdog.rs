//! The watchdog: ends a running stream whose device stopped calling back.
//!
//! A device can die without a word: a JACK server killed under an ALSA
//! stream (the ALSA `jack` plugin) leaves the ALSA device thread waiting
//! forever, and nothing reports an error. The engine publishes the
//! monotonic time of every callback (the stream clock, [`Clock`]); the
//! watchdog, on the stream's bridge thread (never the audio thread), reads
//! it and ends a run that went quiet with `ERR_DEVICE_NOT_FOUND`.
//!
//! The rule: a running stream fails when no callback ran for
//! `max(4 blocks, 2 x the device latency, 250 ms)` of wall time (scaled by
//! `1 / speed` on a virtual device slower than real time), or, before the
//! first callback of a run, for that or 2 s, whichever is longer (a device
//! may take a while to start). A stream that is not running (never started,
//! stopped, finished, aborted, failed) is never checked, and the JS side's
//! prebuffer wait happens before the device is started.
//!
//! [`Clock`]: crate::engine::clock::Clock

use crate::engine::notify::{events, monotonic_ns};
use crate::engine::{state, Shared};
use crate::error::ErrorKind;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The least silence that counts as a dead device.
const MIN_SILENCE: Duration = Duration::from_millis(250);
/// The least wait for a run's first callback.
const FIRST_CALLBACK: Duration = Duration::from_secs(2);
/// How often the bridge looks while the stream is not running.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// How far past the deadline the bridge looks again.
const DEADLINE_MARGIN: Duration = Duration::from_millis(1);

/// A running stream against its deadline.
enum Watch {
    /// Not running (or not started): nothing to watch.
    Off,
    /// Within the limit, with this much of it left.
    Left(Duration),
    /// Quiet for `quiet` ns, over the `allowed` silence.
    Over { quiet: u64, allowed: Duration },
}

/// Watches one stream's callbacks (see the module docs for the rule).
pub struct Watchdog {
    shared: Arc<Shared>,
    message: Arc<Mutex<Option<String>>>,
    limit: Duration,
}

impl Watchdog {
    /// A watchdog over `shared`; `message` receives the error's text.
    /// `block` is the callback's block and `latency` the larger of the
    /// device's two latencies, both in seconds; `speed` is the virtual
    /// device's pace (1 on real devices).
    pub(super) fn new(
        shared: Arc<Shared>,
        message: Arc<Mutex<Option<String>>>,
        block: f64,
        latency: f64,
        speed: f64,
    ) -> Watchdog {
        let secs = (4.0 * block)
            .max(2.0 * latency)
            .max(MIN_SILENCE.as_secs_f64());
        let slow = if speed > 0.0 && speed < 1.0 {
            1.0 / speed
        } else {
            1.0
        };
        Watchdog {
            shared,
            message,
            limit: Duration::from_secs_f64(secs * slow),
        }
    }

    /// How long a running stream may go without a callback.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// How long the bridge may wait for events before the next
    /// [`Watchdog::check`]: until the running stream's deadline (its last
    /// callback plus the limit), so that a healthy stream costs the bridge
    /// one wake-up per limit instead of a poll every few blocks (a thread
    /// wake-up is most of the CPU a stream costs on a virtual machine).
    pub fn poll_interval(&self) -> Duration {
        match self.watch() {
            Watch::Off => IDLE_POLL,
            // A wake-up exactly at the deadline finds the stream still
            // within it: look just after.
            Watch::Left(left) => left + DEADLINE_MARGIN,
            Watch::Over { .. } => Duration::ZERO,
        }
    }

    /// Where the stream stands against its deadline now.
    fn watch(&self) -> Watch {
        if self.shared.state.load(Ordering::Acquire) != state::RUNNING {
            return Watch::Off;
        }
        let started = self.shared.started_ns.load(Ordering::Acquire);
        if started == 0 {
            return Watch::Off;
        }
        let last = self.shared.clock.read().ns;
        let (since, allowed) = if last >= started {
            (last, self.limit)
        } else {
            (started, self.limit.max(FIRST_CALLBACK))
        };
        let quiet = monotonic_ns().saturating_sub(since);
        match (allowed.as_nanos() as u64).checked_sub(quiet) {
            Some(left) => Watch::Left(Duration::from_nanos(left)),
            None => Watch::Over { quiet, allowed },
        }
    }

    /// Ends the stream with `ERR_DEVICE_NOT_FOUND` if it runs and its
    /// callbacks stopped; true when it did.
    pub fn check(&self) -> bool {
        let Watch::Over { quiet, allowed } = self.watch() else {
            return false;
        };
        let mut msg = self.message.lock().unwrap_or_else(|p| p.into_inner());
        if !self.shared.fail_running(ErrorKind::DeviceNotFound) {
            return false;
        }
        *msg = Some(format!(
            "the device stopped calling back: no audio callback for {} ms (the limit is {} ms); it was disconnected or its server died",
            quiet / 1_000_000,
            allowed.as_millis()
        ));
        true
    }

    /// The bridge loop: waits for the engine's events and hands each batch
    /// to `forward`, checking the callbacks between waits, until the
    /// control side raises [`events::QUIT`].
    pub fn serve(&self, mut forward: impl FnMut(u32)) {
        loop {
            let bits = self.shared.notifier.wait(self.poll_interval());
            if bits & events::QUIT != 0 {
                return;
            }
            if bits != 0 {
                forward(bits);
            }
            // A failure raises its events: the next wait returns them at once.
            self.check();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dog(block: f64, latency: f64, speed: f64) -> (Watchdog, Arc<Shared>) {
        let shared = Arc::new(Shared::new(0, 1));
        let d = Watchdog::new(shared.clone(), Arc::default(), block, latency, speed);
        (d, shared)
    }

    fn run(shared: &Shared) {
        shared.started_ns.store(monotonic_ns(), Ordering::Release);
        shared.state.store(state::RUNNING, Ordering::Release);
    }

    #[test]
    fn the_limit_follows_the_rule() {
        assert_eq!(dog(0.005, 0.02, 1.0).0.limit(), MIN_SILENCE);
        assert_eq!(dog(0.1, 0.02, 1.0).0.limit(), Duration::from_millis(400));
        assert_eq!(dog(0.01, 0.3, 1.0).0.limit(), Duration::from_millis(600));
        assert_eq!(dog(0.01, 0.02, 0.5).0.limit(), Duration::from_millis(500));
        assert_eq!(dog(0.01, 0.02, f64::INFINITY).0.limit(), MIN_SILENCE);
    }

    #[test]
    fn fires_only_for_a_running_stream_gone_quiet() {
        let (d, shared) = dog(0.001, 0.0, 1.0);
        // Idle: never.
        shared.started_ns.store(1, Ordering::Release);
        assert!(!d.check());
        run(&shared);
        shared.clock.publish(0.0);
        assert!(!d.check(), "a callback just ran");
        std::thread::sleep(MIN_SILENCE + Duration::from_millis(50));
        assert!(d.check());
        assert_eq!(shared.state.load(Ordering::Acquire), state::ERROR);
        assert_eq!(shared.error_kind(), Some(ErrorKind::DeviceNotFound));
        assert!(!d.check(), "fires once");
    }

    #[test]
    fn the_bridge_sleeps_until_the_deadline() {
        let (d, shared) = dog(0.001, 0.0, 1.0);
        assert_eq!(d.poll_interval(), IDLE_POLL, "idle: the slow poll");
        run(&shared);
        shared.clock.publish(0.0);
        // A callback just ran: the next look is one limit away, not a
        // fraction of it.
        let first = d.poll_interval();
        assert!(
            first > MIN_SILENCE / 2 && first <= MIN_SILENCE + DEADLINE_MARGIN,
            "{first:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
        let later = d.poll_interval();
        assert!(
            later + Duration::from_millis(100) <= first,
            "{first:?} then {later:?}"
        );
        std::thread::sleep(later);
        assert!(d.check(), "quiet until the deadline: over");
    }

    #[test]
    fn waits_longer_for_the_first_callback() {
        let (d, shared) = dog(0.001, 0.0, 1.0);
        shared.clock.publish(0.0); // a callback of an earlier run
        std::thread::sleep(Duration::from_millis(5));
        run(&shared);
        std::thread::sleep(MIN_SILENCE + Duration::from_millis(50));
        assert!(!d.check(), "within the first-callback grace");
    }

    #[test]
    fn a_finished_run_keeps_its_ending() {
        let (d, shared) = dog(0.001, 0.0, 1.0);
        run(&shared);
        shared.state.store(state::FINISHED, Ordering::Release);
        assert!(!d.check());
        assert_eq!(shared.state.load(Ordering::Acquire), state::FINISHED);
    }
}
