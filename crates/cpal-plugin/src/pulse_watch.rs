//! A pulseaudio-host stream the server moves to another device.
//!
//! A PulseAudio server (PipeWire's `pipewire-pulse` with WirePlumber, or
//! PulseAudio 15 and later) moves a playing stream to the sink the user makes
//! the default, and `pactl move-sink-input` moves one anywhere. cpal's client
//! is told (`PLAYBACK_STREAM_MOVED`) but passes nothing on, so the plugin
//! watches for itself: each pulseaudio stream's server-side object (a sink
//! input, or a source output for recording) is found when it is built
//! ([`around`]), and one thread per process, subscribed to the server's
//! stream events, flags [`Ctl::device_changed`] when that object's device
//! changes. The engine raises `'devicechange'` with the next block, as for
//! PipeWire's own stream.
//!
//! Nothing here runs on an audio thread: the flag is an atomic the callback
//! reads.

use crate::pulse_conn::{Conn, ConnError};
use crate::stream::gate::Ctl;
use pulseaudio::protocol::{
    ClientInfoList, Command, GetSinkInfo, GetSourceInfo, Prop, SinkInfo, SinkInputInfo,
    SinkInputInfoList, SourceInfo, SourceOutputInfo, SourceOutputInfoList,
    SubscriptionEventFacility, SubscriptionEventType, SubscriptionMask,
};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The name the watch's connections give the server.
const CLIENT: &str = "ringstream-watch";

/// Which kind of server stream: a sink input plays, a source output records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Play,
    Record,
}

impl Dir {
    /// The `(index, device index)` of each stream of this process's
    /// clients (cpal's among them: a client's pid is in its properties).
    fn ours(self, conn: &mut Conn) -> Result<Vec<(u32, u32)>, ConnError> {
        let pid = format!("{}\0", std::process::id());
        let clients: Vec<u32> = conn
            .ask::<ClientInfoList>(Command::GetClientInfoList)?
            .into_iter()
            .filter(|c| c.props.get(Prop::ApplicationProcessId) == Some(pid.as_bytes()))
            .map(|c| c.index)
            .collect();
        let mine = |client: Option<u32>| client.is_some_and(|c| clients.contains(&c));
        Ok(match self {
            Dir::Play => conn
                .ask::<SinkInputInfoList>(Command::GetSinkInputInfoList)?
                .into_iter()
                .filter(|s| mine(s.client_index))
                .map(|s| (s.index, s.sink_index))
                .collect(),
            Dir::Record => conn
                .ask::<SourceOutputInfoList>(Command::GetSourceOutputInfoList)?
                .into_iter()
                .filter(|s| mine(s.client_index))
                .map(|s| (s.index, s.source_index))
                .collect(),
        })
    }

    /// The device stream `index` is on now.
    fn device_of(self, conn: &mut Conn, index: u32) -> Result<u32, ConnError> {
        Ok(match self {
            Dir::Play => {
                conn.ask::<SinkInputInfo>(Command::GetSinkInputInfo(index))?
                    .sink_index
            }
            Dir::Record => {
                conn.ask::<SourceOutputInfo>(Command::GetSourceOutputInfo(index))?
                    .source_index
            }
        })
    }

    /// The name of device `index`, as the host's listing names it: a
    /// loopback stream records a sink's monitor, which names the sink.
    fn name_of(self, conn: &mut Conn, index: u32, loopback: bool) -> Result<String, ConnError> {
        let name = match self {
            Dir::Play => {
                let q = GetSinkInfo {
                    index: Some(index),
                    name: None,
                };
                conn.ask::<SinkInfo>(Command::GetSinkInfo(q))?.name
            }
            Dir::Record => {
                let q = GetSourceInfo {
                    index: Some(index),
                    name: None,
                };
                conn.ask::<SourceInfo>(Command::GetSourceInfo(q))?.name
            }
        };
        let name = name.to_string_lossy();
        Ok(match name.strip_suffix(".monitor") {
            Some(sink) if loopback => sink.to_string(),
            _ => name.into_owned(),
        })
    }

    fn of(facility: SubscriptionEventFacility) -> Option<Dir> {
        match facility {
            SubscriptionEventFacility::SinkInput => Some(Dir::Play),
            SubscriptionEventFacility::SourceOutput => Some(Dir::Record),
            _ => None,
        }
    }
}

/// A watched stream: where it was last seen, and whom to tell.
struct Watched {
    dir: Dir,
    index: u32,
    device: u32,
    loopback: bool,
    /// The name of the device it was last moved to.
    moved_to: Option<String>,
    ctl: Arc<Ctl>,
}

/// The process's watched streams, and whether the event thread runs.
struct Registry {
    watched: Vec<Watched>,
    listening: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    watched: Vec::new(),
    listening: false,
});

/// Held from the listing before a build to the listing after it, so that
/// two streams built at once by one process cannot take each other's.
static BUILDING: Mutex<()> = Mutex::new(());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A stream under watch; dropping it ends the watch.
pub struct Watch {
    dir: Dir,
    index: u32,
}

impl Watch {
    /// Whether this watches a recording side.
    pub fn input(&self) -> bool {
        self.dir == Dir::Record
    }

    /// The device (a name of the host's listing) the server last moved the
    /// stream to; `None` until it moves.
    pub fn moved_to(&self) -> Option<String> {
        lock(&REGISTRY)
            .watched
            .iter()
            .find(|w| (w.dir, w.index) == (self.dir, self.index))
            .and_then(|w| w.moved_to.clone())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        lock(&REGISTRY)
            .watched
            .retain(|w| (w.dir, w.index) != (self.dir, self.index));
    }
}

/// Runs `build` (which makes one side of a stream on `device` of `host`,
/// recording if `input`, a sink's monitor if `loopback`), and on the
/// pulseaudio host finds the server
/// stream it made and watches it for moves, telling `ctl`.
///
/// A stream the watch cannot find (the server stopped answering its lists)
/// still opens, but its moves would go unreported: that is said on stderr,
/// once per stream, rather than failing a stream that plays.
pub fn around<T, E>(
    (host, device): (&str, &str),
    (input, loopback): (bool, bool),
    ctl: &Arc<Ctl>,
    build: impl FnOnce() -> Result<T, E>,
) -> Result<(T, Option<Watch>), E> {
    if host != "pulseaudio" {
        return Ok((build()?, None));
    }
    let dir = if input { Dir::Record } else { Dir::Play };
    let _one_at_a_time = lock(&BUILDING);
    let before = listen()
        .and_then(|()| Conn::open(CLIENT))
        .and_then(|mut c| Ok((dir.ours(&mut c)?, c)));
    let built = build()?;
    let watch = before.and_then(|(before, mut conn)| {
        let new: Vec<_> = dir
            .ours(&mut conn)?
            .into_iter()
            .filter(|s| !before.iter().any(|b| b.0 == s.0))
            .collect();
        let [(index, on)] = new[..] else {
            return Err(ConnError::Refused(format!(
                "{} new server streams of this process, not one",
                new.len()
            )));
        };
        lock(&REGISTRY).watched.push(Watched {
            dir,
            index,
            device: on,
            loopback,
            moved_to: None,
            ctl: ctl.clone(),
        });
        Ok(Watch { dir, index })
    });
    match watch {
        Ok(w) => Ok((built, Some(w))),
        Err(e) => {
            eprintln!("ringstream: pulseaudio:{device}: a move of this stream by the server will not raise 'devicechange': {e}");
            Ok((built, None))
        }
    }
}

/// Starts the event thread unless it runs; it is subscribed when this
/// returns, so that no move after it goes unseen.
fn listen() -> Result<(), ConnError> {
    let mut reg = lock(&REGISTRY);
    if reg.listening {
        return Ok(());
    }
    let mut events = Conn::open(CLIENT)?;
    events.subscribe(SubscriptionMask::SINK_INPUT | SubscriptionMask::SOURCE_OUTPUT)?;
    let queries = Conn::open(CLIENT)?;
    std::thread::Builder::new()
        .name("ringstream-pulse-watch".into())
        .spawn(move || {
            // Ends only when the connection breaks: the server went, and
            // every stream of it fails through cpal with its own error. The
            // next build starts over.
            let Err(_) = run(events, queries);
            lock(&REGISTRY).listening = false;
        })
        .map_err(ConnError::from)?;
    reg.listening = true;
    Ok(())
}

/// The event thread: each change of a watched stream is checked against
/// the device it was last seen on.
fn run(mut events: Conn, mut queries: Conn) -> Result<std::convert::Infallible, ConnError> {
    loop {
        let ev = events.next_event()?;
        let (Some(dir), Some(index)) = (Dir::of(ev.event_facility), ev.index) else {
            continue;
        };
        if ev.event_type != SubscriptionEventType::Changed {
            continue;
        }
        let loopback = lock(&REGISTRY)
            .watched
            .iter()
            .find(|w| (w.dir, w.index) == (dir, index))
            .map(|w| w.loopback);
        let Some(loopback) = loopback else {
            continue;
        };
        // Asked outside the lock: a reply may take a while. A refusal means
        // the stream went between the event and the question (closed).
        let device = match dir.device_of(&mut queries, index) {
            // PA_INVALID_INDEX: between two devices, in the middle of a move
            // (PipeWire's server says so for a moment).
            Ok(u32::MAX) | Err(ConnError::Refused(_)) => continue,
            Ok(d) => d,
            Err(e) => return Err(e),
        };
        let moved = lock(&REGISTRY)
            .watched
            .iter()
            .any(|w| (w.dir, w.index) == (dir, index) && w.device != device);
        if !moved {
            continue;
        }
        let name = match dir.name_of(&mut queries, device, loopback) {
            Ok(n) => Some(n),
            Err(ConnError::Refused(_)) => None,
            Err(e) => return Err(e),
        };
        let mut reg = lock(&REGISTRY);
        let w = reg
            .watched
            .iter_mut()
            .find(|w| (w.dir, w.index) == (dir, index));
        if let Some(w) = w.filter(|w| w.device != device) {
            w.device = device;
            // Named before the flag: the event that follows reads it.
            w.moved_to = name;
            w.ctl.device_changed();
        }
    }
}
