//! The pumps' tests.

use super::*;
use crate::audio_file::{AudioReader, AudioWriter};
use crate::engine::play::Source;
use crate::wav::{SampleFormat, WavSpec, WavWriter};
use std::sync::Arc;
use std::time::Duration;

#[cfg(target_os = "linux")]
#[test]
fn a_writer_that_fails_tells_its_hook_even_when_set_late() {
    let spec = WavSpec {
        samplerate: 8000,
        channels: 1,
        format: SampleFormat::F32,
    };
    let (sink, _prod) = FileSink::start_opening(
        Box::new(move || WavWriter::create("/dev/full", spec).map(AudioWriter::from_wav)),
        1,
        1024,
    )
    .unwrap();
    // Set after the thread may already have failed: it is told anyway.
    std::thread::sleep(Duration::from_millis(20));
    let told: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let t2 = told.clone();
    sink.on_error(Box::new(move |e| t2.lock().unwrap().push(e.to_string())));
    let e = sink.finish().unwrap_err();
    assert!(e.message().starts_with("/dev/full: "), "{e}");
    let told = told.lock().unwrap();
    assert!(
        !told.is_empty() && told[0].contains("/dev/full"),
        "{told:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_without_a_peer_never_holds_the_caller() {
    let dir = std::env::temp_dir().join(format!("ringstream-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("p.wav");
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let p2 = path.clone();
    let (src, _source) =
        FileSource::start_opening(Box::new(move || AudioReader::open(&p2)), 1, 1024, false)
            .unwrap();
    // The open waits on the reader thread; stop() lets it go.
    assert!(src.stop().is_ok());
    let spec = WavSpec {
        samplerate: 8000,
        channels: 1,
        format: SampleFormat::F32,
    };
    // A second FIFO: the first one's reader still waits on its own.
    let p3 = dir.join("q.wav");
    let c = std::ffi::CString::new(p3.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (sink, _prod) = FileSink::start_opening(
        Box::new(move || WavWriter::create(&p3, spec).map(AudioWriter::from_wav)),
        1,
        1024,
    )
    .unwrap();
    let e = sink.finish().unwrap_err();
    assert!(e.message().contains("never opened"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reads_a_file_through_a_ring_and_writes_it_back() {
    let dir = std::env::temp_dir().join(format!("ringstream-pump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (src, dst) = (dir.join("in.wav"), dir.join("out.wav"));
    let spec = WavSpec {
        samplerate: 48000,
        channels: 2,
        format: SampleFormat::F32,
    };
    let data: Vec<f32> = (0..2 * 10_000).map(|i| (i % 977) as f32 / 1000.0).collect();
    crate::wav::write_wav(&src, &data, spec).unwrap();
    let (pump, source) = FileSource::start(AudioReader::open(&src).unwrap(), 1024, false).unwrap();
    let Source::Ring { mut cons, .. } = source else {
        panic!("a ring source")
    };
    let (sink, mut prod) = FileSink::start(
        AudioWriter::from_wav(WavWriter::create(&dst, spec).unwrap()),
        512,
    )
    .unwrap();
    let mut moved = 0;
    let mut buf = vec![0u8; 8 * 300];
    while moved < data.len() * 4 {
        let n = cons.read_partial(&mut buf);
        let mut off = 0;
        while off < n {
            off += prod.write_partial(&buf[off..n]);
        }
        moved += n;
    }
    pump.stop().unwrap();
    assert_eq!(sink.finish().unwrap(), 10_000);
    assert_eq!(crate::wav::read_wav(&dst).unwrap().samples, data);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_reader_error_is_kept_for_finish() {
    let dir = std::env::temp_dir().join(format!("ringstream-pump-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("short.wav");
    let spec = WavSpec {
        samplerate: 8000,
        channels: 1,
        format: SampleFormat::I16,
    };
    crate::wav::write_wav(&p, &vec![0.5; 50_000], spec).unwrap();
    let reader = AudioReader::open(&p).unwrap();
    // Cut the file under the open reader: its reads fail or come up short.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(100)
        .unwrap();
    let (pump, _source) = FileSource::start(reader, 1 << 16, false).unwrap();
    pump.prebuffer(1 << 16, Duration::from_secs(2));
    assert!(pump.stop().is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_flush_makes_the_file_whole_as_of_now_while_recording_goes_on() {
    let dir = std::env::temp_dir().join(format!("ringstream-pump-flush-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dst = dir.join("rec.wav");
    let spec = WavSpec {
        samplerate: 48000,
        channels: 1,
        format: SampleFormat::F32,
    };
    let (sink, mut prod) = FileSink::start(
        AudioWriter::from_wav(WavWriter::create(&dst, spec).unwrap()),
        1 << 16,
    )
    .unwrap();
    // Less than the half second after which the writer refreshes the header.
    let frames = 20_000;
    let bytes: Vec<u8> = (0..frames).flat_map(|_| 0.25f32.to_ne_bytes()).collect();
    assert_eq!(prod.write_partial(&bytes), bytes.len());
    sink.flush(Duration::from_secs(10));
    assert_eq!(crate::wav::read_wav(&dst).unwrap().frames, frames as u64);
    // The recording goes on after it.
    assert_eq!(prod.write_partial(&bytes), bytes.len());
    drop(prod);
    assert_eq!(sink.finish().unwrap(), 2 * frames as u64);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_flac_file_is_decoded_into_the_ring_on_the_reader_thread() {
    let dir = std::env::temp_dir().join(format!("ringstream-pump-flac-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("in.flac");
    // On the 16-bit grid, so FLAC keeps every value exactly.
    let data: Vec<f32> = (0..2 * 30_000)
        .map(|i| ((i % 977) as f32 - 488.0) / 1024.0)
        .collect();
    let spec = crate::audio_file::WriteSpec {
        samplerate: 48000,
        channels: 2,
        format: None,
        encoding: None,
        big_endian: false,
    };
    crate::audio_file::write_audio(&src, &data, spec).unwrap();
    // A ring much smaller than the file: the thread decodes as it drains.
    let (pump, source) = FileSource::start(AudioReader::open(&src).unwrap(), 1024, true).unwrap();
    let Source::Ring { mut cons, .. } = source else {
        panic!("a ring source")
    };
    let mut got = Vec::new();
    let mut buf = vec![0u8; 8 * 300];
    // Looping: one and a half passes come out, the second from the start.
    while got.len() < data.len() * 3 / 2 {
        let n = cons.read_partial(&mut buf);
        got.extend(
            buf[..n]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    pump.stop().unwrap();
    assert_eq!(&got[..data.len()], &data[..]);
    assert_eq!(
        &got[data.len()..data.len() * 3 / 2],
        &data[..data.len() / 2]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_flac_recording_into_a_fifo_closes_without_seeking() {
    use crate::audio_file::WriteSpec;
    use std::io::Read;
    let dir = std::env::temp_dir().join(format!("ringstream-flac-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("take.flac");
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let p2 = path.clone();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::fs::File::open(&p2)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    });
    let spec = WriteSpec {
        samplerate: 8000,
        channels: 1,
        format: None,
        encoding: None,
        big_endian: false,
    };
    let tone: Vec<f32> = (0..5000).map(|i| ((i % 64) as f32 - 32.0) / 64.0).collect();
    let mut w = AudioWriter::create(&path, spec).unwrap();
    w.write(&tone).unwrap();
    // A seek back to STREAMINFO fails on a FIFO (ESPIPE): the stream ends without it.
    w.close().unwrap();
    let bytes = reader.join().unwrap();
    let file = dir.join("copy.flac");
    std::fs::write(&file, &bytes).unwrap();
    let back = AudioReader::open(&file).unwrap().read_to_end().unwrap();
    assert_eq!(back, tone);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn prebuffer_returns_when_the_reader_delivers_or_stops_not_at_its_timeout() {
    let dir = std::env::temp_dir().join(format!("ringstream-pump-pre-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("a.wav");
    let spec = WavSpec {
        samplerate: 8000,
        channels: 1,
        format: SampleFormat::F32,
    };
    crate::wav::write_wav(&p, &vec![0.25; 8000], spec).unwrap();
    // The file opens 100 ms late (a FIFO's writer coming): prebuffer sleeps until the data is there.
    let path = p.clone();
    let open: Open<AudioReader> = Box::new(move || {
        std::thread::sleep(Duration::from_millis(100));
        AudioReader::open(&path)
    });
    let (pump, _source) = FileSource::start_opening(open, 1, 1 << 12, false).unwrap();
    let t0 = std::time::Instant::now();
    assert_eq!(pump.prebuffer(1 << 12, Duration::from_secs(60)), 1 << 12);
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    pump.stop().unwrap();
    // An open that never returns: stop() from another thread ends the wait.
    let never: Open<AudioReader> = Box::new(|| {
        std::thread::sleep(Duration::from_secs(3600));
        unreachable!()
    });
    let (pump, _source) = FileSource::start_opening(never, 1, 1 << 12, false).unwrap();
    let pump = Arc::new(pump);
    let p2 = pump.clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        p2.stop().unwrap();
    });
    let t0 = std::time::Instant::now();
    assert_eq!(pump.prebuffer(1, Duration::from_secs(60)), 0);
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    stopper.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
