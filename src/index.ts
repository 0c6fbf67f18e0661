/**
 * ringstream: realtime audio I/O for Node.js and Bun with a Rust core.
 * @packageDocumentation
 */
// The streams are Node EventEmitters with Node stream adapters: the published
// types need Node's (`@types/node` is a dependency of the package for them).
/// <reference types="node" preserve="true" />
// First: a clear error where no native binary loads (see binding.ts).
import './native/binding.js';
export { RingBuffer, type RegionsCallback, type RingRegions, type RingHandle } from './ring/ring.js';
export { ErrorCode, isRingstreamError, type RingstreamError } from './common/errors.js';
export type { BinaryData } from './common/bytes.js';
export type { ChunksOptions } from './stream/chunks.js';
export type { AdapterOptions } from './stream/adapters.js';
export type { FeedOptions, SinkFunction, SourceChunks, SourceFunction } from './stream/feed.js';
export {
  defaults,
  type Defaults,
  type DefaultsStore,
  type Dtype,
  type SampleArray,
  type SampleArrayOf,
  type SampleArrays,
} from './device/defaults.js';
export {
  hosts,
  devices,
  type DeviceInfo,
  type DevicesOptions,
  type NativeOffers,
  type ValueRange,
} from './device/devices.js';
export { chunks, InputStream, OutputStream, DuplexStream, type ToFileOptions } from './stream/kinds.js';
export { StreamState, type StreamEvents, type StreamListener } from './stream/state.js';
export { StreamIo } from './stream/io.js';
export {
  Mixer,
  Recorder,
  MixerAndRecorder,
  MixerBase,
  type ActionOptions,
  type CancelOptions,
  type FetchStatsOptions,
  type RingPlayOptions,
} from './mixer/mixer.js';
export { Action, type ActionType, type ActionOutcome, type MixerStats } from './mixer/action.js';
export { Monitor, type MonitorFrames, type MonitorHook, type MonitorOptions, type MonitorRunOptions } from './mixer/monitor.js';
export { MonitorRun } from './mixer/monitor-run.js';
export { WorkerMonitor, type WorkerMonitorOptions } from './mixer/monitor-worker.js';
export { SharedBuffer, type SharedBufferHandle, SharedBufferReader } from './ring/shared-buffer.js';
export { serveMonitor, type ServeMonitorHooks } from './mixer/monitor-serve.js';
export { Server, startup, shutdown, type ServerOptions, type ServerPlayOptions, type Playable } from './toolkit/server.js';
export { Arecorder } from './toolkit/arecorder.js';
export { Stream } from './stream/stream.js';
export { Logger, Now, type LoggerOptions } from './toolkit/logger.js';
export type {
  StreamOptions,
  InputStreamOptions,
  OutputStreamOptions,
  DuplexStreamOptions,
  StreamStatus,
  XrunEvent,
  DeviceChangeEvent,
  VirtualFaults,
  Source,
  Sink,
  Recorded,
  PlayOptions,
  RecordOptions,
  PlayrecOptions,
  StartOptions,
} from './stream/options.js';
export { BlockReader } from './files/block-reader.js';
export { BlockWriter } from './files/block-writer.js';
export { AudioWriter, type AudioWriterSpec } from './files/audio-writer.js';
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
} from './files/wav.js';
export {
  readAudio,
  writeAudio,
  AudioReader,
  type AudioData,
  type AudioEncoding,
  type AudioFileInfo,
  type AudioFormat,
  type AudioWriteSpec,
  type RawSpec,
  type ReadAudioOptions,
} from './files/audio.js';
export {
  Signal,
  type SignalOptions,
  type ChannelRef,
  type FindEventsOptions,
} from './toolkit/signal/signal.js';
export { Spectrum, Spectrogram, type SpectrogramOptions } from './toolkit/signal/analysis.js';
export { SignalBase, type SignalData } from './toolkit/signal/base.js';
export { SignalSelect, type WriteMode } from './toolkit/signal/select.js';
export { SignalArith, type AddOptions, type ArithOptions, type LengthMode } from './toolkit/signal/arith.js';
export { SignalProcess, type ConvolveOptions, type OverlapAddOptions, type SignalSize } from './toolkit/signal/process.js';
export type { Operand } from './toolkit/signal/operand.js';
export { SignalBlocks } from './toolkit/signal/blocks.js';
export type { Where, FrameSelection, ChannelSelection, FrameRange, TimeRange } from './toolkit/signal/where.js';
export type { GenOptions, SquareOptions, SawtoothOptions, NoiseOptions } from './toolkit/signal/generate.js';
export type { InterpKind, ResampleKind } from './toolkit/signal/edit.js';
export type { SaveOptions } from './toolkit/signal/save.js';
export type { PlotOptions, SpectrumPlotOptions, SpectrogramPlotOptions, WaveformPlotOptions } from './toolkit/svg.js';
export { IirFilter, type IirFilterOptions, type FrequencyResponse } from './toolkit/signal/filter.js';
export { Stft, type StftOptions } from './toolkit/signal/stft.js';
export { ComplexSpectrum } from './toolkit/signal/spectrum.js';
export type { WindowName, WindowFn } from './toolkit/signal/window.js';
export * as util from './toolkit/util.js';
export type { DbOptions, BandOptions, FractionalOctaveOptions } from './toolkit/util.js';
