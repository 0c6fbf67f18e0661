// How the command line fails: exit codes and one-line messages.

/** Exit codes of the `ringstream` command. */
export const Exit = {
  /** Done. */
  OK: 0,
  /** A file, device or stream error. */
  FAILURE: 1,
  /** Bad arguments. */
  USAGE: 2,
  /** `--fatal-xruns` and an xrun happened. */
  XRUN: 3,
  /** Stopped by SIGINT (Ctrl-C); what was recorded is kept. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (128 + 15, as a shell reports it); what was recorded is kept. */
  TERMINATED: 143,
} as const;

/** The exit code of a run stopped by `signal`. */
export function signalExit(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? Exit.TERMINATED : Exit.INTERRUPTED;
}

/** A bad command line: names the option and the value, says what would be right. */
export class UsageError extends Error {
  constructor(option: string, value: string | undefined, expected: string);
  constructor(message: string);
  constructor(optionOrMessage: string, value?: string, expected?: string) {
    super(
      expected === undefined
        ? optionOrMessage
        : `${optionOrMessage}: ${value === undefined ? 'missing value' : `invalid value ${JSON.stringify(value)}`}; expected ${expected}`,
    );
    this.name = 'UsageError';
  }
}

/** The one line printed for `e` (library errors carry their code). */
export function describeError(e: unknown): string {
  if (e instanceof UsageError) return `${e.message} (see ringstream --help)`;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    let msg = e.message.replace(/\s*\n\s*/g, ' ');
    if (code === 'ERR_DEVICE_NOT_FOUND') msg += ' (see ringstream -l)';
    return typeof code === 'string' && code.startsWith('ERR_') ? `${msg} [${code}]` : msg;
  }
  return String(e);
}
