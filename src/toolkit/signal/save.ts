// Signal.save: any writable format, as writeAudio writes it; which container
// and encoding is the core's rule (nativeSaveSpec), not decided here.
import { nativeSaveSpec } from '../../native/addon.js';
import { invalidArg } from '../../common/errors.js';
import { checkOptions, checkString } from '../../common/validate.js';
import type { WavFormat } from '../../files/wav.js';
import { type AudioEncoding, type AudioFormat, writeAudio } from '../../files/audio.js';

/** Options of `signal.save`. */
export interface SaveOptions {
  /**
   * The container (`'wav'`, `'flac'`, `'aiff'`, `'au'`, `'raw'`); default:
   * the path's extension. A WAV sample format (`'f32'`, `'i16'`, ...) is
   * taken as the encoding, as pya's `save_wavfile` and earlier versions do.
   */
  format?: AudioFormat | WavFormat;
  /** The sample encoding; default float (WAV, AU, RAW) or `'pcm_24'` (FLAC, AIFF): nothing lost. */
  encoding?: AudioEncoding;
}

/** @internal Writes `data` to `path` as `options` and the path say. */
export async function saveSignal(
  path: string,
  data: Float32Array,
  shape: { samplerate: number; channels: number },
  options: SaveOptions | undefined,
): Promise<void> {
  const o = checkOptions(options, ['format', 'encoding'], 'the save options');
  checkString(path, 'path');
  if (!Number.isInteger(shape.samplerate)) throw invalidArg(`an audio file needs a whole samplerate, this signal has ${shape.samplerate}`);
  const format = o.format === undefined ? undefined : checkString(o.format, 'format');
  const encoding = o.encoding === undefined ? undefined : checkString(o.encoding, 'encoding');
  const spec = nativeSaveSpec(path, format, encoding);
  await writeAudio(path, data, { ...shape, format: spec.format as AudioFormat, encoding: spec.encoding as AudioEncoding });
}
