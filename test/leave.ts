// Child processes that write a file, then leave one of the ways a program
// ends abruptly: the exit hook (src/files/exit.ts) must save the file.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** The ways a child leaves; `end` is the event loop running dry. */
export const WAYS_TO_LEAVE = ['exit', 'throw', 'sigterm', 'sigterm-handled', 'end'] as const;

/**
 * The end of a child script: leaves the way `how` (its variable) says. A
 * handled SIGTERM is the program's own: it outlives the signal, then exits.
 */
export const LEAVE = `
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('an uncaught exception (expected by the test)');
if (how === 'sigterm') { process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 10000); }
if (how === 'sigterm-handled') {
  process.on('SIGTERM', () => setTimeout(() => process.exit(0), 10));
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => {}, 10000);
}
`;

/** Runs `script` (`node -e`, argv: file, how) and checks it left as `how` says. */
export function leaveAs(script: string, file: string, how: string, timeout = 20_000): string {
  const r = spawnSync(process.execPath, ['-e', script, file, how], { encoding: 'utf8', timeout });
  expect({ how, signal: r.signal, status: r.status }).toEqual({
    how,
    signal: how === 'sigterm' ? 'SIGTERM' : null,
    status: how === 'sigterm' ? null : how === 'throw' ? 1 : 0,
  });
  return r.stdout;
}
