//! `hcc verify`, documents part: every stored object a live document uses is read back and
//! compared with the hash and size the database recorded; missing and altered files are reported.

use hcc_files::{BlobCheck, FileStore};
use hcc_store::Store;

/// How many objects are checked at once: reading is I/O bound, a few in flight keep the disk busy.
const PARALLEL: usize = 8;

/// Checks every recorded object; appends one line per problem. Returns how many were checked.
pub async fn run(store: &Store, files: &FileStore, problems: &mut Vec<String>) -> anyhow::Result<u64> {
    let mut after = String::new();
    let mut checked = 0u64;
    loop {
        let page = store.blobs_after(&after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.sha256.clone();
        for chunk in page.chunks(PARALLEL) {
            let checks = chunk.iter().map(|b| async move { (b, files.verify(&b.sha256, b.size).await) });
            for (blob, result) in futures::future::join_all(checks).await {
                checked += 1;
                match result {
                    Ok(BlobCheck::Ok) => {}
                    Ok(BlobCheck::Missing) => problems.push(format!("tệp {} bị mất khỏi kho lưu trữ", blob.sha256)),
                    Ok(BlobCheck::Altered { actual_sha256, actual_size }) => problems.push(format!(
                        "tệp {} đã bị thay đổi (kích thước {} byte thay vì {}, mã băm {})",
                        blob.sha256,
                        actual_size,
                        blob.size,
                        actual_sha256.as_deref().unwrap_or("?")
                    )),
                    Err(e) => problems.push(format!("không đọc được tệp {}: {e}", blob.sha256)),
                }
            }
        }
    }
    Ok(checked)
}
