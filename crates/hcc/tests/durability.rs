//! An acknowledged submission survives a crash: `hcc serve` is killed (SIGKILL) while receipts
//! are in flight on the embedded database, and every dossier whose receipt was answered `201`
//! is there after, with its whole control sheet, and `hcc verify` finds the record intact.
//!
//! (A killed process keeps what the kernel holds; what a power cut takes is the flush's to
//! prevent, which a test cannot cut. The group committer answers only after flushing the log —
//! `sqlite_writer` — and this test holds it to answering only what was committed.)

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const LAND_PROVINCE: &str = "1.012756";

#[tokio::test]
async fn every_acknowledged_receipt_survives_the_server_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    support::empty_demo_city(dir.path(), "bo-nong-nghiep-mt").await;

    let (mut server, base) = support::serve_process(dir.path(), |_| {}).await;
    let client = reqwest::Client::new();
    let token = support::token_at(&client, &base, "tiepnhan").await;
    let docs = support::mandatory_papers_at(&client, &base, LAND_PROVINCE).await;
    let body = Arc::new(json!({
        "procedure_code": LAND_PROVINCE, "channel": "counter",
        "applicant": {"name": "Đỗ Thị Bền", "id_number": "001199012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs,
        "return_method": "counter"
    }));

    // Sixteen counters submit without pause; the server is killed while they do.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut counters = Vec::new();
    for _ in 0..16 {
        let (client, base, token, body, acknowledged) =
            (client.clone(), base.clone(), token.clone(), body.clone(), acknowledged.clone());
        counters.push(tokio::spawn(async move {
            loop {
                let sent = client.post(format!("{base}/api/v1/dossiers")).bearer_auth(&token).json(&*body).send().await;
                let Ok(response) = sent else { return };
                if response.status().as_u16() != 201 {
                    return;
                }
                let Ok(dossier) = response.json::<Value>().await else { return };
                acknowledged.lock().unwrap().push(dossier["code"].as_str().unwrap().to_owned());
            }
        }));
    }
    tokio::time::timeout(Duration::from_secs(60), async {
        while acknowledged.lock().unwrap().len() < 300 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("receipts are answered");
    server.kill().await.unwrap();
    for counter in counters {
        counter.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let store =
        hcc_store::Store::open(&format!("sqlite://{}", dir.path().join("hcc.sqlite").display()), false).await.unwrap();
    for code in &acknowledged {
        let kept = store.get_dossier(code).await.unwrap();
        let kept = kept.unwrap_or_else(|| panic!("acknowledged dossier {code} lost in the crash"));
        assert_eq!(kept.state.status.as_str(), "received", "{code}");
        let sheet = store.events(kept.id).await.unwrap();
        assert!(!sheet.is_empty(), "{code}: its control sheet lost in the crash");
        assert_eq!(sheet.len() as i64, kept.event_count, "{code}");
    }
    assert!(store.count_dossiers().await.unwrap() >= acknowledged.len() as i64);
    drop(store);
    let verified = std::process::Command::new(env!("CARGO_BIN_EXE_hcc"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "verify"])
        .env_remove("HCC_DATABASE_URL")
        .output()
        .unwrap();
    assert!(verified.status.success(), "hcc verify after the crash: {}", String::from_utf8_lossy(&verified.stdout));
}
