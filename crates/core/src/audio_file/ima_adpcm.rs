//! IMA (DVI) ADPCM as WAV holds it (format tag 0x11): blocks of a 4-byte
//! header per channel (the first sample and the step index), then 4-byte
//! groups of 8 nibbles per channel in turn, low nibble first. The decode is
//! sox's and libsndfile's (which agree): the step's shift-and-add
//! approximation of the spec, an out-of-range step index read as 0.

/// IMA's 89 step sizes.
const STEPS: [i32; 89] = [
    7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66,
    73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449,
    494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272,
    2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493,
    10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];

/// How a nibble's magnitude moves the step index.
const INDEX_MOVE: [i32; 8] = [-1, -1, -1, -1, 2, 4, 6, 8];

/// Bytes of the per-channel block header.
const HEADER: usize = 4;

/// Frames a block of `bytes` bytes holds for `channels` channels: the
/// header's sample and 8 per whole 4-byte group (0 if the header is cut).
///
/// ```
/// use ringstream_core::audio_file::ima_adpcm::frames_in;
/// assert_eq!(frames_in(512, 2), 505); // sox's stereo block
/// assert_eq!(frames_in(256, 1), 505);
/// assert_eq!(frames_in(3, 1), 0);
/// ```
pub fn frames_in(bytes: usize, channels: usize) -> usize {
    if channels == 0 || bytes < HEADER * channels {
        return 0;
    }
    (bytes - HEADER * channels) / (4 * channels) * 8 + 1
}

/// Decodes the first `frames` frames of `block` (at most
/// [`frames_in`]`(block.len())`) into `out` as interleaved 16-bit samples;
/// returns the frames decoded.
///
/// ```
/// use ringstream_core::audio_file::ima_adpcm::decode_block;
/// // One channel: first sample 100, step index 0, then nibbles 0x7 and 0x8.
/// let block = [100, 0, 0, 0, 0x87, 0, 0, 0];
/// let mut out = [0i16; 3];
/// assert_eq!(decode_block(&block, 1, 3, &mut out), 3);
/// assert_eq!(out, [100, 100 + 7 + 3 + 1 + 0, 111 - 0 - 2]);
/// ```
pub fn decode_block(block: &[u8], channels: usize, frames: usize, out: &mut [i16]) -> usize {
    let frames = frames
        .min(frames_in(block.len(), channels))
        .min(out.len() / channels.max(1));
    if frames == 0 {
        return 0;
    }
    for c in 0..channels {
        let h = &block[HEADER * c..HEADER * (c + 1)];
        let mut value = i32::from(i16::from_le_bytes([h[0], h[1]]));
        let mut index = if h[2] as usize >= STEPS.len() {
            0
        } else {
            i32::from(h[2])
        };
        out[c] = value as i16;
        for i in 1..frames {
            let k = i - 1;
            let byte = block[HEADER * channels + (k / 8) * 4 * channels + 4 * c + (k % 8) / 2];
            let nibble = if k % 2 == 0 { byte & 0x0f } else { byte >> 4 };
            let magnitude = nibble & 7;
            let mut step = STEPS[index as usize];
            index = (index + INDEX_MOVE[magnitude as usize]).clamp(0, STEPS.len() as i32 - 1);
            let mut diff = 0;
            for bit in [4, 2, 1] {
                if magnitude & bit != 0 {
                    diff += step;
                }
                step >>= 1;
            }
            diff += step;
            value = if nibble & 8 != 0 {
                (value - diff).max(-0x8000)
            } else {
                (value + diff).min(0x7fff)
            };
            out[i * channels + c] = value as i16;
        }
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stereo_groups_alternate_by_channel_and_a_bad_index_is_zero() {
        // Left: 0, index 200 (out of range: 0); right: -5, index 88.
        let mut block = vec![0, 0, 200, 0, 0xfb, 0xff, 88, 0];
        block.extend_from_slice(&[0x11, 0x11, 0x11, 0x11]); // left's 8 nibbles
        block.extend_from_slice(&[0x00, 0x00, 0x00, 0x00]); // right's
        let mut out = vec![0i16; 2 * 9];
        assert_eq!(decode_block(&block, 2, 9, &mut out), 9);
        // Left: +1 steps from step 7: 7/4 + 7/8 = 1 + 0 = 1, index stays 0.
        assert_eq!(out[2], 1);
        assert_eq!(out[16], 8);
        // Right: +0 adds step >> 3 and moves the index down one each time.
        assert_eq!(out[3], -5 + (32767 >> 3));
        let eighths: i32 = STEPS[81..].iter().map(|s| s >> 3).sum();
        assert_eq!(i32::from(out[17]), -5 + eighths);
        // A cut block decodes what it holds.
        assert_eq!(decode_block(&block[..7], 2, 9, &mut out), 0);
    }
}
