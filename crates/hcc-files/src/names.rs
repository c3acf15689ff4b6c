//! Client-supplied file names: cleaned before they are stored or shown, and checked against the
//! content's kind. The name is only a label: the content address and the sniffed kind decide.

use crate::error::FileError;
use crate::media::MediaType;
use unicode_normalization::UnicodeNormalization;

/// The longest accepted name, in UTF-8 bytes (what most file systems allow).
pub const MAX_NAME_BYTES: usize = 255;

/// Validates a client-supplied file name and returns it clean: any directory part (`/` or `\`,
/// a drive letter) is stripped, Unicode is normalized to NFC and outer spaces are trimmed.
/// Rejects empty names, `.` and `..`, NUL and other control characters, bidirectional-override
/// characters (which disguise extensions) and names longer than 255 bytes. Vietnamese letters are
/// kept as they are.
pub fn clean_file_name(name: &str) -> Result<String, FileError> {
    if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(FileError::BadName);
    }
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = strip_drive(base);
    let clean: String = base.nfc().collect::<String>().trim().trim_end_matches(['.', ' ']).trim().to_string();
    if clean.is_empty() || clean == "." || clean == ".." || clean.len() > MAX_NAME_BYTES {
        return Err(FileError::BadName);
    }
    Ok(clean)
}

/// Checks that the name's extension fits the sniffed kind ("a.pdf" holding a JPEG is rejected,
/// and so is a name without an extension). Case does not matter.
pub fn check_name_matches(name: &str, media: MediaType) -> Result<(), FileError> {
    let extension = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_lowercase(),
        _ => String::new(),
    };
    if media.extensions().contains(&extension.as_str()) {
        Ok(())
    } else {
        Err(FileError::NameMismatch { extension, media })
    }
}

fn strip_drive(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' { &s[2..] } else { s }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_directories_and_drive_letters() {
        assert_eq!(clean_file_name("../../etc/passwd").ok().as_deref(), Some("passwd"));
        assert_eq!(clean_file_name("C:\\x\\y.pdf").ok().as_deref(), Some("y.pdf"));
        assert_eq!(clean_file_name("C:y.pdf").ok().as_deref(), Some("y.pdf"));
        assert_eq!(clean_file_name("/tmp/ho so/ a.pdf ").ok().as_deref(), Some("a.pdf"));
        assert_eq!(clean_file_name("bad.pdf. . ").ok().as_deref(), Some("bad.pdf"));
    }

    #[test]
    fn rejects_tricks() {
        for bad in
            ["", "   ", "..", ".", "a/..", "dir\\..", "a\0b.pdf", "a\nb.pdf", "a\u{7f}.pdf", "x/", "gnp\u{202E}fdp.exe"]
        {
            assert!(matches!(clean_file_name(bad), Err(FileError::BadName)), "{bad:?} should be rejected");
        }
        let long = format!("{}.pdf", "a".repeat(252));
        assert!(clean_file_name(&long).is_err());
        let fits = format!("{}.pdf", "a".repeat(251));
        assert_eq!(clean_file_name(&fits).ok(), Some(fits));
        // 255 bytes counted in UTF-8, not characters: "ấ" is 3 bytes
        assert!(clean_file_name(&format!("{}.pdf", "ấ".repeat(84))).is_err());
    }

    #[test]
    fn keeps_vietnamese() {
        assert_eq!(clean_file_name("Giấy chứng nhận.pdf").ok().as_deref(), Some("Giấy chứng nhận.pdf"));
        // decomposed input comes out precomposed (NFC)
        assert_eq!(clean_file_name("Gia\u{0302}\u{0301}y.pdf").ok().as_deref(), Some("Giấy.pdf"));
        assert_eq!(clean_file_name("Đơn đề nghị (bản sao).docx").ok().as_deref(), Some("Đơn đề nghị (bản sao).docx"));
    }

    #[test]
    fn extension_must_fit_the_content() {
        assert!(check_name_matches("Giấy chứng nhận.pdf", MediaType::Pdf).is_ok());
        assert!(check_name_matches("ANH.JPG", MediaType::Jpeg).is_ok());
        assert!(check_name_matches("scan.jpeg", MediaType::Jpeg).is_ok());
        assert!(check_name_matches("trang.tif", MediaType::Tiff).is_ok());
        match check_name_matches("a.pdf", MediaType::Jpeg) {
            Err(FileError::NameMismatch { extension, media }) => {
                assert_eq!(extension, "pdf");
                assert_eq!(media, MediaType::Jpeg);
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
        assert!(check_name_matches("bang.xls", MediaType::Xlsx).is_err());
        assert!(check_name_matches("noextension", MediaType::Pdf).is_err());
        assert!(check_name_matches(".pdf", MediaType::Pdf).is_err());
    }
}
