// Audio bytes through pipes and RAW files: reading a byte stream of any
// format the core detects into a stream's ring, and writing a ring's frames
// out as WAV/AU/FLAC/RAW bytes. Every sample conversion, every header and
// every decode runs in Rust (nativeTranscode, the pipe decoder and encoder);
// JS moves blocks.
import { fstatSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import {
  NativePipeDecoder,
  NativePipeEncoder,
  nativeEncodingName,
  nativeParseAuPrefix,
  nativeParseWavPrefix,
  nativeSniff,
  nativeTranscode,
} from '../native/addon.js';
import type { Dtype } from '../device/defaults.js';
import { codedError, ErrorCode } from '../common/errors.js';
import type { RingBuffer } from '../ring/ring.js';
import type { Encoding, FileType } from './config.js';

/** The core's name of a byte layout: encoding plus byte order (`i16be`, `ulawbe`). */
export function pcmName(encoding: string, bigEndian: boolean): string {
  return bigEndian ? `${encoding}be` : encoding;
}

/** The layout of a stream dtype's samples in a ring. */
export function dtypePcm(dtype: Dtype): string {
  return dtype === 'float32' ? 'f32' : dtype === 'int16' ? 'i16' : 'i32';
}

/** Bytes per sample of an encoding (any name the core takes). */
export function sampleBytes(encoding: string): number {
  return nativeEncodingName(encoding).bytes;
}

/** What a byte stream holds. */
export interface PcmSpec {
  samplerate: number | undefined;
  channels: number;
  /** The samples' layout as `nativeTranscode` names it (`i16`, `ulaw`, `pcm_24`, ...). */
  encoding: string;
  bigEndian: boolean;
  /** Frames the header announces (WAV with a known length). */
  frames: number | undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Bytes the core needs to name a stream's format. */
const SNIFF_BYTES = 16;
/** Bytes pushed to the pipe decoder and not yet decoded, before reading waits. */
const DECODER_BACKLOG = 1 << 20;
/** Frames taken from the pipe decoder per block. */
const DECODED_BLOCK = 16384;

/** Reads WAV or RAW audio from a byte stream (stdin, a RAW file). */
export class PcmReader {
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private left = Infinity;
  private spec!: PcmSpec;
  /** The core's decoder of a compressed stream (FLAC, Ogg, ...). */
  private decoder: NativePipeDecoder | undefined;
  private inputEnded = false;

  constructor(private readonly source: Readable) {
    this.it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Stops reading (a pending read ends): the run is over. */
  close(): void {
    this.source.destroy();
    this.decoder?.close();
  }

  /**
   * Reads the header or takes `raw` as the layout (RAW). The core names the
   * format by the first bytes (`auto`), or checks them against `type`: WAV
   * and AU go through the PCM path, every other format the core decodes
   * (FLAC, Ogg, MP3, AIFF, CAF) through its pipe decoder.
   */
  async open(type: FileType, raw: Omit<PcmSpec, 'frames'> | undefined): Promise<PcmSpec> {
    if (type === 'raw') return (this.spec = { ...raw!, frames: undefined });
    let ended = false;
    while (this.pending.length < SNIFF_BYTES && !ended) ended = !(await this.more());
    const found = nativeSniff(this.pending);
    if (found === null || (type !== 'auto' && found !== type)) {
      const start = JSON.stringify(this.pending.subarray(0, 4).toString('latin1'));
      const what = type === 'auto' ? 'an audio stream ringstream reads (WAV, AU, FLAC, Ogg, MP3, AIFF, CAF)' : `a ${type} stream`;
      throw codedError(
        ErrorCode.UNSUPPORTED_FORMAT,
        this.pending.length === 0
          ? `the input is empty, expected ${what}`
          : `the input is not ${what}: it starts with ${start}${found ? ` (${found})` : ''}`,
      );
    }
    if (found !== 'wav' && found !== 'au') return this.openDecoder(found);
    for (;;) {
      let h: { dataStart: number; dataBytes?: number | null; samplerate: number; channels: number; format: string } | null;
      try {
        h = found === 'au' ? nativeParseAuPrefix(this.pending) : nativeParseWavPrefix(this.pending);
      } catch (e) {
        // A WAV encoding the PCM path does not convert (µ-law, A-law, double): the core's decoder reads it.
        if (found === 'wav' && (e as { code?: string }).code === ErrorCode.WAV_FORMAT && /unsupported encoding/.test((e as Error).message))
          return this.openDecoder('wav');
        throw e;
      }
      if (h) {
        return this.start(h.dataStart, h.dataBytes, {
          samplerate: h.samplerate,
          channels: h.channels,
          encoding: h.format,
          bigEndian: found === 'au',
        });
      }
      if (!(await this.more())) throw codedError(ErrorCode.WAV_FORMAT, `not a ${found.toUpperCase()} stream: it ended inside the header`);
    }
  }

  /** Reads the next piece of the input into `pending`; false at its end. */
  private async more(): Promise<boolean> {
    const r = await this.it.next();
    if (r.done) return false;
    this.pending = this.pending.length ? Buffer.concat([this.pending, r.value]) : r.value;
    return true;
  }

  /** Starts the core's decoder on the bytes so far; waits for the stream's header. */
  private async openDecoder(format: string): Promise<PcmSpec> {
    const d = NativePipeDecoder.start(format);
    this.decoder = d;
    d.push(this.pending);
    this.pending = Buffer.alloc(0);
    let ended = false;
    for (;;) {
      const info = d.info();
      if (info) {
        const { samplerate, channels, frames } = info;
        return (this.spec = { samplerate, channels, encoding: 'float', bigEndian: false, frames: frames ?? undefined });
      }
      if (ended) {
        await sleep(5);
        continue;
      }
      const r = await this.it.next();
      if (r.done) {
        d.endInput();
        ended = true;
      } else d.push(r.value);
    }
  }

  /** Starts the data `dataStart` bytes in, `dataBytes` long when known. */
  private start(dataStart: number, dataBytes: number | null | undefined, s: Omit<PcmSpec, 'frames'>): PcmSpec {
    this.pending = this.pending.subarray(dataStart);
    const frameBytes = s.channels * sampleBytes(s.encoding);
    if (dataBytes != null) this.left = dataBytes - (dataBytes % frameBytes);
    const frames = dataBytes == null ? undefined : this.left / frameBytes;
    return (this.spec = { samplerate: s.samplerate, channels: s.channels, encoding: s.encoding, bigEndian: s.bigEndian, frames });
  }

  /** Whole frames of the file's bytes, converted to `dtype`, as they arrive; ends at the data's end. */
  async *frames(dtype: Dtype): AsyncGenerator<Uint8Array> {
    if (this.decoder) return yield* this.decoded(this.decoder, dtype);
    const s = this.spec;
    const frameBytes = s.channels * sampleBytes(s.encoding);
    const from = pcmName(s.encoding, s.bigEndian);
    const to = dtypePcm(dtype);
    for (;;) {
      const usable = Math.min(this.pending.length - (this.pending.length % frameBytes), this.left);
      if (usable > 0) {
        yield nativeTranscode(this.pending.subarray(0, usable), from, to);
        this.pending = this.pending.subarray(usable);
        this.left -= usable;
      }
      if (this.left <= 0) return;
      const r = await this.it.next();
      if (r.done) {
        // As libsndfile reads a file: whole frames only, the rest said, not fatal.
        if (this.pending.length > 0) {
          process.emitWarning(
            `the audio ended with ${this.pending.length} byte(s) of an incomplete ${frameBytes}-byte frame; they are left out`,
          );
        }
        if (Number.isFinite(this.left) && this.left >= frameBytes) {
          process.emitWarning(`the WAV data ended ${Math.floor(this.left / frameBytes)} frames short of the length its header gives`);
        }
        return;
      }
      this.pending = this.pending.length ? Buffer.concat([this.pending, r.value]) : r.value;
    }
  }

  /** The decoder's frames, converted to `dtype`, as the input arrives. */
  private async *decoded(d: NativePipeDecoder, dtype: Dtype): AsyncGenerator<Uint8Array> {
    const to = dtypePcm(dtype);
    for (;;) {
      const block = d.read(DECODED_BLOCK);
      if (block === null) return;
      if (block.length > 0) {
        yield nativeTranscode(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), 'f32', to);
      } else if (!this.inputEnded && d.queuedBytes < DECODER_BACKLOG) {
        const r = await this.it.next();
        if (r.done) {
          d.endInput();
          this.inputEnded = true;
        } else d.push(r.value);
      } else await sleep(5);
    }
  }

  /**
   * Feeds `ring` (a stream's source) until the data ends or `stopped()`;
   * then marks the ring done, so the stream's source ends once it is empty.
   * `onFirstFill` runs once the ring is full or the data ended (prebuffering).
   */
  async feed(ring: RingBuffer, dtype: Dtype, stopped: () => boolean, onFirstFill: () => void): Promise<void> {
    let filled = false;
    const fill = () => {
      if (!filled) (filled = true), onFirstFill();
    };
    try {
      for await (const block of this.frames(dtype)) {
        let off = 0;
        while (off < block.length && !stopped()) {
          off += ring.write(block.subarray(off)) * ring.elementSize;
          if (off < block.length) {
            fill();
            await sleep(10);
          }
        }
        if (stopped()) return;
      }
    } catch (e) {
      // Once the run is over, the source being closed under the read is no failure.
      if (!stopped()) throw e;
    } finally {
      ring.setProducerDone(true);
      fill();
    }
  }
}

/** What a {@link PcmWriter} writes. */
export interface PcmOutSpec {
  type: FileType;
  samplerate: number;
  channels: number;
  /** The encoding; none: the format's default for recordings. */
  encoding: Encoding | undefined;
  bigEndian: boolean;
  dtype: Dtype;
}

/** Writes a ring's frames as WAV, AU, FLAC or RAW bytes (stdout, a RAW file), encoded by the core. */
export class PcmWriter {
  private frames = 0;
  private failed: Error | undefined;
  private readonly from: string;
  private readonly encoder: NativePipeEncoder;
  /** Whether the header can be rewritten at the end (stdout redirected to a new file). */
  private readonly seekable: boolean;

  constructor(
    private readonly out: Writable,
    private readonly fd: number | undefined,
    spec: PcmOutSpec,
  ) {
    const { type, samplerate, channels, encoding, bigEndian } = spec;
    // The core refuses what a pipe cannot carry (AIFF) or a container cannot hold.
    this.encoder = NativePipeEncoder.start({ format: type, samplerate, channels, encoding, bigEndian });
    // A write error (EPIPE when the reader of stdout quits) fails the pending write; no crash.
    out.on('error', (e) => (this.failed ??= e));
    this.from = dtypePcm(spec.dtype);
    let seekable = false;
    if (fd !== undefined) {
      try {
        const st = fstatSync(fd);
        seekable = st.isFile() && st.size === 0;
      } catch {
        seekable = false;
      }
    }
    this.seekable = seekable;
  }

  /** Writes the header (of unknown length). */
  async begin(): Promise<void> {
    const h = this.encoder.header();
    if (h.length > 0) await this.write(h);
  }

  private write(b: Uint8Array): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.out.write(b, (e) => (e ? reject(e) : resolve()));
    });
  }

  /**
   * Moves what the ring holds to the output until `done()` says the
   * recording ended and the ring is empty.
   */
  async drain(ring: RingBuffer, done: () => boolean): Promise<void> {
    for (;;) {
      const n = ring.readAvailable;
      if (n > 0) {
        const block = ring.read(n);
        const bytes = this.encoder.write(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), this.from);
        if (bytes.length > 0) await this.write(bytes);
        this.frames += block.length / ring.elementSize;
        continue;
      }
      if (done() && ring.readAvailable === 0) return;
      await sleep(10);
    }
  }

  /** Frames written so far. */
  get written(): number {
    return this.frames;
  }

  /** Finishes: the last bytes (FLAC's last block); a seekable output gets its real sizes (and WAV's pad byte). */
  async end(): Promise<void> {
    if (this.failed) return void this.out.destroy();
    const tail = this.encoder.finish();
    if (tail.length > 0) await this.write(tail);
    const fix = this.seekable && this.fd !== undefined;
    if (fix && this.encoder.needsPad) await this.write(new Uint8Array(1));
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (fix) {
      const h = this.encoder.finalHeader();
      if (h.length > 0) writeSync(this.fd!, h, 0, h.length, 0);
    }
  }
}
