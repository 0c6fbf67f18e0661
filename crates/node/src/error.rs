//! Maps core errors to JS errors that carry a stable `code`.

use napi::bindgen_prelude::*;
use napi::{JsError, JsRangeError};
use napi_derive::napi;
use ringstream_core::{Error as CoreError, ErrorKind};

/// Builds the JS error for `e` (a `RangeError` for argument errors, an `Error`
/// otherwise, both with `code` set) and wraps it so that napi-rs throws or
/// rejects with exactly that object.
pub(crate) fn js_error(env: &Env, e: &CoreError) -> Error {
    let raw = Error::new(e.kind().code(), e.message());
    // SAFETY: `env` is the live env of the current call; the value is used at
    // once to make a reference-holding `Error`.
    let value = unsafe {
        match e.kind() {
            ErrorKind::InvalidArg => JsRangeError::from(raw).into_value(env.raw()),
            _ => JsError::from(raw).into_value(env.raw()),
        }
    };
    if value.is_null() {
        return Error::new(Status::GenericFailure, e.to_string());
    }
    // SAFETY: `value` is a valid napi_value created in this env just above.
    let unknown = unsafe { Unknown::from_raw_unchecked(env.raw(), value) };
    Error::from(unknown)
}

/// Extension to turn a core `Result` into a napi `Result` in one call.
pub(crate) trait OrThrow<T> {
    /// Maps the error with [`js_error`].
    fn or_throw(self, env: &Env) -> Result<T>;
}

impl<T> OrThrow<T> for ringstream_core::Result<T> {
    fn or_throw(self, env: &Env) -> Result<T> {
        self.map_err(|e| js_error(env, &e))
    }
}

/// Every error `code` this library uses, e.g. `ERR_INVALID_ARG`.
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|k| k.code()).collect()
}
