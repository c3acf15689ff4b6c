//! Reading blobs back: whole reads verify the content against its address while streaming,
//! range reads return a slice, and `verify` re-reads a blob to check it.

use crate::error::FileError;
use crate::store::FileStore;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A blob's bytes as a stream, with its total size (for `Content-Length` and `Content-Range`).
pub struct BlobStream {
    /// The size of the whole object (not of the range read).
    pub size: u64,
    /// The bytes this stream yields: the whole object, or the range asked for.
    pub range: Range<u64>,
    inner: BoxStream<'static, Result<Bytes, FileError>>,
}

impl BlobStream {
    /// How many bytes the stream yields.
    pub fn content_length(&self) -> u64 {
        self.range.end - self.range.start
    }
}

impl std::fmt::Debug for BlobStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStream").field("size", &self.size).field("range", &self.range).finish_non_exhaustive()
    }
}

impl Stream for BlobStream {
    type Item = Result<Bytes, FileError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// The result of checking a stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobCheck {
    Ok,
    Missing,
    /// The bytes no longer hash to their address, or the size differs.
    Altered {
        actual_sha256: Option<String>,
        actual_size: u64,
    },
}

impl FileStore {
    /// Reads a blob. A whole read (`range` None) hashes while streaming and ends with
    /// [`FileError::Altered`] instead of its last chunk if the content does not match its address
    /// or size. A range read returns that slice (end clamped to the size), unverified.
    pub async fn open_blob(&self, sha256: &str, range: Option<Range<u64>>) -> Result<BlobStream, FileError> {
        let path = self.blob_path(sha256)?;
        let Some(range) = range else {
            let got = self.store.get(&path).await?;
            let size = got.meta.size;
            let inner = verified(big_chunks(got), sha256.to_string(), size).boxed();
            return Ok(BlobStream { size, range: 0..size, inner });
        };
        let size = self.store.head(&path).await?.size;
        if range.start > range.end || range.start > size || (range.start == size && range.start < range.end) {
            return Err(FileError::InvalidRange);
        }
        let range = range.start..range.end.min(size);
        if range.is_empty() {
            return Ok(BlobStream { size, range, inner: futures::stream::empty().boxed() });
        }
        let options = GetOptions { range: Some(GetRange::Bounded(range.clone())), ..Default::default() };
        let got = self.store.get_opts(&path, options).await?;
        let inner = got.into_stream().map_err(FileError::from).boxed();
        Ok(BlobStream { size, range, inner })
    }

    /// Re-reads the whole blob and compares its hash and size with what was recorded.
    pub async fn verify(&self, sha256: &str, expected_size: u64) -> Result<BlobCheck, FileError> {
        let path = self.blob_path(sha256)?;
        let got = match self.store.get(&path).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(BlobCheck::Missing),
            Err(e) => return Err(e.into()),
        };
        let mut stream = big_chunks(got);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            hasher.update(&chunk);
        }
        let actual = hex::encode(hasher.finalize());
        if actual == sha256 && size == expected_size {
            Ok(BlobCheck::Ok)
        } else {
            Ok(BlobCheck::Altered { actual_sha256: Some(actual), actual_size: size })
        }
    }
}

/// Bytes read per step from a local file: the object store's own local reader takes 8 KiB per
/// blocking task, which caps a download at a few dozen MB/s.
const LOCAL_CHUNK: usize = 256 * 1024;

/// The whole object as a stream; local files are read in large chunks.
fn big_chunks(got: object_store::GetResult) -> BoxStream<'static, object_store::Result<Bytes>> {
    let object_store::GetResultPayload::File(file, path) = got.payload else {
        return got.into_stream();
    };
    let left = got.range.end - got.range.start;
    futures::stream::try_unfold((file, left), move |(file, left)| {
        let path = path.clone();
        async move {
            if left == 0 {
                return Ok(None);
            }
            let want = usize::try_from(left).unwrap_or(usize::MAX).min(LOCAL_CHUNK);
            let read = tokio::task::spawn_blocking(move || {
                use std::io::Read;
                let mut file = file;
                let mut buf = vec![0u8; want];
                let n = file.read(&mut buf)?;
                buf.truncate(n);
                Ok::<_, std::io::Error>((file, buf))
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|r| r);
            let (file, buf) = read.map_err(|source| object_store::Error::Generic {
                store: "LocalFileSystem",
                source: format!("{}: {source}", path.display()).into(),
            })?;
            if buf.is_empty() {
                // The file ended early: the hash check after the stream reports it.
                return Ok(None);
            }
            let n = buf.len() as u64;
            Ok(Some((Bytes::from(buf), (file, left - n))))
        }
    })
    .boxed()
}

/// Passes chunks through while hashing; replaces the end with an error on a mismatch.
fn verified(
    inner: BoxStream<'static, object_store::Result<Bytes>>,
    expected: String,
    size: u64,
) -> impl Stream<Item = Result<Bytes, FileError>> + Send + 'static {
    struct State {
        inner: BoxStream<'static, object_store::Result<Bytes>>,
        hasher: Option<Sha256>,
        seen: u64,
    }
    let state = State { inner, hasher: Some(Sha256::new()), seen: 0 };
    futures::stream::unfold(state, move |mut st| {
        let expected = expected.clone();
        async move {
            let hasher = st.hasher.as_mut()?;
            match st.inner.next().await {
                Some(Ok(chunk)) => {
                    hasher.update(&chunk);
                    st.seen += chunk.len() as u64;
                    if st.seen > size {
                        st.hasher = None;
                        return Some((Err(FileError::Altered), st));
                    }
                    Some((Ok(chunk), st))
                }
                Some(Err(e)) => {
                    st.hasher = None;
                    Some((Err(e.into()), st))
                }
                None => {
                    let actual = hex::encode(st.hasher.take()?.finalize());
                    if actual == expected && st.seen == size {
                        None
                    } else {
                        tracing::error!(sha256 = %expected, %actual, size = st.seen, "stored blob does not match its address");
                        Some((Err(FileError::Altered), st))
                    }
                }
            }
        }
    })
}
