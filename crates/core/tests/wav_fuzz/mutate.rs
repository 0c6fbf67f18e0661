//! Mutations of a WAV file: byte-level damage and chunk-aware edits.

use super::rng::Rng;

/// Values that sit on the edges of the fields a WAV header holds.
const INTERESTING_U32: [u32; 12] = [
    0,
    1,
    2,
    3,
    0x7f,
    0xff,
    0xffff,
    0x7fff_f000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];

/// Chunk headers found by walking the RIFF list: (offset of the chunk's id,
/// the size it claims). Stops at the first header that does not fit.
pub fn chunks(b: &[u8]) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    let mut pos = 12usize;
    while pos + 8 <= b.len() && out.len() < 64 {
        let len = u32::from_le_bytes([b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]]);
        out.push((pos, len));
        pos = match pos.checked_add(8 + len as usize + (len as usize & 1)) {
            Some(p) => p,
            None => break,
        };
    }
    out
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    if at + 4 <= b.len() {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    if at + 2 <= b.len() {
        b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
}

/// One chunk picked at random: where it starts and ends (its pad byte
/// included), clamped to the file.
fn any_chunk(rng: &mut Rng, b: &[u8]) -> Option<(usize, usize)> {
    let cs = chunks(b);
    if cs.is_empty() {
        return None;
    }
    let (at, len) = *rng.pick(&cs);
    let end = (at + 8 + len as usize + (len as usize & 1)).min(b.len());
    Some((at, end))
}

/// Applies one random mutation to `b`; `other` is another corpus file to
/// splice from. Returns the mutation's name (for failure reports).
pub fn mutate(rng: &mut Rng, b: &mut Vec<u8>, other: &[u8]) -> &'static str {
    if b.is_empty() {
        b.extend_from_slice(other);
        return "replace empty";
    }
    match rng.below(12) {
        0 => {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
            "bit flip"
        }
        1 => {
            let i = rng.below(b.len());
            b[i] = *rng.pick(&[0u8, 1, 0x7f, 0x80, 0xfe, 0xff]);
            "byte set"
        }
        2 => {
            let i = rng.below(b.len());
            b[i] = rng.next_u64() as u8;
            "random byte"
        }
        3 => {
            b.truncate(rng.below(b.len()));
            "truncate"
        }
        4 | 5 => {
            // A chunk size field set to an edge value (huge, 0, odd...).
            let cs = chunks(b);
            if cs.is_empty() {
                put_u32(b, 4, *rng.pick(&INTERESTING_U32));
                return "riff size";
            }
            let (at, _) = *rng.pick(&cs);
            put_u32(b, at + 4, *rng.pick(&INTERESTING_U32));
            "chunk size"
        }
        6 => {
            // A header field of the fmt chunk set to an edge value.
            let fmt = chunks(b)
                .into_iter()
                .find(|(at, _)| b[*at..*at + 4] == *b"fmt ");
            let Some((at, _)) = fmt else { return "no fmt" };
            let body = at + 8;
            let field = *rng.pick(&[0usize, 2, 4, 8, 12, 14, 16, 18, 20, 24]);
            if field == 4 || field == 8 || field == 20 {
                put_u32(b, body + field, *rng.pick(&INTERESTING_U32));
            } else {
                let v = *rng.pick(&[0u16, 1, 2, 3, 4, 6, 8, 24, 32, 0xfffe, 0xffff]);
                put_u16(b, body + field, v);
            }
            "fmt field"
        }
        7 => {
            // Duplicate a whole chunk (clamped to the file), right after itself.
            let Some((at, end)) = any_chunk(rng, b) else {
                return "no chunk";
            };
            let copy = b[at..end].to_vec();
            let dest = if rng.below(2) == 0 { end } else { at };
            b.splice(dest..dest, copy);
            "duplicate chunk"
        }
        8 => {
            // Remove a chunk.
            let Some((at, end)) = any_chunk(rng, b) else {
                return "no chunk";
            };
            b.drain(at..end);
            "remove chunk"
        }
        9 => {
            // Insert random bytes (shifts every chunk after it).
            let at = rng.below(b.len() + 1);
            let n = 1 + rng.below(16);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            b.splice(at..at, bytes);
            "insert bytes"
        }
        10 => {
            // Splice in a piece of another file.
            let from = rng.below(other.len());
            let n = 1 + rng.below((other.len() - from).min(64));
            let at = rng.below(b.len());
            let end = (at + n).min(b.len());
            b.splice(at..end, other[from..from + n].iter().copied());
            "splice"
        }
        _ => {
            // Grow the file with junk after the end (sizes now under-claim).
            let n = rng.below(300);
            b.extend((0..n).map(|_| rng.next_u64() as u8));
            "append"
        }
    }
}
