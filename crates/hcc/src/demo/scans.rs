//! Stand-ins for the papers of the demo city: small, valid one-page PDFs whose text names the
//! paper and the applicant, so every demo dossier has real files to open, verify and reuse.

use sha2::{Digest, Sha256};

/// A one-page A4 PDF with `lines` of text (folded to ASCII: the standard PDF fonts carry no
/// Vietnamese letters, and the demo ships no font).
pub fn pdf(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 56 780 Td 16 TL\n");
    for line in lines {
        let ascii: String = hcc_domain::text::fold(line)
            .chars()
            .map(|c| if c.is_ascii() && !matches!(c, '(' | ')' | '\\') { c } else { ' ' })
            .collect();
        text.push_str(&format!("({ascii}) Tj T*\n"));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// The SHA-256 of some bytes, in lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_is_well_formed() {
        let data = pdf(&["Don de nghi (mau 01)".into(), "Nguyễn Văn Đức".into()]);
        let s = String::from_utf8_lossy(&data);
        assert!(s.starts_with("%PDF-1.4"));
        assert!(s.contains("(nguyen van duc) Tj"));
        assert!(!s.contains("(mau 01)"), "parentheses are escaped away");
        // The xref offsets point at the objects.
        let xref_at: usize = s.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(s[xref_at..].starts_with("xref"));
        let first_obj: usize = s[xref_at..].lines().nth(3).unwrap()[..10].parse().unwrap();
        assert!(s[first_obj..].starts_with("1 0 obj"));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
