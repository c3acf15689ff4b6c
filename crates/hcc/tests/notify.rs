//! Notifications end to end, on SQLite and PostgreSQL: a dossier's notices reach the applicant as
//! real mail through a real SMTP server (aiosmtpd, started by scripts/ensure-smtp) and as text
//! messages through a real HTTP gateway (axum, in this test) that can fail, stall or refuse —
//! retried with backoff, never lost, never sent twice across a worker killed mid-send.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use hcc_notify::backoff::Backoff;
use hcc_notify::email::SmtpSender;
use hcc_notify::{HttpTextProvider, TextProvider, Worker, WorkerConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756";
const SENDER: &str = "Trung tâm Phục vụ Hành chính công <thongbao@hcc.example.vn>";
const TOKEN: &str = "gateway-secret";

/// One request the gateway received.
#[derive(Debug, Clone)]
struct Seen {
    key: String,
    auth: String,
    body: Value,
}

/// A JSON-over-HTTP SMS/Zalo gateway that honours idempotency keys, as a real one does.
#[derive(Default)]
struct Gateway {
    seen: Mutex<Vec<Seen>>,
    /// Messages that reached a phone, by idempotency key → the gateway's message id.
    delivered: Mutex<HashMap<String, String>>,
    /// Answer 503 to this many requests (an outage).
    fail_next: AtomicU32,
    /// Deliver the next message but never answer (the sender is killed meanwhile).
    stall_next: AtomicBool,
    /// Numbers the gateway refuses with 400.
    refused: Mutex<Vec<String>>,
    got: tokio::sync::Notify,
}

async fn gateway_send(State(g): State<Arc<Gateway>>, headers: HeaderMap, body: String) -> (StatusCode, String) {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let key = header("idempotency-key");
    g.seen.lock().unwrap().push(Seen { key: key.clone(), auth: header("authorization"), body: body.clone() });
    g.got.notify_one();
    if g.fail_next.load(Ordering::SeqCst) > 0 {
        g.fail_next.fetch_sub(1, Ordering::SeqCst);
        return (StatusCode::SERVICE_UNAVAILABLE, "{\"error\":\"maintenance\"}".into());
    }
    let to = body["to"].as_str().unwrap_or("").to_owned();
    if g.refused.lock().unwrap().contains(&to) {
        return (StatusCode::BAD_REQUEST, "{\"error\":\"number not allowed\"}".into());
    }
    let id = {
        let mut d = g.delivered.lock().unwrap();
        let n = d.len() + 1;
        d.entry(key).or_insert_with(|| format!("sms-{n}")).clone()
    };
    if g.stall_next.swap(false, Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
    (StatusCode::OK, json!({ "id": id }).to_string())
}

async fn start_gateway() -> (Arc<Gateway>, String) {
    let g = Arc::new(Gateway::default());
    let app = axum::Router::new().route("/v1/messages", axum::routing::post(gateway_send)).with_state(g.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/messages", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (g, url)
}

/// The local SMTP server and its Maildir, or `None` (outside CI only) when it is not running.
fn smtp_server() -> Option<(String, std::path::PathBuf)> {
    let url = std::env::var("HCC_TEST_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into());
    let maildir = std::env::var("HCC_TEST_SMTP_MAILDIR").unwrap_or_else(|_| "/tmp/hcc-smtp-mail".into());
    let addr = url.trim_start_matches("smtp://").trim_end_matches('/').to_owned();
    let up = addr
        .parse::<std::net::SocketAddr>()
        .is_ok_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    if up {
        return Some((url, maildir.into()));
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(!in_ci, "no SMTP server at {url} in CI: .ci/run must start it (scripts/ensure-smtp)");
    eprintln!("SKIPPED: the email half of the test, no SMTP server at {url} (run scripts/ensure-smtp)");
    None
}

fn config(app: &App, id: &str, lease: Duration) -> WorkerConfig {
    WorkerConfig {
        worker_id: id.to_owned(),
        public_url: app.base.clone(),
        lease,
        batch: 50,
        // Short enough for a test, long enough that "not before the backoff" holds on a loaded machine.
        backoff: Backoff { base: Duration::from_millis(300), max: Duration::from_millis(600), max_attempts: 6 },
        poll: Duration::from_millis(50),
    }
}

async fn worker(app: &App, id: &str, lease: Duration, gateway: &str, smtp: Option<&str>) -> Worker {
    let text: Arc<dyn TextProvider> =
        Arc::new(HttpTextProvider::new(gateway, TOKEN, "zalo", Duration::from_secs(5)).unwrap());
    let email = smtp.map(|url| SmtpSender::new(url, SENDER, Duration::from_secs(10)).unwrap());
    Worker::new(app.store.clone(), email, Some(text), config(app, id, lease)).await.unwrap()
}

async fn receive(app: &App, token: &str, phone: &str, email: Option<&str>) -> (String, i64) {
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let body = json!({
        "procedure_code": LAND_PROVINCE, "channel": "counter",
        "applicant": {"name": "Trần Thị Lan", "id_number": "001199012345", "phone": phone, "email": email,
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs, "return_method": "counter"
    });
    let (s, r) = app.post_json("/api/v1/dossiers", Some(token), &body).await;
    assert_eq!(s, 201, "{}: {r}", app.name);
    let code = r["code"].as_str().unwrap().to_owned();
    let id = app.store.get_dossier(&code).await.unwrap().unwrap().id;
    (code, id)
}

/// Decodes RFC 2047 `=?utf-8?b?…?=` words (what lettre writes for a Vietnamese subject): the
/// space between two encoded words is dropped, any other kept.
fn decode_header(v: &str) -> String {
    let mut out = String::new();
    let mut last_encoded = false;
    for w in v.split_whitespace() {
        let encoded = w.to_ascii_lowercase().starts_with("=?utf-8?b?") && w.ends_with("?=");
        let joined = encoded && last_encoded;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        if encoded {
            let bytes = base64::engine::general_purpose::STANDARD.decode(&w[10..w.len() - 2]).unwrap();
            out.push_str(&String::from_utf8(bytes).unwrap());
        } else {
            out.push_str(w);
        }
        last_encoded = encoded;
    }
    out
}

/// A received mail: its headers (unfolded) and its decoded text.
struct Mail {
    headers: HashMap<String, String>,
    text: String,
}

fn decode_quoted_printable(s: &str) -> Vec<u8> {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        if let (b'=', Some(byte)) = (b[i], hex) {
            out.push(byte);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn parse_mail(raw: &str) -> Mail {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: HashMap<String, String> = HashMap::new();
    let mut last = String::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = headers.get_mut(&last) {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            last = k.trim().to_ascii_lowercase();
            headers.insert(last.clone(), v.trim().to_owned());
        }
    }
    let encoding = headers.get("content-transfer-encoding").map(|e| e.to_ascii_lowercase()).unwrap_or_default();
    let bytes = match encoding.as_str() {
        "base64" => {
            base64::engine::general_purpose::STANDARD.decode(body.split_whitespace().collect::<String>()).unwrap()
        }
        "quoted-printable" => decode_quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    };
    Mail { headers, text: String::from_utf8(bytes).unwrap() }
}

/// The mails delivered to `to`, read from the SMTP server's Maildir.
fn mails_to(maildir: &std::path::Path, to: &str) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|raw| parse_mail(&raw))
        .filter(|m| m.headers.get("x-rcptto").is_some_and(|r| r.contains(to)))
        .collect()
}

fn unique_email(app: &App) -> String {
    format!("nguoidan.{}.{:08x}@example.vn", app.name, rand::random::<u32>())
}

#[tokio::test]
async fn notices_reach_the_applicant_by_mail_and_text_in_vietnamese() {
    let smtp = smtp_server();
    for app in spawn_apps().await {
        let (gateway, url) = start_gateway().await;
        let reception = app.login("tiepnhan").await;
        let email = unique_email(&app);
        let (code, id) = receive(&app, &reception, "0912345678", Some(&email)).await;
        let w = worker(&app, "w1", Duration::from_secs(30), &url, smtp.as_ref().map(|s| s.0.as_str())).await;
        let r = w.run_once().await.unwrap();
        assert_eq!((r.planned, r.sent, r.failed), (1, if smtp.is_some() { 2 } else { 1 }, 0), "{}", app.name);

        let seen = gateway.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1, "{}", app.name);
        let deliveries = app.store.deliveries_of(id).await.unwrap();
        let text_delivery = deliveries.iter().find(|d| d.channel == "text").unwrap();
        assert_eq!(seen[0].key, w.delivery_key(text_delivery.id));
        assert_eq!(seen[0].auth, format!("Bearer {TOKEN}"));
        assert_eq!((seen[0].body["channel"].as_str(), seen[0].body["to"].as_str()), (Some("zalo"), Some("0912345678")));
        let text = seen[0].body["text"].as_str().unwrap();
        assert!(text.contains(&format!("hồ sơ {code}")) && text.contains("đã được tiếp nhận"), "{text}");
        assert!(text.contains("Hẹn trả kết quả: ") && text.contains(&format!("{}/tra-cuu/{code}", app.base)), "{text}");
        assert_eq!(
            (text_delivery.status.as_str(), text_delivery.attempts, text_delivery.provider_ref.as_deref()),
            ("sent", 1, Some("sms-1"))
        );

        if let Some((_, maildir)) = &smtp {
            let mails = mails_to(maildir, &email);
            assert_eq!(mails.len(), 1, "{}: one mail to {email}", app.name);
            let m = &mails[0];
            let mail_delivery = deliveries.iter().find(|d| d.channel == "email").unwrap();
            assert_eq!(m.headers["message-id"], format!("<{}@hcc.example.vn>", w.delivery_key(mail_delivery.id)));
            assert_eq!(decode_header(&m.headers["subject"]), format!("Hồ sơ {code} đã được tiếp nhận"));
            assert!(m.text.starts_with("Kính gửi Trần Thị Lan, hồ sơ"), "{}", m.text);
            assert!(m.headers["content-type"].to_ascii_lowercase().contains("charset=utf-8"));
            assert_eq!((mail_delivery.status.as_str(), mail_delivery.attempts), ("sent", 1));
        }
        assert!(w.run_once().await.unwrap().idle(), "{}: nothing is sent twice", app.name);

        // Staff who may read the dossier see what was sent, with the addresses masked.
        let (s, r) = app.get_json(&format!("/api/v1/dossiers/{code}/notifications"), Some(&reception)).await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        let text_row = r["deliveries"].as_array().unwrap().iter().find(|d| d["channel"] == "text").unwrap().clone();
        assert_eq!(text_row["recipient"], "*******678");
        assert_eq!((text_row["kind"].as_str(), text_row["status"].as_str()), (Some("received"), Some("sent")));
        assert!(text_row["sent_at"].as_str().unwrap().ends_with("+07:00"));
        assert!(!r.to_string().contains(&email), "{}: an address shown in full", app.name);
        let (s, _) = app.get_json(&format!("/api/v1/dossiers/{code}/notifications"), None).await;
        assert_eq!(s, 401, "{}", app.name);

        // The leader signs an apology with a new date: the applicant is told the date.
        let leader = app.login("lanhdao").await;
        let due = app.store.get_dossier(&code).await.unwrap().unwrap().state.due_at.unwrap();
        let new_due = due + jiff::SignedDuration::from_hours(72);
        let (s, r) = app
            .action(
                &code,
                "apologize",
                &leader,
                json!({"new_due_at": new_due.to_string(), "reason": "Chờ kết quả đo đạc"}),
            )
            .await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        w.run_once().await.unwrap();
        let seen = gateway.seen.lock().unwrap().clone();
        let text = seen.last().unwrap().body["text"].as_str().unwrap().to_owned();
        let shown = hcc_notify::template::local_time(new_due);
        assert!(text.contains(&format!("Ngày hẹn trả kết quả mới: {shown}.")), "{}: {text}", app.name);
        assert!(text.contains("Lý do: Chờ kết quả đo đạc."), "{text}");
    }
}

/// Runs rounds until the dossier's deliveries are no longer pending (or 10 s pass).
async fn until_settled(w: &Worker, app: &App, id: i64) -> Vec<hcc_store::notify::DeliveryRecord> {
    until_settled_on(w, app, id, "").await
}

/// Runs rounds until the dossier's deliveries on `channel` (all if empty) are no longer pending.
async fn until_settled_on(w: &Worker, app: &App, id: i64, channel: &str) -> Vec<hcc_store::notify::DeliveryRecord> {
    for _ in 0..400 {
        w.run_once().await.unwrap();
        let ds = app.store.deliveries_of(id).await.unwrap();
        if ds.iter().filter(|d| channel.is_empty() || d.channel == channel).all(|d| d.status != "pending") {
            return ds;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{}: delivery still pending", app.name)
}

#[tokio::test]
async fn a_provider_outage_is_ridden_out_with_backoff_and_one_message() {
    for app in spawn_apps().await {
        let (gateway, url) = start_gateway().await;
        let reception = app.login("tiepnhan").await;
        let (_, id) = receive(&app, &reception, "0912345678", None).await;
        gateway.fail_next.store(3, Ordering::SeqCst);
        let w = worker(&app, "w1", Duration::from_secs(30), &url, None).await;
        let first = w.run_once().await.unwrap();
        assert_eq!((first.sent, first.retrying), (0, 1), "{}", app.name);
        let d = &app.store.deliveries_of(id).await.unwrap()[0];
        assert_eq!(d.status, "pending");
        assert!(d.last_error.contains("503"), "{}", d.last_error);
        // Right after a failure the delivery waits for its backoff: no hammering.
        assert!(w.run_once().await.unwrap().idle(), "{}: retried before the backoff", app.name);

        let ds = until_settled(&w, &app, id).await;
        assert_eq!((ds[0].status.as_str(), ds[0].attempts, ds[0].last_error.as_str()), ("sent", 4, ""), "{}", app.name);
        let seen = gateway.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 4);
        assert!(seen.iter().all(|s| s.key == seen[0].key), "every attempt carries the same key");
        assert_eq!(gateway.delivered.lock().unwrap().len(), 1, "{}: one message reached the phone", app.name);

        // A number the gateway refuses is given up at once, not retried.
        gateway.refused.lock().unwrap().push("0987000111".into());
        let (_, refused) = receive(&app, &reception, "0987000111", None).await;
        let ds = until_settled(&w, &app, refused).await;
        assert_eq!((ds[0].status.as_str(), ds[0].attempts), ("failed", 1), "{}", app.name);
        assert!(ds[0].last_error.contains("HTTP 400"), "{}", ds[0].last_error);

        // A mail relay that is down is retried too, not given up.
        let mail_only = Worker::new(
            app.store.clone(),
            Some(SmtpSender::new("smtp://127.0.0.1:1", SENDER, Duration::from_secs(2)).unwrap()),
            None,
            config(&app, "mailer", Duration::from_secs(30)),
        )
        .await
        .unwrap();
        let (_, mailed) = receive(&app, &reception, "0912345671", Some(&unique_email(&app))).await;
        let r = mail_only.run_once().await.unwrap();
        assert_eq!((r.sent, r.retrying), (0, 1), "{}", app.name);
        let ds = app.store.deliveries_of(mailed).await.unwrap();
        let mail = ds.iter().find(|d| d.channel == "email").unwrap();
        assert_eq!((mail.status.as_str(), mail.attempts), ("pending", 1), "{}", app.name);
        assert!(!mail.last_error.is_empty());
        // A process without a mail relay sends the text and leaves the mail to one that has it.
        until_settled_on(&w, &app, mailed, "text").await;
        let ds = app.store.deliveries_of(mailed).await.unwrap();
        let mail = ds.iter().find(|d| d.channel == "email").unwrap();
        assert_eq!(
            (mail.status.as_str(), mail.attempts),
            ("pending", 1),
            "{}: taken by a worker without mail",
            app.name
        );

        // An outage longer than the retries allow ends as failed after the last attempt.
        gateway.fail_next.store(100, Ordering::SeqCst);
        let (_, down) = receive(&app, &reception, "0912345679", None).await;
        let ds = until_settled(&w, &app, down).await;
        assert_eq!((ds[0].status.as_str(), ds[0].attempts), ("failed", 6), "{}", app.name);
    }
}

#[tokio::test]
async fn a_worker_killed_mid_send_is_followed_by_no_second_message() {
    for app in spawn_apps().await {
        let (gateway, url) = start_gateway().await;
        let reception = app.login("tiepnhan").await;
        let (_, id) = receive(&app, &reception, "0912345678", None).await;
        let lease = Duration::from_secs(3);

        // Worker A sends; the gateway delivers but A dies before it hears back.
        gateway.stall_next.store(true, Ordering::SeqCst);
        let a = worker(&app, "worker-a", lease, &url, None).await;
        let got = gateway.got.notified();
        let task = tokio::spawn(async move { a.run_once().await });
        tokio::time::timeout(Duration::from_secs(10), got).await.expect("the gateway got the message");
        task.abort();
        let _ = task.await;
        let d = &app.store.deliveries_of(id).await.unwrap()[0];
        assert_eq!((d.status.as_str(), d.attempts), ("pending", 1), "{}", app.name);

        // A restarted worker leaves it alone while A's lease runs, then sends it again with the
        // same key: the gateway recognises it, and the phone gets one message.
        let b = worker(&app, "worker-b", lease, &url, None).await;
        assert_eq!(b.run_once().await.unwrap().sent, 0, "{}: taken under a live lease", app.name);
        tokio::time::sleep(lease + Duration::from_millis(200)).await;
        assert_eq!(b.run_once().await.unwrap().sent, 1, "{}", app.name);
        let d = &app.store.deliveries_of(id).await.unwrap()[0];
        assert_eq!((d.status.as_str(), d.attempts, d.provider_ref.as_deref()), ("sent", 2, Some("sms-1")));
        let seen = gateway.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].key, seen[1].key);
        assert_eq!(gateway.delivered.lock().unwrap().len(), 1, "{}: sent once", app.name);

        // Killed between claiming and sending: the message goes once the lease runs out.
        let (_, other) = receive(&app, &reception, "0912345670", None).await;
        app.store.plan_outbox(&["email", "text"], 10, jiff::Timestamp::now()).await.unwrap();
        let ghost = app.store.claim_deliveries("worker-c", &["email", "text"], 10, lease).await.unwrap();
        assert_eq!(ghost.len(), 1);
        assert_eq!(b.run_once().await.unwrap().sent, 0);
        tokio::time::sleep(lease + Duration::from_millis(200)).await;
        assert_eq!(b.run_once().await.unwrap().sent, 1);
        let d = &app.store.deliveries_of(other).await.unwrap()[0];
        assert_eq!((d.status.as_str(), d.attempts), ("sent", 2), "{}", app.name);
        assert_eq!(gateway.delivered.lock().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn two_workers_at_once_deliver_each_notice_once() {
    for app in spawn_apps().await {
        let (gateway, url) = start_gateway().await;
        let reception = app.login("tiepnhan").await;
        let mut ids = Vec::new();
        for i in 0..6 {
            ids.push(receive(&app, &reception, &format!("091234560{i}"), None).await.1);
        }
        let (a, b) = (
            worker(&app, "worker-a", Duration::from_secs(30), &url, None).await,
            worker(&app, "worker-b", Duration::from_secs(30), &url, None).await,
        );
        let drain = |w: Worker| async move {
            let mut sent = 0;
            for _ in 0..20 {
                let r = w.run_once().await.unwrap();
                sent += r.sent;
                if r.idle() {
                    break;
                }
            }
            sent
        };
        let (sa, sb) = tokio::join!(drain(a), drain(b));
        assert_eq!(sa + sb, 6, "{}", app.name);
        let seen = gateway.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 6, "{}: no message was sent twice", app.name);
        for id in ids {
            let d = &app.store.deliveries_of(id).await.unwrap()[0];
            assert_eq!((d.status.as_str(), d.attempts), ("sent", 1));
        }
    }
}

/// `hcc serve` as a child process with the gateway configured; answers its base URL.
async fn serve(data: &std::path::Path, gateway: &str, smtp: Option<&str>) -> (tokio::process::Child, String) {
    support::serve_process(data, |command| {
        if let Some(url) = smtp {
            command.env("HCC_SMTP_URL", url).env("HCC_SMTP_FROM", SENDER);
        }
        command
            .env("HCC_SMS_URL", gateway)
            .env("HCC_SMS_TOKEN", TOKEN)
            .env("HCC_NOTIFY_LEASE_SECONDS", "4")
            .env("HCC_NOTIFY_POLL_SECONDS", "1");
    })
    .await
}

#[tokio::test]
async fn a_serving_process_killed_mid_send_is_restarted_and_the_phone_gets_one_message() {
    let (gateway, url) = start_gateway().await;
    let dir = tempfile::tempdir().unwrap();
    support::empty_demo_city(dir.path(), "bo-nong-nghiep-mt").await;

    let smtp = smtp_server();
    let email = format!("nguoidan.serve.{:08x}@example.vn", rand::random::<u32>());
    let (mut first, base) = serve(dir.path(), &url, smtp.as_ref().map(|s| s.0.as_str())).await;
    let client = reqwest::Client::new();
    let token = &support::token_at(&client, &base, "tiepnhan").await;
    let docs = support::mandatory_papers_at(&client, &base, LAND_PROVINCE).await;
    gateway.stall_next.store(true, Ordering::SeqCst);
    let got = gateway.got.notified();
    let r = client
        .post(format!("{base}/api/v1/dossiers"))
        .bearer_auth(token)
        .json(&json!({
            "procedure_code": LAND_PROVINCE, "channel": "counter",
            "applicant": {"name": "Bùi Thị Hằng", "id_number": "001199012345", "phone": "0912345678",
                          "email": email, "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
            "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs,
            "return_method": "counter"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned();

    // The serving process hands the message to the gateway and is killed before it hears back.
    tokio::time::timeout(Duration::from_secs(30), got).await.expect("the serving process sent the notice");
    first.kill().await.unwrap();
    let store =
        hcc_store::Store::open(&format!("sqlite://{}", dir.path().join("hcc.sqlite").display()), false).await.unwrap();
    let id = store.get_dossier(&code).await.unwrap().unwrap().id;
    let text = |ds: Vec<hcc_store::notify::DeliveryRecord>| ds.into_iter().find(|d| d.channel == "text").unwrap();
    let d = text(store.deliveries_of(id).await.unwrap());
    assert_eq!((d.status.as_str(), d.attempts), ("pending", 1), "killed before recording");

    // Restarted, it takes the message over once the dead process's lease has run out.
    let (mut second, _) = serve(dir.path(), &url, smtp.as_ref().map(|s| s.0.as_str())).await;
    let mut sent = None;
    for _ in 0..400 {
        let Some(d) = store.deliveries_of(id).await.unwrap().into_iter().find(|d| d.channel == "text") else { break };
        if d.status != "pending" {
            sent = Some(d);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().await.unwrap();
    let d = sent.expect("the restarted process delivered the notice");
    assert_eq!((d.status.as_str(), d.attempts, d.provider_ref.as_deref()), ("sent", 2, Some("sms-1")));
    let seen = gateway.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "sent again after the restart");
    assert_eq!(seen[0].key, seen[1].key, "with the same idempotency key");
    assert_eq!(gateway.delivered.lock().unwrap().len(), 1, "so the phone got one message");
    assert!(seen[0].body["text"].as_str().unwrap().contains(&code));
    // The serving process was configured for mail from the environment too: one mail arrived.
    if let Some((_, maildir)) = &smtp {
        let mails = mails_to(maildir, &email);
        assert_eq!(mails.len(), 1, "one mail to {email}");
        assert_eq!(decode_header(&mails[0].headers["subject"]), format!("Hồ sơ {code} đã được tiếp nhận"));
        let mail = store.deliveries_of(id).await.unwrap().into_iter().find(|d| d.channel == "email").unwrap();
        assert_eq!((mail.status.as_str(), mail.attempts), ("sent", 1));
    }
}
