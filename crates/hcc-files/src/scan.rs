//! Turning a counter scanner's page images (JPEG, PNG) into one PDF document, one A4 page per
//! image. JPEGs go in as they are (DCTDecode, no re-encoding, so no loss); PNGs are decoded and
//! stored Flate-compressed. The PDF is written by hand: it is small and needs no PDF library.

use crate::error::FileError;
use crate::media::MediaType;
use crate::sniff::sniff;
use bytes::Bytes;
use std::io::Write;

/// A4 in PDF points (1/72 inch).
const A4_SHORT: f64 = 595.276;
const A4_LONG: f64 = 841.89;
/// The most bytes one decoded PNG page may take (an A3 colour scan at 300 dpi is ~52 MB).
const MAX_DECODED_PNG: usize = 160 * 1024 * 1024;

/// Makes one PDF from page images, in order: one page per image, fitted to A4 (landscape for
/// landscape images) and centred. Fails on an empty list, or on a page that is not a readable
/// JPEG or PNG (`BadImage` names the page, counting from 1).
pub fn images_to_pdf(pages: &[Bytes]) -> Result<Vec<u8>, FileError> {
    if pages.is_empty() {
        return Err(FileError::Empty);
    }
    let mut pdf = PdfWriter::new(pages.len());
    for (i, data) in pages.iter().enumerate() {
        let image = match sniff(data) {
            Some(MediaType::Jpeg) => jpeg_image(data),
            Some(MediaType::Png) => png_image(data),
            _ => Err("not a JPEG or PNG image".to_string()),
        }
        .map_err(|reason| FileError::BadImage { page: i + 1, reason })?;
        pdf.page(&image);
    }
    Ok(pdf.finish())
}

/// An image ready to embed: its dictionary entries and its (already filtered) data.
struct PdfImage {
    width: u32,
    height: u32,
    color_space: &'static str,
    filter: &'static str,
    /// Extra dictionary entries (e.g. /Decode for Adobe CMYK JPEGs).
    extra: &'static str,
    data: Vec<u8>,
}

fn jpeg_image(data: &[u8]) -> Result<PdfImage, String> {
    let sof = read_sof(data)?;
    let (color_space, extra) = match sof.components {
        1 => ("/DeviceGray", ""),
        3 => ("/DeviceRGB", ""),
        4 if sof.adobe => ("/DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"),
        4 => ("/DeviceCMYK", ""),
        n => return Err(format!("JPEG with {n} colour components")),
    };
    Ok(PdfImage { width: sof.width, height: sof.height, color_space, filter: "/DCTDecode", extra, data: data.to_vec() })
}

struct Sof {
    width: u32,
    height: u32,
    components: u8,
    adobe: bool,
}

/// Reads the frame header (SOFn) for the dimensions, walking the markers before it.
fn read_sof(d: &[u8]) -> Result<Sof, String> {
    let mut pos = 2usize;
    let mut adobe = false;
    loop {
        while d.get(pos) == Some(&0xFF) && d.get(pos + 1) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        let (Some(&0xFF), Some(&marker)) = (d.get(pos), d.get(pos + 1)) else {
            return Err("JPEG markers end before the frame header".into());
        };
        pos += 2;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue; // markers without a length
        }
        if marker == 0xD9 || marker == 0xDA {
            return Err("JPEG has no frame header before its data".into());
        }
        let len = d.get(pos..pos + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
        let Some(len) = len.filter(|&l| l >= 2) else { return Err("JPEG segment cut short".into()) };
        let seg = d.get(pos + 2..pos + len).ok_or("JPEG segment cut short")?;
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if seg.len() < 6 {
                return Err("JPEG frame header cut short".into());
            }
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            if width == 0 || height == 0 {
                return Err("JPEG without dimensions".into());
            }
            return Ok(Sof { width, height, components: seg[5], adobe });
        }
        if marker == 0xEE && seg.starts_with(b"Adobe") {
            adobe = true;
        }
        pos += len;
    }
}

fn png_image(data: &[u8]) -> Result<PdfImage, String> {
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(data), png::Limits { bytes: MAX_DECODED_PNG });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader.output_buffer_size().ok_or("PNG too large")?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let (w, h) = (info.width as usize, info.height as usize);
    let stride = info.line_size;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("PNG palette was not expanded".into()),
    };
    let out_channels = if channels <= 2 { 1 } else { 3 };
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let mut row_out = Vec::with_capacity(w * out_channels);
    for row in buf.chunks(stride).take(h) {
        row_out.clear();
        for px in row.chunks_exact(channels).take(w) {
            let (color, alpha) = px.split_at(out_channels);
            match alpha.first() {
                // Transparent parts become white paper.
                Some(&a) => row_out.extend(color.iter().map(|&c| blend_on_white(c, a))),
                None => row_out.extend_from_slice(color),
            }
        }
        z.write_all(&row_out).map_err(|e| e.to_string())?;
    }
    let data = z.finish().map_err(|e| e.to_string())?;
    let color_space = if out_channels == 1 { "/DeviceGray" } else { "/DeviceRGB" };
    Ok(PdfImage { width: info.width, height: info.height, color_space, filter: "/FlateDecode", extra: "", data })
}

fn blend_on_white(c: u8, a: u8) -> u8 {
    let (c, a) = (u32::from(c), u32::from(a));
    ((c * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Writes objects in order and keeps their offsets for the cross-reference table.
/// Objects: 1 catalog, 2 page tree, then per page: page, content stream, image.
struct PdfWriter {
    out: Vec<u8>,
    offsets: Vec<usize>,
    pages: usize,
}

impl PdfWriter {
    fn new(pages: usize) -> Self {
        let mut w = PdfWriter { out: Vec::new(), offsets: Vec::new(), pages };
        w.out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
        w.object(b"<< /Type /Catalog /Pages 2 0 R >>", None);
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
        let tree = format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages);
        w.object(tree.as_bytes(), None);
        w
    }

    fn page(&mut self, img: &PdfImage) {
        let n = self.offsets.len() + 1; // this page's object number
        let (w, h) = (f64::from(img.width), f64::from(img.height));
        let (pw, ph) = if w > h { (A4_LONG, A4_SHORT) } else { (A4_SHORT, A4_LONG) };
        let scale = (pw / w).min(ph / h);
        let (dw, dh) = (w * scale, h * scale);
        let (x, y) = ((pw - dw) / 2.0, (ph - dh) / 2.0);
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
            n + 2,
            n + 1
        );
        self.object(page.as_bytes(), None);
        let content = format!("q {dw:.3} 0 0 {dh:.3} {x:.3} {y:.3} cm /Im0 Do Q");
        self.object(b"<<", Some(content.as_bytes()));
        let dict = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {} /BitsPerComponent 8 /Filter {}{}",
            img.width, img.height, img.color_space, img.filter, img.extra
        );
        self.object(dict.as_bytes(), Some(&img.data));
    }

    /// Writes one object. With a stream, `dict` is left open ("<< …") and gets its /Length here.
    fn object(&mut self, dict: &[u8], stream: Option<&[u8]>) {
        self.offsets.push(self.out.len());
        let n = self.offsets.len();
        self.out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        self.out.extend_from_slice(dict);
        if let Some(data) = stream {
            self.out.extend_from_slice(format!(" /Length {} >>\nstream\n", data.len()).as_bytes());
            self.out.extend_from_slice(data);
            self.out.extend_from_slice(b"\nendstream");
        }
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn finish(mut self) -> Vec<u8> {
        debug_assert_eq!(self.offsets.len(), 2 + 3 * self.pages);
        let xref = self.out.len();
        let count = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {count}\n0000000000 65535 f \n");
        for off in &self.offsets {
            table.push_str(&format!("{off:010} 00000 n \n"));
        }
        table.push_str(&format!("trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
