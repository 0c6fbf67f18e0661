/**
 * ringstream: realtime audio I/O for Node.js and Bun with a Rust core.
 * @packageDocumentation
 */
// First: a clear error where no native binary loads (see binding.ts).
import './binding.js';
export { RingBuffer, type RegionsCallback, type RingRegions, type RingHandle } from './ring.js';
export { ErrorCode, isRingstreamError, type RingstreamError } from './errors.js';
export type { BinaryData } from './bytes.js';
export type { ChunksOptions } from './chunks.js';
export type { AdapterOptions } from './adapters.js';
export type { FeedOptions, SinkFunction, SourceChunks, SourceFunction } from './feed.js';
export { defaults, type Defaults, type Dtype, type SampleArray } from './defaults.js';
export { hosts, devices, type DeviceInfo, type DevicesOptions } from './devices.js';
export { chunks, InputStream, OutputStream, DuplexStream } from './streams.js';
export { StreamState } from './stream-state.js';
export { Mixer, Recorder, MixerAndRecorder, MixerBase, type ActionOptions, type CancelOptions } from './mixer.js';
export { Action, type ActionType, type ActionOutcome, type MixerStats } from './action.js';
export { Monitor, type MonitorFrames, type MonitorOptions } from './monitor.js';
export { Server, type ServerOptions, type ServerPlayOptions, type Playable } from './server.js';
export { Arecorder } from './arecorder.js';
export {
  Stream,
  type StreamOptions,
  type StreamStatus,
  type XrunEvent,
  type VirtualFaults,
  type Source,
  type Sink,
  type Recorded,
  type PlayOptions,
  type RecordOptions,
  type PlayrecOptions,
  type StartOptions,
} from './stream.js';
export {
  readWav,
  writeWav,
  WavReader,
  WavWriter,
  DEFAULT_WAV_FORMAT,
  type WavData,
  type WavFormat,
  type WavSpec,
  type WavWriteSpec,
} from './wav.js';
export {
  Signal,
  type SignalOptions,
  type ChannelRef,
  type FindEventsOptions,
} from './signal/signal.js';
export { Spectrum, Spectrogram, type SpectrogramOptions } from './signal/analysis.js';
export type { GenOptions, SquareOptions, SawtoothOptions, NoiseOptions } from './signal/generate.js';
export type { PlotOptions, SpectrumPlotOptions, SpectrogramPlotOptions } from './svg.js';
export * as util from './util.js';
export type { DbOptions, BandOptions, FractionalOctaveOptions } from './util.js';
