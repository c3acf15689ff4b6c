//! `hcc-bench`: grows the demo city to N dossiers, serves it on loopback and measures the main
//! operations over real HTTP — receive a dossier, public tracking, an officer's filtered list page,
//! a transition — beside a trivial route measured in the same run, printing throughput, p50, p99
//! and the ratio to the baseline. A command, not a timed test: figures go in the README. The
//! timed operations' clients each keep one HTTP/1.1 connection (`client.rs`); logins, scans and
//! the web pages go through reqwest.

mod client;
mod pages;
mod steal;

use anyhow::Context as _;
use clap::Parser;
use client::Connection;
use hcc_store::Store;
use hyper::Method;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// mimalloc rather than glibc's malloc: many small allocations per request from many threads,
/// where glibc's arenas spent a fifth of the server's time (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Dossiers in the grown demo city.
    #[arg(long, default_value_t = 1_000_000)]
    dossiers: u32,
    /// Folder of the benchmark installation (reused when it already holds the data).
    #[arg(long, default_value = "./hcc-bench-data")]
    data_dir: PathBuf,
    /// `postgres://…` to measure PostgreSQL instead of the embedded SQLite.
    #[arg(long)]
    database_url: Option<String>,
    /// Seconds per operation.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Where the national portal's procedures are.
    #[arg(long, default_value = "../shared/data/procedures")]
    procedures: PathBuf,
    /// Requests per web page when timing how long each page takes to render.
    #[arg(long, default_value_t = 200)]
    page_samples: usize,
}

/// What the receipts' phase keeps of an answer: the code, for the scans and transitions after it.
/// Read as a client would, into the one field it needs (the server's answer is not trimmed).
#[derive(serde::Deserialize)]
struct Receipt {
    code: String,
}

struct Figures {
    name: &'static str,
    ok: usize,
    errors: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    /// The share of the machine's CPU time a hypervisor took from it while this was measured.
    steal: Option<f64>,
}

/// Runs `make_request` from `concurrency` clients, each on its own connection to `server`, for
/// `seconds` (or until it answers `None`), measuring each successful answer. The request is handed
/// the client's connection and gives it back with its outcome.
async fn measure<F, Fut>(
    name: &'static str,
    server: std::net::SocketAddr,
    concurrency: usize,
    seconds: u64,
    make_request: F,
) -> Figures
where
    F: Fn(Connection, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = (Connection, Option<bool>)> + Send,
{
    let make_request = Arc::new(make_request);
    let counter = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let cpu_before = steal::CpuTimes::read();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let make_request = make_request.clone();
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let Ok(mut connection) = Connection::new(server) else { return (latencies, 1) };
            while Instant::now() < deadline {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                let (given_back, outcome) = make_request(connection, i).await;
                connection = given_back;
                match outcome {
                    Some(true) => latencies.push(t.elapsed()),
                    Some(false) => errors += 1,
                    // Nothing left to do (e.g. every prepared dossier has been moved on).
                    None => break,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            all.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let steal = cpu_before.zip(steal::CpuTimes::read()).and_then(|(a, b)| b.stolen_since(&a));
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default()
    };
    Figures {
        name,
        ok: all.len(),
        errors,
        per_second: all.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        steal,
    }
}

/// Whether the request was answered with `status`, reading the whole answer as a browser or an
/// API client does (an answer left unread would also cost its connection: it cannot be reused).
async fn read_through(response: reqwest::Result<reqwest::Response>, status: u16) -> bool {
    match response {
        Ok(r) if r.status().as_u16() == status => r.bytes().await.is_ok(),
        _ => false,
    }
}

async fn token(client: &reqwest::Client, base: &str, user: &str) -> anyhow::Result<String> {
    let r: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": user, "password": hcc::demo::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    r["token"].as_str().map(str::to_owned).context("login failed")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.data_dir)?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", args.data_dir.join("hcc.sqlite").display()));
    let store = Store::open(&url, true).await?;
    store.migrate().await?;
    let built = Instant::now();
    let files = hcc_files::FileStore::local(&args.data_dir.join("files"))?;
    hcc::demo::build_if_empty(&store, &files, Some(args.procedures.clone()), args.dossiers).await?;
    let count = store.count_dossiers().await?;
    println!("data: {count} dossiers on {} (ready in {:.0} s)", store.backend(), built.elapsed().as_secs_f64());

    let calendar = hcc::reference::load_calendar(&store).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let server = listener.local_addr()?;
    let base = format!("http://{server}");
    // The benchmark measures the server, not the public lookups' throttle: lift it.
    let state =
        hcc_web::AppState::new(store.clone(), files, calendar, &base).with_portal(hcc_web::portal::PortalSettings {
            tracking_burst: u32::MAX,
            tracking_per_minute: u32::MAX,
            ..Default::default()
        });
    tokio::spawn(async move {
        let _ = axum::serve(listener, hcc_web::app(state)).await;
    });
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build()?;
    let reception = token(&client, &base, "tiepnhan").await?;
    let leader = token(&client, &base, "lanhdao").await?;
    let specialist = token(&client, &base, "chuyenvien").await?;

    // Codes to track: a sample of real dossiers.
    let sample = store
        .list_dossiers(&hcc_store::DossierQuery { limit: 200, ..Default::default() })
        .await?
        .items
        .into_iter()
        .map(|d| d.code)
        .collect::<Vec<_>>();
    let sample = Arc::new(sample);
    let procedure = "1.012756";
    let p: serde_json::Value = client.get(format!("{base}/api/v1/procedures/{procedure}")).send().await?.json().await?;
    let docs: Vec<u64> = p["documents"]
        .as_array()
        .map(|d| d.iter().filter(|x| x["mandatory"] == json!(true)).filter_map(|x| x["no"].as_u64()).collect())
        .unwrap_or_default();
    // Serialized once, as a client sending the same form would: the benchmark measures the
    // server, and the two share these two cores.
    let receipt = axum::body::Bytes::from(serde_json::to_vec(&json!({
        "procedure_code": procedure, "channel": "counter",
        "applicant": {"name": "Nguyễn Văn Đức", "id_number": "001099012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "documents": docs
    }))?);

    let (c, s) = (args.concurrency, args.seconds);
    // The lean connections send tokens as ready-made headers; the scans' reqwest client takes the text.
    let (reception_auth, leader_auth, specialist_auth) =
        (client::bearer(&reception)?, client::bearer(&leader)?, client::bearer(&specialist)?);
    let mut results = Vec::new();
    results.push(
        measure("baseline GET /healthz", server, c, s, |mut conn, _| async move {
            let answered = conn.answered(Method::GET, "/healthz", None, None, 200).await;
            (conn, Some(answered))
        })
        .await,
    );
    let created = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    {
        let (token, body, created) = (reception_auth.clone(), receipt.clone(), created.clone());
        results.push(
            measure("receive a dossier", server, c, s, move |mut conn, _| {
                let (token, body, created) = (token.clone(), body.clone(), created.clone());
                async move {
                    let answer = conn.send(Method::POST, "/api/v1/dossiers", Some(&token), Some(body)).await;
                    let code = match answer {
                        Ok((201, body)) => serde_json::from_slice::<Receipt>(&body).ok().map(|r| r.code),
                        _ => None,
                    };
                    let Some(code) = code else { return (conn, Some(false)) };
                    if let Ok(mut list) = created.lock() {
                        list.push(code);
                    }
                    (conn, Some(true))
                }
            })
            .await,
        );
    }
    {
        let sample = sample.clone();
        results.push(
            measure("public tracking lookup", server, c, s, move |mut conn, i| {
                let path = sample.get(i % sample.len().max(1)).map(|code| format!("/api/v1/track/{code}"));
                async move {
                    let Some(path) = path else { return (conn, None) };
                    let answered = conn.answered(Method::GET, &path, None, None, 200).await;
                    (conn, Some(answered))
                }
            })
            .await,
        );
    }
    {
        let token = specialist_auth.clone();
        results.push(
            measure("officer's filtered list page", server, c, s, move |mut conn, i| {
                let token = token.clone();
                async move {
                    let status = ["in_progress", "received", "returned"][i % 3];
                    let path = format!("/api/v1/dossiers?status={status}&limit=50");
                    let answered = conn.answered(Method::GET, &path, Some(&token), None, 200).await;
                    (conn, Some(answered))
                }
            })
            .await,
        );
    }
    // Every paper is scanned before a dossier is handed on (a transition out of `received` is
    // refused until then), so the receipts above are digitized next: one small PDF per paper.
    let created_codes = Arc::new(created.lock().map(|l| l.clone()).unwrap_or_default());
    {
        let scans: Arc<Vec<(String, u64)>> =
            Arc::new(docs.iter().flat_map(|no| created_codes.iter().map(move |code| (code.clone(), *no))).collect());
        let pdf = Arc::new(hcc::demo::scans::pdf(&["Giấy tờ quét tại quầy".to_owned()]));
        let (client, base, token) = (client.clone(), base.clone(), reception.clone());
        results.push(
            // Not time-boxed: every receipt above must be digitized before the transitions below.
            // Multipart uploads go through reqwest (the lean connection speaks JSON only).
            measure("scan a paper (upload a PDF)", server, c, 3_600, move |conn, i| {
                let (client, base, token, scans, pdf) =
                    (client.clone(), base.clone(), token.clone(), scans.clone(), pdf.clone());
                async move {
                    let Some((code, no)) = scans.get(i) else { return (conn, None) };
                    let form = reqwest::multipart::Form::new()
                        .text("item_no", no.to_string())
                        .text("copy_kind", "original")
                        .part("file", reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("giay-to.pdf"));
                    let answered = read_through(
                        client
                            .post(format!("{base}/api/v1/dossiers/{code}/documents"))
                            .bearer_auth(&token)
                            .multipart(form)
                            .send()
                            .await,
                        201,
                    )
                    .await;
                    (conn, Some(answered))
                }
            })
            .await,
        );
    }
    {
        let codes = created_codes.clone();
        let token = leader_auth.clone();
        let assign = axum::body::Bytes::from_static(br#"{"assignee":"chuyenvien"}"#);
        results.push(
            measure("transition (assign)", server, c, s, move |mut conn, i| {
                let (token, assign) = (token.clone(), assign.clone());
                let path = codes.get(i).map(|code| format!("/api/v1/dossiers/{code}/actions/assign"));
                async move {
                    let Some(path) = path else { return (conn, None) };
                    let answered = conn.answered(Method::POST, &path, Some(&token), Some(assign), 200).await;
                    (conn, Some(answered))
                }
            })
            .await,
        );
    }

    let pages = pages::measure_pages(&client, &base, &store, args.page_samples).await?;

    let baseline = results.first().map_or(1.0, |b| b.per_second.max(1e-9));
    println!("\n{} dossiers, {} backend, {c} clients, {s} s per operation", count, store.backend());
    println!(
        "{:<32} {:>10} {:>9} {:>9} {:>9} {:>8} {:>7} {:>7}",
        "operation", "req/s", "p50 ms", "p99 ms", "ok", "errors", "ratio", "steal"
    );
    for f in &results {
        println!(
            "{:<32} {:>10.0} {:>9.2} {:>9.2} {:>9} {:>8} {:>7.3} {:>7}",
            f.name,
            f.per_second,
            f.p50.as_secs_f64() * 1000.0,
            f.p99.as_secs_f64() * 1000.0,
            f.ok,
            f.errors,
            f.per_second / baseline,
            f.steal.map_or_else(|| "-".to_owned(), |s| format!("{:.0} %", s * 100.0))
        );
    }
    println!(
        "(steal: the share of the machine's CPU time its hypervisor gave to others during the operation; \
         on a shared machine, compare runs by the ratio to the baseline)"
    );
    pages::print(&pages, args.page_samples);
    Ok(())
}
