//! What a refused open says: the error kind of an ALSA open, and a
//! refused configuration with the periods tried and what the device offers.

use super::alsa;
use super::build::{dir_name, Plan, Request};
use crate::abi::kind;
use crate::host::{self, Failure};
use cpal::BufferSize;

pub(super) fn open_failure(what: &str, rc: i32) -> Failure {
    let k = match -rc {
        alsa::errno::EBUSY | alsa::errno::EAGAIN => kind::DEVICE_BUSY,
        alsa::errno::ENOENT | alsa::errno::ENODEV => kind::DEVICE_NOT_FOUND,
        _ => kind::IO,
    };
    (k, format!("{what}: ALSA error {rc} on open"))
}

/// What `req` cannot open (`plan`'s channels, rate and format).
fn refused_what(req: &Request, plan: &Plan, input: bool) -> String {
    format!(
        "{}:{} cannot open its {} ({} channels, {} Hz, {:?})",
        req.host,
        req.device,
        dir_name(input),
        plan.channels,
        plan.rate,
        plan.fmt
    )
}

/// A build error, with what an ALSA device offers when it refused the config.
pub(super) fn build_failure(req: &Request, plan: &Plan, input: bool, e: &cpal::Error) -> Failure {
    with_offer(req, plan, host::fail(&refused_what(req, plan, input), e))
}

/// The ALSA setup's refusal ([`super::alsa_setup::install`]), as a
/// build's is reported.
#[cfg(alsa_stack)]
pub(super) fn setup_failure(req: &Request, plan: &Plan, input: bool, why: &str) -> Failure {
    let what = refused_what(req, plan, input);
    with_offer(
        req,
        plan,
        (kind::UNSUPPORTED_CONFIG, format!("{what}: {why}")),
    )
}

/// `f`, with the periods tried and what the device offers when an ALSA
/// device refused the config.
fn with_offer(req: &Request, plan: &Plan, mut f: Failure) -> Failure {
    if req.host == "alsa" && f.0 == kind::UNSUPPORTED_CONFIG {
        let periods: Vec<String> = plan
            .sizes
            .iter()
            .map(|s| match s {
                BufferSize::Fixed(p) => format!("{p}"),
                BufferSize::Default => "its default".to_string(),
            })
            .collect();
        f.1 = format!(
            "{}; periods tried: {} frames; it offers {}",
            f.1,
            periods.join(", "),
            plan.offer
        );
    }
    f
}
