//! Folding Vietnamese text for search: "Nguyễn Văn Đức" and "nguyen van duc" fold alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, marks removed, Đ/đ folded to d (they have no decomposition), spaces collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'Đ' | 'đ' | 'Ð' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Text as it is stored: Unicode NFC, trimmed, inner runs of spaces collapsed.
pub fn normalize(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name masked for public pages: each word keeps its first letter, the rest become `*`, except
/// the last word's first letter ("Nguyễn Văn An" → "N***** V** A").
pub fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first);
            if i + 1 < words.len() {
                out.extend(chars.map(|_| '*'));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("  ĐẶNG   thị  Ánh  "), "dang thi anh");
        assert_eq!(fold("Phường Hoàn Kiếm"), "phuong hoan kiem");
        // precomposed and decomposed input fold alike
        assert_eq!(fold("Nguye\u{0302}\u{0303}n"), fold("Nguyễn"));
    }

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("Nguyễn Văn An"), "N***** V** A");
        assert_eq!(mask_name("Lê"), "L");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn normalizes_to_nfc() {
        assert_eq!(normalize("  Nguye\u{0302}\u{0303}n   Văn "), "Nguyễn Văn");
    }
}
