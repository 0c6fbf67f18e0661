// Audio bytes through pipes and RAW files: reading a WAV/RAW byte stream
// into a stream's ring, and writing a ring's frames out as WAV/RAW bytes.
// Every sample conversion runs in Rust (nativeTranscode); JS moves blocks.
import { fstatSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { nativeParseAuPrefix, nativeParseWavPrefix, nativeTranscode, nativeWavStreamHeader } from '../native/addon.js';
import type { Dtype } from '../device/defaults.js';
import { codedError, ErrorCode } from '../common/errors.js';
import type { RingBuffer } from '../ring/ring.js';
import type { Encoding, FileType } from './config.js';

/** The core's name of a byte layout: encoding plus byte order (`i16be`). */
export function pcmName(encoding: Encoding, bigEndian: boolean): string {
  return bigEndian ? `${encoding}be` : encoding;
}

/** The layout of a stream dtype's samples in a ring. */
export function dtypePcm(dtype: Dtype): string {
  return dtype === 'float32' ? 'f32' : dtype === 'int16' ? 'i16' : 'i32';
}

/** Bytes per sample of each encoding. */
export const BYTES: Record<Encoding, number> = { f32: 4, i16: 2, i24: 3, i32: 4, u8: 1 };

/** What a byte stream holds. */
export interface PcmSpec {
  samplerate: number | undefined;
  channels: number;
  encoding: Encoding;
  bigEndian: boolean;
  /** Frames the header announces (WAV with a known length). */
  frames: number | undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Reads WAV or RAW audio from a byte stream (stdin, a RAW file). */
export class PcmReader {
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private left = Infinity;
  private spec!: PcmSpec;

  constructor(private readonly source: Readable) {
    this.it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Stops reading (a pending read ends): the run is over. */
  close(): void {
    this.source.destroy();
  }

  /** Reads the header (WAV or AU, told apart by their first bytes) or takes `raw` as the layout (RAW). */
  async open(type: FileType, raw: Omit<PcmSpec, 'frames'> | undefined): Promise<PcmSpec> {
    if (type === 'raw') return (this.spec = { ...raw!, frames: undefined });
    for (;;) {
      if (this.pending.length >= 4 && this.pending.subarray(0, 4).toString('latin1') === '.snd') {
        const au = nativeParseAuPrefix(this.pending);
        if (au) return this.start(au.dataStart, au.dataBytes, { ...au, encoding: au.format as Encoding, bigEndian: true });
      } else if (this.pending.length >= 4 && type === 'au') {
        throw codedError(ErrorCode.UNSUPPORTED_FORMAT, 'not an AU stream: it does not start with .snd');
      } else if (this.pending.length >= 4 && this.pending.subarray(0, 4).toString('latin1') === 'fLaC') {
        throw codedError(ErrorCode.UNSUPPORTED_FORMAT, 'FLAC is not read from a pipe yet: name the file instead of -');
      }
      const wav = this.pending.length >= 4 && this.pending.subarray(0, 4).toString('latin1') !== '.snd';
      const h = wav ? nativeParseWavPrefix(this.pending) : null;
      if (h)
        return this.start(h.dataStart, h.dataBytes, {
          samplerate: h.samplerate,
          channels: h.channels,
          encoding: h.format as Encoding,
          bigEndian: false,
        });
      const r = await this.it.next();
      if (r.done) throw codedError(ErrorCode.WAV_FORMAT, 'not a WAV or AU stream: it ended inside the header');
      this.pending = Buffer.concat([this.pending, r.value]);
    }
  }

  /** Starts the data `dataStart` bytes in, `dataBytes` long when known. */
  private start(dataStart: number, dataBytes: number | null | undefined, s: Omit<PcmSpec, 'frames'>): PcmSpec {
    this.pending = this.pending.subarray(dataStart);
    const frameBytes = s.channels * BYTES[s.encoding];
    if (dataBytes != null) this.left = dataBytes - (dataBytes % frameBytes);
    const frames = dataBytes == null ? undefined : this.left / frameBytes;
    return (this.spec = { samplerate: s.samplerate, channels: s.channels, encoding: s.encoding, bigEndian: s.bigEndian, frames });
  }

  /** Whole frames of the file's bytes, converted to `dtype`, as they arrive; ends at the data's end. */
  async *frames(dtype: Dtype): AsyncGenerator<Uint8Array> {
    const s = this.spec;
    const frameBytes = s.channels * BYTES[s.encoding];
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

/** Writes a ring's frames as WAV or RAW bytes (stdout, a RAW file). */
export class PcmWriter {
  private frames = 0;
  private failed: Error | undefined;
  private readonly from: string;
  private readonly to: string;
  private readonly frameBytes: number;
  /** Whether the header can be rewritten at the end (stdout redirected to a new file). */
  private readonly seekable: boolean;

  constructor(
    private readonly out: Writable,
    private readonly fd: number | undefined,
    private readonly spec: { type: FileType; samplerate: number; channels: number; encoding: Encoding; bigEndian: boolean; dtype: Dtype },
  ) {
    // A write error (EPIPE when the reader of stdout quits) fails the pending write; no crash.
    out.on('error', (e) => (this.failed ??= e));
    this.from = dtypePcm(spec.dtype);
    this.to = pcmName(spec.encoding, spec.bigEndian);
    this.frameBytes = spec.channels * BYTES[spec.encoding];
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

  private header(frames?: number): Uint8Array {
    const { samplerate, channels, encoding } = this.spec;
    return nativeWavStreamHeader(samplerate, channels, encoding, frames);
  }

  /** Writes the header (WAV: of unknown length). */
  async begin(): Promise<void> {
    if (this.spec.type === 'wav') await this.write(this.header());
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
        await this.write(nativeTranscode(block, this.from, this.to));
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

  /** Finishes: a seekable WAV output gets its real sizes (and pad byte). */
  async end(): Promise<void> {
    const bytes = this.frames * this.frameBytes;
    const fix = this.spec.type === 'wav' && this.seekable && this.fd !== undefined;
    if (this.failed) return void this.out.destroy();
    if (fix && bytes % 2 === 1) await this.write(new Uint8Array(1));
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (fix) {
      const h = this.header(this.frames);
      writeSync(this.fd!, h, 0, h.length, 0);
    }
  }
}
