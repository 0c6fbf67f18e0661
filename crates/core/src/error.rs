//! The one error type of the core, with a kind that maps to a stable JS `code`.

use std::fmt;

u32_enum! {
    /// What went wrong, independent of the message. Each kind has a stable
    /// code string ([`ErrorKind::code`]) that the JS layer exposes as
    /// `error.code`; its number (never 0) is how the audio thread reports it.
    pub enum ErrorKind {
        /// An argument was out of range or of the wrong shape.
        InvalidArg = 1,
        /// No device matched the request, or a host is unavailable.
        DeviceNotFound = 2,
        /// The device exists but is in use.
        DeviceBusy = 3,
        /// The device does not support the requested configuration.
        UnsupportedConfig = 4,
        /// The stream was closed.
        StreamClosed = 5,
        /// A source ran dry while frames were still owed.
        BufferEmpty = 6,
        /// A sink could not keep up and data would be lost.
        BufferFull = 7,
        /// A file is not a WAV file this library can read.
        WavFormat = 8,
        /// An operating-system I/O error.
        Io = 9,
        /// The mixer's action queue is full.
        ActionQueueFull = 10,
        /// A Rust panic was caught.
        Panic = 11,
        /// An audio file format or encoding that cannot be read or written
        /// (an unknown container, a lossy format to write, a mismatch).
        UnsupportedFormat = 12,
        /// Something did not finish within the time it was given (a
        /// monitor's `tearDownTimeout`, an operating-system call that timed
        /// out).
        Timeout = 13,
    }
}

impl ErrorKind {
    /// The stable code string, e.g. `"ERR_INVALID_ARG"`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArg => "ERR_INVALID_ARG",
            ErrorKind::DeviceNotFound => "ERR_DEVICE_NOT_FOUND",
            ErrorKind::DeviceBusy => "ERR_DEVICE_BUSY",
            ErrorKind::UnsupportedConfig => "ERR_UNSUPPORTED_CONFIG",
            ErrorKind::StreamClosed => "ERR_STREAM_CLOSED",
            ErrorKind::BufferEmpty => "ERR_BUFFER_EMPTY",
            ErrorKind::BufferFull => "ERR_BUFFER_FULL",
            ErrorKind::WavFormat => "ERR_WAV_FORMAT",
            ErrorKind::Io => "ERR_IO",
            ErrorKind::ActionQueueFull => "ERR_ACTION_QUEUE_FULL",
            ErrorKind::Panic => "ERR_PANIC",
            ErrorKind::UnsupportedFormat => "ERR_UNSUPPORTED_FORMAT",
            ErrorKind::Timeout => "ERR_TIMEOUT",
        }
    }
}

/// An error of the core: a kind plus a message that says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for an [`ErrorKind::InvalidArg`] error.
    pub fn invalid_arg(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArg, message)
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with `context: ` in front of its message.
    pub fn context(self, context: impl fmt::Display) -> Self {
        Error {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.kind.code())
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        let kind = match e.kind() {
            std::io::ErrorKind::TimedOut => ErrorKind::Timeout,
            _ => ErrorKind::Io,
        };
        Error::new(kind, e.to_string())
    }
}

/// `value` as JavaScript prints a number (`Infinity`, `NaN`, `1000` for
/// `1000.0`), for messages about values that came from JS.
pub fn show_number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        format!("{value}")
    }
}

/// The result type of the core.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_number() {
        assert_eq!(ErrorKind::ALL.len(), 13);
        for &k in ErrorKind::ALL {
            assert_ne!(k.as_u32(), 0, "0 means no error");
            assert_eq!(ErrorKind::from_u32(k.as_u32()), Some(k));
        }
        assert_eq!(ErrorKind::from_u32(0), None);
        let codes: std::collections::HashSet<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn an_io_timeout_is_a_timeout_other_io_errors_are_io() {
        let timed_out = Error::from(std::io::Error::from(std::io::ErrorKind::TimedOut));
        assert_eq!(timed_out.kind(), ErrorKind::Timeout);
        assert_eq!(timed_out.kind().code(), "ERR_TIMEOUT");
        let missing = Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(missing.kind(), ErrorKind::Io);
    }
}
