//! Small real documents of every accepted kind, built in the test (shared by the unit tests and
//! the integration tests).
#![allow(dead_code)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use std::io::{Cursor, Write};

/// A hand-written PDF with `pages` pages (a real, readable file).
pub fn pdf(pages: usize) -> Vec<u8> {
    let mut objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages).map(|i| format!("{} 0 R", 3 + i)).collect::<Vec<_>>().join(" ")
        ),
    ];
    for _ in 0..pages {
        objs.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string());
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).as_bytes(),
    );
    out
}

/// A real JPEG (RGB, `w`×`h`, a gradient).
pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut px = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 128]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80).encode(&px, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

/// A real PNG, `w`×`h`, RGBA with a transparent half.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let mut px = Vec::new();
        for y in 0..h {
            for x in 0..w {
                px.extend_from_slice(&[(x % 256) as u8, 50, (y % 256) as u8, if x < w / 2 { 255 } else { 0 }]);
            }
        }
        writer.write_image_data(&px).unwrap();
    }
    out
}

/// A TIFF with `pages` 1×1 grey pages (one IFD each); `big_endian` picks "MM".
pub fn tiff(pages: u32, big_endian: bool) -> Vec<u8> {
    let u16b = |v: u16| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
    let u32b = |v: u32| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut out = Vec::new();
    out.extend_from_slice(if big_endian { b"MM" } else { b"II" });
    out.extend_from_slice(&u16b(42));
    out.extend_from_slice(&u32b(8));
    // Each page: IFD (2 + 6×12 + 4 bytes) then one pixel.
    let ifd_len = 2 + 6 * 12 + 4;
    for p in 0..pages {
        let start = out.len() as u32;
        let pixel_at = start + ifd_len;
        let next = if p + 1 < pages { pixel_at + 2 } else { 0 };
        out.extend_from_slice(&u16b(6));
        for (tag, typ, val) in
            [(256u16, 3u16, 1u32), (257, 3, 1), (258, 3, 8), (262, 3, 1), (273, 4, pixel_at), (279, 4, 1)]
        {
            out.extend_from_slice(&u16b(tag));
            out.extend_from_slice(&u16b(typ));
            out.extend_from_slice(&u32b(1));
            if typ == 3 {
                out.extend_from_slice(&u16b(val as u16));
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&u32b(val));
            }
        }
        out.extend_from_slice(&u32b(next));
        out.extend_from_slice(&[0x80, 0]); // the pixel, padded to an even offset
    }
    out
}

/// A BigTIFF (little-endian) with `pages` empty directories.
pub fn bigtiff(pages: u64) -> Vec<u8> {
    let mut out = b"II\x2B\x00\x08\x00\x00\x00".to_vec();
    out.extend_from_slice(&16u64.to_le_bytes());
    for p in 0..pages {
        let start = out.len() as u64;
        let next = if p + 1 < pages { start + 8 + 20 + 8 } else { 0 };
        out.extend_from_slice(&1u64.to_le_bytes());
        out.extend_from_slice(&256u16.to_le_bytes());
        out.extend_from_slice(&3u16.to_le_bytes());
        out.extend_from_slice(&1u64.to_le_bytes());
        out.extend_from_slice(&1u64.to_le_bytes());
        out.extend_from_slice(&next.to_le_bytes());
    }
    out
}

/// The main part's content type of each Office Open XML kind, and its part name.
fn ooxml_main(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "docx" => {
            ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
        }
        "xlsx" => ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        "pptx" => (
            "ppt/presentation.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ),
        "docm" => ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        _ => panic!("unknown kind {kind}"),
    }
}

/// A real Office Open XML package made with the `zip` crate. With `padding` bytes, a large
/// incompressible stored entry comes first, so the kind is not visible in the first 64 KiB.
pub fn ooxml(kind: &str, padding: usize) -> Vec<u8> {
    let (main, content_type) = ooxml_main(kind);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if padding > 0 {
        zip.start_file("docProps/thumbnail.jpeg", stored).unwrap();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let noise: Vec<u8> = (0..padding)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        zip.write_all(&noise).unwrap();
    }
    zip.start_file("[Content_Types].xml", deflated).unwrap();
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/{main}" ContentType="{content_type}"/></Types>"#
    );
    zip.write_all(types.as_bytes()).unwrap();
    zip.start_file("_rels/.rels", deflated).unwrap();
    zip.write_all(format!(r#"<Relationships><Relationship Id="r1" Target="{main}"/></Relationships>"#).as_bytes())
        .unwrap();
    zip.start_file(main, deflated).unwrap();
    zip.write_all(b"<doc>Gi\xe1\xba\xa5y ch\xe1\xbb\xa9ng nh\xe1\xba\xadn</doc>").unwrap();
    zip.finish().unwrap().into_inner()
}

/// A real OpenDocument package: `mimetype` stored first, as the format requires.
pub fn odf(mime: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(mime.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(b"<office:document-content/>").unwrap();
    zip.finish().unwrap().into_inner()
}

/// A plain ZIP archive (not a document).
pub fn plain_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap().into_inner()
}

/// An OLE compound file whose directory holds `stream` (e.g. "WordDocument", "Workbook"),
/// with the directory in sector `dir_sector` (sector size 512).
pub fn ole(stream: &str, dir_sector: u32) -> Vec<u8> {
    let mut out = vec![0u8; 512 * (dir_sector as usize + 2)];
    out[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    out[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes()); // minor version
    out[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes()); // major version 3
    out[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
    out[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes()); // 512-byte sectors
    out[0x20..0x22].copy_from_slice(&6u16.to_le_bytes()); // 64-byte mini sectors
    out[0x30..0x34].copy_from_slice(&dir_sector.to_le_bytes());
    let dir = 512 * (dir_sector as usize + 1);
    let mut entry = |i: usize, name: &str, kind: u8| {
        let e = dir + i * 128;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (j, u) in units.iter().enumerate() {
            out[e + 2 * j..e + 2 * j + 2].copy_from_slice(&u.to_le_bytes());
        }
        out[e + 64..e + 66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        out[e + 66] = kind;
    };
    entry(0, "Root Entry", 5);
    entry(1, "\u{5}SummaryInformation", 2);
    entry(2, stream, 2);
    out
}
