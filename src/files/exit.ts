/**
 * @internal Files that must reach the disk whole when the process ends
 * abruptly: `process.exit()`, an uncaught exception (both emit `'exit'`),
 * or a terminating signal (SIGTERM, SIGINT, SIGHUP) that would otherwise
 * kill the process before any JS cleanup runs. SIGKILL cannot be caught:
 * what a file loses then is what its writer had not refreshed yet.
 *
 * Files are held weakly: a writer that is collected unclosed is finished by
 * its native finalizer instead, and leaves the registry.
 */

/** Something that can make its file complete as of now, synchronously. */
export interface Flushable {
  flush(): void;
  /**
   * Finishes the file for good, when the process is certainly ending (the
   * `'exit'` event, or a signal only this module listens for): a FLAC
   * writes its last, short block then, which a flush cannot. (Not
   * `finish`: a stream's file pumps have an async `finish` of their own.)
   */
  finishAtExit?(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

const open = new Set<WeakRef<Flushable>>();
const forget = new FinalizationRegistry<WeakRef<Flushable>>((ref) => {
  open.delete(ref);
  if (open.size === 0) uninstall();
});
let installed = false;

/** Flushes (or, `ending`, finishes) every registered file; errors are swallowed (the process is ending). */
function flushAll(ending: boolean): void {
  for (const ref of open) {
    try {
      const file = ref.deref();
      if (ending && file?.finishAtExit) file.finishAtExit();
      else file?.flush();
    } catch {
      // A file that cannot be written now cannot be saved: nothing to report to.
    }
  }
}

function onExit(): void {
  flushAll(true);
}

function onSignal(signal: NodeJS.Signals): void {
  // Only ours: the signal's default action (termination) was taken away by
  // listening, so give it back and raise the signal again. With other
  // listeners, the program decides what the signal does (and may write on).
  const ours = process.listenerCount(signal) === 1;
  flushAll(ours);
  if (ours) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Registers `file` to be flushed on an abrupt exit; returns the function
 * that unregisters it (call it once the file is closed).
 */
export function flushOnExit(file: Flushable): () => void {
  const ref = new WeakRef(file);
  open.add(ref);
  forget.register(file, ref, ref);
  install();
  return () => {
    if (!open.delete(ref)) return;
    forget.unregister(ref);
    if (open.size === 0) uninstall();
  };
}
