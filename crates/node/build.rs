//! Build script: sets up napi-rs linking for the Node addon.
fn main() {
    napi_build::setup();
}
