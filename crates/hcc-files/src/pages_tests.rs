#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use super::*;

use crate::samples;

fn count_in_chunks(data: &[u8], chunk: usize) -> Option<u32> {
    let mut c = PdfPageCounter::new();
    for part in data.chunks(chunk) {
        c.feed(part);
    }
    c.finish()
}

#[test]
fn counts_pdf_pages_whatever_the_chunking() {
    let pdf = samples::pdf(7);
    assert_eq!(pdf_page_count(&pdf), Some(7));
    for chunk in [1, 2, 3, 5, 7, 11, 64, 65, 1000] {
        assert_eq!(count_in_chunks(&pdf, chunk), Some(7), "chunks of {chunk}");
    }
    // Split at every position in two.
    for at in 0..pdf.len() {
        let mut c = PdfPageCounter::new();
        c.feed(&pdf[..at]);
        c.feed(&pdf[at..]);
        assert_eq!(c.finish(), Some(7), "split at {at}");
    }
}

#[test]
fn page_spellings() {
    let body = b"%PDF-1.7\n1 0 obj<</Type/Page/Parent 2 0 R>>endobj\n2 0 obj\n<< /Type  /Pages /Count 2 >>\nendobj\n3 0 obj\n<</Type\r\n/Page>>\nendobj\n4 0 obj <</Type /PageLabel>> endobj\n";
    assert_eq!(pdf_page_count(body), Some(2));
}

#[test]
fn an_incremental_update_does_not_count_a_page_twice() {
    let mut pdf = samples::pdf(3);
    pdf.extend_from_slice(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Rotate 90 >>\nendobj\n%%EOF\n");
    assert_eq!(pdf_page_count(&pdf), Some(3));
}

#[test]
fn falls_back_to_the_page_tree_count() {
    // Pages hidden in a compressed object stream; only the root's /Count is visible. The outline's
    // /Count does not count, nor does a smaller /Count of an inner node.
    let body = b"%PDF-1.5\n1 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 12 >>\nendobj\n5 0 obj << /Type /Pages /Parent 1 0 R /Count 4 >> endobj\n6 0 obj << /Type /Outlines /Count 99 >> endobj\n7 0 obj << /Type /ObjStm /N 12 /Length 3 >>\nstream\nxyz\nendstream\nendobj\n";
    assert_eq!(pdf_page_count(body), Some(12));
    assert_eq!(count_in_chunks(body, 3), Some(12));
    assert_eq!(pdf_page_count(b"%PDF-1.5\n1 0 obj << /Type /ObjStm >> endobj"), None);
    assert_eq!(pdf_page_count(b""), None);
}

#[test]
fn counts_tiff_pages() {
    assert_eq!(tiff_page_count(&samples::tiff(3, false)), Some(3));
    assert_eq!(tiff_page_count(&samples::tiff(3, true)), Some(3));
    assert_eq!(tiff_page_count(&samples::tiff(1, false)), Some(1));
    assert_eq!(tiff_page_count(&samples::bigtiff(4)), Some(4));
    assert_eq!(tiff_page_count(b"not a tiff"), None);
}

#[test]
fn a_tiff_loop_or_cut_ends_the_walk() {
    // Point the last directory back at the first: the walk stops, counting each once.
    let mut t = samples::tiff(3, false);
    let ifd_len = 2 + 6 * 12 + 4;
    let last_ifd = 8 + 2 * (ifd_len + 2);
    let next_at = last_ifd + ifd_len - 4;
    t[next_at..next_at + 4].copy_from_slice(&8u32.to_le_bytes());
    assert_eq!(tiff_page_count(&t), Some(3));
    // Cut in the middle of the second directory: one page seen.
    let cut = samples::tiff(3, false)[..8 + ifd_len + 2 + 10].to_vec();
    assert_eq!(tiff_page_count(&cut), Some(1));
}
