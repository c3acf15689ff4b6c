//! `files`: document throughput over real HTTP on loopback — uploads and downloads of 1 MB and
//! 50 MB scans through the API, beside a plain file copy of the same bytes (written and synced,
//! as the store syncs) measured in the same run — and the process's memory while a 500 MB scan
//! is streamed in. A command, not a timed test: figures go in the README.

use anyhow::{Context as _, bail};
use clap::Parser;
use futures::StreamExt;
use hcc_store::Store;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Where the national portal's procedures are.
    #[arg(long, default_value = "../shared/data/procedures")]
    procedures: PathBuf,
    /// Uploads of 1 MB to time.
    #[arg(long, default_value_t = 40)]
    small: usize,
    /// Uploads of 50 MB to time.
    #[arg(long, default_value_t = 4)]
    large: usize,
    /// Size of the streamed upload whose memory is watched, in MB.
    #[arg(long, default_value_t = 500)]
    stream_mb: u64,
}

const MB: usize = 1024 * 1024;

/// A PDF-looking body of `size` bytes, different for each `seed` (so nothing is deduplicated).
fn scan(size: usize, seed: u64) -> Vec<u8> {
    let mut out = format!("%PDF-1.4\n% scan {seed}\n").into_bytes();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while out.len() < size - 6 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(size - 6);
    out.extend_from_slice(b"%%EOF\n");
    out
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Plain file copy of each body: write it, sync it, copy it, sync the copy (MB/s of bytes copied).
fn copy_baseline(dir: &Path, bodies: &[Vec<u8>]) -> anyhow::Result<f64> {
    use std::io::Write;
    let started = Instant::now();
    let mut bytes = 0usize;
    for (i, b) in bodies.iter().enumerate() {
        let from = dir.join(format!("src-{i}"));
        let to = dir.join(format!("dst-{i}"));
        let mut f = std::fs::File::create(&from)?;
        f.write_all(b)?;
        f.sync_all()?;
        std::fs::copy(&from, &to)?;
        std::fs::File::open(&to)?.sync_all()?;
        bytes += b.len();
    }
    Ok(bytes as f64 / MB as f64 / started.elapsed().as_secs_f64())
}

struct App {
    base: String,
    client: reqwest::Client,
    token: String,
    code: String,
}

impl App {
    async fn upload(&self, body: reqwest::Body, name: &str) -> anyhow::Result<Value> {
        let url = format!("{}/api/v1/dossiers/{}/documents?file_name={name}", self.base, self.code);
        let resp = self
            .client
            .post(url)
            .bearer_auth(&self.token)
            .header("content-type", "application/pdf")
            .body(body)
            .send()
            .await?;
        let status = resp.status();
        let v: Value = resp.json().await?;
        if status != 201 {
            bail!("upload answered {status}: {v}");
        }
        Ok(v)
    }

    async fn download(&self, url: &str) -> anyhow::Result<usize> {
        let resp = self.client.get(format!("{}{url}", self.base)).bearer_auth(&self.token).send().await?;
        if resp.status() != 200 {
            bail!("download answered {}", resp.status());
        }
        let mut n = 0;
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            n += chunk?.len();
        }
        Ok(n)
    }
}

async fn start(dir: &Path, procedures: &Path) -> anyhow::Result<App> {
    let store = Store::open(&format!("sqlite://{}", dir.join("hcc.sqlite").display()), true).await?;
    store.migrate().await?;
    hcc::demo::seed_city(&store, &procedures.join("national-portal/bo-nong-nghiep-mt")).await?;
    let calendar = hcc::reference::load_calendar(&store).await?;
    let files = hcc_files::FileStore::local(&dir.join("files"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = hcc_web::AppState::new(store, files, calendar, &base);
    tokio::spawn(async move {
        let _ = axum::serve(listener, hcc_web::app(state)).await;
    });
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": "tiepnhan", "password": hcc::demo::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("login failed")?.to_owned();
    // The streamed scan is larger than the default per-file limit: the administrator raises it.
    let admin: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": "quantri", "password": hcc::demo::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let rules = json!({"max_bytes": hcc_web::api::documents::MAX_UPLOAD_BYTES, "media_types": ["pdf"]});
    let set = client
        .put(format!("{base}/api/v1/procedures/1.012756/file-rules"))
        .bearer_auth(admin["token"].as_str().context("admin login failed")?)
        .json(&rules)
        .send()
        .await?;
    if !set.status().is_success() {
        bail!("file rules answered {}", set.status());
    }
    let procedure: Value = client.get(format!("{base}/api/v1/procedures/1.012756")).send().await?.json().await?;
    let papers: Vec<u64> = procedure["documents"]
        .as_array()
        .context("procedure 1.012756 missing")?
        .iter()
        .filter(|d| d["mandatory"] == json!(true))
        .filter_map(|d| d["no"].as_u64())
        .collect();
    let receipt = json!({
        "procedure_code": "1.012756", "channel": "counter",
        "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345", "phone": "0912345678", "address": "Hà Nội"},
        "subject_commune": "00004", "documents": papers, "return_method": "counter"
    });
    let created: Value =
        client.post(format!("{base}/api/v1/dossiers")).bearer_auth(&token).json(&receipt).send().await?.json().await?;
    let code = created["code"].as_str().context("receipt failed")?.to_owned();
    Ok(App { base, client, token, code })
}

/// Uploads then downloads each body; MB/s of each direction.
async fn through_http(app: &App, bodies: &[Vec<u8>]) -> anyhow::Result<(f64, f64)> {
    let total: usize = bodies.iter().map(Vec::len).sum();
    let started = Instant::now();
    let mut urls = Vec::new();
    for (i, b) in bodies.iter().enumerate() {
        let doc = app.upload(reqwest::Body::from(b.clone()), &format!("scan-{i}.pdf")).await?;
        urls.push(doc["content_url"].as_str().context("content_url")?.to_owned());
    }
    let up = total as f64 / MB as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut got = 0;
    for url in &urls {
        got += app.download(url).await?;
    }
    if got != total {
        bail!("downloaded {got} bytes of {total}");
    }
    let down = total as f64 / MB as f64 / started.elapsed().as_secs_f64();
    Ok((up, down))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let app = start(dir.path(), &args.procedures).await?;
    let copies = dir.path().join("copies");
    std::fs::create_dir_all(&copies)?;

    println!(
        "{:<22} {:>14} {:>14} {:>14} {:>9} {:>9}",
        "size", "file copy MB/s", "upload MB/s", "download MB/s", "up/copy", "down/copy"
    );
    for (label, size, count, seed) in [("1 MB", MB, args.small, 1_000u64), ("50 MB", 50 * MB, args.large, 2_000)] {
        let bodies: Vec<Vec<u8>> = (0..count as u64).map(|i| scan(size, seed + i)).collect();
        let copy = copy_baseline(&copies, &bodies)?;
        let (up, down) = through_http(&app, &bodies).await?;
        println!("{label:<22} {copy:>14.0} {up:>14.0} {down:>14.0} {:>9.2} {:>9.2}", up / copy, down / copy);
    }

    // Memory while a large scan streams in: the body is generated chunk by chunk, never whole.
    let chunks = args.stream_mb as usize;
    let body = futures::stream::iter(0..chunks).map(|i| {
        let mut c = if i == 0 { b"%PDF-1.4\n".to_vec() } else { Vec::new() };
        c.resize(MB, (i % 251) as u8);
        Ok::<_, std::io::Error>(c)
    });
    let before = rss_kib();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let watch = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let doc = app.upload(reqwest::Body::wrap_stream(body), "scan-stream.pdf").await?;
    let secs = started.elapsed().as_secs_f64();
    watch.abort();
    let grew = peak.load(std::sync::atomic::Ordering::Relaxed).saturating_sub(before);
    println!(
        "streamed {} MB upload: {:.0} MB/s, resident memory grew by {:.1} MB at most ({} bytes stored)",
        args.stream_mb,
        args.stream_mb as f64 / secs,
        grew as f64 / 1024.0,
        doc["size"]
    );
    Ok(())
}
