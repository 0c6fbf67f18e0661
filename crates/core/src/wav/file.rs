//! The file system calls of whole-file reads and writes: one write of a
//! whole file, and raw reads into memory that is not yet initialised.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{self, Write};
use std::mem::MaybeUninit;
use std::path::Path;

/// Creates (or truncates) `path` and writes `bytes` to it in one call.
/// A write that fails (a full disk) leaves no partial regular file behind.
pub fn write_file(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    let with_path = |e: io::Error| Error::from(e).context(path.display());
    let mut file = File::create(path).map_err(with_path)?;
    file.write_all(bytes).map_err(|e| {
        drop(file);
        remove_partial(path);
        with_path(e)
    })
}

/// Removes what a failed write left at `path`, if it is a regular file (a
/// device such as `/dev/full`, or a FIFO, is never removed).
pub fn remove_partial(path: &Path) {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        let _ = std::fs::remove_file(path);
    }
}

/// Fills all of `out` from `file` (its current offset on), or fails with
/// `UnexpectedEof` if the file ends first.
///
/// `out` may be uninitialised: a whole-file read goes into memory nobody has
/// written yet, and zero-filling tens of megabytes first costs a pass over
/// them. On Unix the kernel writes straight into `out`; elsewhere `out` is
/// zeroed first and read as bytes.
pub fn read_exact_uninit(file: &mut File, out: &mut [MaybeUninit<u8>]) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let mut done = 0;
        while done < out.len() {
            // Linux moves at most 0x7fff_f000 bytes per read.
            let want = (out.len() - done).min(1 << 30);
            // SAFETY: the kernel writes at most `want` bytes at the pointer,
            // which lie inside `out`; it never reads them, so they may be
            // uninitialised.
            let n = unsafe { libc::read(file.as_raw_fd(), out[done..].as_mut_ptr().cast(), want) };
            match n {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n if n > 0 => done += n as usize,
                _ => {
                    let e = io::Error::last_os_error();
                    if e.kind() != io::ErrorKind::Interrupted {
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        use std::io::Read;
        for b in out.iter_mut() {
            b.write(0);
        }
        // SAFETY: every byte was just initialised.
        let bytes = unsafe { &mut *(out as *mut [MaybeUninit<u8>] as *mut [u8]) };
        file.read_exact(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn writes_reads_back_and_reports_a_short_file() {
        let dir = std::env::temp_dir().join(format!("ringstream-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.bin");
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7) as u8).collect();
        write_file(&path, &bytes).unwrap();
        write_file(&path, &bytes[..5000]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes[..5000]);
        write_file(&path, &[]).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        write_file(&path, &bytes).unwrap();

        let mut f = File::open(&path).unwrap();
        let mut out = vec![MaybeUninit::<u8>::uninit(); bytes.len()];
        read_exact_uninit(&mut f, &mut out).unwrap();
        // SAFETY: `read_exact_uninit` succeeded, so every byte is written.
        let got: Vec<u8> = out.iter().map(|b| unsafe { b.assume_init() }).collect();
        assert_eq!(got, bytes);
        let e = read_exact_uninit(&mut f, &mut out[..1]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);

        let e = write_file(dir.join("no/such/dir.bin"), &bytes).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("no/such/dir.bin"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
