//! Folding Vietnamese text for search: "Nguyễn Văn Đức" and "nguyen van duc" fold alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, marks removed, Đ/đ folded to d (they have no decomposition), spaces collapsed.
pub fn fold(s: &str) -> String {
    // ASCII text (a dossier's code, an ID number, a phone) decomposes to itself: skip the
    // decomposition, which costs more than the folding.
    if s.is_ascii() { fold_chars(s.chars(), s.len()) } else { fold_chars(s.nfd(), s.len()) }
}

/// [`fold`] of the characters of a text, decomposed (NFD).
fn fold_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
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

/// Most words a search takes; the rest of the query is ignored.
pub const MAX_SEARCH_WORDS: usize = 8;

/// A search query cut the way the full-text indexes cut the folded text: the query is folded, split
/// into words at spaces, and each word into its runs of letters and digits ("000.00.16.H26-241001"
/// is one word of four tokens, searched as a phrase: the tokens in that order, side by side). Words
/// without a letter or digit are dropped; at most [`MAX_SEARCH_WORDS`] words, each of at most 16
/// tokens of at most 64 characters.
pub fn search_words(query: &str) -> Vec<Vec<String>> {
    fold(query)
        .split(' ')
        .map(|word| {
            word.split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .take(16)
                .map(|t| t.chars().take(64).collect())
                .collect::<Vec<String>>()
        })
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .collect()
}

/// Whether folded `text` holds every word of a search ([`search_words`]) the way the full-text
/// indexes match it: the text cut into runs of letters and digits, each word found anywhere, its
/// tokens side by side in that order and the last one as a prefix ("nguyen van" finds "Nguyễn Thị
/// Vân"; "241001-0001" finds the code's tail, not "241001 … 0001"). The store uses it where it reads the dossiers in order and tests each one
/// instead of asking the index (a very common word, see `list_dossiers`): both ways find the same.
pub fn matches_words(text: &str, words: &[Vec<String>]) -> bool {
    let tokens: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    words.iter().all(|word| {
        let Some((last, first)) = word.split_last() else { return true };
        tokens.windows(word.len()).any(|window| {
            window.iter().zip(first).all(|(t, q)| t == q) && window.last().is_some_and(|t| t.starts_with(last.as_str()))
        })
    })
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
    fn ascii_text_folds_as_through_the_decomposition() {
        // Every ASCII character, alone and between others (whitespace of each kind included).
        for b in 0u8..128 {
            let c = char::from(b);
            for s in [c.to_string(), format!("A{c}b"), format!(" {c}{c}9 "), format!("{c}\u{0}")] {
                assert_eq!(fold(&s), fold_chars(s.nfd(), s.len()), "{s:?}");
            }
        }
        assert_eq!(fold("000.00.16.H26-241001-0001"), "000.00.16.h26-241001-0001");
        assert_eq!(fold("  0912\t345\n678 "), "0912 345 678");
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_text_folds_as_through_the_decomposition(s in "[\\x00-\\x7f]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_chars(s.nfd(), s.len()));
        }
    }

    #[test]
    fn search_words_follow_the_index_tokens() {
        assert_eq!(search_words(" Nguyễn  VĂN đức "), vec![vec!["nguyen"], vec!["van"], vec!["duc"]]);
        assert_eq!(search_words("000.00.16.H26-241001-0001"), vec![vec!["000", "00", "16", "h26", "241001", "0001"]]);
        assert_eq!(search_words("241001-0001 nguy"), vec![vec!["241001", "0001"], vec!["nguy"]]);
        assert_eq!(search_words("\"x\" OR *:(y)"), vec![vec!["x"], vec!["or"], vec!["y"]]);
        assert!(search_words(" -- ** ").is_empty());
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
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

    #[test]
    fn words_match_as_the_full_text_index_matches_them() {
        let text = fold("000.00.16.H26-241001-0001 Nguyễn Văn Đức 001099012345 0912345678");
        let m = |q: &str| matches_words(&text, &search_words(q));
        assert!(m("nguyen van"));
        assert!(m("Nguyễn Văn Đ"));
        assert!(m("van duc nguyen"));
        assert!(m("241001-0001"));
        assert!(m("h26-2410"));
        assert!(m("0010990"));
        assert!(m(""));
        assert!(m("duc nguyen"), "words are found anywhere");
        assert!(!m("241001-0002"));
        assert!(!m("h26-0001"), "the tokens of a word are side by side");
        assert!(!m("guyen"), "a word matches from a token's beginning");
        assert!(!m("nguyenv"));
        assert!(!m("van thi"));
        assert!(!m("duc 0912345678 x"));
        let punctuated = fold("Công ty TNHH Xây-dựng (An Phát)");
        assert!(matches_words(&punctuated, &search_words("xay dung an")));
        assert!(matches_words(&punctuated, &search_words("dung an phat")));
        assert!(!matches_words(&punctuated, &search_words("xay-tnhh")), "a word's tokens keep their order");
        assert!(!matches_words(&punctuated, &search_words("dung-xay")));
    }
}
