import type { NativeFiles, NativeStream } from '../native/addon.js';
import { flushOnExit } from '../files/exit.js';

/**
 * The native file readers and writers (paths given as sources and sinks) of
 * a stream's runs: a job's (play, record, playrec, chunks) and a run that
 * start() begins from what setSource / setSink configured. While a run
 * lasts, its recordings reach the disk whole if the process exits abruptly.
 */
export class FilePumps {
  private job: NativeFiles | undefined;
  private unflushJob: (() => void) | undefined;
  private run: NativeFiles | undefined;
  private unflushRun: (() => void) | undefined;

  /** Takes the pumps the current job queued; `flush`: flush them on an abrupt exit. */
  takeJob(native: NativeStream, flush: boolean): void {
    this.job = native.takeFiles();
    if (flush && this.job.any) this.unflushJob = flushOnExit(this.job);
  }

  /** Takes the pumps of a start()-run (setSource / setSink), flushed on an abrupt exit. */
  takeRun(native: NativeStream): void {
    this.run = native.takeFiles();
    if (this.run.any) this.unflushRun = flushOnExit(this.run);
  }

  /** The pumps start() prebuffers: the job's, else the start()-run's. */
  get current(): NativeFiles | undefined {
    return this.job ?? this.run;
  }

  /** Finishes the job's pumps; rejects with a reader's or writer's error. */
  async finishJob(): Promise<void> {
    const files = this.job;
    this.job = undefined;
    this.unflushJob?.();
    this.unflushJob = undefined;
    if (files?.any) await files.finish();
  }

  /** Hands back the start()-run's pumps for their finish (the run ended). */
  endRun(): NativeFiles | undefined {
    const files = this.run;
    this.run = undefined;
    this.unflushRun?.();
    this.unflushRun = undefined;
    return files;
  }
}
