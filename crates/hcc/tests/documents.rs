//! Digitization end to end over HTTP, on SQLite and PostgreSQL: uploads (multipart, raw, scanner
//! pages), bad files, downloads with ETag and ranges, reuse from the applicant's store, the
//! supervisor's exception, an administrator's deletion, tampering caught by `hcc verify`, and a
//! storage outage that leaves the dossier as it was.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756";

async fn receive(app: &App, token: &str, id_number: &str) -> String {
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let body = json!({
        "procedure_code": LAND_PROVINCE,
        "channel": "counter",
        "applicant": { "name": "Trần Thị Bình", "id_number": id_number, "phone": "0912345678",
                       "address": "Số 5 Hàng Bài, Hà Nội" },
        "subject_commune": "00004",
        "documents": docs,
        "return_method": "counter"
    });
    let (s, r) = app.post_json("/api/v1/dossiers", Some(token), &body).await;
    assert_eq!(s, 201, "{r}");
    r["code"].as_str().unwrap().to_owned()
}

fn pdf(text: &str) -> Vec<u8> {
    hcc::demo::scans::pdf(&[text.to_owned()])
}

/// A tiny grey PNG, encoded here so the test depends on no file.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![128u8; (width * height) as usize]).unwrap();
    }
    out
}

async fn version(app: &App, code: &str, token: &str) -> (i64, usize) {
    let (_, d) = app.get_json(&format!("/api/v1/dossiers/{code}"), Some(token)).await;
    let (_, docs) = app.get_json(&format!("/api/v1/dossiers/{code}/documents"), Some(token)).await;
    (d["version"].as_i64().unwrap(), docs.as_array().unwrap().len())
}

/// An upload that must be refused: form fields, file parts, the status and the error code.
type BadUpload<'a> = (Vec<(&'a str, &'a str)>, Vec<(&'a str, &'a str, Vec<u8>)>, u16, &'a str);

#[tokio::test]
async fn papers_are_uploaded_checked_downloaded_and_reused() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader = app.login("lanhdao").await;
        let outsider = app.login("chuyenvien.xd").await;
        let code = receive(&app, &reception, "001099012345").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        let item = docs[0].to_string();

        // Bad files: each refused with its code, and the dossier is unchanged.
        let before = version(&app, &code, &reception).await;
        let cases: Vec<BadUpload> = vec![
            (vec![("item_no", &item)], vec![("file", "rong.pdf", Vec::new())], 422, "file_empty"),
            (vec![("item_no", &item)], vec![("file", "anh.pdf", png(4, 4))], 422, "file_name_mismatch"),
            (
                vec![("item_no", &item)],
                vec![("file", "virus.exe", b"MZ\x90\x00 not a paper".to_vec())],
                415,
                "file_type_not_allowed",
            ),
            (vec![("item_no", "99")], vec![("file", "a.pdf", pdf("x"))], 422, "invalid_action"),
            (vec![("item_no", "abc")], vec![("file", "a.pdf", pdf("x"))], 422, "invalid_field"),
            (vec![("kind", "bogus")], vec![("file", "a.pdf", pdf("x"))], 422, "invalid_field"),
            (vec![("item_no", &item)], vec![], 422, "file_missing"),
        ];
        for (fields, parts, status, err) in cases {
            let (s, r) = app.upload(&code, &reception, &fields, parts).await;
            assert_eq!((s, r["error"]["code"].as_str()), (status, Some(err)), "{}: {r}", app.name);
            assert!(!r["error"]["message"].as_str().unwrap().is_ascii(), "Vietnamese: {r}");
        }
        // An administrator's per-procedure limit applies to uploads (stopped mid-stream).
        let admin = app.login("quantri").await;
        let rules_path = format!("/api/v1/procedures/{LAND_PROVINCE}/file-rules");
        let rules = json!({"max_bytes": 4096, "media_types": ["application/pdf"]});
        let (s, r) = app.put_json(&rules_path, Some(&admin), &rules).await;
        assert_eq!(s, 200, "{r}");
        let mut big = pdf("lớn");
        big.resize(100_000, b' ');
        let (s, r) = app.upload(&code, &reception, &[("item_no", &item)], vec![("file", "lon.pdf", big)]).await;
        assert_eq!((s, r["error"]["code"].as_str()), (413, Some("file_too_large")), "{r}");
        let (s, r) = app.upload(&code, &reception, &[("item_no", &item)], vec![("file", "anh.png", png(4, 4))]).await;
        assert_eq!((s, r["error"]["code"].as_str()), (415, Some("file_type_not_allowed")), "only PDF here: {r}");
        assert_eq!(app.put_json(&rules_path, Some(&reception), &rules).await.0, 403, "only administrators set rules");
        let rules = json!({"max_bytes": 200 * 1024 * 1024, "media_types": []});
        assert_eq!(app.put_json(&rules_path, Some(&admin), &rules).await.0, 200);
        // A multipart body cut off in the middle of the file is refused and leaves nothing.
        let cut = format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"item_no\"\r\n\r\n{item}\r\n--XYZ\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.4 half a file"
        );
        let documents = format!("/api/v1/dossiers/{code}/documents");
        let (s, r) =
            app.post_raw(&documents, Some(&reception), "multipart/form-data; boundary=XYZ", cut.into_bytes()).await;
        assert!(matches!(s, 400 | 422), "{s}: {r}");
        // Someone of another agency cannot even see the dossier.
        let (s, _) = app.upload(&code, &outsider, &[("item_no", &item)], vec![("file", "a.pdf", pdf("x"))]).await;
        assert_eq!(s, 404);
        assert_eq!(version(&app, &code, &reception).await, before, "{}: refused uploads change nothing", app.name);

        // A path trick in the name is cut to the name; the same content twice is stored once.
        let paper = pdf("Đơn đăng ký đất đai, tài sản gắn liền với đất");
        let (s, first) = app
            .upload(
                &code,
                &reception,
                &[("item_no", &item)],
                vec![("file", "../../etc/Đơn đăng ký.pdf", paper.clone())],
            )
            .await;
        assert_eq!(s, 201, "{first}");
        assert_eq!(first["file_name"], "Đơn đăng ký.pdf");
        assert_eq!(first["media_type"], "application/pdf");
        assert_eq!(first["pages"], 1);
        assert_eq!(first["item_no"].as_u64(), Some(docs[0]));
        let sha = first["sha256"].as_str().unwrap().to_owned();
        let raw =
            format!("/api/v1/dossiers/{code}/documents?item_no={item}&file_name=ban-sao.pdf&copy_kind=certified_copy");
        let (s, second) = app.post_raw(&raw, Some(&reception), "application/pdf", paper.clone()).await;
        assert_eq!(s, 201, "{second}");
        assert_eq!(second["sha256"], sha.as_str());
        assert_eq!(second["copy_kind"], "certified_copy");
        let on_disk = app.dir.as_ref().unwrap().path().join("files/sha256").join(&sha[..2]).join(&sha);
        assert!(on_disk.exists(), "content-addressed: {}", on_disk.display());

        // Scanner pages become one PDF document.
        let (s, scan) = app
            .upload(
                &code,
                &reception,
                &[("item_no", &docs[1].to_string())],
                vec![("page", "p1.png", png(40, 60)), ("page", "p2.png", png(60, 40))],
            )
            .await;
        assert_eq!(s, 201, "{scan}");
        assert_eq!((scan["media_type"].as_str(), scan["pages"].as_u64()), (Some("application/pdf"), Some(2)));
        for no in &docs[2..] {
            let (s, r) = app
                .upload(
                    &code,
                    &reception,
                    &[("item_no", &no.to_string())],
                    vec![("file", "g.pdf", pdf(&no.to_string()))],
                )
                .await;
            assert_eq!(s, 201, "{r}");
        }

        // Downloads: verified bytes, ETag, ranges; reads are logged; outsiders get nothing.
        let url = first["content_url"].as_str().unwrap().to_owned();
        let resp = app.req(reqwest::Method::GET, &url, Some(&leader)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(etag, format!("\"{sha}\""));
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''%C4%90%C6%A1n"));
        assert_eq!(resp.bytes().await.unwrap().to_vec(), paper);
        let resp =
            app.req(reqwest::Method::GET, &url, Some(&leader)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(resp.status(), 304);
        let resp =
            app.req(reqwest::Method::GET, &url, Some(&leader)).header("range", "bytes=0-7").send().await.unwrap();
        assert_eq!(resp.status(), 206);
        assert_eq!(resp.headers()["content-range"].to_str().unwrap(), format!("bytes 0-7/{}", paper.len()));
        assert_eq!(resp.bytes().await.unwrap().as_ref(), b"%PDF-1.4");
        let resp =
            app.req(reqwest::Method::GET, &url, Some(&leader)).header("range", "bytes=999999-").send().await.unwrap();
        assert_eq!(resp.status(), 416);
        let resp = app.req(reqwest::Method::GET, &url, Some(&outsider)).send().await.unwrap();
        assert_eq!(resp.status(), 404);
        assert_eq!(app.req(reqwest::Method::GET, &url, None).send().await.unwrap().status(), 401);
        let (_, track) = app.get_json(&format!("/api/v1/track/{code}"), None).await;
        assert!(!track.to_string().contains(&sha), "public tracking never shows documents");

        // The applicant downloads their own paper with the receipt's secret; nothing else does.
        let (_, dossier) = app.get_json(&format!("/api/v1/dossiers/{code}"), Some(&reception)).await;
        let stored = app.store.get_dossier(&code).await.unwrap().unwrap();
        let (s, mine) = app
            .client
            .get(format!("{}/api/v1/track/{code}", app.base))
            .header("x-tracking-secret", &stored.secret)
            .send()
            .await
            .map(|r| (r.status().as_u16(), r))
            .unwrap();
        assert_eq!(s, 200, "{dossier}");
        let mine: Value = mine.json().await.unwrap();
        let file =
            mine["private"]["files"].as_array().unwrap().iter().find(|f| f["id"] == first["id"]).unwrap().clone();
        let url = format!("{}{}", app.base, file["download_url"].as_str().unwrap());
        let got = app.client.get(&url).header("x-tracking-secret", &stored.secret).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().to_vec(), paper);
        for wrong in ["", "AAAAAAAAAA"] {
            let r = app.client.get(&url).header("x-tracking-secret", wrong).send().await.unwrap();
            assert_eq!(r.status(), 404, "a wrong secret reads nothing");
        }
        // The next dossier of the same applicant reuses the paper instead of a new scan.
        let next = receive(&app, &reception, "001099012345").await;
        let (s, vault) = app.get_json(&format!("/api/v1/dossiers/{next}/vault"), Some(&reception)).await;
        assert_eq!(s, 200, "{vault}");
        let offered: Vec<&str> = vault.as_array().unwrap().iter().map(|d| d["sha256"].as_str().unwrap()).collect();
        assert!(offered.contains(&sha.as_str()), "{vault}");
        let source_id = first["id"].as_i64().unwrap();
        let body = json!({"document_id": source_id, "item_no": docs[0]});
        let (s, reused) =
            app.post_json(&format!("/api/v1/dossiers/{next}/documents/reuse"), Some(&reception), &body).await;
        assert_eq!(s, 201, "{reused}");
        assert_eq!(reused["reused_from"], source_id);
        assert_eq!(reused["sha256"], sha.as_str());
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{next}/events"), Some(&reception)).await;
        let last = sheet["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["details"]["reused_from"], format!("{code}#{source_id}"), "provenance on the control sheet");
        // Another applicant's paper cannot be reused.
        let stranger = receive(&app, &reception, "079199000123").await;
        let (s, r) =
            app.post_json(&format!("/api/v1/dossiers/{stranger}/documents/reuse"), Some(&reception), &body).await;
        assert_eq!((s, r["error"]["code"].as_str()), (422, Some("document_not_reusable")), "{r}");

        // Now it can be handled.
        let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        assert!(app.store.verify().await.unwrap().problems.is_empty());

        // Handed over with the reused paper: counted for the service index (Decision 766, reuse
        // of digitized data) as a rebuild from the control sheets counts it.
        app.scan_all(&next, &reception, &docs).await;
        let (s, r) = app.action(&next, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        let today = jiff::Timestamp::now().in_tz("Asia/Ho_Chi_Minh").unwrap().date();
        let q = hcc_store::StatsQuery { from: today, to: today, agency: None, fields: vec![] };
        let sums = app.store.stats_by(&q, hcc_store::StatDim::Total).await.unwrap();
        let n = |m: &str| sums.iter().filter(|r| r.measure == m).map(|r| r.n).sum::<i64>();
        assert_eq!((n("reused_at_receipt"), n("handed_over")), (1, 2), "{}: {sums:?}", app.name);
        let check = app.store.rebuild_stats(false).await.unwrap();
        assert_eq!(check.differing, 0, "{}: {:?}", app.name, check.differences);
    }
}

#[tokio::test]
async fn papers_scanned_at_the_same_time_are_all_recorded_unless_a_version_is_pinned() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let code = receive(&app, &reception, "001099012345").await;
        let items = app.mandatory_documents(LAND_PROVINCE).await;
        let (v0, _) = version(&app, &code, &reception).await;

        // A multi-file upload: every paper at once, each changing the same dossier.
        let uploads = items.iter().map(|no| {
            let (app, reception, code, item) = (&app, &reception, &code, no.to_string());
            async move {
                let fields = [("item_no", item.as_str()), ("copy_kind", "original")];
                app.upload(code, reception, &fields, vec![("file", "giay-to.pdf", pdf(&format!("giấy tờ {item}")))])
                    .await
            }
        });
        for (s, r) in futures::future::join_all(uploads).await {
            assert_eq!(s, 201, "{}: {r}", app.name);
        }
        let (v1, n) = version(&app, &code, &reception).await;
        assert_eq!(n, items.len(), "{}: one document per paper", app.name);
        assert_eq!(v1, v0 + items.len() as i64, "{}: one version per recorded paper", app.name);
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&reception)).await;
        let digitized = sheet["events"].as_array().unwrap().iter().filter(|e| e["action"] == "digitize").count();
        assert_eq!(digitized, items.len(), "{}: one control-sheet row per paper", app.name);

        // A client that pins the version it read still gets the conflict, and nothing is written.
        let stale = v0.to_string();
        let fields = [("item_no", "1"), ("copy_kind", "copy"), ("expected_version", stale.as_str())];
        let (s, r) = app.upload(&code, &reception, &fields, vec![("file", "lai.pdf", pdf("bản sao"))]).await;
        assert_eq!((s, r["error"]["code"].as_str()), (409, Some("conflict")), "{}: {r}", app.name);
        assert_eq!(version(&app, &code, &reception).await, (v1, n), "{}", app.name);
    }
}

#[tokio::test]
async fn a_supervisor_excepts_and_an_administrator_deletes_on_record() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader = app.login("lanhdao").await;
        let supervisor = app.login("giamsat").await;
        let admin = app.login("quantri").await;
        let code = receive(&app, &reception, "001099012345").await;

        let (s, r) = app.action(&code, "waive_digitization", &leader, json!({"reason": "x"})).await;
        assert_eq!(s, 403, "{r}");
        let (s, r) = app.action(&code, "waive_digitization", &supervisor, json!({"reason": ""})).await;
        assert_eq!((s, r["error"]["code"].as_str()), (422, Some("invalid_action")), "{r}");
        let reason = "Bản đồ địa chính khổ A0, máy quét của điểm tiếp nhận không quét được";
        let (s, r) = app.action(&code, "waive_digitization", &supervisor, json!({"reason": reason})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!(s, 200, "{r}");
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
        let waived =
            sheet["events"].as_array().unwrap().iter().find(|e| e["action"] == "waive_digitization").unwrap().clone();
        assert_eq!((waived["actor"].as_str(), waived["note"].as_str()), (Some("giamsat"), Some(reason)));

        // Deletion: administrators only, with a reason; the mark and the event are kept.
        let (s, doc) =
            app.upload(&code, &reception, &[], vec![("file", "nham.pdf", pdf("giấy tờ của người khác"))]).await;
        assert_eq!(s, 201, "{doc}");
        let id = doc["id"].as_i64().unwrap();
        let path = format!("/api/v1/documents/{id}");
        let (s, _) = app.delete_json(&path, &leader, &json!({"reason": "Quét nhầm"})).await;
        assert_eq!(s, 403, "a leader cannot delete");
        let (s, r) = app.delete_json(&path, &admin, &json!({"reason": "  "})).await;
        assert_eq!((s, r["error"]["code"].as_str()), (422, Some("invalid_action")), "{r}");
        let (s, r) = app.delete_json(&path, &admin, &json!({"reason": "Quét nhầm giấy tờ của hồ sơ khác"})).await;
        assert_eq!(s, 200, "{r}");
        assert!(r["deleted_at"].is_string());
        let (s, _) = app.get_text(&format!("{path}/content"), Some(&leader)).await;
        assert_eq!(s, 404);
        let sha = doc["sha256"].as_str().unwrap();
        let on_disk = app.dir.as_ref().unwrap().path().join("files/sha256").join(&sha[..2]).join(sha);
        assert!(!on_disk.exists(), "the file no document uses is removed");
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
        let last = sheet["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["actor"].as_str()), (Some("delete_document"), Some("quantri")));
        assert!(app.store.verify().await.unwrap().problems.is_empty());
    }
}

#[tokio::test]
async fn verify_reports_every_missing_or_altered_file() {
    let app = support::sqlite_app().await;
    let reception = app.login("tiepnhan").await;
    let code = receive(&app, &reception, "001099012345").await;
    let mut shas = Vec::new();
    for text in ["một", "hai", "ba"] {
        let (s, r) = app.upload(&code, &reception, &[], vec![("file", "g.pdf", pdf(text))]).await;
        assert_eq!(s, 201, "{r}");
        shas.push(r["sha256"].as_str().unwrap().to_owned());
    }
    let path = |sha: &str| app.dir.as_ref().unwrap().path().join("files/sha256").join(&sha[..2]).join(sha);
    let mut problems = Vec::new();
    let checked = hcc::verify_files::run(&app.store, &app.files, &mut problems).await.unwrap();
    assert_eq!((checked, problems.len()), (3, 0), "{problems:?}");

    std::fs::remove_file(path(&shas[0])).unwrap();
    let mut bytes = std::fs::read(path(&shas[1])).unwrap();
    bytes[20] ^= 0x55;
    std::fs::write(path(&shas[1]), &bytes).unwrap();
    let mut longer = std::fs::read(path(&shas[2])).unwrap();
    longer.extend_from_slice(b"\n% appended\n");
    std::fs::write(path(&shas[2]), &longer).unwrap();

    let mut problems = Vec::new();
    hcc::verify_files::run(&app.store, &app.files, &mut problems).await.unwrap();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains(&shas[0]) && p.contains("bị mất")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains(&shas[1]) && p.contains("bị thay đổi")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains(&shas[2]) && p.contains("bị thay đổi")), "{problems:?}");

    // A download of the altered file never completes as if it were whole.
    let (_, docs) = app.get_json(&format!("/api/v1/dossiers/{code}/documents"), Some(&reception)).await;
    let altered = docs.as_array().unwrap().iter().find(|d| d["sha256"] == shas[1].as_str()).unwrap().clone();
    // A range of it is refused too: the whole file is checked before any range is served.
    let ranged = app
        .req(reqwest::Method::GET, altered["content_url"].as_str().unwrap(), Some(&reception))
        .header("range", "bytes=0-7")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), 500);
    let v: Value = ranged.json().await.unwrap();
    assert_eq!(v["error"]["code"], "file_altered");
    let sent = app.req(reqwest::Method::GET, altered["content_url"].as_str().unwrap(), Some(&reception)).send().await;
    // The connection is cut before the last bytes: the client sees an error, never the whole file.
    let whole = match sent {
        Ok(resp) => resp.bytes().await.ok().map(|b| b.to_vec()),
        Err(_) => None,
    };
    assert!(whole.is_none_or(|b| b != bytes), "an altered file is not served as valid");
}

#[tokio::test]
async fn a_storage_outage_is_a_retryable_error_and_changes_nothing() {
    // An S3 endpoint where nothing listens: the upload fails, the dossier stays as it was.
    let env = [
        ("AWS_ENDPOINT_URL".to_owned(), "http://127.0.0.1:9".to_owned()),
        ("AWS_ALLOW_HTTP".to_owned(), "true".to_owned()),
        ("AWS_ACCESS_KEY_ID".to_owned(), "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "test".to_owned()),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let files = hcc_files::FileStore::open_with_env("s3://hcc-down/docs", dir.path(), env).unwrap();
    let app = support::sqlite_app_with_files(files).await;
    let reception = app.login("tiepnhan").await;
    let code = receive(&app, &reception, "001099012345").await;
    let before = version(&app, &code, &reception).await;
    let (s, r) = app.upload(&code, &reception, &[], vec![("file", "g.pdf", pdf("x"))]).await;
    assert_eq!((s, r["error"]["code"].as_str()), (503, Some("storage_unavailable")), "{r}");
    assert_eq!(version(&app, &code, &reception).await, before);
    let (s, ready): (u16, Value) = app.get_json("/readyz", None).await;
    assert_eq!(s, 503, "readiness reports the storage: {ready}");
}

#[tokio::test]
async fn a_large_scan_resumes_after_a_break_and_becomes_one_document() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let other = app.login("buudien").await;
        let code = receive(&app, &reception, "001099012345").await;
        let item = app.mandatory_documents(LAND_PROVINCE).await[0];
        // A 3 MB scan sent in 1 MB pieces.
        let mut file = pdf("Bản đồ địa chính");
        file.truncate(file.len() - 6);
        file.resize(3 * 1024 * 1024 - 6, b' ');
        file.extend_from_slice(b"%%EOF\n");
        let body = json!({"file_name": "ban-do.pdf", "size": file.len(), "item_no": item, "copy_kind": "original"});
        let (s, up) = app.post_json(&format!("/api/v1/dossiers/{code}/uploads"), Some(&reception), &body).await;
        assert_eq!(s, 201, "{}: {up}", app.name);
        let id = up["upload_id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/uploads/{id}");
        let piece = |from: usize, to: usize, token: &str| {
            app.req(reqwest::Method::PATCH, &path, Some(token))
                .header("upload-offset", from.to_string())
                .header("content-type", "application/offset+octet-stream")
                .body(file[from..to].to_vec())
                .send()
        };
        const MB: usize = 1024 * 1024;
        let r = piece(0, MB, &reception).await.unwrap();
        assert_eq!(r.status(), 200);
        // A piece at the wrong offset (a retry after a lost answer) is refused with where to go on.
        let r = piece(0, MB, &reception).await.unwrap();
        assert_eq!(r.status(), 409);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["details"]["offset"], MB);
        // Someone else cannot see or feed the upload.
        assert_eq!(app.get_json(&path, Some(&other)).await.0, 404);
        assert_eq!(piece(MB, 2 * MB, &other).await.unwrap().status(), 404);
        // After a break the client asks where it got to and resumes.
        let (_, at) = app.get_json(&path, Some(&reception)).await;
        assert_eq!(at["offset"], MB);
        assert_eq!(piece(MB, 2 * MB, &reception).await.unwrap().status(), 200);
        let (_, docs) = app.get_json(&format!("/api/v1/dossiers/{code}/documents"), Some(&reception)).await;
        assert!(docs.as_array().unwrap().is_empty(), "nothing recorded before the last piece");
        let r = piece(2 * MB, file.len(), &reception).await.unwrap();
        assert_eq!(r.status(), 201);
        let doc: Value = r.json().await.unwrap();
        assert_eq!((doc["size"].as_u64(), doc["item_no"].as_u64()), (Some(file.len() as u64), Some(item)));
        // The repeated last piece answers the same document; the download is the whole file.
        let again: Value = piece(2 * MB, file.len(), &reception).await.unwrap().json().await.unwrap();
        assert_eq!(again["id"], doc["id"]);
        let resp = app.req(reqwest::Method::GET, doc["content_url"].as_str().unwrap(), Some(&reception)).send().await;
        assert_eq!(resp.unwrap().bytes().await.unwrap().to_vec(), file);
        // Announcing more than the procedure allows is refused at once.
        let huge = json!({"file_name": "x.pdf", "size": 10u64 << 30});
        let (s, r) = app.post_json(&format!("/api/v1/dossiers/{code}/uploads"), Some(&reception), &huge).await;
        assert_eq!((s, r["error"]["code"].as_str()), (413, Some("file_too_large")), "{r}");
    }
}

#[tokio::test]
async fn a_finished_dossier_keeps_its_documents_for_the_archive_period() {
    let app = support::sqlite_app().await;
    let reception = app.login("tiepnhan").await;
    let leader = app.login("lanhdao").await;
    let specialist = app.login("chuyenvien").await;
    let admin = app.login("quantri").await;
    let code = receive(&app, &reception, "001099012345").await;
    for no in app.mandatory_documents(LAND_PROVINCE).await {
        let (s, r) = app
            .upload(&code, &reception, &[("item_no", &no.to_string())], vec![("file", "g.pdf", pdf(&no.to_string()))])
            .await;
        assert_eq!(s, 201, "{r}");
    }
    for (action, token, body) in [
        ("assign", &leader, json!({"assignee": "chuyenvien"})),
        ("complete_step", &specialist, json!({})),
        ("approve", &leader, json!({})),
    ] {
        let (s, r) = app.action(&code, action, token, body).await;
        assert_eq!(s, 200, "{action}: {r}");
    }
    let (s, result) =
        app.upload(&code, &specialist, &[("kind", "result")], vec![("file", "kq.pdf", pdf("kết quả"))]).await;
    assert_eq!(s, 201, "{result}");
    for (action, body) in [("mark_result_ready", json!({})), ("return_result", json!({"method": "counter"}))] {
        let (s, r) = app.action(&code, action, &reception, body).await;
        assert_eq!(s, 200, "{action}: {r}");
    }
    let path = format!("/api/v1/documents/{}", result["id"]);
    let reason = json!({"reason": "Hết thời hạn bảo quản"});
    // No archive period set: kept for good.
    let (s, r) = app.delete_json(&path, &admin, &reason).await;
    assert_eq!((s, r["error"]["code"].as_str()), (422, Some("invalid_action")), "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("thời hạn bảo quản"), "{r}");
    // A period that has run out (zero years, for the test): the administrator may delete, on record.
    let rules = json!({"max_bytes": 1_000_000, "media_types": [], "archive_years": 0});
    let (s, r) = app.put_json(&format!("/api/v1/procedures/{LAND_PROVINCE}/file-rules"), Some(&admin), &rules).await;
    assert_eq!((s, r["archive_years"].as_u64()), (200, Some(0)), "{r}");
    let (s, r) = app.delete_json(&path, &admin, &reason).await;
    assert_eq!(s, 200, "{r}");
    let (_, d) = app.get_json(&format!("/api/v1/dossiers/{code}"), Some(&leader)).await;
    assert_eq!(d["status"], "returned", "the finished dossier itself is unchanged");
    let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
    assert_eq!(sheet["events"].as_array().unwrap().last().unwrap()["action"], "delete_document");
    assert!(app.store.verify().await.unwrap().problems.is_empty());
}
