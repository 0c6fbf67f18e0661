//! The file this code is linked into: the `.node` module in production,
//! next to which the cpal plugin ships.

use std::path::PathBuf;

/// The path of the shared library (or executable) holding this function.
#[cfg(unix)]
pub fn own_file() -> Option<PathBuf> {
    use std::ffi::{c_void, CStr};
    let mut info = libc::Dl_info {
        dli_fname: std::ptr::null(),
        dli_fbase: std::ptr::null_mut(),
        dli_sname: std::ptr::null(),
        dli_saddr: std::ptr::null_mut(),
    };
    let addr = own_file as *const c_void;
    // SAFETY: dladdr only reads its address argument and fills `info`.
    let found = unsafe { libc::dladdr(addr, &mut info) };
    if found == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dli_fname is a NUL-terminated path owned by the loader.
    let p = unsafe { CStr::from_ptr(info.dli_fname) };
    Some(PathBuf::from(p.to_string_lossy().into_owned()))
}

/// The path of the DLL (or executable) holding this function.
///
/// Written for Windows and type-checked here with `cargo check --target
/// x86_64-pc-windows-msvc`; it has never run (no Windows machine here).
#[cfg(windows)]
pub fn own_file() -> Option<PathBuf> {
    use std::ffi::OsString;
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::Win32::System::LibraryLoader::{
        GetModuleFileNameW, GetModuleHandleExW, GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
        GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
    };
    let mut module = std::ptr::null_mut();
    let flags =
        GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT;
    // SAFETY: with FROM_ADDRESS the second argument is an address inside the
    // module wanted (this function); the handle is written to `module` and,
    // with UNCHANGED_REFCOUNT, needs no release.
    let ok = unsafe { GetModuleHandleExW(flags, own_file as *const u16, &mut module) };
    if ok == 0 {
        return None;
    }
    let mut buf = vec![0u16; 32768];
    // SAFETY: `buf` holds `buf.len()` u16s; the call writes at most that many.
    let n = unsafe { GetModuleFileNameW(module, buf.as_mut_ptr(), buf.len() as u32) } as usize;
    if n == 0 || n >= buf.len() {
        return None;
    }
    Some(PathBuf::from(OsString::from_wide(&buf[..n])))
}
