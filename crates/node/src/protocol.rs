//! The numbers Rust and TypeScript share through memory, exported from the
//! core's own constants: the ring's control words, the engine's event bits,
//! stream states and status flags. TypeScript takes them from here (through
//! `src/protocol.ts`), never from a copy, so the two sides cannot drift.
//!
//! Each constant becomes an `export const NAME: number` of the generated
//! bindings, and [`protocol_constants`] lists them all, so a test can check
//! that the TypeScript side exports every one.

use crate::error::OrThrow;
use crate::ring::NativeRing;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::engine::schedule::{kind, outcome};
use ringstream_core::engine::{notify::events, state, status};
use ringstream_core::ring::{layout, Consumer, Producer, Ring, MAX_RING_BYTES, NATIVE_HOLDER};
use std::sync::Arc;

/// Bytes per control word: JS indexes the ring's header as a `Uint32Array`.
const WORD: usize = std::mem::size_of::<u32>();

/// A byte offset of the ring header as a `Uint32Array` index.
const fn word(offset: usize) -> u32 {
    assert!(
        offset.is_multiple_of(WORD),
        "ring control words are u32-aligned"
    );
    (offset / WORD) as u32
}

/// A count that must fit a JS-visible u32.
const fn narrow(value: usize) -> u32 {
    assert!(value <= u32::MAX as usize);
    value as u32
}

/// One exported constant, as listed by [`protocol_constants`].
#[napi(object)]
pub struct ProtocolConstant {
    /// The export's name, e.g. `EV_FINISHED`.
    pub name: String,
    /// Its value.
    pub value: u32,
}

/// Declares each constant as a `#[napi]` export and lists them all in
/// `protocol_constants()`, from one list.
macro_rules! protocol {
    ($( $(#[doc = $doc:literal])* $name:ident = $value:expr; )*) => {
        $(
            $(#[doc = $doc])*
            #[napi]
            pub const $name: u32 = $value;
        )*

        /// Every constant of the shared protocol, by name. Internal: for the
        /// test that the TypeScript side exports each one.
        #[napi]
        pub fn protocol_constants() -> Vec<ProtocolConstant> {
            vec![$(ProtocolConstant { name: stringify!($name).to_string(), value: $name }),*]
        }
    };
}

protocol! {
    /// Ring header: `Uint32Array` index of the write index (a byte offset
    /// modulo twice the capacity).
    RING_WRITE_INDEX = word(layout::WRITE_INDEX);
    /// Ring header: `Uint32Array` index of the read index.
    RING_READ_INDEX = word(layout::READ_INDEX);
    /// Ring header: `Uint32Array` index of the producer-held flag (0 or 1).
    RING_WRITE_HELD = word(layout::WRITE_HELD);
    /// Ring header: `Uint32Array` index of the consumer-held flag (0 or 1).
    RING_READ_HELD = word(layout::READ_HELD);
    /// Ring header: `Uint32Array` index of the producer-done flag (0 or 1).
    RING_PRODUCER_DONE = word(layout::PRODUCER_DONE);
    /// Ring header length in `Uint32Array` words (the data follows it).
    RING_CONTROL_WORDS = word(layout::DATA);
    /// Byte offset of the ring's data in its shared block.
    RING_DATA_OFFSET = narrow(layout::DATA);
    /// The largest ring, in bytes (`elementSize * size`).
    RING_MAX_BYTES = narrow(MAX_RING_BYTES);
    /// Ring header: the value a native holder writes into a role word (a JS
    /// holder of a ring shared across threads writes a token above it).
    RING_NATIVE_HOLDER = NATIVE_HOLDER;

    /// Event bit: every action ended and the stream finished (or was stopped
    /// or aborted).
    EV_FINISHED = events::FINISHED;
    /// Event bit: an xrun was counted.
    EV_XRUN = events::XRUN;
    /// Event bit: an error stopped the stream.
    EV_ERROR = events::ERROR;
    /// Event bit: an action completed.
    EV_ACTION_DONE = events::ACTION_DONE;
    /// Event bit: data arrived in a sink ring.
    EV_DATA = events::DATA;
    /// Event bit: the first block of a run was processed (the clock is live).
    EV_STARTED = events::STARTED;
    /// Event bit: the control side asks the bridge to quit.
    EV_QUIT = events::QUIT;

    /// Stream state: not started, or stopped by the control side.
    STATE_IDLE = state::IDLE;
    /// Stream state: callbacks are running.
    STATE_RUNNING = state::RUNNING;
    /// Stream state: every action ended (or `stop()` drained them).
    STATE_FINISHED = state::FINISHED;
    /// Stream state: `abort()` ended the stream.
    STATE_ABORTED = state::ABORTED;
    /// Stream state: an error ended the stream.
    STATE_ERROR = state::ERROR;

    /// Status flag: input data was lost before it reached the engine.
    STATUS_INPUT_UNDERFLOW = status::INPUT_UNDERFLOW;
    /// Status flag: input data was lost because a sink was full or the
    /// callback was late.
    STATUS_INPUT_OVERFLOW = status::INPUT_OVERFLOW;
    /// Status flag: output was filled with silence (data not there in time).
    STATUS_OUTPUT_UNDERFLOW = status::OUTPUT_UNDERFLOW;
    /// Status flag: output data was dropped.
    STATUS_OUTPUT_OVERFLOW = status::OUTPUT_OVERFLOW;

    /// Action kind: a buffer played (rtmixer's PLAY_BUFFER).
    ACTION_PLAY_BUFFER = kind::PLAY_BUFFER;
    /// Action kind: a ring played.
    ACTION_PLAY_RINGBUFFER = kind::PLAY_RINGBUFFER;
    /// Action kind: input recorded into a buffer.
    ACTION_RECORD_BUFFER = kind::RECORD_BUFFER;
    /// Action kind: input recorded into a ring.
    ACTION_RECORD_RINGBUFFER = kind::RECORD_RINGBUFFER;
    /// Action kind: a cancel.
    ACTION_CANCEL = kind::CANCEL;
    /// Action kind: a statistics fetch.
    ACTION_FETCH_AND_RESET_STATS = kind::FETCH_AND_RESET_STATS;
    /// Action kind: a tap of the device's input or output (a Monitor's feed).
    ACTION_TAP = kind::TAP;

    /// Action outcome: waiting for its start time, or running.
    OUTCOME_PENDING = outcome::PENDING;
    /// Action outcome: it did all it had to do.
    OUTCOME_DONE = outcome::DONE;
    /// Action outcome: its time had passed and belated starts were not allowed.
    OUTCOME_DROPPED = outcome::DROPPED;
    /// Action outcome: a cancel ended it.
    OUTCOME_CANCELLED = outcome::CANCELLED;
    /// Action outcome: the stream stopped, aborted or failed first.
    OUTCOME_STOPPED = outcome::STOPPED;
}

/// Drives a ring from Rust through the core's own `Producer` and `Consumer`,
/// so that a test can check that the TypeScript `RingBuffer` reads and writes
/// the same words. Internal: for the protocol test.
#[napi]
pub struct NativeRingProbe {
    ring: Arc<Ring>,
    producer: Option<Producer>,
    consumer: Option<Consumer>,
}

#[napi]
impl NativeRingProbe {
    /// A probe of `ring`; it holds no role until it writes or reads.
    #[napi(constructor)]
    pub fn new(ring: &NativeRing) -> Self {
        NativeRingProbe {
            ring: ring.ring().clone(),
            producer: None,
            consumer: None,
        }
    }

    /// Claims the producer role (kept until `release`) and writes as many
    /// whole elements of `data` as fit; returns the elements written.
    #[napi]
    pub fn write(&mut self, env: Env, data: &[u8]) -> Result<u32> {
        if self.producer.is_none() {
            self.producer = Some(self.ring.producer_or_err().or_throw(&env)?);
        }
        let p = self.producer.as_mut().expect("claimed just above");
        Ok(p.write(data).or_throw(&env)? as u32)
    }

    /// Claims the consumer role (kept until `release`) and reads up to
    /// `elements` elements.
    #[napi]
    pub fn read(&mut self, env: Env, elements: u32) -> Result<Uint8Array> {
        if self.consumer.is_none() {
            self.consumer = Some(self.ring.consumer_or_err().or_throw(&env)?);
        }
        let c = self.consumer.as_mut().expect("claimed just above");
        let n = (elements as usize).min(c.available_bytes() / self.ring.element_size());
        let mut out = vec![0u8; n * self.ring.element_size()];
        c.read_into(&mut out).or_throw(&env)?;
        Ok(Uint8Array::new(out))
    }

    /// Gives up both roles.
    #[napi]
    pub fn release(&mut self) {
        self.producer = None;
        self.consumer = None;
    }

    /// Sets or clears the producer-done flag.
    #[napi]
    pub fn set_producer_done(&self, done: bool) {
        self.ring.set_producer_done(done);
    }

    /// The producer-done flag as the core reads it.
    #[napi(getter)]
    pub fn producer_done(&self) -> bool {
        self.ring.producer_done()
    }

    /// Elements readable, as the core computes it from the two indices.
    #[napi(getter)]
    pub fn read_available(&self) -> u32 {
        self.ring.read_available() as u32
    }
}
