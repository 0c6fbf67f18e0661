//! One virtual sound card: a clock thread that runs the callback of every
//! stream open on it, each at its own block boundaries, on one frame clock.
//! Streams of the same device, sample rate and pace share a card (process
//! wide), so a Mixer and a separate Recorder on `virtual:loopback` see the
//! same stream times, and what one plays the other records, sample-exact.
//!
//! The card thread runs each callback while holding the card's lock, so a
//! stream that is paused, started or closed (which takes the lock) is never
//! inside its callback at that moment. Callbacks themselves follow the
//! realtime contract; the card's own bookkeeping is the device's business.

use super::bus::{Bus, FRAMES};
use super::fault::xrun_flags;
use super::member::{tick, Member};
use crate::error::{Error, ErrorKind, Result};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

/// What makes two streams share a card.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    loopback: bool,
    samplerate: u32,
    speed_bits: u64,
    offset_bits: u64,
}

struct State {
    /// Ordered by id, so outputs are summed in one order (exactly reproducible).
    members: BTreeMap<u64, Member>,
    next_id: u64,
    bus: Bus,
    /// The card frame reached: every running member's next block starts at or after it.
    frame: u64,
    /// Wall time of card frame 0 (real-time pace).
    anchor: Instant,
    /// The thread has exited: a new stream needs a new card.
    dead: bool,
}

/// A card and its clock thread.
pub struct Card {
    key: Key,
    state: Mutex<State>,
    cv: Condvar,
    /// Threads other than the clock's waiting for the lock. A card that
    /// rushes yields to them only when there are any: a yield on a loaded
    /// machine costs a scheduler round (16 ms at load 14 on 2 cores), which
    /// made a block at `speed: Infinity` take that long.
    waiting: AtomicUsize,
}

fn registry() -> &'static Mutex<HashMap<Key, Weak<Card>>> {
    static CARDS: OnceLock<Mutex<HashMap<Key, Weak<Card>>>> = OnceLock::new();
    CARDS.get_or_init(Mutex::default)
}

impl Card {
    /// The lock, for every thread but the clock's (counted in `waiting`).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let st = self.lock_clock();
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        st
    }

    /// The lock, for the clock thread.
    fn lock_clock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds `member` to the card for this device, rate, pace and clock
    /// error (`offset_ppm`, see [`crate::device::Faults::clock_offset_ppm`])
    /// (created on first use); returns the card and the member's id.
    pub fn join(
        loopback: bool,
        samplerate: u32,
        speed: f64,
        offset_ppm: f64,
        member: Member,
    ) -> Result<(Arc<Card>, u64)> {
        let key = Key {
            loopback,
            samplerate,
            speed_bits: speed.to_bits(),
            offset_bits: offset_ppm.to_bits(),
        };
        let mut reg = registry().lock().unwrap_or_else(|p| p.into_inner());
        let mut member = Some(member);
        if let Some(card) = reg.get(&key).and_then(Weak::upgrade) {
            let mut st = card.lock();
            if !st.dead {
                let id = Card::add(&mut st, member.take().expect("member"))?;
                drop(st);
                return Ok((card, id));
            }
        }
        let card = Arc::new(Card {
            key: key.clone(),
            state: Mutex::new(State {
                members: BTreeMap::new(),
                next_id: 1,
                bus: Bus::new(),
                frame: 0,
                anchor: Instant::now(),
                dead: false,
            }),
            cv: Condvar::new(),
            waiting: AtomicUsize::new(0),
        });
        let id = Card::add(&mut card.lock(), member.take().expect("member"))?;
        let runner = card.clone();
        std::thread::Builder::new()
            .name("ringstream-virtual-card".into())
            .spawn(move || runner.run())
            .map_err(Error::from)?;
        reg.insert(key, Arc::downgrade(&card));
        Ok((card, id))
    }

    fn add(st: &mut State, member: Member) -> Result<u64> {
        let span = member.latency.0 + member.latency.1 + 2 * member.block;
        if span >= FRAMES / 2 {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "the virtual device holds {} frames of latency plus blocks; {} in + {} out + {} each way is too much",
                    FRAMES / 2,
                    member.latency.0,
                    member.latency.1,
                    member.block
                ),
            ));
        }
        st.bus
            .ensure_channels(member.channels.0.max(member.channels.1));
        let id = st.next_id;
        st.next_id += 1;
        st.members.insert(id, member);
        Ok(id)
    }

    /// Starts member `id` at the card's next frame.
    pub fn start(&self, id: u64) -> Result<()> {
        let mut st = self.lock();
        let pace = self.pace();
        let idle = !st.members.values().any(Member::live);
        if idle {
            // Nothing else plays: the card starts from silence, so a stream
            // alone on it hears nothing of its own previous run.
            st.bus.clear();
        }
        let now_frame = match pace {
            Some(frame_time) if idle => {
                // An idle card's clock resumes from where it stopped.
                st.anchor = Instant::now() - frame_time.mul_f64(st.frame as f64);
                st.frame
            }
            Some(frame_time) => {
                let elapsed = st.anchor.elapsed().as_secs_f64() / frame_time.as_secs_f64();
                st.frame.max(elapsed as u64)
            }
            None => st.frame,
        };
        let m =
            st.members.get_mut(&id).filter(|m| !m.gone).ok_or_else(|| {
                Error::new(ErrorKind::DeviceNotFound, "the virtual device is gone")
            })?;
        m.running = true;
        m.k = 0;
        m.next = now_frame;
        m.pending_flags = 0;
        m.pending_lost = 0;
        drop(st);
        self.cv.notify_all();
        Ok(())
    }

    /// Stops calling member `id`; returns once its callback is not running.
    pub fn pause(&self, id: u64) {
        let mut st = self.lock();
        if let Some(m) = st.members.get_mut(&id) {
            m.running = false;
        }
    }

    /// Removes member `id` (its callback is dropped here, on the caller's thread).
    pub fn leave(&self, id: u64) {
        let removed = self.lock().members.remove(&id);
        self.cv.notify_all();
        drop(removed);
    }

    /// Calls `f` on every running member of every card of this device (a
    /// loopback or not); returns how many there were.
    pub fn each_running(loopback: bool, mut f: impl FnMut(&mut Member)) -> usize {
        let cards: Vec<Arc<Card>> = (registry().lock().unwrap_or_else(|p| p.into_inner()))
            .iter()
            .filter(|(k, _)| k.loopback == loopback)
            .filter_map(|(_, c)| c.upgrade())
            .collect();
        let mut n = 0;
        for card in cards {
            for m in card.lock().members.values_mut().filter(|m| m.running) {
                f(m);
                n += 1;
            }
            card.cv.notify_all();
        }
        n
    }

    /// Wall time of one frame (the clock error included), or None when
    /// running as fast as possible.
    fn pace(&self) -> Option<FrameTime> {
        frame_time(
            self.key.samplerate,
            f64::from_bits(self.key.speed_bits),
            f64::from_bits(self.key.offset_bits),
        )
    }

    fn run(&self) {
        let pace = self.pace();
        let speed = f64::from_bits(self.key.speed_bits);
        let sr = self.key.samplerate as f64;
        let mut st = self.lock_clock();
        loop {
            if st.members.is_empty() {
                st.dead = true;
                return;
            }
            let Some(frame) = st
                .members
                .values()
                .filter(|m| m.live())
                .map(|m| m.next)
                .min()
            else {
                st = self.cv.wait(st).unwrap_or_else(|p| p.into_inner());
                continue;
            };
            st.frame = st.frame.max(frame);
            // Whether the card runs ahead of real time (as fast as possible,
            // or catching up): only then does it hold its lock tick after tick.
            let mut rushing = pace.is_none();
            if let Some(frame_time) = pace {
                let due = st.anchor + frame_time.mul_f64(frame as f64);
                let now = Instant::now();
                if due > now {
                    st = self
                        .cv
                        .wait_timeout(st, due - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0;
                    continue;
                }
                let late = now - due;
                rushing = late > Duration::from_millis(1);
                for m in st
                    .members
                    .values_mut()
                    .filter(|m| m.live() && m.next == frame)
                {
                    // What a card's buffer absorbs: a wake-up up to the
                    // latency late is no xrun; above real time, wall-clock
                    // jitter never is.
                    // The output's latency (the input's for an input-only stream).
                    let lat = [m.latency.1, m.latency.0][usize::from(m.channels.1 == 0)];
                    let slack = frame_time.mul_f64(lat as f64);
                    if late > slack && speed <= 1.0 {
                        m.pending_flags |= xrun_flags(m.channels);
                        m.pending_lost += ((late - slack).as_secs_f64() * sr * speed) as u64;
                    }
                }
                // A card whose clock is off on purpose keeps its clock and
                // catches up, as a real card's crystal does not slow down
                // under load: re-anchoring would read as drift.
                let keeps_clock = f64::from_bits(self.key.offset_bits) != 0.0;
                if !keeps_clock && late > frame_time.mul_f64(2.0 * sr / 1000.0) {
                    // More than 2 ms behind: pace on from now rather than rush.
                    st.anchor = now - frame_time.mul_f64(frame as f64);
                }
            }
            let State { members, bus, .. } = &mut *st;
            for m in members.values_mut().filter(|m| m.live() && m.next == frame) {
                tick(m, bus, frame, sr, self.key.loopback);
            }
            // Let a waiting start, pause or close in between ticks: a card
            // that runs as fast as possible (or catches up) would otherwise
            // hold its lock for as long as it runs. A card on time waits for
            // its next tick on the condition variable, which releases the
            // lock: no yield (a system call per block) is needed then.
            if rushing && self.waiting.load(Ordering::Acquire) > 0 {
                drop(st);
                std::thread::yield_now();
                st = self.lock_clock();
            }
        }
    }
}

/// Wall time of one frame, kept in f64 seconds: a `Duration` holds whole
/// nanoseconds, and 1/48000 s truncated to them runs the card 16 ppm fast,
/// more than the clock offsets it is meant to show.
#[derive(Clone, Copy, Debug)]
pub(super) struct FrameTime(f64);

impl FrameTime {
    /// Wall time of `frames` frames.
    pub(super) fn mul_f64(self, frames: f64) -> Duration {
        Duration::from_secs_f64(self.0 * frames)
    }

    /// Seconds per frame.
    pub(super) fn as_secs_f64(self) -> f64 {
        self.0
    }
}

/// Wall time of one frame of a card at `samplerate` that runs `speed` times
/// real time with a clock `offset_ppm` fast (slow when negative); None when
/// it runs as fast as possible.
pub(super) fn frame_time(samplerate: u32, speed: f64, offset_ppm: f64) -> Option<FrameTime> {
    let rate = 1.0 + offset_ppm * 1e-6;
    (speed.is_finite() && speed > 0.0)
        .then(|| FrameTime(1.0 / (f64::from(samplerate) * speed * rate)))
}
