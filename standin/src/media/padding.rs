//! Bringing an encoded picture to an exact byte length with segments every decoder skips, so
//! the `size` in a file's metadata is the length of its full download: JPEG comment
//! segments (`COM`) after the start marker, or a private ancillary PNG chunk before `IEND`.

/// Most data bytes in one JPEG segment (its length field counts itself).
const JPEG_SEGMENT: usize = 65_533;
/// A private, ancillary, safe-to-copy PNG chunk type: decoders ignore it.
const PNG_CHUNK: &[u8; 4] = b"paDd";

/// `jpeg` grown to `total` bytes with comment segments; unchanged when it is already as long
/// or the difference is too small for one segment (under 4 bytes).
pub fn pad_jpeg(jpeg: Vec<u8>, total: usize) -> Vec<u8> {
    let missing = total.saturating_sub(jpeg.len());
    if missing < 4 || !jpeg.starts_with(&[0xFF, 0xD8]) {
        return jpeg;
    }
    let segments = missing.div_ceil(JPEG_SEGMENT + 4);
    let mut data_left = missing - 4 * segments;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&jpeg[..2]);
    for index in 0..segments {
        // Spread the data so no segment exceeds the limit.
        let len = data_left.div_ceil(segments - index).min(JPEG_SEGMENT);
        data_left -= len;
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((len + 2) as u16).to_be_bytes());
        out.resize(out.len() + len, b' ');
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// `png` grown to `total` bytes with one private chunk before `IEND`; unchanged when it is
/// already as long or the difference is under the chunk's 12 bytes of framing.
pub fn pad_png(png: Vec<u8>, total: usize) -> Vec<u8> {
    let missing = total.saturating_sub(png.len());
    let Some(iend) = png.len().checked_sub(12) else {
        return png;
    };
    if missing < 12 || &png[iend + 4..iend + 8] != b"IEND" {
        return png;
    }
    let len = missing - 12;
    let mut chunk = Vec::with_capacity(missing);
    chunk.extend_from_slice(&(len as u32).to_be_bytes());
    chunk.extend_from_slice(PNG_CHUNK);
    chunk.resize(8 + len, 0);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    let mut out = png;
    out.splice(iend..iend, chunk);
    out
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit: padding is rare and small enough.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::picture::{Format, encode, render, scene};

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn padded_pictures_have_the_exact_length_and_still_decode_to_the_same_pixels() {
        let picture = render(&scene("0123456789abcdef01234567", false), 40, 30);
        for (format, total) in [(Format::Jpeg, 200_003), (Format::Png, 150_000), (Format::Jpeg, 70_000)] {
            let encoded = encode(&picture, format).expect("encode");
            let padded = match format {
                Format::Jpeg => pad_jpeg(encoded.clone(), total),
                Format::Png => pad_png(encoded.clone(), total),
            };
            assert_eq!(padded.len(), total, "{format:?}");
            let decoded = image::load_from_memory(&padded).expect("decodes").to_rgb8();
            let original = image::load_from_memory(&encoded).expect("decodes").to_rgb8();
            assert_eq!(decoded, original, "{format:?}");
        }
    }
}
