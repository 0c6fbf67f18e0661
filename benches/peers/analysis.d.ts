/** Types of analysis.js (the peer bench's recording analysis), for the tests. */

/** A run of silence inside the tone, in frames from the start of the recording. */
export interface Gap {
  start: number;
  length: number;
}

/** Where the tone is in a recording and which gaps it has (frames). */
export interface GapAnalysis {
  onset: number;
  end: number;
  span: number;
  gaps: Gap[];
  gapFrames: number;
  sounding: number;
}

/** Options of {@link findGaps}. */
export interface GapOptions {
  channels?: number;
  channel?: number;
  threshold?: number;
  minGap?: number;
}

/** Finds the tone and the runs of silence inside it. */
export function findGaps(data: Float32Array, opts?: GapOptions): GapAnalysis;
/** The first frame whose magnitude reaches `threshold`, or -1. */
export function firstAbove(data: Float32Array, opts?: { channels?: number; channel?: number; threshold?: number }): number;
/** A sine (or a linear sweep to `sweepTo`), interleaved over `channels`. */
export function sine(
  frames: number,
  opts?: { freq?: number; amp?: number; samplerate?: number; channels?: number; phase?: number; sweepTo?: number },
): Float32Array;
/** One channel of an interleaved signal. */
export function channelOf(data: Float32Array, channels: number, channel: number): Float32Array;
/** The frame of `played` that the recording's frame `onset` is (0: the start was played whole). */
export function alignStart(
  recorded: Float32Array,
  played: Float32Array,
  onset: number,
  opts?: { probe?: number; maxOffset?: number },
): number;
