//! Page counts: for a PDF counted while its bytes stream past, for a TIFF by walking its chain of
//! image directories (a few small reads, so the store can do them as range reads). Both are
//! best-effort: a count is a convenience for staff, never a reason to refuse a document.

use std::collections::HashSet;
use std::ops::Range;

/// The most TIFF pages walked, and the most distinct PDF page objects remembered.
pub const MAX_TIFF_PAGES: u32 = 10_000;
const MAX_PDF_OBJECTS: usize = 1_000_000;
/// Bytes a PDF token needs after its start to be decided; bytes kept before it for context.
const LOOKAHEAD: usize = 64;
const CONTEXT: usize = 24;

/// The number of pages of a whole PDF in memory (see [`PdfPageCounter`]).
pub fn pdf_page_count(data: &[u8]) -> Option<u32> {
    let mut counter = PdfPageCounter::new();
    counter.feed(data);
    counter.finish()
}

/// The number of pages (image directories) of a whole TIFF in memory.
pub fn tiff_page_count(data: &[u8]) -> Option<u32> {
    let mut walker = TiffWalker::new(data, data.len() as u64)?;
    while let Some(r) = walker.wanted() {
        let (start, end) = (usize::try_from(r.start).ok()?, usize::try_from(r.end).ok()?);
        walker.feed(data.get(start..end.min(data.len())).unwrap_or_default());
    }
    Some(walker.pages()).filter(|&n| n > 0)
}

/// Counts a PDF's pages from chunks as they arrive, in constant memory apart from the set of page
/// object numbers. Counts distinct objects holding `/Type /Page` (an incremental update that
/// rewrites a page is not counted twice); if there are none — pages hidden in compressed object
/// streams — falls back to the largest `/Count` of a `/Type /Pages` object; otherwise `None`.
/// Tokens split across chunk boundaries are found: a few bytes are carried to the next chunk.
#[derive(Debug, Default)]
pub struct PdfPageCounter {
    buf: Vec<u8>,
    /// Leading bytes of `buf` already looked at, kept as context.
    context: usize,
    current_obj: Option<u64>,
    obj_is_pages: bool,
    obj_count: Option<u64>,
    page_objects: HashSet<u64>,
    loose_pages: u64,
    largest_count: Option<u64>,
}

impl PdfPageCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Looks at the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(chunk);
        let stop = self.scan(&buf, false);
        let keep_from = stop.saturating_sub(CONTEXT);
        self.context = stop - keep_from;
        buf.drain(..keep_from);
        self.buf = buf;
    }

    /// The page count, once every chunk has been fed.
    pub fn finish(mut self) -> Option<u32> {
        let buf = std::mem::take(&mut self.buf);
        self.scan(&buf, true);
        let pages = self.page_objects.len() as u64 + self.loose_pages;
        let n = if pages > 0 { pages } else { self.largest_count? };
        Some(u32::try_from(n).unwrap_or(u32::MAX)).filter(|&n| n > 0)
    }

    /// Handles every token start in `buf[self.context..]`; returns where an undecided one begins.
    fn scan(&mut self, buf: &[u8], eof: bool) -> usize {
        let from = self.context.min(buf.len());
        for hit in memchr::memchr2_iter(b'/', b'j', &buf[from..]) {
            let p = from + hit;
            if !eof && buf.len() - p < LOOKAHEAD {
                return p;
            }
            if buf[p] == b'j' {
                if p >= 2 && &buf[p - 2..p] == b"ob" {
                    self.on_obj(buf, p - 2);
                }
            } else {
                self.on_name(buf, p);
            }
        }
        buf.len()
    }

    /// `obj` at `at` starts an object ("12 0 obj"); `endobj` ends one.
    fn on_obj(&mut self, buf: &[u8], at: usize) {
        if at >= 3 && &buf[at - 3..at] == b"end" {
            self.current_obj = None;
            return;
        }
        // Read "<num> <gen> " backwards.
        let mut i = at;
        let skip_ws = |i: &mut usize| {
            while *i > 0 && buf[*i - 1].is_ascii_whitespace() {
                *i -= 1;
            }
        };
        let digits = |i: &mut usize| -> Option<u64> {
            let end = *i;
            while *i > 0 && end - *i < 10 && buf[*i - 1].is_ascii_digit() {
                *i -= 1;
            }
            std::str::from_utf8(&buf[*i..end]).ok()?.parse().ok()
        };
        skip_ws(&mut i);
        let Some(_generation) = digits(&mut i) else { return };
        skip_ws(&mut i);
        let Some(number) = digits(&mut i) else { return };
        self.current_obj = Some(number);
        self.obj_is_pages = false;
        self.obj_count = None;
    }

    /// A name at `p`: `/Type /Page`, `/Type /Pages` or `/Count N`.
    fn on_name(&mut self, buf: &[u8], p: usize) {
        let rest = &buf[p + 1..];
        if let Some(after) = rest.strip_prefix(b"Type") {
            let value = trim_ws(after);
            let Some(tail) = value.strip_prefix(b"/Page") else { return };
            match tail.first() {
                Some(b's') if tail.get(1).is_none_or(|&c| is_delimiter(c)) => {
                    self.obj_is_pages = true;
                    self.note_count();
                }
                None => self.note_page(),
                Some(&c) if is_delimiter(c) => self.note_page(),
                _ => {}
            }
        } else if let Some(after) = rest.strip_prefix(b"Count") {
            let value = trim_ws(after);
            let len = value.iter().take(12).take_while(|c| c.is_ascii_digit()).count();
            if let Some(n) = std::str::from_utf8(&value[..len]).ok().and_then(|s| s.parse().ok()) {
                self.obj_count = Some(n);
                self.note_count();
            }
        }
    }

    fn note_page(&mut self) {
        match self.current_obj {
            Some(n) if self.page_objects.len() < MAX_PDF_OBJECTS => {
                self.page_objects.insert(n);
            }
            Some(n) if self.page_objects.contains(&n) => {}
            _ => self.loose_pages += 1,
        }
    }

    fn note_count(&mut self) {
        if let (true, Some(n)) = (self.obj_is_pages, self.obj_count) {
            self.largest_count = Some(self.largest_count.map_or(n, |m| m.max(n)));
        }
    }
}

fn trim_ws(b: &[u8]) -> &[u8] {
    let n = b.iter().take(32).take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || b"/<>[]()%{}".contains(&c)
}

/// Walks a TIFF's chain of image directories (IFDs), one page each, without reading the images:
/// ask [`TiffWalker::wanted`] for the next byte range, [`TiffWalker::feed`] it those bytes.
/// Handles both byte orders and BigTIFF, stops at [`MAX_TIFF_PAGES`], at a loop, or at the end.
#[derive(Debug)]
pub struct TiffWalker {
    little_endian: bool,
    big: bool,
    size: u64,
    state: TiffState,
    pages: u32,
    visited: HashSet<u64>,
}

#[derive(Debug, Clone, Copy)]
enum TiffState {
    /// Read the entry count of the directory at this offset.
    Count(u64),
    /// Read the next-directory pointer at this offset.
    Next(u64),
    Done,
}

impl TiffWalker {
    /// Starts from the file's first bytes (at least 16) and its total size.
    pub fn new(header: &[u8], size: u64) -> Option<TiffWalker> {
        let little_endian = match header.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        let mut w =
            TiffWalker { little_endian, big: false, size, state: TiffState::Done, pages: 0, visited: HashSet::new() };
        let first = match w.uint(header.get(2..4)?) {
            42 => w.uint(header.get(4..8)?),
            43 => {
                w.big = true;
                w.uint(header.get(8..16)?)
            }
            _ => return None,
        };
        w.go_to(first);
        Some(w)
    }

    /// The byte range to read next, or `None` when the walk is over.
    pub fn wanted(&self) -> Option<Range<u64>> {
        let (at, len) = match self.state {
            TiffState::Count(at) => (at, if self.big { 8 } else { 2 }),
            TiffState::Next(at) => (at, if self.big { 8 } else { 4 }),
            TiffState::Done => return None,
        };
        Some(at..at + len)
    }

    /// Gives the bytes of the range last asked for (fewer bytes end the walk).
    pub fn feed(&mut self, bytes: &[u8]) {
        let Some(range) = self.wanted() else { return };
        let Some(value) = bytes.get(..(range.end - range.start) as usize).map(|b| self.uint(b)) else {
            self.state = TiffState::Done;
            return;
        };
        self.state = match self.state {
            TiffState::Count(at) => {
                // A directory counts as a page only if it lies wholly inside the file.
                let (head, entry, pointer) = if self.big { (8, 20, 8) } else { (2, 12, 4) };
                let next_at = value.checked_mul(entry).and_then(|v| v.checked_add(at + head));
                match next_at {
                    Some(n) if n.saturating_add(pointer) <= self.size => {
                        self.pages += 1;
                        if self.pages < MAX_TIFF_PAGES { TiffState::Next(n) } else { TiffState::Done }
                    }
                    _ => TiffState::Done,
                }
            }
            TiffState::Next(_) => {
                self.go_to(value);
                return;
            }
            TiffState::Done => TiffState::Done,
        };
    }

    /// Pages (directories) seen so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    fn go_to(&mut self, offset: u64) {
        self.state = if offset == 0 || offset >= self.size || !self.visited.insert(offset) {
            TiffState::Done
        } else {
            TiffState::Count(offset)
        };
    }

    fn uint(&self, b: &[u8]) -> u64 {
        let mut v = 0u64;
        if self.little_endian {
            for &x in b.iter().rev() {
                v = (v << 8) | u64::from(x);
            }
        } else {
            for &x in b {
                v = (v << 8) | u64::from(x);
            }
        }
        v
    }
}

#[cfg(test)]
#[path = "pages_tests.rs"]
mod tests;
