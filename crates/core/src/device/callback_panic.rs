//! Panics in the audio callback: caught, reported as `ERR_PANIC`, and
//! announced in one line instead of the default hook's backtrace.
//!
//! The default panic hook, with `RUST_BACKTRACE` set, walks and symbolises
//! the stack before `catch_unwind` returns: hundreds of milliseconds on a
//! loaded machine, during which the stream still counts as running and the
//! watchdog, seeing no callback, ends it as a lost device. The stream's
//! error would then name the wrong cause.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs an audio callback under [`catch`].
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// Installs the hook (once per process; later calls cost an atomic load).
/// Call it on the control side when a stream opens, never in the callback:
/// installing allocates.
pub fn install() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_CALLBACK.try_with(Cell::get).unwrap_or(false) {
                let payload = info.payload();
                let what = payload
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("a panic");
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                eprintln!("ringstream: {what}{at}, in the audio callback (the stream ends with ERR_PANIC)");
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one audio callback, catching a panic (`Err`) so that it never
/// crosses into the device's thread or into JavaScript.
///
/// # Examples
///
/// ```
/// use ringstream_core::device::callback_panic;
/// callback_panic::install();
/// assert_eq!(callback_panic::catch(|| 2 + 2).ok(), Some(4));
/// assert!(callback_panic::catch(|| panic!("in the callback")).is_err());
/// ```
pub fn catch<R>(callback: impl FnOnce() -> R) -> std::thread::Result<R> {
    IN_CALLBACK.with(|c| c.set(true));
    let r = catch_unwind(AssertUnwindSafe(callback));
    IN_CALLBACK.with(|c| c.set(false));
    r
}
