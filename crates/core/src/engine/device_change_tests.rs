//! Tests: a block flagged DEVICE_CHANGED (the host moved the stream to the
//! new default device) raises the event and is no xrun.

use crate::engine::notify::events;
use crate::engine::{state, status, BlockInfo, Command, Engine};
use std::sync::atomic::Ordering;
use std::time::Duration;

#[test]
fn a_device_change_raises_its_event_and_counts_no_xrun() {
    let (mut engine, mut control) = Engine::new(0, 1, 48_000);
    assert!(control.send(Command::Begin).is_ok());
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    let mut out = vec![0f64; 64];
    let block = |flags| BlockInfo {
        frames: 64,
        flags,
        ..Default::default()
    };
    engine.process(&[], &mut out, &block(status::DEVICE_CHANGED));
    let bits = control.shared.notifier.wait(Duration::ZERO);
    assert_ne!(bits & events::DEVICE_CHANGE, 0, "bits {bits:#x}");
    assert_eq!(bits & events::XRUN, 0);
    assert_eq!(control.shared.xruns.load(Ordering::Acquire), 0);
    assert_eq!(control.shared.status.load(Ordering::Acquire), 0);
    // With an underflow beside it, the underflow alone is counted.
    engine.process(
        &[],
        &mut out,
        &block(status::DEVICE_CHANGED | status::OUTPUT_UNDERFLOW),
    );
    assert_eq!(control.shared.xruns.load(Ordering::Acquire), 1);
    assert_eq!(
        control.shared.status.load(Ordering::Acquire),
        status::OUTPUT_UNDERFLOW
    );
}
