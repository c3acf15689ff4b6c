#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use super::*;

use crate::samples;

#[test]
fn sniffs_every_kind_from_real_files() {
    let cases: Vec<(&str, Vec<u8>, MediaType)> = vec![
        ("pdf", samples::pdf(2), MediaType::Pdf),
        ("jpeg", samples::jpeg(16, 8), MediaType::Jpeg),
        ("png", samples::png(8, 8), MediaType::Png),
        ("tiff le", samples::tiff(3, false), MediaType::Tiff),
        ("tiff be", samples::tiff(3, true), MediaType::Tiff),
        ("bigtiff", samples::bigtiff(2), MediaType::Tiff),
        ("docx", samples::ooxml("docx", 0), MediaType::Docx),
        ("xlsx", samples::ooxml("xlsx", 0), MediaType::Xlsx),
        ("pptx", samples::ooxml("pptx", 0), MediaType::Pptx),
        ("odt", samples::odf("application/vnd.oasis.opendocument.text"), MediaType::Odt),
        ("ods", samples::odf("application/vnd.oasis.opendocument.spreadsheet"), MediaType::Ods),
        ("odp", samples::odf("application/vnd.oasis.opendocument.presentation"), MediaType::Odp),
        ("doc", samples::ole("WordDocument", 0), MediaType::Doc),
        ("xls", samples::ole("Workbook", 0), MediaType::Xls),
        ("xls5", samples::ole("Book", 1), MediaType::Xls),
        ("ppt", samples::ole("PowerPoint Document", 0), MediaType::Ppt),
    ];
    for (what, bytes, expected) in cases {
        assert_eq!(sniff(&bytes), Some(expected), "{what}");
        assert_eq!(sniff_head(&bytes), Sniffed::Known(expected), "{what}");
    }
}

#[test]
fn rejects_what_is_not_a_document() {
    assert_eq!(sniff(b""), None);
    assert_eq!(sniff(b"hello, world"), None);
    assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
    assert_eq!(sniff(b"<html><body>%PDF- later</body></html>"[..5].as_ref()), None);
    assert_eq!(sniff_head(&samples::plain_zip()), Sniffed::Unknown);
    // A macro-enabled Word file is not a DOCX, though it has word/document.xml.
    assert_eq!(sniff_head(&samples::ooxml("docm", 0)), Sniffed::Unknown);
    assert_eq!(sniff_head(&samples::odf("application/vnd.oasis.opendocument.graphics")), Sniffed::Unknown);
    // An OLE file without a Word/Excel/PowerPoint stream (e.g. an Outlook message).
    assert_eq!(sniff_head(&samples::ole("__substg1.0_0037001F", 0)), Sniffed::Unknown);
}

#[test]
fn the_name_never_matters_only_the_bytes() {
    // A PDF header after a little junk is still a PDF (readers accept it), a JPEG is not a PDF.
    let mut junk_then_pdf = b"\r\n  ".to_vec();
    junk_then_pdf.extend(samples::pdf(1));
    assert_eq!(sniff(&junk_then_pdf), Some(MediaType::Pdf));
    assert_ne!(sniff(&samples::jpeg(4, 4)), Some(MediaType::Pdf));
}

#[test]
fn containers_past_the_first_bytes_are_left_undecided() {
    // The kind lies past the first 64 KiB: the store takes a bounded look later.
    let docx = samples::ooxml("docx", 100_000);
    assert_eq!(sniff_head(&docx[..SNIFF_LEN]), Sniffed::Zip);
    assert_eq!(sniff(&docx[..SNIFF_LEN]), None);
    let doc = samples::ole("WordDocument", 200);
    assert_eq!(sniff_head(&doc[..SNIFF_LEN]), Sniffed::Ole);
    // With the whole file, the local headers are walked past the padding.
    assert_eq!(sniff(&docx), Some(MediaType::Docx));
}

#[test]
fn zip_central_directory_tells_the_kind() {
    let xlsx = samples::ooxml("xlsx", 0);
    let (offset, len) = zip::find_central_directory(&xlsx).unwrap();
    let entries = zip::central_entries(&xlsx[offset as usize..(offset + len) as usize]);
    assert!(entries.iter().any(|e| e.name == b"xl/workbook.xml"));
    assert_eq!(zip::classify_by_names(&entries), ZipKind::Office(MediaType::Xlsx));
    let ct = zip::telling_entry(&entries).unwrap();
    assert_eq!(zip::classify_local(&xlsx[ct.local_offset as usize..], ct), Some(ZipKind::Office(MediaType::Xlsx)));
}
