#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use super::*;
use crate::pages::pdf_page_count;

use crate::samples;

#[test]
fn one_page_per_image() {
    let pages =
        vec![Bytes::from(samples::jpeg(40, 60)), Bytes::from(samples::png(30, 20)), Bytes::from(samples::jpeg(80, 20))];
    let pdf = images_to_pdf(&pages).unwrap();
    assert_eq!(sniff(&pdf), Some(MediaType::Pdf));
    assert_eq!(pdf_page_count(&pdf), Some(3));
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/DCTDecode").count(), 2);
    assert_eq!(text.matches("/FlateDecode").count(), 1);
    // JPEG dimensions come from its frame header; the landscape one gets a landscape page.
    assert!(text.contains("/Width 40 /Height 60"));
    assert!(text.contains("/Width 80 /Height 20"));
    assert!(text.contains("/MediaBox [0 0 841.89 595.28]"));
    // The JPEG is embedded byte for byte.
    let jpeg = samples::jpeg(40, 60);
    assert!(memchr::memmem::find(&pdf, &jpeg).is_some());
    // The cross-reference table points at each object (byte offsets: work on the bytes).
    let tail = &pdf[memchr::memmem::rfind(&pdf, b"startxref\n").unwrap() + 10..];
    let xref_at: usize =
        std::str::from_utf8(&tail[..tail.iter().position(|&b| b == b'\n').unwrap()]).unwrap().parse().unwrap();
    let table = std::str::from_utf8(&pdf[xref_at..]).unwrap();
    assert!(table.starts_with("xref\n0 12\n"), "{table}");
    for (n, line) in table.lines().skip(3).take(11).enumerate() {
        let off: usize = line[..10].parse().unwrap();
        assert!(pdf[off..].starts_with(format!("{} 0 obj", n + 1).as_bytes()), "object {}", n + 1);
    }
}

#[test]
fn png_pixels_are_decoded_and_transparency_becomes_white() {
    let img = png_image(&samples::png(4, 2)).unwrap();
    assert_eq!((img.width, img.height, img.color_space), (4, 2, "/DeviceRGB"));
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&img.data[..]), &mut raw).unwrap();
    assert_eq!(raw.len(), 4 * 2 * 3);
    assert_eq!(&raw[..3], &[0, 50, 0]); // opaque pixel kept
    assert_eq!(&raw[9..12], &[255, 255, 255]); // transparent pixel on white paper
}

#[test]
fn bad_pages_are_named() {
    assert!(matches!(images_to_pdf(&[]), Err(FileError::Empty)));
    let pages = vec![Bytes::from(samples::jpeg(8, 8)), Bytes::from_static(b"%PDF-1.4 not an image")];
    match images_to_pdf(&pages) {
        Err(FileError::BadImage { page, .. }) => assert_eq!(page, 2),
        other => panic!("expected a bad page, got {other:?}"),
    }
    let mut cut = samples::jpeg(8, 8);
    cut.truncate(4);
    assert!(matches!(images_to_pdf(&[Bytes::from(cut)]), Err(FileError::BadImage { page: 1, .. })));
}
