//! What the PulseAudio server the environment names says about itself:
//! whether it is PipeWire's (`pipewire-pulse`), and the desktop's default
//! sink, asked through the pure-Rust client cpal's PulseAudio host uses.

use std::os::unix::net::UnixStream;

/// The server's answer to `GetServerInfo`, as far as ringstream needs it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ServerInfo {
    /// "pulseaudio", or "PulseAudio (on PipeWire x.y.z)".
    pub name: String,
    /// The default sink's name (PipeWire's `default.audio.sink` node).
    pub default_sink: Option<String>,
    /// The default source's name (PipeWire's `default.audio.source` node).
    pub default_source: Option<String>,
}

impl ServerInfo {
    /// Whether the server is PipeWire's.
    ///
    /// ```
    /// use ringstream_cpal::pulse_server::ServerInfo;
    /// let on_pw = ServerInfo { name: "PulseAudio (on PipeWire 0.3.65)".into(), ..Default::default() };
    /// assert!(on_pw.is_pipewire());
    /// assert!(!ServerInfo { name: "pulseaudio".into(), ..Default::default() }.is_pipewire());
    /// ```
    pub fn is_pipewire(&self) -> bool {
        self.name.contains("PipeWire")
    }
}

/// The server's info; `None` when no server answers.
pub fn info() -> Option<ServerInfo> {
    let socket = UnixStream::connect(crate::desktop::socket("pulseaudio")?).ok()?;
    let cookie = pulseaudio::cookie_path_from_env().and_then(|p| std::fs::read(p).ok());
    let client = pulseaudio::Client::new_unix(c"ringstream", socket, cookie).ok()?;
    let info = futures_executor::block_on(client.server_info()).ok()?;
    let text = |s: Option<std::ffi::CString>| s.map(|s| s.to_string_lossy().into_owned());
    Some(ServerInfo {
        name: text(info.server_name).unwrap_or_default(),
        default_sink: text(info.default_sink_name),
        default_source: text(info.default_source_name),
    })
}
