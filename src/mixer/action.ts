import type { NativeAction, NativeStats } from '../native/addon.js';
import {
  ACTION_CANCEL,
  ACTION_FETCH_AND_RESET_STATS,
  ACTION_PLAY_BUFFER,
  ACTION_PLAY_RINGBUFFER,
  ACTION_RECORD_BUFFER,
  ACTION_RECORD_RINGBUFFER,
  OUTCOME_CANCELLED,
  OUTCOME_DONE,
  OUTCOME_DROPPED,
  OUTCOME_PENDING,
  OUTCOME_STOPPED,
} from '../native/protocol.js';

/** python-rtmixer's action types. */
export type ActionType = 'PLAY_BUFFER' | 'PLAY_RINGBUFFER' | 'RECORD_BUFFER' | 'RECORD_RINGBUFFER' | 'CANCEL' | 'FETCH_AND_RESET_STATS';

/** How an action ended: `'pending'` while it waits for its start time or runs. */
export type ActionOutcome = 'pending' | 'done' | 'dropped' | 'cancelled' | 'stopped';

/** python-rtmixer's statistics, of a stream or of one action. */
export interface MixerStats {
  /** Callbacks counted. */
  blocks: number;
  /** Smallest block seen (0 before the first). */
  minBlocksize: number;
  /** Largest block seen. */
  maxBlocksize: number;
  /** Blocks with an input underflow. */
  inputUnderflows: number;
  /** Blocks with an input overflow. */
  inputOverflows: number;
  /** Blocks with an output underflow. */
  outputUnderflows: number;
  /** Blocks with an output overflow. */
  outputOverflows: number;
  /**
   * Frames lost (ringstream's addition). A stream's: frames the device or a
   * source lost in under/overflows. A ring action's: the frames its full
   * ring dropped (record) or its empty ring lacked (play) in the block where
   * that ended it; 0 for a play ring whose producer had called
   * `setProducerDone(true)` (its end was the end of the audio).
   */
  framesLost: number;
}

const TYPES: Record<number, ActionType> = {
  [ACTION_PLAY_BUFFER]: 'PLAY_BUFFER',
  [ACTION_PLAY_RINGBUFFER]: 'PLAY_RINGBUFFER',
  [ACTION_RECORD_BUFFER]: 'RECORD_BUFFER',
  [ACTION_RECORD_RINGBUFFER]: 'RECORD_RINGBUFFER',
  [ACTION_CANCEL]: 'CANCEL',
  [ACTION_FETCH_AND_RESET_STATS]: 'FETCH_AND_RESET_STATS',
};

const OUTCOMES: Record<number, ActionOutcome> = {
  [OUTCOME_PENDING]: 'pending',
  [OUTCOME_DONE]: 'done',
  [OUTCOME_DROPPED]: 'dropped',
  [OUTCOME_CANCELLED]: 'cancelled',
  [OUTCOME_STOPPED]: 'stopped',
};

/** @internal */
export function toStats(s: NativeStats): MixerStats {
  return { ...s };
}

/**
 * One action of a {@link Mixer} / {@link Recorder}: what the audio thread
 * publishes about it, read live (every field is an atomic the callback
 * writes; `actualTime` is published once, when the action starts).
 */
export class Action {
  /** rtmixer's action type. */
  readonly type: ActionType;
  /** Resolves with this action once it has ended (see {@link Action.outcome}); rejects if its result could not be delivered. */
  readonly done: Promise<Action>;
  /** @internal */
  readonly native: NativeAction;
  /** @internal Settles `done`; set by the mixer. */
  settle!: (error?: Error) => void;
  /** @internal Runs on the JS thread when the action has ended, before `done` resolves. */
  finishing: (() => void) | undefined;
  /**
   * For a `'CANCEL'` action: the action it stops (rtmixer's `action.action`);
   * undefined for every other type.
   */
  readonly action: Action | undefined;
  /**
   * The one-based device channels it plays or records, one per channel of
   * its buffer or ring (rtmixer's `action.mapping`); empty for a cancel or a
   * stats fetch.
   */
  readonly mapping: readonly number[];

  /** @internal */
  constructor(native: NativeAction, target?: Action, mapping: readonly number[] = []) {
    this.native = native;
    this.action = target;
    this.mapping = Object.freeze([...mapping]);
    this.type = TYPES[native.kind];
    this.done = new Promise<Action>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve(this));
    });
    // Nobody may await it: a rejection must not go unhandled.
    this.done.catch(() => undefined);
  }

  /** Channels of its buffer or ring (rtmixer's `action.channels`); 0 for a cancel or a stats fetch. */
  get channels(): number {
    return this.mapping.length;
  }

  /** The start time asked for, in stream time (0: now). */
  get requestedTime(): number {
    return this.native.requestedTime;
  }

  /**
   * When it really started (a cancel or a stats fetch: when it took effect),
   * in stream time; 0 while it has not, or when it was dropped (a start, or a
   * cancel's time, already past with `allowBelated: false`).
   */
  get actualTime(): number {
    return this.native.actualTime;
  }

  /** Frames it processes in all; `null` when unknown (a ring). */
  get totalFrames(): number | null {
    const n = this.native.totalFrames;
    return n < 0 ? null : n;
  }

  /** Frames processed so far. */
  get doneFrames(): number {
    return this.native.doneFrames;
  }

  /** How it ended, or `'pending'`. */
  get outcome(): ActionOutcome {
    return OUTCOMES[this.native.outcome];
  }

  /**
   * Its statistics: for a play or record action, over the blocks it was
   * active in; for the action of {@link Mixer.fetchAndResetStats}, the
   * stream's, taken inside the callback.
   */
  get stats(): MixerStats {
    return toStats(this.native.stats());
  }
}
