//! Sample conversion between the device's format and the engine's f32.
//!
//! The sides are generic over the device sample type `T`: cpal's typed
//! stream builders check the format once, when the stream is built, so a
//! callback can never receive samples of another format than the one it
//! converts (a mismatch is a build error, never silence).

use cpal::{FromSample, Sample as _, SizedSample};

/// A device sample type the plugin converts from and to f32.
pub trait DeviceSample: SizedSample + FromSample<f32> + Send + 'static {}

impl<T> DeviceSample for T where T: SizedSample + FromSample<f32> + Send + 'static {}

/// Converts device samples to f32: `dst[i] = src[i]` (lengths must match).
#[inline]
pub fn to_f32<T>(src: &[T], dst: &mut [f32])
where
    T: DeviceSample,
    f32: FromSample<T>,
{
    debug_assert_eq!(src.len(), dst.len());
    for (o, x) in dst.iter_mut().zip(src) {
        *o = f32::from_sample(*x);
    }
}

/// Converts f32 samples to the device's type (lengths must match).
#[inline]
pub fn from_f32<T: DeviceSample>(src: &[f32], dst: &mut [T]) {
    debug_assert_eq!(src.len(), dst.len());
    for (o, x) in dst.iter_mut().zip(src) {
        *o = T::from_sample(*x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_is_copied_bit_exactly() {
        let src = [0.0f32, -1.0, 1.0, 0.123_456_79, -0.5, f32::MIN_POSITIVE];
        let mut dev = [0.0f32; 6];
        from_f32(&src, &mut dev);
        let mut back = [9.0f32; 6];
        to_f32(&dev, &mut back);
        assert_eq!(back, src);
    }

    #[test]
    fn i16_full_scale_and_round_trip() {
        let mut dev = [0i16; 4];
        from_f32(&[-1.0, 0.0, 0.5, 1.0], &mut dev);
        assert_eq!(dev, [i16::MIN, 0, 16384, i16::MAX]);
        let mut back = [0.0f32; 4];
        to_f32(&dev, &mut back);
        assert_eq!(back[0], -1.0);
        assert_eq!(back[1], 0.0);
        assert_eq!(back[2], 0.5);
        assert!((back[3] - 1.0).abs() < 1e-4);
    }

    #[test]
    fn i32_full_scale_and_clipping() {
        let mut dev = [0i32; 4];
        from_f32(&[-1.0, 0.25, 2.0, -3.0], &mut dev);
        assert_eq!(dev[0], i32::MIN);
        assert_eq!(dev[1], 1 << 29);
        assert_eq!(dev[2], i32::MAX, "out-of-range samples clip");
        assert_eq!(dev[3], i32::MIN);
        let mut back = [0.0f32; 2];
        to_f32(&dev[..2], &mut back);
        assert_eq!(back, [-1.0, 0.25]);
    }
}
