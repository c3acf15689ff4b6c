//! The citizen portal over a real socket, on SQLite and on PostgreSQL: public tracking with and
//! without the receipt's secret, the one "not found", throttled lookups, the procedure guide and
//! the transparency figures against a hand-made set of dossiers.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756"; // Cấp tỉnh, Đất đai → Sở Nông nghiệp và Môi trường
const LAND_AGENCY: &str = "000.00.11.H26";

/// Receives a land dossier at the center's counter; answers (code, secret).
async fn receive(app: &App, token: &str) -> (String, String) {
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let body = json!({
        "procedure_code": LAND_PROVINCE,
        "channel": "counter",
        "applicant": {"name": "Nguyễn Văn Đức", "id_number": "001099012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Phường Hai Bà Trưng, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004",
        "request_summary": "Đăng ký đất đai lần đầu",
        "documents": docs,
        "return_method": "counter"
    });
    let (status, created): (u16, Value) = app.post_json("/api/v1/dossiers", Some(token), &body).await;
    assert_eq!(status, 201, "{}: {created}", app.name);
    (created["code"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

async fn post_form(app: &App, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let resp = app.client.post(format!("{}{path}", app.base)).form(form).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn track_json(app: &App, code: &str, secret: Option<&str>) -> (u16, String) {
    let mut r = app.client.get(format!("{}/api/v1/track/{code}", app.base));
    if let Some(s) = secret {
        r = r.header("X-Tracking-Secret", s);
    }
    let resp = r.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn a_wrong_secret_gets_exactly_what_no_secret_gets() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader = app.login("lanhdao").await;
        let (code, secret) = receive(&app, &reception).await;
        app.scan_all(&code, &reception, &app.mandatory_documents(LAND_PROVINCE).await).await;
        let (s, r) = app
            .action(
                &code,
                "request_supplement",
                &leader,
                json!({"items": ["Bản sao sổ hộ khẩu có chứng thực"], "reason": "Thiếu giấy tờ chứng minh nơi cư trú"}),
            )
            .await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        let wrong = if secret.starts_with('A') { "BBBBBBBBBB" } else { "AAAAAAAAAA" };

        let (s, plain) = app.get_text(&format!("/tra-cuu/{code}"), None).await;
        assert_eq!(s, 200);
        let (_, with_wrong_query) = app.get_text(&format!("/tra-cuu/{code}?ma={wrong}"), None).await;
        let (_, with_wrong_form) = post_form(&app, "/tra-cuu", &[("code", &code), ("secret", wrong)]).await;
        let (_, almost) = app.get_text(&format!("/tra-cuu/{code}?ma={}", &secret[..9]), None).await;
        assert_eq!(plain, with_wrong_query, "{}: a wrong secret changes nothing", app.name);
        assert_eq!(plain, with_wrong_form);
        assert_eq!(plain, almost, "a secret that is close tells nothing either");
        for personal in ["Nguyễn Văn Đức", "001099012345", "0912345678", "Phố Huế", "Bản sao sổ hộ khẩu", &secret]
        {
            assert!(!plain.contains(personal), "{}: the public page shows {personal}", app.name);
        }
        assert!(plain.contains("N***** V** Đ") && plain.contains("Chờ bổ sung hồ sơ"), "{plain}");
        assert!(plain.contains("yêu cầu bổ sung hồ sơ (Mẫu 02)"), "why the appointment moves");

        let (_, with_secret) = app.get_text(&format!("/tra-cuu/{code}?ma={secret}"), None).await;
        let (_, with_secret_form) =
            post_form(&app, "/tra-cuu", &[("code", &code), ("secret", &secret.to_lowercase())]).await;
        assert_eq!(with_secret, with_secret_form, "the form and the link show the same");
        assert!(with_secret.contains("id=\"papers\"") && with_secret.contains("Đã số hóa"), "{with_secret}");
        assert!(with_secret.contains("Bản sao sổ hộ khẩu có chứng thực"), "the supplement items");
        assert!(!with_secret.contains("001099012345") && !with_secret.contains(&secret), "still nothing else personal");
        assert!(!with_secret.contains("/documents/"), "no API file address on the page");
        // The applicant's own files come as expiring links that hold no secret.
        let link = with_secret
            .split("href=\"")
            .filter_map(|x| x.split('"').next())
            .find(|x| x.contains("/tai-lieu/"))
            .expect("a download link")
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        assert!(!link.to_ascii_uppercase().contains(&secret.to_ascii_uppercase()));
        let (s, file) = app.get_text(&link, None).await;
        assert_eq!(s, 200, "{}: {link}", app.name);
        assert!(file.starts_with("%PDF"), "the applicant's scan");
        let forged = link.replace("&t=", "&t=0");
        assert_eq!(app.get_text(&forged, None).await.0, 404, "a forged link reads nothing");
        assert!(!plain.contains("/tai-lieu/"), "no links without the secret");

        // The API: the same split, its current fields kept.
        let (s, none) = track_json(&app, &code, None).await;
        assert_eq!(s, 200);
        let (_, bad) = track_json(&app, &code, Some(wrong)).await;
        assert_eq!(none, bad, "{}", app.name);
        let none: Value = serde_json::from_str(&none).unwrap();
        for field in
            ["code", "procedure_code", "procedure_name", "applicant", "status", "status_label", "due_at", "steps"]
        {
            assert!(none.get(field).is_some(), "kept field {field}");
        }
        assert!(none.get("private").is_none());
        assert_eq!(none["appointment_changes"][0]["kind"], "supplement");
        let (_, good) = track_json(&app, &code, Some(&secret)).await;
        let good: Value = serde_json::from_str(&good).unwrap();
        let private = &good["private"];
        assert!(!private["documents"].as_array().unwrap().is_empty());
        assert_eq!(private["documents"][0]["digitized"], true, "{private}");
        assert_eq!(private["supplement"]["items"][0], "Bản sao sổ hộ khẩu có chứng thực");
        let (_, by_query) = app.get_json(&format!("/api/v1/track/{code}?ma={secret}"), None).await;
        assert_eq!(by_query["private"], *private);
    }
}

#[tokio::test]
async fn pages_travel_compressed_and_stored_files_as_they_are() {
    let app = support::sqlite_app().await;
    let get =
        |path: &str| app.req(reqwest::Method::GET, path, None).header(reqwest::header::ACCEPT_ENCODING, "gzip").send();
    let r = get("/thu-tuc").await.unwrap();
    assert_eq!(r.status(), 200);
    let encoding = r.headers().get(reqwest::header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(encoding.as_deref(), Some("gzip"), "a page asked for gzip comes gzipped");
    let gz = r.bytes().await.unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut html).unwrap();
    assert!(html.contains("</html>") && gz.len() * 3 < html.len(), "{} bytes for {}", gz.len(), html.len());
    // Without Accept-Encoding, the same page as it is.
    let plain = app.get_text("/thu-tuc", None).await.1;
    assert!(plain.contains("</html>"));

    // A stored file keeps its bytes and its byte ranges, whatever the client accepts.
    let reception = app.login("tiepnhan").await;
    let docs = app.mandatory_documents("1.012756").await;
    let body = serde_json::json!({
        "procedure_code": "1.012756", "channel": "counter",
        "applicant": { "name": "Trần Thị Bình", "id_number": "001099012345", "phone": "0912345678",
                       "address": "Số 5 Hàng Bài, Hà Nội" },
        "subject_commune": "00004", "documents": docs, "return_method": "counter"
    });
    let (_, d) = app.post_json("/api/v1/dossiers", Some(&reception), &body).await;
    let code = d["code"].as_str().unwrap().to_owned();
    let pdf = hcc::demo::scans::pdf(&["giấy tờ ".repeat(400)]);
    let (s, doc) = app.upload(&code, &reception, &[("item_no", "1")], vec![("file", "giay-to.pdf", pdf.clone())]).await;
    assert_eq!(s, 201, "{doc}");
    let url = doc["content_url"].as_str().unwrap().to_owned();
    let r = app
        .req(reqwest::Method::GET, &url, Some(&reception))
        .header(reqwest::header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get(reqwest::header::CONTENT_ENCODING).is_none(), "files are never re-encoded");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &pdf[..]);
}

#[tokio::test]
async fn unknown_and_malformed_codes_get_the_same_not_found() {
    for app in spawn_apps().await {
        let (s1, unknown) = app.get_text("/tra-cuu/000.00.16.H26-991231-9999", None).await;
        let (s2, malformed) = app.get_text("/tra-cuu/not-a-code", None).await;
        let (s3, by_form) = post_form(&app, "/tra-cuu", &[("code", "<script>"), ("secret", "x")]).await;
        assert_eq!((s1, s2, s3), (404, 404, 404));
        assert_eq!(unknown, malformed);
        assert_eq!(unknown, by_form);
        assert!(unknown.contains("Không tìm thấy hồ sơ"));
        let (a, b) = (
            track_json(&app, "000.00.16.H26-991231-9999", Some("AAAAAAAAAA")).await,
            track_json(&app, "not-a-code", None).await,
        );
        assert_eq!(a, b);
        assert_eq!(a.0, 404);
        let (s, form) = app.get_text("/tra-cuu", None).await;
        assert_eq!(s, 200);
        assert!(form.contains("<label for=\"code\">Mã hồ sơ</label>") && !form.contains("<script"));
    }
}

#[tokio::test]
async fn abusive_lookups_are_throttled_without_affecting_others() {
    let app = support::sqlite_app_with_portal(hcc_web::portal::PortalSettings {
        trust_forwarded_for: true,
        tracking_burst: 5,
        tracking_per_minute: 2,
        oidc: None,
    })
    .await;
    let get = |ip: &'static str, path: String| {
        let r = app.client.get(format!("{}{path}", app.base)).header("X-Forwarded-For", format!("10.0.0.1, {ip}"));
        async move { r.send().await.unwrap() }
    };
    for i in 0..5 {
        let r = get("203.0.113.7", format!("/api/v1/track/000.00.16.H26-991231-{i:04}")).await;
        assert_eq!(r.status().as_u16(), 404);
    }
    let r = get("203.0.113.7", "/api/v1/track/000.00.16.H26-991231-0005".into()).await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().unwrap().contains("thử lại sau"));
    // The pages share the bucket and say it in HTML.
    let r = get("203.0.113.7", "/tra-cuu/000.00.16.H26-991231-0006".into()).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Tra cứu quá nhiều lần"));
    // Another client is untouched; the guide is not throttled.
    let r = get("198.51.100.20", "/api/v1/track/000.00.16.H26-991231-0007".into()).await;
    assert_eq!(r.status().as_u16(), 404);
    let r = get("203.0.113.7", "/thu-tuc".into()).await;
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn the_forwarded_header_is_ignored_unless_configured() {
    let app = support::sqlite_app_with_portal(hcc_web::portal::PortalSettings {
        trust_forwarded_for: false,
        tracking_burst: 3,
        tracking_per_minute: 1,
        oidc: None,
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..4 {
        let r = app
            .client
            .get(format!("{}/api/v1/track/not-a-code", app.base))
            .header("X-Forwarded-For", format!("192.0.2.{i}"))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [404, 404, 404, 429], "a forged header does not buy a new bucket");
}

#[tokio::test]
async fn the_guide_finds_procedures_without_diacritics_and_shows_how_to_apply() {
    for app in spawn_apps().await {
        let (s, page) = app.get_text("/thu-tuc?q=dang+ky+dat+dai", None).await;
        assert_eq!(s, 200);
        assert!(page.contains("Đăng ký đất đai"), "{}: {page}", app.name);
        let (_, none) = app.get_text("/thu-tuc?q=khong+co+thu+tuc+nao+nhu+vay", None).await;
        assert!(none.contains("id=\"no-results\""));
        let (_, commune) = app.get_text("/thu-tuc?cap=C%E1%BA%A5p+x%C3%A3", None).await;
        assert!(commune.contains("1.012753") && !commune.contains("href=\"/thu-tuc/1.012756\""), "level filter");
        let (_, field) = app.get_text("/thu-tuc?linh-vuc=%C4%90%E1%BA%A5t+%C4%91ai&q=dat", None).await;
        assert!(field.contains("1.012756"));

        let (s, detail) = app.get_text(&format!("/thu-tuc/{LAND_PROVINCE}"), None).await;
        assert_eq!(s, 200);
        for part in ["Thời hạn giải quyết", "Trực tiếp", "Thành phần hồ sơ", "Nơi tiếp nhận hồ sơ", "Trụ sở Trung tâm"]
        {
            assert!(detail.contains(part), "{}: the guide shows {part}", app.name);
        }
        assert!(detail.contains("Trực tuyến toàn trình") || detail.contains("Trực tuyến một phần"));
        let (s, _) = app.get_text("/thu-tuc/9.999999", None).await;
        assert_eq!(s, 404);
        let (s, _) = app.get_text("/thu-tuc/<x>", None).await;
        assert_eq!(s, 404);
    }
}

/// Sets a dossier's clock columns by hand (microseconds relative to its appointment).
async fn shape(app: &App, code: &str, set: &str) {
    let sql = format!("UPDATE dossiers SET {set} WHERE code = '{code}'");
    app.store.execute_raw(&sql).await.unwrap();
}

#[tokio::test]
async fn transparency_figures_match_a_hand_made_set() {
    const HOUR: i64 = 3_600_000_000;
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let mut codes = Vec::new();
        for _ in 0..5 {
            codes.push(receive(&app, &reception).await.0);
        }
        // 0: handled an hour before its appointment — on time.
        shape(&app, &codes[0], &format!("original_due_at = due_at, handled_at = due_at - {HOUR}, finished_at = due_at - {HOUR}, status = 'returned'")).await;
        // 1: handled an hour late, even though an apology set a new date — late, one apology.
        shape(&app, &codes[1], &format!("original_due_at = due_at, due_at = due_at + {}, new_appointments = 1, handled_at = original_due_at + {HOUR}, finished_at = original_due_at + {HOUR}, status = 'result_ready'", 48 * HOUR)).await;
        // 2: in time but asked for a supplement twice — late.
        shape(
            &app,
            &codes[2],
            &format!("supplement_requests = 2, handled_at = due_at - {HOUR}, status = 'result_ready'"),
        )
        .await;
        // 3: open and past its appointment — in progress and overdue.
        shape(&app, &codes[3], &format!("due_at = received_at - {HOUR}, original_due_at = received_at - {HOUR}")).await;
        // 4: open, not due — in progress.

        let stats = app
            .store
            .public_stats(
                hcc_store::public::StatsPeriod {
                    from: jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24),
                    to: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1),
                },
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        let agency = stats.by_agency.iter().find(|f| f.key == LAND_AGENCY).unwrap();
        let expected = (5, 1, 2, 2, 1, 1);
        let got = |f: &hcc_store::public::PublicFigures| {
            (f.received, f.on_time, f.late, f.in_progress, f.overdue, f.apologies)
        };
        assert_eq!(got(agency), expected, "{}: {agency:?}", app.name);
        assert_eq!(stats.by_agency.len(), 1);
        assert_eq!(stats.by_field.len(), 1);
        assert_eq!(got(&stats.by_field[0]), expected);
        let (_, before) = track_json(&app, &codes[0], None).await;
        assert!(before.contains("returned"));

        let (s, page) = app.get_text("/cong-khai", None).await;
        assert_eq!(s, 200);
        assert!(page.contains("<svg") && page.contains("Sở Nông nghiệp và Môi trường"), "{page}");
        let row = "<td class=\"n\">5</td><td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">33,3 %</td>";
        assert_eq!(page.matches(row).count(), 2, "{}: per agency and per field: {page}", app.name);
        assert!(!page.contains("Nguyễn") && !page.contains("N***** V** Đ"), "no personal data");
        // The figures are reused for a minute.
        shape(&app, &codes[4], &format!("handled_at = due_at - {HOUR}")).await;
        let (_, again) = app.get_text("/cong-khai", None).await;
        assert_eq!(again.matches(row).count(), 2, "cached");
        // A period with nothing in it.
        let (_, empty) = app.get_text("/cong-khai?tu=2020-01-01&den=2020-12-31", None).await;
        assert!(empty.contains("Chưa có hồ sơ trong kỳ"));
    }
}

/// GETs `path` with the language switch set to English; answers (status, headers, body).
async fn get_english(app: &App, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let resp = app.client.get(format!("{}{path}", app.base)).header("Cookie", "hcc_lang=en").send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

#[tokio::test]
async fn the_public_pages_speak_english_when_switched() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let (code, secret) = receive(&app, &reception).await;

        let (s, _, page) = get_english(&app, &format!("/tra-cuu/{code}")).await;
        assert_eq!(s, 200);
        assert!(page.contains("<html lang=\"en\">"), "{}: {page}", app.name);
        for part in ["Progress of dossier", "Result due on", "Handling steps", "Tracking key (optional)"] {
            assert!(page.contains(part), "{}: the tracking page says {part}", app.name);
        }
        assert!(page.contains(">Received<"), "the status in English: {page}");
        for vietnamese in ["Tiến độ hồ sơ", "Ngày hẹn trả kết quả", "Quá trình giải quyết", "Đã tiếp nhận"]
        {
            assert!(!page.contains(vietnamese), "{}: {vietnamese} left in Vietnamese", app.name);
        }
        let (_, _, private) = get_english(&app, &format!("/tra-cuu/{code}?ma={secret}")).await;
        assert!(private.contains("Papers of the dossier") && private.contains("Digitized"), "{private}");
        let (s, _, missing) = get_english(&app, "/tra-cuu/000.00.16.H26-241001-9999").await;
        assert_eq!(s, 404);
        assert!(missing.contains("Dossier not found") && !missing.contains("Không tìm thấy"));
        // The API keeps its Vietnamese labels whatever the page language.
        let resp = app
            .client
            .get(format!("{}/api/v1/track/{code}", app.base))
            .header("Cookie", "hcc_lang=en")
            .send()
            .await
            .unwrap();
        let json: Value = resp.json().await.unwrap();
        assert_eq!(json["status_label"], "Đã tiếp nhận", "{json}");

        let (s, headers, list) = get_english(&app, "/thu-tuc?q=dang+ky+dat+dai").await;
        assert_eq!(s, 200);
        assert!(list.contains("Administrative procedures") && list.contains("id=\"catalog-language\""), "{list}");
        assert!(
            list.contains("Province level") && list.contains("Đăng ký đất đai"),
            "labels English, content as published"
        );
        assert_eq!(
            headers.get("vary").and_then(|v| v.to_str().ok()),
            Some("Cookie"),
            "caches keep the languages apart"
        );
        let (_, _, detail) = get_english(&app, &format!("/thu-tuc/{LAND_PROVINCE}")).await;
        for part in
            ["Time limits and fees", "In person", "working days", "Where to file", "The center&#39;s head office"]
        {
            assert!(detail.contains(part), "{}: the guide says {part}: {detail}", app.name);
        }
        assert!(!detail.contains("Thời hạn giải quyết") && !detail.contains("ngày làm việc"));

        let (s, _, figures) = get_english(&app, "/cong-khai").await;
        assert_eq!(s, 200);
        for part in [
            "Public results of dossier handling",
            "By handling agency",
            "By field",
            "On-time rate",
            "Citizens&#39; satisfaction",
        ] {
            assert!(figures.contains(part), "{}: the transparency page says {part}", app.name);
        }
        assert!(!figures.contains("Theo cơ quan giải quyết"));
        // Vietnamese stays the default.
        let (_, plain) = app.get_text("/cong-khai", None).await;
        assert!(plain.contains("<html lang=\"vi\">") && plain.contains("Theo cơ quan giải quyết"));
    }
}
