//! Avatar images: checked by content, decoded with size limits, re-encoded.
//!
//! Whatever the upload claims to be, only PNG, JPEG and WebP pass the magic
//! byte check. Memory is bounded three ways: the header's dimensions are
//! read first and an image of more than [`MAX_PIXELS`] is refused before a
//! byte is decoded (a 65 KB PNG can claim 4096×4096 RGBA, 64 MiB decoded);
//! the decoder runs under an allocation limit; and one image decodes at a
//! time (a semaphore, like the password hasher's), so a burst of uploads
//! queues instead of multiplying the peak. The image is then shrunk with a
//! cheap box filter to at most 256×256 and written back as a fresh PNG,
//! which drops metadata and anything smuggled after the image data.
use std::{
    io::Cursor,
    sync::{Arc, OnceLock},
};

use image::{ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

/// Side of the stored avatar, in pixels.
pub const SIZE: u32 = 256;
/// Largest accepted input dimension.
const MAX_DIMENSION: u32 = 4096;
/// Largest accepted picture: 16 megapixels (any phone photo up to
/// 4000×4000), at most 64 MB decoded.
pub const MAX_PIXELS: u64 = 16_000_000;
/// The decoder's allocation limit (the pixel cap keeps inside it).
const MAX_ALLOC: u64 = 72 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvatarError {
    TooLarge,
    TooManyPixels,
    NotAnImage,
}

impl AvatarError {
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::TooLarge => "error-avatar-too-large",
            Self::TooManyPixels => "error-avatar-pixels",
            Self::NotAnImage => "error-avatar-format",
        }
    }
}

fn decoders() -> &'static Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS.get_or_init(|| {
        // one at a time: avatars are rare, and the peak stays one picture
        Arc::new(Semaphore::new(1))
    })
}

/// [`process`] on the blocking pool, one picture at a time.
///
/// # Errors
/// As [`process`]; `NotAnImage` if the decoding task itself failed.
pub async fn process_bounded(
    bytes: bytes::Bytes,
    max_bytes: usize,
) -> Result<Vec<u8>, AvatarError> {
    if bytes.len() > max_bytes {
        return Err(AvatarError::TooLarge);
    }
    let _permit = decoders()
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| AvatarError::NotAnImage)?;
    tokio::task::spawn_blocking(move || process(&bytes, max_bytes))
        .await
        .map_err(|_| AvatarError::NotAnImage)?
}

/// Validates and re-encodes an upload to PNG. CPU-bound: call it from
/// `spawn_blocking`.
///
/// # Errors
/// `TooLarge` over `max_bytes`, `NotAnImage` for anything that is not a
/// decodable PNG/JPEG/WebP within the limits.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Vec<u8>, AvatarError> {
    if bytes.len() > max_bytes {
        return Err(AvatarError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| AvatarError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(AvatarError::NotAnImage);
    }
    let limits = || {
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_DIMENSION);
        limits.max_image_height = Some(MAX_DIMENSION);
        limits.max_alloc = Some(MAX_ALLOC);
        limits
    };
    // the header alone says how large the picture is: refuse before decoding
    let mut header = ImageReader::with_format(Cursor::new(bytes), format);
    header.limits(limits());
    let (width, height) = header
        .into_dimensions()
        .map_err(|_| AvatarError::NotAnImage)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(AvatarError::TooManyPixels);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let image = reader.decode().map_err(|_| AvatarError::NotAnImage)?;
    let image = if image.width() > SIZE || image.height() > SIZE {
        image.thumbnail(SIZE, SIZE)
    } else {
        image
    };
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|_| AvatarError::NotAnImage)?;
    Ok(out.into_inner())
}

/// A new random file name for a stored avatar.
#[must_use]
pub fn new_name() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.png")
}

/// True for names [`new_name`] can produce; anything else is never read.
#[must_use]
pub fn valid_name(name: &str) -> bool {
    name.len() == 36
        && name.ends_with(".png")
        && name[..32]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn images_are_reencoded_and_shrunk() {
        let out = process(&png(600, 300), 1 << 20).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (256, 128));
    }

    #[test]
    fn non_images_and_polyglots_are_refused() {
        assert_eq!(
            process(b"<script>alert(1)</script>", 1 << 20),
            Err(AvatarError::NotAnImage)
        );
        assert_eq!(
            process(b"GIF89a;<script>", 1 << 20),
            Err(AvatarError::NotAnImage)
        );
        let mut svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec();
        svg.extend_from_slice(&[0; 8]);
        assert_eq!(process(&svg, 1 << 20), Err(AvatarError::NotAnImage));
        let mut truncated = png(10, 10);
        truncated.truncate(30);
        assert_eq!(process(&truncated, 1 << 20), Err(AvatarError::NotAnImage));
    }

    #[test]
    fn pictures_over_the_pixel_cap_are_refused_before_decoding() {
        // a valid 4096×4096 RGBA header in front of almost nothing
        let img = image::RgbaImage::new(4096, 4096);
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        let crafted = out.into_inner();
        assert!(crafted.len() < 1 << 20, "{} bytes", crafted.len());
        assert_eq!(process(&crafted, 1 << 20), Err(AvatarError::TooManyPixels));
    }

    #[test]
    fn oversized_files_and_pixel_bombs_are_refused() {
        assert_eq!(process(&png(10, 10), 20), Err(AvatarError::TooLarge));
        // a tiny file that claims 30000×30000 pixels
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
        assert_eq!(process(&bomb, 1 << 20), Err(AvatarError::NotAnImage));
    }

    #[test]
    fn names_are_random_and_checked() {
        let name = new_name();
        assert!(valid_name(&name));
        assert!(!valid_name("../../etc/passwd"));
        assert!(!valid_name(&name.replace(".png", ".svg")));
    }
}
