//! ringstream-node: the thin napi-rs layer over `ringstream-core`.
//!
//! Only type conversion and error mapping live here; behaviour lives in the
//! core crate. Doc comments on `#[napi]` items become the TSDoc of the
//! generated `index.d.ts`.

mod bench;
mod devices;
mod error;
mod files;
mod jobs;
mod memory;
mod mixer;
mod protocol;
mod ring;
mod stream;
mod wav;

pub use bench::{monotonic_ns, ring_round_trips_native};
pub use devices::{check_blocksize, check_channels, default_host, devices, hosts, DeviceInfo};
pub use error::error_codes;
pub use files::NativeFiles;
pub use jobs::{DtypeName, PlaySpec, RecordFormat, RecordSpec};
pub use memory::{adjusted_external_memory, ExternalMemory};
pub use mixer::{MixSpec, NativeAction, NativeStats};
pub use protocol::{protocol_constants, NativeRingProbe, ProtocolConstant};
pub use ring::NativeRing;
pub use stream::{NativeLevels, NativeStream};
pub use wav::{
    native_parse_wav_prefix, native_read_wav, native_transcode, native_wav_stream_header,
    native_write_wav, NativeWavData, NativeWavPrefix, NativeWavReader, NativeWavWriter,
    ReadWavTask, WriteWavTask,
};
