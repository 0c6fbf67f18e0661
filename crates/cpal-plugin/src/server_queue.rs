//! What a sound server holds of an output stream beyond the delay cpal
//! reports for it.
//!
//! cpal's PipeWire stream runs its process callback on the stream's own
//! main loop, not on the graph's data thread (no `RT_PROCESS`): the buffer a
//! callback fills is queued and taken by the next graph cycle, one quantum
//! later than `pw_stream_get_time`'s delay counts from. PipeWire's
//! PulseAudio server (`pipewire-pulse`) feeds each client through such a
//! stream of its own, and the latency it reports (`sink_usec` and the
//! stream's buffer) leaves that quantum out too. A PulseAudio server proper
//! reports its whole queue.

/// Whether an output stream of `host_name` has its callbacks' frames
/// played one callback later than the playback instant cpal reports: where
/// the server is PipeWire.
///
/// ```
/// use ringstream_cpal::server_queue::queues_a_callback;
/// assert!(queues_a_callback("pipewire"));
/// assert!(!queues_a_callback("alsa"));
/// ```
pub fn queues_a_callback(host_name: &str) -> bool {
    match host_name {
        "pipewire" => true,
        "pulseaudio" => pulse_is_pipewire(),
        _ => false,
    }
}

/// Whether the PulseAudio server the environment names is PipeWire's. A
/// server that does not answer is taken for PulseAudio proper: nothing is
/// added.
fn pulse_is_pipewire() -> bool {
    crate::pulse_server::info().is_some_and(|i| i.is_pipewire())
}
