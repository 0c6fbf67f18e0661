/**
 * The numbers Rust and TypeScript share through memory: the ring header's
 * word indices, the engine's event bits, stream states and status flags.
 *
 * They come from the native binding, which exports the core's own constants
 * (crates/node/src/protocol.rs), so that no number is copied by hand across
 * the boundary. Import them from here rather than from the binding: this
 * module is the one place TypeScript names them. Internal to the package:
 * each constant's documentation is the Rust doc comment, carried into the
 * generated index.d.ts.
 * @module
 */
export {
  // The ring's shared block: a header of u32 control words, then the data.
  RING_WRITE_INDEX,
  RING_READ_INDEX,
  RING_WRITE_HELD,
  RING_READ_HELD,
  RING_PRODUCER_DONE,
  RING_CONTROL_WORDS,
  RING_DATA_OFFSET,
  RING_MAX_BYTES,
  RING_NATIVE_HOLDER,
  // A stream's limits and defaults (the rules themselves are the core's check functions).
  BUFFER_SIZE_DEFAULT,
  BUFFER_SIZE_MAX,
  SAMPLERATE_MIN,
  SAMPLERATE_MAX,
  // Event bits the audio thread raises for the bridge thread.
  EV_FINISHED,
  EV_XRUN,
  EV_ERROR,
  EV_ACTION_DONE,
  EV_DATA,
  EV_STARTED,
  EV_RELEASED,
  EV_DEVICE_CHANGE,
  EV_QUIT,
  // Stream states.
  STATE_IDLE,
  STATE_RUNNING,
  STATE_FINISHED,
  STATE_ABORTED,
  STATE_ERROR,
  // Status flags (PortAudio's callback flags).
  STATUS_INPUT_UNDERFLOW,
  STATUS_INPUT_OVERFLOW,
  STATUS_OUTPUT_UNDERFLOW,
  STATUS_OUTPUT_OVERFLOW,
  STATUS_DEVICE_CHANGED,
  // Action kinds (python-rtmixer's action types).
  ACTION_PLAY_BUFFER,
  ACTION_PLAY_RINGBUFFER,
  ACTION_RECORD_BUFFER,
  ACTION_RECORD_RINGBUFFER,
  ACTION_CANCEL,
  ACTION_FETCH_AND_RESET_STATS,
  ACTION_TAP,
  // How an action ended.
  OUTCOME_PENDING,
  OUTCOME_DONE,
  OUTCOME_DROPPED,
  OUTCOME_CANCELLED,
  OUTCOME_STOPPED,
} from '../../index.js';
