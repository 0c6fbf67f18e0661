// python-rtmixer's examples (examples/*.py), translated to ringstream and run
// as written on the virtual device: structure, calls and semantics kept;
// adapted are the sample rates, the int/float convention (ringstream's
// rings and buffers hold float32 frames, so sizes are in frames and
// `samplesize` is 4), the device ('virtual:loopback', with `speed` so that
// seconds of audio take less wall time: every sleep is in device time), and
// what needs a GUI or a keyboard (matplotlib, tkinter, input()) is driven by
// the test instead. `print` collects the lines the examples print.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Action, defaults, Mixer, MixerAndRecorder, Recorder, RingBuffer, WavReader, writeWav } from '../src/index';
import { closeAfterEach, noise } from './helpers';

const track = closeAfterEach();
const dir = mkdtempSync(join(tmpdir(), 'ringstream-rtmixer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `sd.sleep(ms)` / `time.sleep(s * 1000)` in device time, on a device running `speed` times real time. */
function sleeper(speed: number): (ms: number) => Promise<void> {
  return (ms) => new Promise((r) => setTimeout(r, ms / speed));
}

/** The lines an example prints. */
function printer(): { lines: string[]; print: (...args: unknown[]) => void } {
  const lines: string[] = [];
  return { lines, print: (...args) => lines.push(args.map(String).join(' ')) };
}

/** The float32 samples of an interleaved byte view. */
function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** numpy's RandomState(seed), as far as the examples use it: a seeded uniform source. */
class RandomState {
  private x: number;
  constructor(seed: number) {
    this.x = seed >>> 0 || 1;
  }
  private next(): number {
    // mulberry32
    this.x = (this.x + 0x6d2b79f5) >>> 0;
    let t = this.x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  randint(hi: number): number {
    return Math.floor(this.next() * hi);
  }
}

describe("rtmixer's examples, as written", () => {
  it('play_file.py: a file played through a ring the script keeps filling; the action ends when the ring runs empty, having played every frame', async () => {
    const speed = 2;
    const sleep = sleeper(speed);
    const { print, lines } = printer();
    // soundfile's SoundFile → WavReader; a 1.5 s stereo file written first.
    const filename = join(dir, 'play_file.wav');
    await writeWav(filename, noise(2 * 72_000, 3), { samplerate: 48_000, channels: 2 });

    const playbackBlocksize = undefined;
    const latency = undefined;
    const readingBlocksize = 1024; // (readingBlocksize * rbSize) has to be power of 2
    const rbSize = 16; // Number of blocks

    const f = WavReader.open(filename);
    /** `f.buffer_read_into(buf, dtype='float32')`: frames read into `buf`. */
    const bufferReadInto = (buf: Uint8Array): number => {
      const data = f.read(buf.byteLength / 4 / f.channels);
      buf.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return data.length / f.channels;
    };
    const m = track(
      new Mixer({
        device: 'virtual:loopback',
        channels: f.channels,
        blocksize: playbackBlocksize,
        samplerate: f.samplerate,
        latency,
        speed,
      }),
    );
    await m.start();
    const elementsize = f.channels * 4;
    const rb = new RingBuffer(elementsize, readingBlocksize * rbSize);
    // Pre-fill ringbuffer:
    const [, buf] = rb.getWriteBuffers(readingBlocksize * rbSize);
    let written = bufferReadInto(buf);
    rb.advanceWriteIndex(written);
    const action = m.playRingbuffer(rb);
    for (;;) {
      while (rb.writeAvailable < readingBlocksize) {
        if (!m.actions.has(action)) break;
        await sleep(Math.trunc((1000 * readingBlocksize) / f.samplerate));
      }
      if (!m.actions.has(action)) break;
      const [size, buf1, buf2] = rb.getWriteBuffers(readingBlocksize);
      expect(buf2.length).toBe(0);
      written = bufferReadInto(buf1);
      rb.advanceWriteIndex(written);
      if (written < size) break;
    }
    await m.wait(action);
    if (action.doneFrames !== f.frames) print('Something went wrong, not all frames were played');
    if (action.stats.outputUnderflows) print('output underflows:', action.stats.outputUnderflows);
    await m.close();
    f.close();

    expect(lines).toEqual([]);
    expect(action.outcome).toBe('done');
    expect(action.doneFrames).toBe(72_000);
  });

  it('fetch_stats.py: stats fetched while running, a ring recording that overflows ends alone, stats before opening and after closing', async () => {
    const speed = 16;
    const sleep = sleeper(speed);
    const { print, lines } = printer();
    const blocksize = undefined; // rtmixer's 0: the host's choice
    const latency = 0;
    const device = 'virtual:loopback';
    const samplerate = undefined;
    const channels = 1;

    const printStats = (obj: { stats: { blocks: number; minBlocksize: number; maxBlocksize: number; inputOverflows: number } }): void => {
      print(`blocks (min/max): ${obj.stats.blocks} (${obj.stats.minBlocksize}/${obj.stats.maxBlocksize})`);
      print('       overflows:', obj.stats.inputOverflows);
    };
    const printAction = (action: Action): void => {
      print('            type:', action.type);
      print('  requested time:', action.requestedTime);
      print('     actual time:', action.actualTime);
      print('    total frames:', action.totalFrames);
      print('     done frames:', action.doneFrames);
    };

    const stream = track(new Recorder({ device, channels, blocksize, latency, samplerate, speed }));
    const buffer = new Float32Array(10 * stream.samplerate);
    const ringbuffer = new RingBuffer(4 * channels, 128);

    print('checking stats before opening stream:');
    printStats(stream);
    expect(stream.stats.blocks).toBe(0);
    expect(stream.stats.inputOverflows).toBe(0);

    await stream.start(); // with stream:
    print('waiting a few seconds ...');
    await sleep(3 * 1000);
    print('checking stats:');
    let action = await stream.fetchAndResetStats();
    await stream.wait(action);
    printStats(action);
    const fetched = action;
    print('starting recording to buffer ...');
    action = stream.recordBuffer(buffer, channels);
    await stream.wait(action);
    print('result:');
    printAction(action);
    const recorded = action;
    print('stats from finished recording:');
    printStats(action);
    print('starting recording to ringbuffer ...');
    action = stream.recordRingbuffer(ringbuffer, channels);
    // NB: We are writing to the ringbuffer, but we are not reading from it,
    // which will lead to an overflow
    print('waiting for ring buffer to fill up ...');
    await stream.wait(action);
    print('result:');
    printAction(action);
    const overflowed = action;
    print('recording was stopped because of ringbuffer overflow:', action.doneFrames !== action.totalFrames);
    print('checking stats:');
    action = await stream.fetchAndResetStats();
    await stream.wait(action);
    printStats(action);
    const last = action;
    await stream.close();

    print('checking stats after closing stream:');
    printStats(stream);

    expect(fetched.outcome).toBe('done');
    expect(fetched.stats.blocks).toBeGreaterThan(0);
    expect(recorded.outcome).toBe('done');
    expect(recorded.doneFrames).toBe(recorded.totalFrames);
    expect(overflowed.outcome).toBe('done');
    expect(overflowed.doneFrames).toBe(128);
    expect(overflowed.stats.framesLost).toBeGreaterThan(0);
    expect(lines).toContain('recording was stopped because of ringbuffer overflow: true');
    expect(last.outcome).toBe('done');
    expect(last.stats.blocks).toBeGreaterThan(0);
  });

  it('delay.py: whatever comes in plays back `delay` seconds later through one ring; both ring actions start on time and keep running', async () => {
    const speed = 4;
    const sleep = sleeper(speed);
    const { print } = printer();
    const delay = 1.5;
    const channels = 1;
    const blocksize = undefined; // rtmixer's 0
    const latency = 'low';
    const samplerate = 48000;
    // rtmixer's 0.001, increased as its comment says ("Increase if Python interpreter is slow"): a
    // test run that keeps both cores busy took longer than 1 ms of the card's clock (at speed 4)
    // between reading stream.time and the action reaching the engine.
    const safety = 0.02;

    const rbSize = 2 ** Math.ceil(Math.log2(delay * samplerate));

    const stream = track(new MixerAndRecorder({ device: 'virtual:loopback', channels, blocksize, samplerate, latency, speed }));
    await stream.start(); // with stream:
    const samplesize = 4;
    print('  input latency:', stream.latency[0]);
    print(' output latency:', stream.latency[1]);
    print('            sum:', stream.latency[0] + stream.latency[1]);
    print('requested delay:', delay);
    const rb = new RingBuffer(samplesize * channels, rbSize);
    const start = stream.time + safety;
    const recordAction = stream.recordRingbuffer(rb, undefined, { start, allowBelated: false });
    const playAction = stream.playRingbuffer(rb, undefined, { start: start + delay, allowBelated: false });
    // Dummy recording to wait until "start" has passed:
    await stream.wait(stream.recordBuffer(new Float32Array(0), 1, { start }));
    if (!stream.actions.has(recordAction)) {
      if (recordAction.actualTime === 0) throw new Error('Increase "safety"');
      else throw new Error('Ring buffer overflow (increase "delay"?)');
    }
    // Dummy playback to wait until "start + delay" has passed:
    await stream.wait(stream.playBuffer(new Float32Array(0), 1, { start: start + delay }));
    if (!stream.actions.has(playAction)) {
      if (playAction.actualTime === 0) throw new Error('Increase "safety" or "delay"');
      else throw new Error('Ring buffer underflow (increase "delay"?)');
    }
    print('#'.repeat(80));
    print('press Return to quit');
    print('#'.repeat(80));
    await sleep(1000); // input(): the test presses Return a second later
    expect(stream.actions.has(recordAction) && stream.actions.has(playAction)).toBe(true);
    await stream.close();
    print('input underflows:', stream.stats.inputUnderflows);
    print('input overflows:', stream.stats.inputOverflows);
    print('output underflows:', stream.stats.outputUnderflows);

    expect(Math.abs(recordAction.actualTime - start)).toBeLessThanOrEqual(0.5 / samplerate + 1e-9);
    expect(Math.abs(playAction.actualTime - (start + delay))).toBeLessThanOrEqual(0.5 / samplerate + 1e-9);
  });

  it('bleeperoo.py: 300 bleeps scheduled at once at absolute times; every one plays whole, on time to half a sample, or not at all', async () => {
    const speed = 20;
    const sleep = sleeper(speed);
    const { print } = printer();
    const seed = 99;
    const device = 'virtual:loopback';
    const blocksize = undefined; // rtmixer's 0
    const latency = 'low';
    const samplerate = 44100;
    const bleeps = 300;
    // qsize = 512: not needed, actions beyond the engine's slots wait in order.
    const attack = 0.005;
    const release = 0.1;
    const [pitchMin, pitchMax] = [40, 80];
    const [durationMin, durationMax] = [0.2, 0.6];
    const [amplitudeMin, amplitudeMax] = [0.05, 0.15];
    const [startMin, startMax] = [0, 10];
    let channels: number | undefined;

    if (durationMin < Math.max(attack, release)) throw new Error('minimum duration is too short');
    const linspace = (a: number, b: number, num: number): Float64Array =>
      Float64Array.from({ length: num }, (_, i) => (num === 1 ? a : a + ((b - a) * i) / (num - 1)));
    const fadeIn = linspace(0, 1, Math.trunc(samplerate * attack));
    const fadeOut = linspace(1, 0, Math.trunc(samplerate * release));
    const r = new RandomState(seed);
    const bleeplist: Float32Array[] = [];
    if (channels === undefined) channels = typeof defaults.channels === 'number' ? defaults.channels : defaults.channels[1];
    for (let i = 0; i < bleeps; i++) {
      const duration = r.uniform(durationMin, durationMax);
      const amplitude = r.uniform(amplitudeMin, amplitudeMax);
      const pitch = r.uniform(pitchMin, pitchMax);
      const frequency = 2 ** ((pitch - 69) / 12) * 440;
      const bleep = new Float32Array(Math.trunc(samplerate * duration));
      for (let k = 0; k < bleep.length; k++) bleep[k] = amplitude * Math.sin((2 * Math.PI * frequency * k) / samplerate);
      for (let k = 0; k < fadeIn.length; k++) bleep[k] *= fadeIn[k];
      for (let k = 0; k < fadeOut.length; k++) bleep[bleep.length - fadeOut.length + k] *= fadeOut[k];
      bleeplist.push(bleep);
    }

    const m = track(new Mixer({ device, channels, blocksize, samplerate, latency, speed }));
    await m.start();
    const startTime = m.time;
    const actionlist = bleeplist.map((bleep) =>
      m.playBuffer(bleep, [r.randint(channels) + 1], { start: startTime + r.uniform(startMin, startMax), allowBelated: false }),
    );
    while (m.actions.size) await sleep(100);
    await m.close();
    print(`${m.stats.outputUnderflows} buffer underflows in ${m.stats.blocks} processed audio blocks`);

    let belated = 0;
    let minDelay = Infinity;
    let maxDelay = -Infinity;
    for (const action of actionlist) {
      expect(action.type).toBe('PLAY_BUFFER');
      expect(action.requestedTime).not.toBe(0);
      if (!action.actualTime) {
        belated += 1;
        expect(action.doneFrames).toBe(0);
        continue;
      }
      expect(action.doneFrames).toBe(action.totalFrames);
      const delay = action.actualTime - action.requestedTime;
      if (delay > maxDelay) maxDelay = delay;
      if (delay < minDelay) minDelay = delay;
    }
    print('total number of bleeps:', actionlist.length);
    print('belated bleeps (not played):', belated);
    print('maxiumum delay (in usec):', maxDelay * 1e6);
    print('maxiumum negative delay: ', -minDelay * 1e6);
    print('half sampling period:    ', (0.5 * 1e6) / samplerate);

    expect(belated).toBeLessThan(bleeps);
    expect(Math.max(maxDelay, -minDelay)).toBeLessThanOrEqual(0.5 / samplerate + 1e-9);
  });

  it('signal_processing.py: a fixed-size DSP loop between a record ring and a play ring, neither of which overflows or runs dry', async () => {
    const speed = 1;
    const sleep = sleeper(speed);
    const { print } = printer();
    const device = 'virtual:loopback';
    const latency = 'low';
    const samplerate = 48000;
    const channels = 1;
    const sleeptime = 0.001; // To avoid busy-waiting
    const dspSize = 4096;
    // Simulated processing time in seconds:
    const dspDuration = 0.8 * (dspSize / samplerate);
    // Buffer for hypothetical fixed-blocksize DSP algorithm:
    const dspBuffer = new Float32Array(dspSize * channels);
    let dspCalls = 0;
    // This value adds to the overall latency
    const preFilling = 2 * dspSize;
    const hypotheticalDspAlgorithm = async (buffer: Float32Array): Promise<void> => {
      expect(buffer.length / channels).toBe(dspSize);
      await sleep(dspDuration * 1000);
      dspCalls += 1;
    };
    const nextpow2 = (x: number): number => 2 ** Math.ceil(Math.log2(x));
    const buffersizeIn = nextpow2(0.5 * samplerate);
    const buffersizeOut = nextpow2(0.5 * samplerate);

    const stream = track(new MixerAndRecorder({ device, channels, blocksize: undefined, latency, samplerate, speed }));
    print('  input latency:', stream.latency[0]);
    print(' output latency:', stream.latency[1]);
    print('            sum:', stream.latency[0] + stream.latency[1]);
    print('       DSP size:', dspSize);
    const samplesize = 4;
    expect(stream.dtype).toBe('float32');

    const qIn = new RingBuffer(samplesize * channels, buffersizeIn);
    const qOut = new RingBuffer(samplesize * channels, buffersizeOut);
    // Pre-fill output queue:
    qOut.write(new Float32Array(preFilling * channels));

    let error: string | undefined;
    await stream.start(); // with stream:
    const recordAction = stream.recordRingbuffer(qIn);
    const playAction = stream.playRingbuffer(qOut);
    print('=== Start Processing');
    try {
      // `while True`, until the user presses Ctrl+C: here after 12 DSP calls (about a second).
      while (dspCalls < 12) {
        while (qIn.readAvailable < dspSize && stream.actions.has(recordAction)) await sleep(sleeptime * 1000);
        if (!stream.actions.has(recordAction)) throw new Error('Input ringbuffer overflow');
        const frames = qIn.readInto(dspBuffer);
        expect(frames).toBe(dspSize);
        await hypotheticalDspAlgorithm(dspBuffer);
        while (qOut.writeAvailable < dspSize && stream.actions.has(playAction)) await sleep(sleeptime * 1000);
        if (!stream.actions.has(playAction)) throw new Error('Output ringbuffer underflow');
        const written = qOut.write(dspBuffer);
        expect(written).toBe(dspSize);
      }
      print('\n=== Interrupted by User');
    } catch (e) {
      error = (e as Error).message;
      print('=== Error:', error);
    }
    await stream.close();
    const rs = recordAction.stats;
    const ps = playAction.stats;
    print('  recorded blocks:', rs.blocks, `(min/max size: ${rs.minBlocksize}/${rs.maxBlocksize})`);
    print('    played blocks:', ps.blocks, `(min/max size: ${ps.minBlocksize}/${ps.maxBlocksize})`);
    print('        DSP calls:', dspCalls);
    print(' input underflows:', stream.stats.inputUnderflows);
    print(' input  overflows:', stream.stats.inputOverflows);
    print('output underflows:', stream.stats.outputUnderflows);
    print('output  overflows:', stream.stats.outputOverflows);

    expect(error).toBeUndefined();
    expect(dspCalls).toBe(12);
    expect(rs.blocks).toBeGreaterThan(0);
    expect(ps.blocks).toBeGreaterThan(0);
  });

  it('plot_recording.py: a recording scheduled 3.5 s ahead, counted down, recorded whole (the plot left out)', async () => {
    const speed = 10;
    const sleep = sleeper(speed);
    const { print } = printer();
    const channels = 1;
    let start = 3.5;
    const duration = 3;
    const samplerate = 48000;
    const blocksize = undefined; // rtmixer's 0
    const latency = 'low';
    const sleeptime = 0.1;

    const buffer = new Float32Array(Math.trunc(duration * samplerate) * channels);
    const t = Float64Array.from({ length: buffer.length / channels }, (_, i) => i / samplerate + start);

    const m = track(new Recorder({ device: 'virtual:loopback', channels, blocksize, samplerate, latency, speed }));
    await m.start(); // with rtmixer.Recorder(...) as m:
    start += m.time;
    const action = m.recordBuffer(buffer, channels, { start });
    const ticks: string[] = [];
    for (;;) {
      const remaining = start - m.time;
      if (remaining < sleeptime) break;
      ticks.push(remaining % 1 < sleeptime ? String(Math.trunc(remaining)) : '.');
      await sleep(sleeptime * 1000);
    }
    print(' recording! (press Ctrl+C to stop)');
    while (m.actions.has(action)) await sleep(sleeptime * 1000);
    print(' done.');
    await m.close();
    print('Input overflows during recording:', action.stats.inputOverflows);
    // plt.plot(t, buffer): the GUI is left out.

    expect(ticks.length).toBeGreaterThan(20);
    expect(action.outcome).toBe('done');
    expect(action.doneFrames).toBe(t.length);
    expect(Math.abs(action.actualTime - start)).toBeLessThanOrEqual(0.5 / samplerate + 1e-9);
  });

  it("plot_input.py: the animation's update_plot() reading whole steps from a ring the Recorder fills (the window left out)", async () => {
    const speed = 2;
    const sleep = sleeper(speed);
    const { print } = printer();
    const window = 200; // ms
    const interval = 30; // ms
    const blocksize = undefined; // rtmixer's 0
    const latency = 'low';
    const device = 'virtual:loopback';
    const samplerate = 48000; // None: the device's default
    const downsample = 10; // Plot every ...th frame
    const qsize = 8; // Power of 2
    const channels = 2;

    const length = Math.trunc((window * samplerate) / (1000 * downsample));
    // Round down to a power of two:
    const stepsize = 2 ** Math.trunc(Math.log2((interval * samplerate) / 1000));
    let plotdata = new Float32Array(length * channels);
    let q!: RingBuffer;
    let updates = 0;
    const updatePlot = (): void => {
      while (q.readAvailable >= stepsize) {
        // The ring buffer's size is a multiple of stepsize, therefore we know
        // that the data is contiguous in memory (= the 2nd buffer is empty):
        const [read, buf1, buf2] = q.getReadBuffers(stepsize);
        expect(read).toBe(stepsize);
        expect(buf2.length).toBe(0);
        const all = floats(buf1);
        const buffer = new Float32Array((stepsize / downsample + 1) * channels);
        let shift = 0;
        for (let f = 0; f < stepsize; f += downsample, shift++)
          for (let c = 0; c < channels; c++) buffer[shift * channels + c] = all[f * channels + c];
        // np.roll(plotdata, -shift) and the newest frames at the end:
        const next = new Float32Array(plotdata.length);
        next.set(plotdata.subarray(shift * channels));
        next.set(buffer.subarray(0, shift * channels), (length - shift) * channels);
        plotdata = next;
        q.advanceReadIndex(stepsize);
      }
      updates++;
    };

    const stream = track(new Recorder({ device, channels, blocksize, latency, samplerate, speed }));
    await stream.start(); // with stream:
    const elementsize = channels * 4;
    q = new RingBuffer(elementsize, stepsize * qsize);
    const action = stream.recordRingbuffer(q);
    // plt.show() with FuncAnimation(fig, update_plot, interval=interval): 30 frames.
    for (let frame = 0; frame < 30; frame++) {
      await sleep(interval);
      updatePlot();
    }
    expect(stream.actions.has(action)).toBe(true); // the ring never filled up
    await stream.close();
    print('Input overflows:', action.stats.inputOverflows);

    expect(updates).toBe(30);
    expect(action.stats.framesLost).toBe(0);
    expect(action.doneFrames).toBeGreaterThan(8 * stepsize);
  });
  it('sampler.py: hold a key to record into a ring, release to cancel (the cancel exposes its target), press to play the sample (keys sent by the test, no window)', async () => {
    const speed = 4;
    const sleep = sleeper(speed);
    const { print, lines } = printer();
    const BUFFER_DURATION = 0.1; // seconds

    class Sample {
      ringbuffer: RingBuffer;
      buffer: Uint8Array[] = []; // a bytearray
      action: Action | undefined = undefined;
      keepAlive: Action | undefined = undefined;
      constructor(elementsize: number, size: number) {
        size = 2 ** Math.ceil(Math.log2(size));
        this.ringbuffer = new RingBuffer(elementsize, size);
      }
    }

    class MiniSampler {
      recCounter = 0;
      samples = new Map<string, Sample>();
      finished: Action[] = [];
      constructor(
        readonly stream: MixerAndRecorder,
        readonly bufferDuration = BUFFER_DURATION,
      ) {}
      /** collections.defaultdict(functools.partial(Sample, ...)) */
      sample(ch: string): Sample {
        let s = this.samples.get(ch);
        if (!s) this.samples.set(ch, (s = new Sample(4, this.bufferDuration * this.stream.samplerate)));
        return s;
      }
      /** tk's after(): milliseconds of device time. */
      after(ms: number, fn: () => void): void {
        setTimeout(fn, ms / speed);
      }
      onKeyPress(keysym: string): void {
        const ch = keysym;
        if (ch.length === 1 && ch === ch.toUpperCase() && ch !== ch.toLowerCase()) {
          const sample = this.sample(ch.toLowerCase());
          if (sample.action && this.stream.actions.has(sample.action)) return;
          if (sample.ringbuffer.readAvailable) return;
          sample.buffer.length = 0;
          this.recCounter += 1;
          sample.action = this.stream.recordRingbuffer(sample.ringbuffer);
          this.pollRingbuffer(sample);
        } else if (this.samples.has(ch)) {
          const sample = this.sample(ch);
          if (sample.action && this.stream.actions.has(sample.action)) {
            // CANCEL action from last key release might still be active
            return;
          }
          const bytes = Buffer.concat(sample.buffer);
          sample.action = this.stream.playBuffer(floats(bytes), 1);
        }
      }
      onKeyRelease(keysym: string): void {
        // NB: State of "shift" button may change between key press and release!
        const ch = keysym.toLowerCase();
        if (!this.samples.has(ch)) return;
        const sample = this.sample(ch);
        expect(sample.action).toBeDefined();
        const action = sample.action as Action;
        if (action.type === 'RECORD_RINGBUFFER') {
          // Stop recording
          sample.keepAlive = action;
          sample.action = this.stream.cancel(action);
          // A CANCEL action is returned which is checked by pollRingbuffer()
        } else if (action.type === 'PLAY_BUFFER') {
          // Stop playback (if still running)
          if (this.stream.actions.has(action)) {
            sample.keepAlive = action;
            sample.action = this.stream.cancel(action);
          }
        } else if (action.type === 'CANCEL') {
          // We might end up here if onKeyPress() exits early
        } else {
          throw new Error(`${keysym} ${action.type}`);
        }
      }
      pollRingbuffer(sample: Sample): void {
        // Polling rate based on input latency, rounded up.
        this.after(Math.trunc(this.stream.latency[0] * 1000) + 1, () => this.pollRingbufferNow(sample));
      }
      pollRingbufferNow(sample: Sample): void {
        const current = sample.action as Action;
        expect(['RECORD_RINGBUFFER', 'CANCEL']).toContain(current.type);
        if (this.stream.actions.has(current)) {
          sample.buffer.push(sample.ringbuffer.read());
          this.pollRingbuffer(sample);
          return;
        }
        // Recording is finished
        this.recCounter -= 1;
        // NB: The "inner" action had to be kept alive
        const action = current.type === 'CANCEL' ? (current.action as Action) : current;
        expect(action.type).toBe('RECORD_RINGBUFFER');
        if (action.doneFrames !== action.totalFrames) print('error while recording (ringbuffer too short?)');
        if (action.stats.inputUnderflows) print('input underflows:', action.stats.inputUnderflows, '(in', action.stats.blocks, 'blocks)');
        if (action.stats.inputOverflows) print('input overflows:', action.stats.inputOverflows, '(in', action.stats.blocks, 'blocks)');
        // NB: We make sure that the ringbuffer is emptied after recording:
        sample.buffer.push(sample.ringbuffer.read());
        this.finished.push(action);
      }
    }

    const stream = track(new MixerAndRecorder({ device: 'virtual:loopback', channels: 1, speed }));
    await stream.start(); // with rtmixer.MixerAndRecorder(channels=1) as stream:
    const app = new MiniSampler(stream);
    // app.mainloop(): shift+a held for 0.6 s (longer than the ring: the poll keeps it drained), then a for 0.05 s.
    app.onKeyPress('A');
    await sleep(600);
    app.onKeyRelease('A');
    while (app.recCounter > 0) await sleep(10);
    const recorded = app.finished[0];
    const bytes = app.sample('a').buffer.reduce((n, b) => n + b.length, 0);
    app.onKeyPress('a');
    const played = app.sample('a').action as Action;
    const playTotal = played.totalFrames;
    await sleep(50);
    app.onKeyRelease('a');
    const cancel = app.sample('a').action as Action;
    await stream.wait(played);

    expect(lines).toEqual([]);
    expect(recorded.outcome).toBe('cancelled');
    expect(recorded.doneFrames).toBeGreaterThan(0);
    expect(recorded.totalFrames).toBe(recorded.doneFrames); // set by the cancel, as in rtmixer
    expect(bytes).toBe(4 * recorded.doneFrames); // every recorded frame polled out of the ring
    expect(played.type).toBe('PLAY_BUFFER');
    expect(playTotal).toBe(recorded.doneFrames); // the whole sample
    // Released while it played: cancelled through a CANCEL whose action is it.
    if (cancel !== played) {
      expect(cancel.type).toBe('CANCEL');
      expect(cancel.action).toBe(played);
      expect(played.outcome).toBe('cancelled');
      expect(played.totalFrames).toBe(played.doneFrames);
    } else {
      expect(played.outcome).toBe('done');
    }
  });
});
