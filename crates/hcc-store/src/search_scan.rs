//! When the dossier list reads the dossiers in order and tests each for a search's words instead
//! of asking the full-text index (`queries/dossiers.rs`, `list_dossiers`), and how many rows at a
//! time. One per store; tests set it to exercise the scan on a few dossiers.

/// When the dossier list scans for a search instead of asking the full-text index, and how.
#[derive(Debug)]
pub(crate) struct SearchScan {
    /// Full-text matches from which a search is common enough to scan (SQLite; see
    /// `text_is_common`): listing this many costs about as much as scanning a busy inbox.
    pub(crate) from_matches: std::sync::atomic::AtomicI64,
    /// Rows fitting a scanned search's pattern read at a time (`scan_for_words`).
    pub(crate) chunk_rows: std::sync::atomic::AtomicI64,
}

impl Default for SearchScan {
    fn default() -> Self {
        SearchScan {
            from_matches: std::sync::atomic::AtomicI64::new(20_000),
            chunk_rows: std::sync::atomic::AtomicI64::new(2_000),
        }
    }
}
