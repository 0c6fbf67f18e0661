//! The numbers Rust and TypeScript share through memory, exported from the
//! core's own constants: the ring's control words, the engine's event bits,
//! stream states and status flags. TypeScript takes them from here (through
//! `src/protocol.ts`), never from a copy, so the two sides cannot drift.
//!
//! Each constant becomes an `export const NAME: number` of the generated
//! bindings, and `protocol_constants` (a test hook) lists them all, so a
//! test can check that the TypeScript side exports every one.

use napi_derive::napi;
use ringstream_core::engine::schedule::{ActionKind, Outcome};
use ringstream_core::engine::{status, Event, StreamState};
use ringstream_core::ring::{layout, MAX_RING_BYTES, NATIVE_HOLDER};
use ringstream_core::stream::{
    DEFAULT_BUFFER_SIZE, MAX_BUFFER_SIZE, MAX_SAMPLERATE, MIN_SAMPLERATE,
};

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

/// One exported constant, as listed by `protocol_constants` (a test hook).
#[cfg(feature = "test-hooks")]
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

        /// Every constant of the shared protocol, by name. A test hook (left
        /// out of the published build): for the test that the TypeScript side
        /// exports each one.
        #[cfg(feature = "test-hooks")]
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

    /// Frames of a stream's rings when no `bufferSize` is given.
    BUFFER_SIZE_DEFAULT = narrow(DEFAULT_BUFFER_SIZE);
    /// The largest `bufferSize`, in frames.
    BUFFER_SIZE_MAX = narrow(MAX_BUFFER_SIZE);
    /// The lowest stream sample rate, in Hz.
    SAMPLERATE_MIN = MIN_SAMPLERATE;
    /// The highest stream sample rate, in Hz.
    SAMPLERATE_MAX = MAX_SAMPLERATE;

    /// Event bit: every action ended and the stream finished (or was stopped
    /// or aborted).
    EV_FINISHED = Event::Finished.as_u32();
    /// Event bit: an xrun was counted.
    EV_XRUN = Event::Xrun.as_u32();
    /// Event bit: an error stopped the stream.
    EV_ERROR = Event::Error.as_u32();
    /// Event bit: an action completed.
    EV_ACTION_DONE = Event::ActionDone.as_u32();
    /// Event bit: data arrived in a sink ring.
    EV_DATA = Event::Data.as_u32();
    /// Event bit: the first block of a run was processed (the clock is live).
    EV_STARTED = Event::Started.as_u32();
    /// Event bit: after close, the device and the stream's threads are released.
    EV_RELEASED = Event::Released.as_u32();
    /// Event bit: the host moved the stream to the new default device.
    EV_DEVICE_CHANGE = Event::DeviceChange.as_u32();
    /// Event bit: the control side asks the bridge to quit.
    EV_QUIT = Event::Quit.as_u32();

    /// Stream state: not started, or stopped by the control side.
    STATE_IDLE = StreamState::Idle.as_u32();
    /// Stream state: callbacks are running.
    STATE_RUNNING = StreamState::Running.as_u32();
    /// Stream state: every action ended (or `stop()` drained them).
    STATE_FINISHED = StreamState::Finished.as_u32();
    /// Stream state: `abort()` ended the stream.
    STATE_ABORTED = StreamState::Aborted.as_u32();
    /// Stream state: an error ended the stream.
    STATE_ERROR = StreamState::Error.as_u32();

    /// Status flag: input data was lost before it reached the engine.
    STATUS_INPUT_UNDERFLOW = status::INPUT_UNDERFLOW;
    /// Status flag: input data was lost because a sink was full or the
    /// callback was late.
    STATUS_INPUT_OVERFLOW = status::INPUT_OVERFLOW;
    /// Status flag: output was filled with silence (data not there in time).
    STATUS_OUTPUT_UNDERFLOW = status::OUTPUT_UNDERFLOW;
    /// Status flag: output data was dropped.
    STATUS_OUTPUT_OVERFLOW = status::OUTPUT_OVERFLOW;
    /// Status flag (not an xrun): the host moved the stream to the new default device.
    STATUS_DEVICE_CHANGED = status::DEVICE_CHANGED;

    /// Action kind: a buffer played (rtmixer's PLAY_BUFFER).
    ACTION_PLAY_BUFFER = ActionKind::PlayBuffer.as_u32();
    /// Action kind: a ring played.
    ACTION_PLAY_RINGBUFFER = ActionKind::PlayRingbuffer.as_u32();
    /// Action kind: input recorded into a buffer.
    ACTION_RECORD_BUFFER = ActionKind::RecordBuffer.as_u32();
    /// Action kind: input recorded into a ring.
    ACTION_RECORD_RINGBUFFER = ActionKind::RecordRingbuffer.as_u32();
    /// Action kind: a cancel.
    ACTION_CANCEL = ActionKind::Cancel.as_u32();
    /// Action kind: a statistics fetch.
    ACTION_FETCH_AND_RESET_STATS = ActionKind::FetchAndResetStats.as_u32();
    /// Action kind: a tap of the device's input or output (a Monitor's feed).
    ACTION_TAP = ActionKind::Tap.as_u32();

    /// Action outcome: waiting for its start time, or running.
    OUTCOME_PENDING = Outcome::Pending.as_u32();
    /// Action outcome: it did all it had to do.
    OUTCOME_DONE = Outcome::Done.as_u32();
    /// Action outcome: its time had passed and belated starts were not allowed.
    OUTCOME_DROPPED = Outcome::Dropped.as_u32();
    /// Action outcome: a cancel ended it.
    OUTCOME_CANCELLED = Outcome::Cancelled.as_u32();
    /// Action outcome: the stream stopped, aborted or failed first.
    OUTCOME_STOPPED = Outcome::Stopped.as_u32();
}
