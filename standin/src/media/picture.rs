//! Deterministic demo pictures: a flat background with a few circles and rectangles, all
//! drawn from the file id, in coordinates relative to the picture so every size shows the
//! same scene. A picture the network's AI moderation called sensitive is crossed by red and
//! black warning stripes, so a demo shows at a glance which one should be blurred.

use image::{
    ExtendedColorType, ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder, codecs::png::PngEncoder,
};

/// Colours the scenes are painted with.
const PALETTE: &[[u8; 3]] = &[
    [0x26, 0x46, 0x53],
    [0x2a, 0x9d, 0x8f],
    [0xe9, 0xc4, 0x6a],
    [0xf4, 0xa2, 0x61],
    [0xe7, 0x6f, 0x51],
    [0x8e, 0xca, 0xe6],
    [0x21, 0x9e, 0xbc],
    [0x02, 0x30, 0x47],
    [0xff, 0xb7, 0x03],
    [0xfb, 0x85, 0x00],
    [0x6a, 0x4c, 0x93],
    [0xf1, 0xfa, 0xee],
];

/// How a picture is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
}

/// One flat shape, in coordinates relative to the picture (0..1).
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Centre and radius (relative to the shorter side).
    Circle { x: f32, y: f32, r: f32, colour: [u8; 3] },
    /// Corners.
    Rect { x0: f32, y0: f32, x1: f32, y1: f32, colour: [u8; 3] },
}

impl Shape {
    /// The pixel columns `[from, to)` the shape covers in pixel row `py`, if any.
    fn span(&self, py: u32, width: u32, height: u32) -> Option<(u32, u32, [u8; 3])> {
        let (w, h) = (width as f32, height as f32);
        let y = py as f32 + 0.5;
        let (from, to, colour) = match *self {
            Shape::Circle { x, y: cy, r, colour } => {
                let radius = r * w.min(h);
                let dy = y - cy * h;
                if dy.abs() > radius {
                    return None;
                }
                let half = (radius * radius - dy * dy).sqrt();
                (x * w - half, x * w + half, colour)
            }
            Shape::Rect { x0, y0, x1, y1, colour } => {
                if y < y0 * h || y > y1 * h {
                    return None;
                }
                (x0 * w, x1 * w, colour)
            }
        };
        // Pixel centres inside [from, to].
        let first = (from - 0.5).ceil().max(0.0) as u32;
        let last = ((to - 0.5).floor() + 1.0).clamp(0.0, w) as u32;
        (first < last).then_some((first, last, colour))
    }
}

/// What a picture shows, independent of its size.
#[derive(Clone, Debug)]
pub struct Scene {
    background: [u8; 3],
    shapes: Vec<Shape>,
    sensitive: bool,
}

/// A stable 64-bit hash of the file id (FNV-1a), the scene's seed.
pub fn seed_of(file_id: &str) -> u64 {
    file_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The scene of a file: three to seven shapes over a background.
pub fn scene(file_id: &str, sensitive: bool) -> Scene {
    let mut rng = fastrand::Rng::with_seed(seed_of(file_id));
    let colour = |rng: &mut fastrand::Rng| PALETTE[rng.usize(..PALETTE.len())];
    let background = colour(&mut rng);
    let shapes = (0..rng.usize(3..8))
        .map(|_| {
            let (x, y) = (rng.f32(), rng.f32());
            if rng.bool() {
                Shape::Circle { x, y, r: 0.08 + rng.f32() * 0.3, colour: colour(&mut rng) }
            } else {
                let (w, h) = (0.1 + rng.f32() * 0.5, 0.1 + rng.f32() * 0.5);
                Shape::Rect {
                    x0: x - w / 2.0,
                    y0: y - h / 2.0,
                    x1: x + w / 2.0,
                    y1: y + h / 2.0,
                    colour: colour(&mut rng),
                }
            }
        })
        .collect();
    Scene { background, shapes, sensitive }
}

/// The full size of a file's picture: avatars are square, photos landscape, portrait or square.
pub fn full_dimensions(file_id: &str, avatar: bool) -> (u32, u32) {
    if avatar {
        return (512, 512);
    }
    match seed_of(file_id) % 4 {
        0 => (960, 1280),
        1 => (1080, 1080),
        2 => (1280, 720),
        _ => (1280, 960),
    }
}

/// `full` scaled so its longer side is at most `longest` (never enlarged).
pub fn fit((width, height): (u32, u32), longest: Option<u32>) -> (u32, u32) {
    match longest {
        Some(limit) if width.max(height) > limit => {
            let scale = f64::from(limit) / f64::from(width.max(height));
            let scaled = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
            (scaled(width), scaled(height))
        }
        _ => (width, height),
    }
}

/// Paints the scene at `width` × `height`: background, shapes in order, row by row.
pub fn render(scene: &Scene, width: u32, height: u32) -> RgbImage {
    let mut picture = RgbImage::from_pixel(width, height, Rgb(scene.background));
    for py in 0..height {
        for shape in &scene.shapes {
            if let Some((from, to, colour)) = shape.span(py, width, height) {
                for px in from..to {
                    picture.put_pixel(px, py, Rgb(colour));
                }
            }
        }
    }
    if scene.sensitive {
        stripe(&mut picture);
    }
    picture
}

/// Warning stripes across the middle third: red and black diagonals.
fn stripe(picture: &mut RgbImage) {
    let (width, height) = picture.dimensions();
    let band = height as f32 / 24.0;
    for py in (height * 7 / 20)..(height * 13 / 20) {
        for px in 0..width {
            let stripe = ((px + py) as f32 / band) as u32;
            let colour = if stripe.is_multiple_of(2) { [0xd0, 0x10, 0x10] } else { [0x10, 0x10, 0x10] };
            picture.put_pixel(px, py, Rgb(colour));
        }
    }
}

/// Encodes a picture (JPEG at quality 85, PNG at the default compression).
pub fn encode(picture: &RgbImage, format: Format) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    let (width, height) = picture.dimensions();
    match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut out, 85).write_image(
            picture.as_raw(),
            width,
            height,
            ExtendedColorType::Rgb8,
        )?,
        Format::Png => {
            PngEncoder::new(&mut out).write_image(picture.as_raw(), width, height, ExtendedColorType::Rgb8)?
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_id_paints_the_same_picture_and_another_id_another() {
        let a = render(&scene("64a1f0c2e4b0a1b2c3d4e5f6", false), 64, 48);
        assert_eq!(a, render(&scene("64a1f0c2e4b0a1b2c3d4e5f6", false), 64, 48));
        assert_ne!(a, render(&scene("64a1f0c2e4b0a1b2c3d4e5f7", false), 64, 48));
    }

    #[test]
    fn a_sensitive_picture_carries_warning_stripes() {
        let picture = render(&scene("64a1f0c2e4b0a1b2c3d4e5f6", true), 100, 100);
        let red = picture.pixels().filter(|p| p.0 == [0xd0, 0x10, 0x10]).count();
        assert!(red > 1_000, "{red} red pixels");
    }

    #[test]
    fn sizes_keep_the_aspect_and_never_enlarge() {
        assert_eq!(fit((1280, 960), Some(160)), (160, 120));
        assert_eq!(fit((960, 1280), Some(600)), (450, 600));
        assert_eq!(fit((512, 512), Some(1024)), (512, 512));
        assert_eq!(fit((1280, 720), None), (1280, 720));
    }

    #[test]
    fn encoded_pictures_start_with_their_format_signature() {
        let picture = render(&scene("f1", false), 32, 32);
        assert!(encode(&picture, Format::Png).expect("png").starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(encode(&picture, Format::Jpeg).expect("jpeg").starts_with(&[0xFF, 0xD8, 0xFF]));
    }
}
