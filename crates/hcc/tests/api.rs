//! The API end to end over a real socket, on SQLite and on PostgreSQL: an officer takes a dossier
//! from receipt to returned result through the API alone; bad input changes nothing.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use support::spawn_apps;

const LAND_PROVINCE: &str = "1.012756"; // Cấp tỉnh, Đất đai → Sở Nông nghiệp và Môi trường
const LAND_COMMUNE: &str = "1.012753"; // Cấp xã → the People's Committee of the land's commune

fn receipt_body(procedure: &str, documents: &[u64]) -> Value {
    json!({
        "procedure_code": procedure,
        "channel": "counter",
        "applicant": {
            "name": "Nguyễn Văn Đức",
            "id_number": "001099012345",
            "phone": "0912345678",
            "address": "Số 1 Phố Huế, Phường Hai Bà Trưng, Hà Nội",
            "commune_code": "00004"
        },
        "subject_commune": "00004",
        "request_summary": "Đăng ký đất đai lần đầu",
        "documents": documents,
        "return_method": "counter"
    })
}

#[tokio::test]
async fn dossier_goes_from_receipt_to_returned_result_through_the_api() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader = app.login("lanhdao").await;
        let specialist = app.login("chuyenvien").await;
        let other_agency = app.login("chuyenvien.xd").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;

        let (status, created) =
            app.post_json("/api/v1/dossiers", Some(&reception), &receipt_body(LAND_PROVINCE, &docs)).await;
        assert_eq!(status, 201, "{}: {created}", app.name);
        let code = created["code"].as_str().unwrap().to_owned();
        assert!(code.starts_with("000.00.16.H26-"), "{code}");
        assert_eq!(created["status"], "received");
        assert_eq!(created["routing"]["agency_code"], "000.00.11.H26");
        assert_eq!(created["routing"]["rule"], "field");
        assert!(created["due_at"].as_str().unwrap().ends_with("+07:00"));
        let secret = created["secret"].as_str().unwrap();
        assert_eq!(secret.len(), 10);

        // Public tracking shows a masked name only.
        let (s, track) = app.get_json(&format!("/api/v1/track/{code}"), None).await;
        assert_eq!(s, 200);
        assert_eq!(track["applicant"], "N***** V** Đ");
        assert!(!track.to_string().contains("001099012345"));
        assert!(!track.to_string().contains("0912345678"));

        // Another agency's specialist cannot see it or act on it.
        assert_eq!(app.get_json(&format!("/api/v1/dossiers/{code}"), Some(&other_agency)).await.0, 404);
        let (s, _) = app.action(&code, "complete_step", &other_agency, json!({})).await;
        assert_eq!(s, 404);

        // Nothing is handled before every paper is scanned.
        let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!((s, r["error"]["code"].as_str()), (409, Some("not_digitized")), "{r}");
        app.scan_all(&code, &reception, &docs).await;
        let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["dossier"]["status"], "in_progress");
        let (s, r) = app.action(&code, "approve", &specialist, json!({})).await;
        assert_eq!(s, 403, "a specialist does not sign: {r}");
        assert_eq!(r["error"]["code"], "forbidden");
        let (s, r) = app.action(&code, "complete_step", &specialist, json!({"note": "Đã thẩm định"})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app.action(&code, "approve", &leader, json!({"note": "Đồng ý"})).await;
        assert_eq!(s, 200, "{r}");
        // The signed result is digitized before it can be handed back.
        let (s, r) = app.action(&code, "mark_result_ready", &reception, json!({})).await;
        assert_eq!((s, r["error"]["code"].as_str()), (409, Some("result_not_digitized")), "{r}");
        let result = hcc::demo::scans::pdf(&["Giấy chứng nhận quyền sử dụng đất".into(), code.clone()]);
        let (s, r) = app.upload(&code, &specialist, &[("kind", "result")], vec![("file", "ket-qua.pdf", result)]).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["kind"], "result");
        let result_sha = r["sha256"].as_str().unwrap().to_owned();
        let (s, r) = app.action(&code, "mark_result_ready", &reception, json!({})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["dossier"]["status"], "result_ready");
        let (s, r) = app.action(&code, "return_result", &reception, json!({"method": "counter"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["dossier"]["status"], "returned");
        // Public tracking follows every change: the answer kept since the first lookup is sent
        // again only while the dossier's version is the same.
        let (s, track) = app.get_json(&format!("/api/v1/track/{code}"), None).await;
        assert_eq!((s, track["status"].as_str()), (200, Some("returned")), "{track}");
        assert_eq!(track["steps"].as_array().unwrap().last().unwrap()["action"], "return_result");
        assert_eq!(app.get_json(&format!("/api/v1/track/{code}"), None).await.1, track, "the same answer again");
        let (s, r) = app.action(&code, "withdraw", &reception, json!({"reason": "x"})).await;
        assert_eq!(s, 409, "a finished dossier never changes: {r}");
        assert_eq!(r["error"]["code"], "dossier_finished");

        let (s, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
        assert_eq!(s, 200);
        let events = sheet["events"].as_array().unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
        let mut expected = vec!["receive"];
        expected.extend(docs.iter().map(|_| "digitize"));
        expected.extend(["assign", "complete_step", "approve", "attach_result", "mark_result_ready", "return_result"]);
        assert_eq!(actions, expected);
        let attached = events.iter().find(|e| e["action"] == "attach_result").unwrap();
        assert_eq!(attached["details"]["sha256"], result_sha.as_str(), "the result's hash is on the control sheet");
        for w in events.windows(2) {
            assert_eq!(w[1]["prev_hash"], w[0]["hash"], "hash chain");
        }
        assert_eq!(events[1 + docs.len()]["handed_to"], "chuyenvien");

        let (s, html) = app.get_text(&format!("/ho-so/{code}/giay-tiep-nhan"), Some(&reception)).await;
        assert_eq!(s, 200);
        assert!(
            html.contains(&code) && html.contains("<svg") && html.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        );
        let (s, page) = app.get_text(&format!("/tra-cuu/{code}"), None).await;
        assert_eq!(s, 200);
        assert!(page.contains("Đã trả kết quả") && !page.contains("001099012345"));

        let report = app.store.verify().await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

#[tokio::test]
async fn commune_level_procedures_route_to_the_land_s_commune() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let docs = app.mandatory_documents(LAND_COMMUNE).await;
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &receipt_body(LAND_COMMUNE, &docs)).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["routing"]["rule"], "commune_level");
        let agency = r["routing"]["agency_code"].as_str().unwrap();
        let agencies = app.store.list_agencies().await.unwrap();
        let a = agencies.iter().find(|a| a.code == agency).unwrap();
        assert_eq!(a.commune_code.as_deref(), Some("00004"), "{}", app.name);
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        let before = app.store.count_dossiers().await.unwrap();
        let cases: Vec<(Value, u16, &str)> = vec![
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["applicant"]["id_number"] = json!("12345");
                    b
                },
                422,
                "invalid_citizen_id",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["applicant"]["kind"] = json!("organization");
                    b["applicant"]["id_number"] = json!("0100109107");
                    b
                },
                422,
                "invalid_tax_code",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["applicant"]["phone"] = json!("0212345678");
                    b
                },
                422,
                "invalid_phone",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["procedure_code"] = json!("9.999999");
                    b
                },
                422,
                "unknown_procedure",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["channel"] = json!("fax");
                    b
                },
                422,
                "invalid_channel",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["point_code"] = json!("000.99.99.H26");
                    b
                },
                422,
                "unknown_point",
            ),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["subject_commune"] = json!("99999");
                    b
                },
                422,
                "unknown_commune",
            ),
            (receipt_body(LAND_PROVINCE, &[]), 422, "missing_documents"),
            (
                {
                    let mut b = receipt_body(LAND_PROVINCE, &docs);
                    b["applicant"]["name"] = json!("");
                    b
                },
                422,
                "missing_field",
            ),
            (json!({"procedure_code": 5}), 422, "invalid_body"),
        ];
        for (body, status, code) in cases {
            let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body).await;
            assert_eq!((s, r["error"]["code"].as_str().unwrap_or("")), (status, code), "{}: {r}", app.name);
            assert!(!r["error"]["message"].as_str().unwrap_or("").is_empty());
        }
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &receipt_body(LAND_PROVINCE, &[])).await;
        assert_eq!(s, 422);
        assert!(
            !r["error"]["details"]["missing"].as_array().unwrap().is_empty(),
            "the complete list of missing papers"
        );

        let (s, r) =
            app.post_raw("/api/v1/dossiers", Some(&reception), "application/json", b"{not json".to_vec()).await;
        assert_eq!((s, r["error"]["code"].as_str().unwrap()), (400, "invalid_json"));
        let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(2_000_000));
        let (s, _) = app.post_raw("/api/v1/dossiers", Some(&reception), "application/json", huge.into_bytes()).await;
        assert_eq!(s, 413);
        let (s, r) = app.post_json("/api/v1/dossiers", None, &receipt_body(LAND_PROVINCE, &docs)).await;
        assert_eq!((s, r["error"]["code"].as_str().unwrap()), (401, "unauthorized"));
        let specialist = app.login("chuyenvien").await;
        let (s, _) = app.post_json("/api/v1/dossiers", Some(&specialist), &receipt_body(LAND_PROVINCE, &docs)).await;
        assert_eq!(s, 403);
        assert_eq!(app.store.count_dossiers().await.unwrap(), before, "{}: nothing was created", app.name);

        let (s, r) = app.get_json("/api/v1/track/not-a-code", None).await;
        assert_eq!((s, r["error"]["code"].as_str().unwrap()), (404, "not_found"));
        let (s, _) = app.get_json("/api/v1/dossiers?status=bogus", Some(&reception)).await;
        assert_eq!(s, 400);
        let (s, _) = app.get_json("/api/v1/dossiers?cursor=%%%", Some(&reception)).await;
        assert_eq!(s, 400);
        let (s, r) =
            app.post_json("/api/v1/auth/token", None, &json!({"username": "tiepnhan", "password": "sai"})).await;
        assert_eq!((s, r["error"]["code"].as_str().unwrap()), (401, "invalid_credentials"));
    }
}

#[tokio::test]
async fn papers_are_checked_against_the_applicant_s_case() {
    // 1.012786 (Cấp lại Giấy chứng nhận do bị mất) publishes two cases: a) the certificate is lost
    // — paper 2 required, 1 conditional; b) a supplementary page is lost — papers 3 and 4
    // required, 5 conditional.
    const LOST: &str = "1.012786";
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let p = app.get_json(&format!("/api/v1/procedures/{LOST}"), None).await.1;
        let group = |no: usize| p["documents"][no - 1]["group"].as_str().unwrap().to_owned();
        let (a, b) = (group(1), group(3));
        assert!(a.starts_with("a) ") && b.starts_with("b) "), "{}: {a} / {b}", app.name);
        let body = |documents: &[u64], case: Option<&str>| {
            let mut body = receipt_body(LOST, documents);
            if let Some(case) = case {
                body["case"] = json!(case);
            }
            body
        };

        // Case a) complete without naming it: received, and the checklist shows each paper's case.
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body(&[2], None)).await;
        assert_eq!(s, 201, "{}: {r}", app.name);
        let items = r["dossier"]["documents"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert_eq!(items[1]["group"], json!(a));
        assert_eq!(items[1]["provided"], json!(true));
        assert_eq!(items[3]["group"], json!(b));

        // Case b) named, folded, and complete.
        let folded = hcc_domain::text::fold(&b).to_uppercase();
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body(&[3, 4], Some(&folded))).await;
        assert_eq!(s, 201, "{}: {r}", app.name);

        // Nothing complete: the closest case's papers are listed, and the cases to choose from.
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body(&[3], None)).await;
        assert_eq!(s, 422, "{}: {r}", app.name);
        assert_eq!(r["error"]["code"], "missing_documents");
        let missing: Vec<u64> =
            r["error"]["details"]["missing"].as_array().unwrap().iter().map(|m| m["no"].as_u64().unwrap()).collect();
        assert_eq!(missing, vec![2], "case a) lacks one paper, b) lacks one: the first is reported");
        assert_eq!(r["error"]["details"]["cases"], json!([a, b]));
        assert!(r["error"]["message"].as_str().unwrap().contains("gần đủ nhất"), "{r}");

        // Case b) named: a complete case a) does not help.
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body(&[2, 3], Some(&b))).await;
        assert_eq!((s, r["error"]["code"].as_str()), (422, Some("missing_documents")), "{}: {r}", app.name);
        assert_eq!(r["error"]["details"]["missing"][0]["no"], json!(4));
        assert_eq!(r["error"]["details"]["missing"][0]["group"], json!(b));

        // A case the procedure does not have.
        let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body(&[2], Some("c) Trường hợp khác"))).await;
        assert_eq!((s, r["error"]["code"].as_str()), (422, Some("unknown_case")), "{}: {r}", app.name);
        assert_eq!(r["error"]["details"]["cases"], json!([a, b]));
    }
}

#[tokio::test]
async fn a_double_submitted_receipt_makes_one_dossier() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        let mut body = receipt_body(LAND_PROVINCE, &docs);
        body["idempotency_key"] = json!(format!("double-click-{}", app.name));
        let before = app.store.count_dossiers().await.unwrap();
        let (a, b) = tokio::join!(
            app.post_json("/api/v1/dossiers", Some(&reception), &body),
            app.post_json("/api/v1/dossiers", Some(&reception), &body),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201], "{}: {} {}", app.name, a.1, b.1);
        assert_eq!(a.1["code"], b.1["code"], "{}: the same dossier", app.name);
        assert_eq!(app.store.count_dossiers().await.unwrap(), before + 1, "{}", app.name);
    }
}

#[tokio::test]
async fn two_officers_acting_at_once_exactly_one_wins() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader = app.login("lanhdao").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        let (_, created) =
            app.post_json("/api/v1/dossiers", Some(&reception), &receipt_body(LAND_PROVINCE, &docs)).await;
        let code = created["code"].as_str().unwrap().to_owned();
        app.scan_all(&code, &reception, &docs).await;
        let version = 1 + docs.len();
        let (a, b) = tokio::join!(
            app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien", "expected_version": version})),
            app.action(
                &code,
                "pause",
                &leader,
                json!({"reason": "Chờ nghĩa vụ tài chính", "expected_version": version})
            ),
        );
        let statuses = [a.0, b.0];
        assert!(statuses.contains(&200) && statuses.contains(&409), "{}: {statuses:?} {} {}", app.name, a.1, b.1);
        let loser = if a.0 == 409 { &a.1 } else { &b.1 };
        assert_eq!(loser["error"]["code"], "conflict", "{loser}");
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
        assert_eq!(sheet["events"].as_array().unwrap().len(), version + 1, "the scans and one winning action");
    }
}

#[tokio::test]
async fn pagination_and_visibility_of_lists() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        for _ in 0..5 {
            let (s, _) = app.post_json("/api/v1/dossiers", Some(&reception), &receipt_body(LAND_PROVINCE, &docs)).await;
            assert_eq!(s, 201);
        }
        let specialist = app.login("chuyenvien").await;
        let mut cursor: Option<String> = None;
        let mut seen = 0;
        loop {
            let url = match &cursor {
                Some(c) => format!("/api/v1/dossiers?limit=2&cursor={c}"),
                None => "/api/v1/dossiers?limit=2".to_owned(),
            };
            let (s, page) = app.get_json(&url, Some(&specialist)).await;
            assert_eq!(s, 200, "{page}");
            seen += page["items"].as_array().unwrap().len();
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, 5, "{}", app.name);
        let other = app.login("chuyenvien.xd").await;
        let (_, page) = app.get_json("/api/v1/dossiers", Some(&other)).await;
        assert!(page["items"].as_array().unwrap().is_empty(), "another agency sees none");
        let (_, page) = app.get_json("/api/v1/dossiers?text=nguyen%20van%20duc", Some(&specialist)).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 5, "diacritics-insensitive search");
    }
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let apps = spawn_apps().await;
    let app = &apps[0];
    let (s, doc) = app.get_json("/api/openapi.json", None).await;
    assert_eq!(s, 200);
    for path in [
        "/api/v1/auth/token",
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/events",
        "/api/v1/dossiers/{code}/actions/{action}",
        "/api/v1/track/{code}",
        "/api/v1/calendar/days",
        "/api/v1/calendar/days/{date}",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    assert_eq!(app.get_text("/readyz", None).await.0, 200);
}

#[tokio::test]
async fn an_administrator_edits_the_calendar_and_appointments_follow_it() {
    for app in spawn_apps().await {
        let admin = app.login("quantri").await;
        let reception = app.login("tiepnhan").await;
        let (s, days) = app.get_json("/api/v1/calendar/days?year=2026", Some(&reception)).await;
        assert_eq!(s, 200);
        assert!(days["days"].as_array().unwrap().iter().any(|d| d["date"] == "2026-02-17"), "Tết 2026 is seeded");
        let body = json!({"kind": "holiday", "name": "Nghỉ bù đặc biệt"});
        let (s, r) = app.put_json("/api/v1/calendar/days/2031-03-03", Some(&reception), &body).await;
        assert_eq!((s, r["error"]["code"].as_str().unwrap()), (403, "forbidden"));
        let (s, _) = app.put_json("/api/v1/calendar/days/2031-02-30", Some(&admin), &body).await;
        assert_eq!(s, 400);
        let (s, _) = app
            .put_json("/api/v1/calendar/days/2031-03-03", Some(&admin), &json!({"kind": "party", "name": "x"}))
            .await;
        assert_eq!(s, 422);
        let (s, r) = app.put_json("/api/v1/calendar/days/2031-03-03", Some(&admin), &body).await;
        assert_eq!(s, 200, "{r}");
        assert!(!app.store.working_calendar().await.unwrap().is_working_day(jiff::civil::date(2031, 3, 3)));
        let (s, _) = app.delete("/api/v1/calendar/days/2031-03-03", &admin).await;
        assert_eq!(s, 204, "{}", app.name);
        let (s, _) = app.delete("/api/v1/calendar/days/2031-03-03", &admin).await;
        assert_eq!(s, 404);
    }
}

#[tokio::test]
async fn openapi_puts_every_parameter_where_it_is_sent() {
    let app = support::sqlite_app().await;
    let (_, doc) = app.get_json("/api/openapi.json", None).await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(p["in"] == "path", in_path, "{method} {path}: parameter {name} is in {}", p["in"]);
            }
        }
    }
    let track = &doc["paths"]["/api/v1/track/{code}"]["get"];
    let places: Vec<(&str, &str)> = track["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
        .collect();
    assert_eq!(places, [("code", "path"), ("ma", "query"), ("X-Tracking-Secret", "header")]);
    assert!(track["responses"].get("429").is_some());
}
