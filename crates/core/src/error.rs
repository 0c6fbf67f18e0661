//! The one error type of the core, with a kind that maps to a stable JS `code`.

use std::fmt;

/// What went wrong, independent of the message. Each kind has a stable code
/// string ([`ErrorKind::code`]) that the JS layer exposes as `error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An argument was out of range or of the wrong shape.
    InvalidArg,
    /// No device matched the request, or a host is unavailable.
    DeviceNotFound,
    /// The device exists but is in use.
    DeviceBusy,
    /// The device does not support the requested configuration.
    UnsupportedConfig,
    /// The stream was closed.
    StreamClosed,
    /// A source ran dry while frames were still owed.
    BufferEmpty,
    /// A sink could not keep up and data would be lost.
    BufferFull,
    /// A file is not a WAV file this library can read.
    WavFormat,
    /// An operating-system I/O error.
    Io,
    /// The mixer's action queue is full.
    ActionQueueFull,
    /// A Rust panic was caught.
    Panic,
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
        }
    }

    /// Every kind, in declaration order (the JS layer exports their codes).
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::InvalidArg,
        ErrorKind::DeviceNotFound,
        ErrorKind::DeviceBusy,
        ErrorKind::UnsupportedConfig,
        ErrorKind::StreamClosed,
        ErrorKind::BufferEmpty,
        ErrorKind::BufferFull,
        ErrorKind::WavFormat,
        ErrorKind::Io,
        ErrorKind::ActionQueueFull,
        ErrorKind::Panic,
    ];
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
        Error::new(ErrorKind::Io, e.to_string())
    }
}

/// The result type of the core.
pub type Result<T> = std::result::Result<T, Error>;
