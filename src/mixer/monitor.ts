import { invalidType } from '../common/errors.js';
import type { RingBuffer } from '../ring/ring.js';
import type { Stream } from '../stream/stream.js';
import { MonitorRun, type MonitorRunOptions } from './monitor-run.js';
import { type MonitorFrames, MonitorWindow } from './monitor-window.js';

export type { MonitorFrames } from './monitor-window.js';
export type { MonitorRunOptions } from './monitor-run.js';

/** A monitor's hook: may return a Promise, which the monitor awaits. */
export type MonitorHook = () => void | Promise<void>;

/** Options of {@link Monitor}. */
export interface MonitorOptions extends MonitorRunOptions {
  /** Runs at each start(), before the first call (OsSom's `setup()`): open a log, a plot. */
  setup?: MonitorHook;
  /** Runs once the monitor ended, after the last call (OsSom's `tear_down()`). */
  tearDown?: MonitorHook;
}

function hook(value: unknown, what: string): MonitorHook | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidType(`${what} must be a function`);
  return value as MonitorHook | undefined;
}

/**
 * OsSom's Monitor: every `interval` seconds, hands `fn` the newest
 * `interval * samplerate` frames the stream played (its output; an
 * InputStream's input), copied in the audio callback into a ring and read
 * here, on the JS thread. The stream is never disturbed: a monitor that
 * falls behind drops frames of its own (reported as `dropped`), never the
 * stream's. Works over any stream, Mixer included; survives stop()/start()
 * of the stream.
 *
 * OsSom's lifecycle: `setup` / `tearDown` hooks (options, or methods a
 * subclass overrides), `start()` (with `{ autostart: false }`; by default
 * it starts at once), `stop()` and `wait()`. To run the function in a
 * Worker, see {@link WorkerMonitor}.
 * @example
 * ```ts
 * import { Monitor, OutputStream } from 'ringstream';
 *
 * const stream = new OutputStream({ device: 'virtual:null', channels: 1 });
 * const lines: string[] = [];
 * const mon = new Monitor(stream, ({ frames }) => lines.push(`peak ${Math.max(...frames)}`), {
 *   interval: 0.05,
 *   autostart: false,
 *   untilFinished: true,                       // ends with the play, as OsSom's watches one recording
 *   setup: () => void lines.push('start'),
 *   tearDown: () => void lines.push('end'),
 * });
 * mon.start();
 * await stream.play(new Float32Array(12000).fill(0.5));
 * await mon.wait();
 * console.log(lines[0], lines.at(-1));        // start end
 * await stream.close();
 * ```
 */
export class Monitor extends MonitorRun {
  private timer: ReturnType<typeof setInterval> | undefined;
  private window: MonitorWindow | undefined;
  private readonly hooks: { setup?: MonitorHook; tearDown?: MonitorHook };

  constructor(
    stream: Stream,
    private readonly fn: (m: MonitorFrames) => void,
    opts: MonitorOptions = {},
  ) {
    super(stream, opts, ['setup', 'tearDown']);
    if (typeof fn !== 'function') throw invalidType('Monitor needs a function to call');
    this.hooks = { setup: hook(opts.setup, 'setup'), tearDown: hook(opts.tearDown, 'tearDown') };
    if (opts.autostart !== false) this.start();
  }

  /** OsSom's `setup()`: runs the `setup` option by default; a subclass may override it. */
  setup(): void | Promise<void> {
    return this.hooks.setup?.();
  }

  /** OsSom's `tear_down()`: runs the `tearDown` option by default; a subclass may override it. */
  tearDown(): void | Promise<void> {
    return this.hooks.tearDown?.();
  }

  /** @internal */
  protected async begin(ring: RingBuffer): Promise<void> {
    await this.setup();
    // Stopped during setup, perhaps started again: this run's reader must not start.
    if (!this.isCurrent(ring)) return;
    this.window = new MonitorWindow(ring, this.channels, this.frames);
    this.timer = setInterval(() => this.tick(), this.interval * 1000);
    this.timer.unref?.(); // a monitor alone does not keep the process alive
  }

  /** @internal */
  protected async finish(tail: boolean): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (tail && this.window !== undefined) this.call();
    this.window = undefined;
    await this.tearDown();
  }

  private tick(): void {
    if (this.stream.closed) return void this.end();
    try {
      this.call();
    } catch (e) {
      void this.end(e);
    }
  }

  private call(): void {
    const frames = this.window!.take();
    this.fn({ frames, channels: this.channels, samplerate: this.stream.samplerate, time: this.stream.time, dropped: this.dropped() });
  }
}
