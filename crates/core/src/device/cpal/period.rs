//! A stream's block when the host chooses it (`blocksize: 0`): the plugin's
//! period for the stream, asked before the open ([`crate::device::Host::own_block`]), and
//! what the plugin opened to find it, kept for that open so that the device
//! is opened once.

use super::abi::{RsPeriod, RsPeriodArgs};
use super::{c_string, device_error, empty_error, rs_config, CpalHost};
use crate::device::{DeviceInfo, StreamConfig};
use crate::error::Result;
use std::ffi::c_void;

/// The plugin's `RsPeriod::planned`: owned here until an open takes it.
pub(super) struct Planned(*mut c_void);

// SAFETY: the plugin's planned handle is plain data (an ALSA PCM that one
// thread at a time uses); it only moves to the thread that opens or frees it.
unsafe impl Send for Planned {}

impl CpalHost {
    /// [`crate::device::Host::own_block`]: the plugin's period for the stream; what it
    /// opened to find it waits in `planned` for the device's open.
    pub(super) fn period(&self, device: &DeviceInfo, config: &StreamConfig) -> Result<usize> {
        let host = c_string(self.name, "host")?;
        let name = self.stable_name(device)?;
        let args = RsPeriodArgs {
            host: host.as_ptr(),
            device: name.as_ptr(),
            config: rs_config(config)?,
        };
        let mut out = RsPeriod {
            frames: 0,
            planned: std::ptr::null_mut(),
        };
        let mut err = empty_error();
        // SAFETY: the strings and structs live across the call.
        if unsafe { (self.plugin.period)(&args, &mut out, &mut err) } != 0 {
            return Err(device_error(device, &err));
        }
        self.forget();
        if !out.planned.is_null() {
            *self.planned.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((device.id.clone(), Planned(out.planned)));
        }
        Ok(out.frames as usize)
    }

    /// Frees what `own_block` opened and no open took.
    pub(super) fn forget(&self) {
        let old = self
            .planned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some((_, p)) = old {
            // SAFETY: a planned handle of this plugin, used once.
            unsafe { (self.plugin.forget)(p.0) };
        }
    }

    /// What `own_block` opened on `device`, taken (null: none).
    pub(super) fn take_planned(&self, device: &DeviceInfo) -> *mut c_void {
        let mut slot = self.planned.lock().unwrap_or_else(|p| p.into_inner());
        match slot.take() {
            Some((id, p)) if id == device.id => p.0,
            other => {
                *slot = other;
                drop(slot);
                self.forget();
                std::ptr::null_mut()
            }
        }
    }
}

impl Drop for CpalHost {
    fn drop(&mut self) {
        self.forget();
    }
}
