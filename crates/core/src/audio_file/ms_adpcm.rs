//! Microsoft ADPCM as WAV holds it (format tag 0x02): blocks of a header
//! (per channel: predictor index, then per channel: step, sample 1, sample
//! 2) and nibbles, high first, cycling through the channels. The decode is
//! sox's and libsndfile's (which agree): the predictor pairs come from the
//! fmt extension, an out-of-range predictor index is read as 0.

/// Step adaptation by nibble, 1.0 as 256.
const ADAPT: [i64; 16] = [
    230, 230, 230, 230, 307, 409, 512, 614, 768, 614, 512, 409, 307, 230, 230, 230,
];

/// The seven predictor pairs every MS ADPCM file must list first.
pub const STANDARD_COEFFICIENTS: [(i16, i16); 7] = [
    (256, 0),
    (512, -256),
    (0, 0),
    (192, 64),
    (240, 0),
    (460, -208),
    (392, -232),
];

/// Bytes of the block header per channel.
const HEADER: usize = 7;

/// Frames a block of `bytes` bytes holds for `channels` channels: the
/// header's two and one per nibble per channel (0 if the header is cut).
///
/// ```
/// use ringstream_core::audio_file::ms_adpcm::frames_in;
/// assert_eq!(frames_in(1024, 2), 1012); // sox's stereo block
/// assert_eq!(frames_in(6, 1), 0);
/// ```
pub fn frames_in(bytes: usize, channels: usize) -> usize {
    if channels == 0 || bytes < HEADER * channels {
        return 0;
    }
    (bytes - HEADER * channels) * 2 / channels + 2
}

/// One channel's predictor and step inside a block.
#[derive(Debug, Clone, Copy, Default)]
struct State {
    coefficients: (i64, i64),
    step: i64,
}

/// A decoder for one file's blocks: its predictor table and per-channel
/// state, made once so decoding a block never allocates.
#[derive(Debug, Clone)]
pub struct MsAdpcm {
    coefficients: Vec<(i16, i16)>,
    states: Vec<State>,
}

impl MsAdpcm {
    /// A decoder for `channels` channels predicting with `coefficients`
    /// (the fmt extension's table; an empty one means the standard seven).
    pub fn new(channels: usize, coefficients: Vec<(i16, i16)>) -> Self {
        let coefficients = if coefficients.is_empty() {
            STANDARD_COEFFICIENTS.to_vec()
        } else {
            coefficients
        };
        MsAdpcm {
            coefficients,
            states: vec![State::default(); channels],
        }
    }

    /// Decodes the first `frames` frames of `block` (at most
    /// [`frames_in`]`(block.len())`) into `out` as interleaved 16-bit
    /// samples; returns the frames decoded.
    ///
    /// ```
    /// use ringstream_core::audio_file::ms_adpcm::MsAdpcm;
    /// // One channel: predictor 0 (256, 0), step 16, sample1 10, sample2 20, nibbles 1, 0.
    /// let block = [0, 16, 0, 10, 0, 20, 0, 0x10];
    /// let mut out = [0i16; 4];
    /// let n = MsAdpcm::new(1, Vec::new()).decode_block(&block, 4, &mut out);
    /// assert_eq!((n, out), (4, [20, 10, 10 + 16, 26]));
    /// // A block asked for one frame decodes that frame alone.
    /// let mut one = [0i16; 1];
    /// assert_eq!(MsAdpcm::new(1, Vec::new()).decode_block(&block, 1, &mut one), 1);
    /// assert_eq!(one, [20]);
    /// ```
    pub fn decode_block(&mut self, block: &[u8], frames: usize, out: &mut [i16]) -> usize {
        let channels = self.states.len();
        let frames = frames
            .min(frames_in(block.len(), channels))
            .min(out.len() / channels.max(1));
        if frames == 0 {
            return 0;
        }
        let word = |i: usize| i16::from_le_bytes([block[i], block[i + 1]]);
        for (c, s) in self.states.iter_mut().enumerate() {
            // sox and libsndfile read a predictor past the table as the first.
            let pair = self
                .coefficients
                .get(usize::from(block[c]))
                .unwrap_or(&self.coefficients[0]);
            s.coefficients = (i64::from(pair.0), i64::from(pair.1));
            s.step = i64::from(word(channels + 2 * c));
            // The header holds the first two frames, sample 2 first; a block
            // asked for one frame (a forged samples-per-block) gets only that.
            out[c] = word(5 * channels + 2 * c);
            if frames > 1 {
                out[channels + c] = word(3 * channels + 2 * c);
            }
        }
        for j in 0..frames.saturating_sub(2) * channels {
            let byte = block[HEADER * channels + j / 2];
            let nibble = if j % 2 == 0 { byte >> 4 } else { byte & 0x0f };
            let at = 2 * channels + j;
            let s = &mut self.states[j % channels];
            let (s1, s2) = (
                i64::from(out[at - channels]),
                i64::from(out[at - 2 * channels]),
            );
            let step = s.step;
            // Capped where no real file goes, so a forged one cannot overflow.
            s.step = ((ADAPT[usize::from(nibble)] * step) >> 8).clamp(16, 1 << 40);
            let predicted = (s1 * s.coefficients.0 + s2 * s.coefficients.1) >> 8;
            let signed = i64::from(nibble) - i64::from((nibble & 8) << 1);
            out[at] = (signed * step + predicted).clamp(-0x8000, 0x7fff) as i16;
        }
        frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_decodes_into_room_for_one_or_two_frames() {
        // Found by the audio fuzzer: a one-frame read wrote the header's
        // second frame past its end.
        let block = [0, 16, 0, 10, 0, 20, 0, 0x10];
        let mut one = [0i16; 1];
        assert_eq!(
            MsAdpcm::new(1, Vec::new()).decode_block(&block, 4, &mut one),
            1
        );
        assert_eq!(one, [20]);
        let mut two = [0i16; 2];
        assert_eq!(
            MsAdpcm::new(1, Vec::new()).decode_block(&block, 4, &mut two),
            2
        );
        assert_eq!(two, [20, 10]);
    }
}
