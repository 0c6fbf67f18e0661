//! Tests of [`super::AudioWriter`]: the half-second refresh and a writer
//! dropped unclosed.

use super::*;
use crate::audio_file::read_audio;

#[test]
fn a_flac_being_written_reaches_the_file_every_half_second() {
    let path =
        std::env::temp_dir().join(format!("ringstream-flac-flush-{}.flac", std::process::id()));
    let spec = WriteSpec {
        samplerate: 48_000,
        channels: 2,
        format: None,
        encoding: Some(Encoding::Pcm24),
        big_endian: false,
    };
    let mut w = AudioWriter::create(&path, spec).unwrap();
    // Two seconds of silence, 1000 frames at a time, as a writer thread
    // gets them: its blocks take a few bytes each, far less than the
    // 64 KiB buffer, so only the half-second flush puts them on disk.
    for _ in 0..96 {
        w.write(&[0.0; 2000]).unwrap();
    }
    // Read while still open (what a SIGKILL would leave).
    let on_disk = read_audio(&path).unwrap().info.frames.unwrap();
    assert_eq!(on_disk % 4096, 0, "whole blocks only");
    assert!(
        on_disk >= 96_000 - 24_000 - 4096,
        "only {on_disk} of 96000 frames on disk"
    );
    w.close().unwrap();
    assert_eq!(read_audio(&path).unwrap().info.frames, Some(96_000));
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_writer_dropped_unclosed_finishes_its_file_in_every_format() {
    let samples: Vec<f32> = (0..2 * 5001).map(|i| (i % 97) as f32 / 128.0).collect();
    let cases = [
        ("wav", Encoding::Pcm16),
        ("wav", Encoding::Ulaw),
        ("flac", Encoding::Pcm24),
        ("au", Encoding::Float),
        ("aiff", Encoding::Pcm24),
        ("w64", Encoding::Pcm16),
    ];
    for (ext, encoding) in cases {
        let path = std::env::temp_dir().join(format!(
            "ringstream-dropped-{}-{}.{ext}",
            std::process::id(),
            encoding.name()
        ));
        let spec = WriteSpec {
            samplerate: 8000,
            channels: 2,
            format: None,
            encoding: Some(encoding),
            big_endian: false,
        };
        let mut w = AudioWriter::create(&path, spec).unwrap();
        // Less than half a second: nothing refreshed the file yet.
        w.write(&samples[..2 * 3000]).unwrap();
        w.write(&samples[2 * 3000..]).unwrap();
        drop(w);
        let got = read_audio(&path).unwrap();
        assert_eq!(got.info.frames, Some(5001), "{ext} {encoding:?}");
        assert_eq!(got.samples.len(), samples.len(), "{ext} {encoding:?}");
        std::fs::remove_file(&path).ok();
    }
}

/// The data size an AU file's header says (bytes 8..12).
fn au_data_size(path: &Path) -> u32 {
    let head = std::fs::read(path).unwrap();
    u32::from_be_bytes(head[8..12].try_into().unwrap())
}

#[test]
fn a_plain_header_is_rewritten_every_half_second_and_after_a_flush() {
    let path =
        std::env::temp_dir().join(format!("ringstream-au-refresh-{}.au", std::process::id()));
    let spec = WriteSpec {
        samplerate: 48_000,
        channels: 2,
        format: None,
        encoding: Some(Encoding::Float),
        big_endian: false,
    };
    let mut w = AudioWriter::create(&path, spec).unwrap();
    // Writes `blocks` of 1000 frames; the frames the header then counts.
    let write = |w: &mut AudioWriter, blocks: usize| {
        for _ in 0..blocks {
            w.write(&[0.25; 2000]).unwrap();
        }
        au_data_size(&path) / 8
    };
    assert_eq!(write(&mut w, 23), 0, "not yet half a second");
    assert_eq!(write(&mut w, 1), 24_000, "at half a second");
    assert_eq!(write(&mut w, 23), 24_000, "counted from the last refresh");
    assert_eq!(write(&mut w, 1), 48_000);
    // A flush refreshes at once and starts the half second again.
    write(&mut w, 10);
    w.flush().unwrap();
    assert_eq!(au_data_size(&path) / 8, 58_000);
    assert_eq!(write(&mut w, 23), 58_000, "the flush restarted the count");
    assert_eq!(write(&mut w, 1), 82_000);
    w.close().unwrap();
    std::fs::remove_file(&path).ok();
}
