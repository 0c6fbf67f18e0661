//! G.711 µ-law and A-law, as Sun's reference `g711.c` (which sox and
//! libsndfile both use) converts them to and from 16-bit linear PCM, so a
//! byte decodes here to exactly what those programs give.

const SIGN_BIT: u8 = 0x80;
const QUANT_MASK: u8 = 0x0f;
const SEG_SHIFT: u32 = 4;
const SEG_MASK: u8 = 0x70;
const BIAS: i16 = 0x84;
const CLIP: i16 = 8159;
const SEG_UEND: [i16; 8] = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const SEG_AEND: [i16; 8] = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/// The segment of `v`: the first end in `table` that is not below it (8 if none).
fn segment(v: i16, table: &[i16; 8]) -> u8 {
    table.iter().position(|&end| v <= end).unwrap_or(8) as u8
}

/// The 16-bit linear value of a µ-law byte.
///
/// ```
/// use ringstream_core::audio_file::g711::ulaw_to_i16;
/// assert_eq!(ulaw_to_i16(0xff), 0);
/// assert_eq!(ulaw_to_i16(0x00), -32124);
/// ```
pub fn ulaw_to_i16(u: u8) -> i16 {
    let u = !u;
    let t = ((i16::from(u & QUANT_MASK) << 3) + BIAS) << ((u & SEG_MASK) >> SEG_SHIFT);
    if u & SIGN_BIT != 0 {
        BIAS - t
    } else {
        t - BIAS
    }
}

/// The 16-bit linear value of an A-law byte.
///
/// ```
/// use ringstream_core::audio_file::g711::alaw_to_i16;
/// assert_eq!(alaw_to_i16(0xd5), 8);
/// assert_eq!(alaw_to_i16(0x2a), -32256);
/// ```
pub fn alaw_to_i16(a: u8) -> i16 {
    let a = a ^ 0x55;
    let mut t = i16::from(a & QUANT_MASK) << 4;
    let seg = (a & SEG_MASK) >> SEG_SHIFT;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => t = (t + 0x108) << (seg - 1),
    }
    if a & SIGN_BIT != 0 {
        t
    } else {
        -t
    }
}

/// The µ-law byte of a 16-bit linear value.
///
/// ```
/// use ringstream_core::audio_file::g711::{i16_to_ulaw, ulaw_to_i16};
/// assert_eq!(ulaw_to_i16(i16_to_ulaw(1000)), 988);
/// ```
pub fn i16_to_ulaw(pcm: i16) -> u8 {
    let v = pcm >> 2;
    let (v, mask) = if v < 0 { (-v, 0x7f) } else { (v, 0xff) };
    let v = v.min(CLIP) + (BIAS >> 2);
    let seg = segment(v, &SEG_UEND);
    if seg >= 8 {
        return 0x7f ^ mask;
    }
    ((seg << 4) | ((v >> (seg + 1)) as u8 & QUANT_MASK)) ^ mask
}

/// The A-law byte of a 16-bit linear value.
///
/// ```
/// use ringstream_core::audio_file::g711::{alaw_to_i16, i16_to_alaw};
/// assert_eq!(alaw_to_i16(i16_to_alaw(1000)), 1008);
/// ```
pub fn i16_to_alaw(pcm: i16) -> u8 {
    let v = pcm >> 3;
    let (v, mask) = if v >= 0 { (v, 0xd5) } else { (-v - 1, 0x55) };
    let seg = segment(v, &SEG_AEND);
    if seg >= 8 {
        return 0x7f ^ mask;
    }
    let shift = if seg < 2 { 1 } else { seg };
    ((seg << SEG_SHIFT) | ((v >> shift) as u8 & QUANT_MASK)) ^ mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_survives_decode_then_encode() {
        for b in 0..=255u8 {
            assert_eq!(
                i16_to_ulaw(ulaw_to_i16(b)),
                b.max(if b == 0x7f { 0xff } else { 0 })
            );
            assert_eq!(i16_to_alaw(alaw_to_i16(b)), b, "alaw {b:#x}");
        }
    }
}
