//! ringstream-node: the thin napi-rs layer over `ringstream-core`.
//!
//! Only type conversion and error mapping live here; behaviour lives in the
//! core crate. Doc comments on `#[napi]` items become the TSDoc of the
//! generated `index.d.ts`.

mod audio_file;
mod audio_writer;
mod broadcast;
mod devices;
mod dsp;
mod error;
mod files;
#[cfg(feature = "test-hooks")]
mod hooks;
mod jobs;
mod memory;
mod mixer;
mod pipes;
mod protocol;
mod ring;
mod rules;
mod stream;
mod stream_drift;
mod stream_options;
mod stream_status;
mod wav;
mod wav_read;

pub use audio_file::{
    native_check_record_path, native_parse_au_prefix, native_read_audio, native_write_audio,
    NativeAuPrefix, NativeAudioData, NativeAudioInfo, NativeAudioReader, NativeAudioWriteSpec,
    NativeRawSpec, NativeRecordFileSpec, ReadAudioTask, WriteAudioTask,
};
pub use audio_writer::{NativeAudioWriter, NativeAudioWriterSpec};
pub use broadcast::{NativeBroadcast, NativeBroadcastReader};
pub use devices::{
    check_blocksize, check_buffer_holds_block, check_channels, default_host, devices, hosts,
    DeviceInfo,
};
pub use dsp::{
    dsp_add, dsp_adsr, dsp_append, dsp_clip, dsp_db, dsp_envelope, dsp_fade, dsp_find_events,
    dsp_fractional_octaves, dsp_freq_to_band, dsp_gain, dsp_generate, dsp_heatmap_png, dsp_linlin,
    dsp_log_peaks, dsp_measure, dsp_min_max, dsp_mix, dsp_noise, dsp_norm,
    dsp_normalize_frequencies, dsp_remove_dc, dsp_resample, dsp_slice, dsp_spectrogram,
    dsp_spectrum, dsp_unit, DspBandSpec, DspEnvelope, DspEventSpec, DspGenSpec, DspHeatmap,
    DspLayout, DspLogAxis, DspMixOp, DspNorm, DspPng, DspSpectrum,
};
pub use dsp::{
    dsp_amplitudes, dsp_convolve, dsp_equal, dsp_overlap_add, DspConvolve, DspOverlapAdd,
};
pub use dsp::{
    dsp_arith, dsp_buf_to_float, dsp_channel_rfft, dsp_freqz, dsp_get, dsp_iir_design,
    dsp_interleave, dsp_irfft, dsp_is_pow2, dsp_istft, dsp_magspec, dsp_next_pow2, dsp_normalize,
    dsp_padding, dsp_rfft, dsp_set, dsp_shift_channels, dsp_signal_to_frame, dsp_sos_filter,
    dsp_stft, dsp_times, dsp_weight, dsp_window, dsp_window_rms, DspArithResult, DspBinsSpec,
    DspIirSpec, DspIstftSpec, DspPad, DspResponse, DspRfft, DspStft, DspWeighting, DspWhere,
    DspWindowOp, DspWrite,
};
pub use error::error_codes;
pub use files::NativeFiles;
#[cfg(feature = "test-hooks")]
pub use hooks::{inject_virtual_fault, monotonic_ns, ring_round_trips_native, NativeRingProbe};
pub use jobs::{DtypeName, PlaySpec, RecordSpec};
pub use memory::{adjusted_external_memory, ExternalMemory};
pub use mixer::{MixSpec, NativeAction, NativeStats};
pub use pipes::{
    native_encoding_name, native_pipe_spec, native_save_spec, native_sniff, NativeEncodingName,
    NativePipeDecoder, NativePipeEncoder, NativePipeSpec, NativeSaveSpec,
};
pub use protocol::*;
pub use ring::NativeRing;
pub use rules::{
    check_buffer_size, check_offset, check_ring_size, check_samplerate, check_whole_frames,
    ring_max_size, ring_size_for,
};
pub use stream::NativeStream;
pub use stream_options::{FaultOptions, NativeStreamOptions};
pub use stream_status::NativeLevels;
pub use wav::{
    native_check_write_path, native_parse_wav_prefix, native_transcode, native_wav_stream_header,
    native_write_wav, NativeWavPrefix, NativeWavReader, NativeWavWriter, WavFormatName,
    WriteWavTask,
};
pub use wav_read::{native_open_wav, NativeWavFile, OpenWavTask, ReadAllTask};
