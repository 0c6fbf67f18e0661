//! Whole-file WAV reads for JavaScript: `nativeOpenWav` reads the header and
//! `NativeWavFile.readAll` the samples, both off the JS thread.
//!
//! The samples go into memory that the JS engine allocates (a Node `Buffer`'s,
//! uninitialised, viewed as a `Float32Array`), as `fs.readFileSync`'s bytes
//! do, rather than into a Rust `Vec` handed over as an external buffer. An
//! external buffer is freed by a finalizer that runs some time after the
//! collection, so repeated reads kept several files' worth of memory alive,
//! and each new one was fresh pages that the kernel zeroes as they are first
//! touched: that took as long as the read itself. The engine's allocator
//! reuses the memory of arrays it has collected, already paged in. The
//! header comes first, in its own step, because the array's size depends on
//! it and only the JS thread can allocate JS memory.

use crate::error::OrThrow;
use crate::wav::NativeWavSpec;
use napi::bindgen_prelude::*;
use napi::{check_status, sys};
use napi_derive::napi;
use ringstream_core::wav::{WavReader, WavSpec};
use ringstream_core::Error as CoreError;
use std::mem::MaybeUninit;
use std::ptr;

/// Reads a file's header off the JS thread.
pub struct OpenWavTask {
    path: String,
}

impl Task for OpenWavTask {
    // The core error travels as a value: it needs the env to become a JS
    // error with its `code`, which only `resolve` has.
    type Output = ringstream_core::Result<WavReader>;
    type JsValue = NativeWavFile;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(WavReader::open(&self.path))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let r = output.or_throw(&env)?;
        Ok(NativeWavFile {
            spec: r.spec(),
            frames: r.frames(),
            inner: Some(r),
        })
    }
}

/// Opens the WAV file at `path` and reads its header. Internal: use `readWav`.
#[napi(ts_return_type = "Promise<NativeWavFile>")]
pub fn native_open_wav(path: String) -> AsyncTask<OpenWavTask> {
    AsyncTask::new(OpenWavTask { path })
}

/// A WAV file whose header has been read, for one whole read. Internal: use `readWav`.
#[napi]
pub struct NativeWavFile {
    inner: Option<WavReader>,
    spec: WavSpec,
    frames: u64,
}

#[napi]
impl NativeWavFile {
    /// The file's format.
    #[napi(getter)]
    pub fn spec(&self) -> NativeWavSpec {
        NativeWavSpec::from(self.spec)
    }

    /// Frames in the file.
    #[napi(getter)]
    pub fn frames(&self) -> f64 {
        self.frames as f64
    }

    /// Decodes every frame into a new array, off the JS thread; a second
    /// call fails (`ERR_INVALID_ARG`).
    #[napi(ts_return_type = "Promise<Float32Array>")]
    pub fn read_all(&mut self, env: Env) -> Result<AsyncTask<ReadAllTask>> {
        let reader = self
            .inner
            .take()
            .ok_or_else(|| CoreError::invalid_arg("the WAV file has been read"))
            .or_throw(&env)?;
        // `frames` is capped by the file's size, so this allocation is too.
        let len = self.frames as usize * self.spec.channels as usize;
        let (array, data) = uninit_f32_array(&env, len)?;
        Ok(AsyncTask::new(ReadAllTask {
            reader,
            array: Some(array),
            data: OutPtr(data),
            len,
        }))
    }
}

/// The start of a JS array's memory, for the thread pool to fill.
struct OutPtr(*mut MaybeUninit<f32>);

// SAFETY: the memory belongs to a JS array that `ReadAllTask` keeps alive
// (its `array` holds a reference) and that no JS code can reach until
// `resolve` returns it, so the pool thread is its only user meanwhile.
unsafe impl Send for OutPtr {}

/// Fills a new JS array with a file's samples off the JS thread.
pub struct ReadAllTask {
    reader: WavReader,
    array: Option<Float32Array>,
    data: OutPtr,
    len: usize,
}

impl Task for ReadAllTask {
    type Output = ringstream_core::Result<()>;
    type JsValue = Float32Array;

    fn compute(&mut self) -> Result<Self::Output> {
        let out: &mut [MaybeUninit<f32>] = if self.len == 0 {
            // An empty buffer's address may be null, which no slice may have.
            &mut []
        } else {
            // SAFETY: `data` points at `len` f32s of the array's memory (see
            // `OutPtr`), aligned for f32, and nothing else accesses them
            // until `resolve`.
            unsafe { std::slice::from_raw_parts_mut(self.data.0, self.len) }
        };
        let ch = self.reader.spec().channels as usize;
        Ok(self.reader.read_uninit(out).and_then(|frames| {
            // The header's frames are what the file held when it was opened;
            // anything short of them would leave memory unwritten.
            if frames * ch == self.len {
                Ok(())
            } else {
                Err(CoreError::new(
                    ringstream_core::ErrorKind::Io,
                    "cannot read WAV data: the file changed while it was read",
                ))
            }
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.or_throw(&env)?;
        self.array
            .take()
            .ok_or_else(|| Error::from_reason("the WAV array was already returned"))
    }
}

/// A new `Float32Array` of `len` elements over memory the JS engine
/// allocates without initialising it (a Node `Buffer`'s), and the address
/// of its first element. The caller must write every element before JS can
/// see the array.
fn uninit_f32_array(env: &Env, len: usize) -> Result<(Float32Array, *mut MaybeUninit<f32>)> {
    let bytes = len
        .checked_mul(std::mem::size_of::<f32>())
        .ok_or_else(|| Error::from_reason("WAV data too large for one array"))?;
    let raw = env.raw();
    let mut data = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut arraybuffer = ptr::null_mut();
    let mut offset = 0;
    // SAFETY: plain N-API calls on the JS thread with valid out-pointers.
    unsafe {
        check_status!(sys::napi_create_buffer(raw, bytes, &mut data, &mut buffer))?;
        check_status!(sys::napi_get_typedarray_info(
            raw,
            buffer,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut arraybuffer,
            &mut offset,
        ))?;
    }
    if !(data as usize).is_multiple_of(std::mem::align_of::<f32>()) || offset % 4 != 0 {
        // No engine we know of hands out such memory; a zeroed ArrayBuffer,
        // always aligned, is correct if slower.
        offset = 0;
        // SAFETY: as above.
        unsafe {
            check_status!(sys::napi_create_arraybuffer(
                raw,
                bytes,
                &mut data,
                &mut arraybuffer
            ))?;
        }
    }
    let mut array = ptr::null_mut();
    // SAFETY: as above; `arraybuffer` holds `bytes` bytes from `offset`.
    let array = unsafe {
        check_status!(sys::napi_create_typedarray(
            raw,
            sys::TypedarrayType::float32_array,
            len,
            arraybuffer,
            offset,
            &mut array,
        ))?;
        Float32Array::from_napi_value(raw, array)?
    };
    Ok((array, data.cast()))
}
