//! A blocking connection to the PulseAudio server the environment names,
//! speaking its native protocol through the `pulseaudio` crate's codec.
//!
//! The crate's own client (the one cpal's PulseAudio host uses) has no
//! request for the server's stream lists and no subscription to its events,
//! which [`crate::pulse_watch`] needs; its protocol module encodes every
//! command, so this connection only sends, reads and counts sequence numbers.

use pulseaudio::protocol::{self, Command, CommandReply, ProtocolError, SubscriptionMask};
use std::ffi::CString;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// How long a reply may take before the connection counts as dead (the
/// crate's own handshake has no timeout: a stopped server would hang it).
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

/// What went wrong on a connection.
#[derive(Debug)]
pub enum ConnError {
    /// The server refused this one request (no such stream, say); the
    /// connection still serves.
    Refused(String),
    /// The server is gone, timed out, or sent what this codec cannot read:
    /// the connection is useless.
    Broken(String),
}

impl std::fmt::Display for ConnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnError::Refused(m) | ConnError::Broken(m) => f.write_str(m),
        }
    }
}

impl From<std::io::Error> for ConnError {
    fn from(e: std::io::Error) -> Self {
        ConnError::Broken(format!("PulseAudio connection: {e}"))
    }
}

impl From<ProtocolError> for ConnError {
    fn from(e: ProtocolError) -> Self {
        match e {
            ProtocolError::ServerError(code) => {
                ConnError::Refused(format!("PulseAudio server: {code:?}"))
            }
            e => ConnError::Broken(format!("PulseAudio protocol: {e}")),
        }
    }
}

/// One client connection, authenticated and named.
pub struct Conn {
    socket: BufReader<UnixStream>,
    version: u16,
    seq: u32,
}

impl Conn {
    /// Connects as client `name` (what `pactl list clients` shows).
    pub fn open(name: &str) -> Result<Conn, ConnError> {
        let path = crate::desktop::socket("pulseaudio")
            .ok_or_else(|| ConnError::Broken("no PulseAudio socket is named".into()))?;
        let stream = UnixStream::connect(path)?;
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        let cookie = pulseaudio::cookie_path_from_env()
            .and_then(|p| std::fs::read(p).ok())
            .unwrap_or_default();
        let mut conn = Conn {
            socket: BufReader::new(stream),
            version: protocol::MAX_VERSION,
            seq: 0,
        };
        let auth: protocol::AuthReply = conn.ask(Command::Auth(protocol::AuthParams {
            version: protocol::MAX_VERSION,
            supports_shm: false,
            supports_memfd: false,
            cookie,
        }))?;
        conn.version = conn.version.min(auth.version);
        let mut props = protocol::Props::new();
        let text = |s: String| CString::new(s).unwrap_or_default();
        props.set(protocol::Prop::ApplicationName, text(name.to_string()));
        props.set(
            protocol::Prop::ApplicationProcessId,
            text(std::process::id().to_string()),
        );
        let _: protocol::SetClientNameReply = conn.ask(Command::SetClientName(props))?;
        Ok(conn)
    }

    /// Sends `cmd` and reads its reply.
    pub fn ask<R: CommandReply>(&mut self, cmd: Command) -> Result<R, ConnError> {
        let seq = self.send(&cmd)?;
        let (got, reply) = protocol::read_reply_message(&mut self.socket, self.version)?;
        Self::check_seq(seq, got)?;
        Ok(reply)
    }

    /// Subscribes to the events of `mask`; after this, the connection only
    /// reads [`Conn::next_event`].
    pub fn subscribe(&mut self, mask: SubscriptionMask) -> Result<(), ConnError> {
        let seq = self.send(&Command::Subscribe(mask))?;
        let got = protocol::read_ack_message(&mut self.socket)?;
        Self::check_seq(seq, got)?;
        // Events come whenever the server has one: no timeout from here on.
        self.socket.get_ref().set_read_timeout(None)?;
        Ok(())
    }

    /// Blocks until the server sends an event.
    pub fn next_event(&mut self) -> Result<protocol::SubscriptionEvent, ConnError> {
        loop {
            match protocol::read_command_message(&mut self.socket, self.version)? {
                (_, Command::SubscribeEvent(ev)) => return Ok(ev),
                // Anything else the server volunteers is not ours to answer.
                _ => continue,
            }
        }
    }

    fn send(&mut self, cmd: &Command) -> Result<u32, ConnError> {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        protocol::write_command_message(self.socket.get_mut(), seq, cmd, self.version)?;
        Ok(seq)
    }

    fn check_seq(sent: u32, got: u32) -> Result<(), ConnError> {
        if sent == got {
            Ok(())
        } else {
            Err(ConnError::Broken(format!(
                "PulseAudio reply {got} to request {sent}"
            )))
        }
    }
}
