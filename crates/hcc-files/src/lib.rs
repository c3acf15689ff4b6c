//! HCC's document storage. Every document is stored once, by the SHA-256 of its content, in a
//! local folder (the default), an S3-compatible bucket (for a city) or memory (for tests), through
//! the `object_store` crate. Uploads stream through: hashed, sniffed, page-counted and held to
//! their limits without being held in memory; reads verify the content against its address.
//! Metadata (names, who, when, which dossier) lives in the database, not here.
//!
//! Modules: `store` (backends and upkeep), `upload` (put), `read` (get and verify), `probe`
//! (bounded looks into stored containers), `media` (the accepted kinds), `sniff` and `zip`
//! (kinds from content), `names` (client file names), `pages` (page counts), `scan` (scanner
//! pages into one PDF), `error`.

mod bulk;
mod error;
mod media;
mod names;
mod pages;
mod parts;
mod probe;
mod read;
mod scan;
mod sniff;
mod store;
mod upload;
mod zip;

/// Small real documents of every kind, shared with the integration tests.
#[cfg(test)]
#[path = "../tests/common/samples.rs"]
mod samples;

pub use error::FileError;
pub use media::{MediaType, UploadLimits};
pub use names::{MAX_NAME_BYTES, check_name_matches, clean_file_name};
pub use pages::{MAX_TIFF_PAGES, PdfPageCounter, TiffWalker, pdf_page_count, tiff_page_count};
pub use read::{BlobCheck, BlobStream};
pub use scan::images_to_pdf;
pub use sniff::{SNIFF_LEN, sniff};
pub use store::{FileStore, HEALTH_TIMEOUT};
pub use upload::StoredBlob;

/// The `object_store` crate this store is built on, for callers that bring their own backend
/// to [`FileStore::with_object_store`].
pub use object_store;
