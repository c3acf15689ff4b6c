//! The citizen portal in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) over WebDriver against the real server. An anonymous visitor tracks a
//! dossier by its code and sees no personal data; with the receipt's secret, the papers.
//!
//! Without the browser these tests are skipped loudly, except in CI (`CI` set), where they fail.
//! With `HCC_SCREENSHOTS=1` they save the tracking, guide and transparency pages to
//! `docs/screens/portal-*.png`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use support::browser::{text_of, wait_text};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use support::App;

const LAND_PROVINCE: &str = "1.012756"; // → Sở Nông nghiệp và Môi trường

/// Receives a land dossier at the center's counter through the API; answers (code, secret).
async fn receive(app: &App, token: &str, name: &str, id_number: &str) -> (String, String) {
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let body = json!({
        "procedure_code": LAND_PROVINCE,
        "channel": "counter",
        "applicant": {"name": name, "id_number": id_number, "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Phường Hai Bà Trưng, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004",
        "request_summary": "Đăng ký đất đai lần đầu",
        "documents": docs,
        "return_method": "counter"
    });
    let (status, created): (u16, Value) = app.post_json("/api/v1/dossiers", Some(token), &body).await;
    assert_eq!(status, 201, "{created}");
    (created["code"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_anonymous_visitor_tracks_by_code_and_the_applicant_sees_the_papers() {
    let Some((_driver, c)) = support::browser::browser(1280, 900).await else { return };
    let app = support::sqlite_app().await;
    let reception = app.login("tiepnhan").await;
    let (code, secret) = receive(&app, &reception, "Nguyễn Văn Đức", "001099012345").await;
    receive(&app, &reception, "Lê Minh Quân", "001088011223").await;
    // One settled on time, for the transparency page to show something settled.
    let (settled, _) = receive(&app, &reception, "Trần Thị Mai", "001199054321").await;
    let sql = format!(
        "UPDATE dossiers SET handled_at = due_at - 3600000000, finished_at = due_at - 3600000000, \
         status = 'returned' WHERE code = '{settled}'"
    );
    app.store.execute_raw(&sql).await.unwrap();

    // Anonymous: the code alone.
    c.goto(&format!("{}/tra-cuu", app.base)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Tra cứu hồ sơ");
    c.find(Locator::Id("code")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Locator::Css("#track-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#dossier-code", |t| t == code).await;
    assert_eq!(text_of(&c, "#applicant").await, "N***** V** Đ");
    assert_eq!(text_of(&c, "#status strong").await, "Đã tiếp nhận");
    let main = text_of(&c, "main").await;
    for personal in ["Nguyễn Văn Đức", "001099012345", "0912345678", "Phố Huế"] {
        assert!(!main.contains(personal), "the public page shows {personal}");
    }
    assert!(c.find(Locator::Id("papers")).await.is_err(), "no papers without the secret");
    c.goto(&format!("{}/tra-cuu/{code}", app.base)).await.unwrap();
    wait_text(&c, "#dossier-code", |t| t == code).await;
    support::browser::screenshot(&c, "portal-tracking").await;

    // A wrong secret shows the same; the right one shows the papers.
    c.find(Locator::Id("secret")).await.unwrap().send_keys("ABCDEFGHJK").await.unwrap();
    c.find(Locator::Css("#track-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#dossier-code", |t| t == code).await;
    assert!(c.find(Locator::Id("papers")).await.is_err());
    c.find(Locator::Id("secret")).await.unwrap().send_keys(&secret).await.unwrap();
    c.find(Locator::Css("#track-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let papers = wait_text(&c, "#papers", |t| !t.is_empty()).await;
    assert!(papers.contains("Chưa"), "nothing digitized yet: {papers}");
    assert!(!text_of(&c, "main").await.contains("001099012345"));
    assert!(!c.current_url().await.unwrap().as_str().contains(&secret), "the secret stays out of the address");

    // The guide, searched without diacritics.
    c.goto(&format!("{}/thu-tuc", app.base)).await.unwrap();
    c.find(Locator::Id("q")).await.unwrap().send_keys("dang ky dat dai").await.unwrap();
    c.find(Locator::Css("#guide-search button[type=submit]")).await.unwrap().click().await.unwrap();
    let list = wait_text(&c, "#procedures", |t| t.contains("Đăng ký đất đai")).await;
    assert!(list.contains("Đăng ký đất đai"), "{list}");
    support::browser::screenshot(&c, "portal-guide").await;
    c.find(Locator::Css(&format!("a[href='/thu-tuc/{LAND_PROVINCE}']"))).await.unwrap().click().await.unwrap();
    wait_text(&c, "#channels", |t| t.contains("Trực tiếp")).await;

    // The transparency page: figures and charts, no names.
    c.goto(&format!("{}/cong-khai", app.base)).await.unwrap();
    let table = wait_text(&c, "#theo-co-quan-table", |t| t.contains("Sở Nông nghiệp và Môi trường")).await;
    assert!(table.contains('3'), "three received: {table}");
    assert!(c.find(Locator::Css("svg.chart")).await.is_ok());
    assert!(!text_of(&c, "main").await.contains("Nguyễn"));
    support::browser::screenshot(&c, "portal-transparency").await;
    // The language switch: the same page in English, and back.
    click(&c, "header a[lang=en]").await;
    wait_text(&c, "h1", |t| t == "Public results of dossier handling").await;
    assert!(text_of(&c, "#theo-co-quan").await == "By handling agency");
    c.goto(&format!("{}/tra-cuu/{code}", app.base)).await.unwrap();
    wait_text(&c, "h1", |t| t.starts_with("Progress of dossier")).await;
    assert_eq!(text_of(&c, "#status strong").await, "Received");
    click(&c, "header a[lang=vi]").await;
    wait_text(&c, "h1", |t| t.starts_with("Tiến độ hồ sơ")).await;

    // On a phone's width the applicant's page fits without sideways scrolling.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{}/tra-cuu/{code}?ma={secret}", app.base)).await.unwrap();
    wait_text(&c, "#papers", |t| !t.is_empty()).await;
    let overflow = c
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    assert!(overflow.as_i64().unwrap() <= 0, "the page scrolls sideways by {overflow}px");
    support::browser::screenshot(&c, "portal-tracking-phone").await;
    c.close().await.unwrap();
}

/// Types `text` into the field with id `id` (cleared first).
async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

/// The newest one-time code queued for `contact` (what the SMS would carry).
async fn queued_code(app: &App, contact: &str) -> String {
    let messages = app.store.outbox_messages("one_time_code", 20).await.unwrap();
    let payload =
        messages.iter().map(|(_, p)| serde_json::from_str::<Value>(p).unwrap()).find(|p| p["to"] == json!(contact));
    payload.unwrap()["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_citizen_applies_online_supplements_and_rates_the_result() {
    let Some((_driver, c)) = support::browser::browser(1280, 1500).await else { return };
    let app = support::sqlite_app().await;
    let files = tempfile::tempdir().unwrap();
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let paper = |name: &str| {
        let path = files.path().join(format!("{name}.pdf"));
        std::fs::write(&path, hcc::demo::scans::pdf(&[name.to_owned()])).unwrap();
        path.display().to_string()
    };

    // The citizen finds the procedure in the guide and applies online: sign-up first.
    c.goto(&format!("{}/thu-tuc?q=dang+ky+dat+dai", app.base)).await.unwrap();
    click(&c, &format!("a[href='/thu-tuc/{LAND_PROVINCE}']")).await;
    wait_text(&c, "#channels", |t| t.contains("Trực tuyến")).await;
    click(&c, "#apply-online").await;
    wait_text(&c, "h1", |t| t == "Đăng nhập").await;
    click(&c, "main a[href^='/cong-dan/dang-ky']").await;
    wait_text(&c, "h1", |t| t == "Đăng ký").await;
    fill(&c, "name", "Trần Thị Bích").await;
    fill(&c, "contact", "0987654321").await;
    fill(&c, "password", "mat-khau-dai-1").await;
    fill(&c, "confirm", "mat-khau-dai-1").await;
    click(&c, "main form button[type=submit]").await;
    wait_text(&c, "main", |t| t.contains("Mã xác thực đã được gửi")).await;
    fill(&c, "code", &queued_code(&app, "0987654321").await).await;
    click(&c, "main form.card button[type=submit]").await;

    // Back on the application form, signed in.
    wait_text(&c, "h1", |t| t.contains("Nộp hồ sơ trực tuyến")).await;
    fill(&c, "id_number", "001199012345").await;
    fill(&c, "address", "Số 5 Hàng Bài, Phường Hoàn Kiếm, Hà Nội").await;
    fill(&c, "commune_code", "00004").await;
    fill(&c, "subject_commune", "00004").await;
    fill(&c, "request_summary", "Đăng ký đất đai lần đầu cho thửa đất ở").await;
    for no in &docs {
        c.find(Locator::Id(&format!("file_{no}")))
            .await
            .unwrap()
            .send_keys(&paper(&format!("giay-to-{no}")))
            .await
            .unwrap();
    }
    click(&c, "input[name=return_method][value=online]").await;
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    support::browser::screenshot(&c, "portal-submit").await;
    click(&c, "#submit-form button[type=submit]").await;
    let notice = wait_text(&c, "main", |t| t.contains("Hồ sơ đã được gửi")).await;
    assert!(notice.contains("Chờ tiếp nhận") || notice.contains("tiếp nhận"), "{notice}");
    let url = c.current_url().await.unwrap();
    let code = url.path().trim_start_matches("/cong-dan/ho-so/").to_owned();
    assert!(code.starts_with("000.00.99.H26-"), "{code}");

    // Staff, through the API: the online point receives it; the agency asks for one more paper.
    let officer = app.login("tn.0099").await;
    let leader = app.login("lanhdao").await;
    let specialist = app.login("chuyenvien").await;
    for (token, action, body) in [
        (&officer, "receive", json!({})),
        (&leader, "assign", json!({"assignee": "chuyenvien"})),
        (
            &leader,
            "request_supplement",
            json!({"items": ["Bản sao trích đo địa chính"], "reason": "Thiếu sơ đồ thửa đất"}),
        ),
    ] {
        let (s, r) = app.action(&code, action, token, body).await;
        assert_eq!(s, 200, "{action}: {r}");
    }
    c.goto(&format!("{}/cong-dan/ho-so/{code}", app.base)).await.unwrap();
    let items = wait_text(&c, "#supplement-items", |t| !t.is_empty()).await;
    assert!(items.contains("Bản sao trích đo địa chính"), "{items}");
    c.find(Locator::Id("file")).await.unwrap().send_keys(&paper("trich-do")).await.unwrap();
    click(&c, "#supplement-form button[type=submit]").await;
    wait_text(&c, "main", |t| t.contains("Đã nhận hồ sơ bổ sung")).await;
    assert_eq!(text_of(&c, "#status").await, "Đang giải quyết");

    // Settled and returned; the citizen follows it and rates it.
    let (s, r) = app.action(&code, "complete_step", &specialist, json!({})).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app.action(&code, "approve", &leader, json!({})).await;
    assert_eq!(s, 200, "{r}");
    let result = hcc::demo::scans::pdf(&["Giấy chứng nhận".into()]);
    let (s, r) = app.upload(&code, &specialist, &[("kind", "result")], vec![("file", "ket-qua.pdf", result)]).await;
    assert_eq!(s, 201, "{r}");
    for action in ["mark_result_ready", "return_result"] {
        let (s, r) = app.action(&code, action, &officer, json!({"method": "online"})).await;
        assert_eq!(s, 200, "{action}: {r}");
    }
    c.goto(&format!("{}/cong-dan", app.base)).await.unwrap();
    click(&c, &format!("a[href='/cong-dan/ho-so/{code}']")).await;
    wait_text(&c, "#status", |t| t == "Đã trả kết quả").await;
    click(&c, "#rate-link").await;
    wait_text(&c, "h1", |t| t == "Đánh giá mức độ hài lòng").await;
    click(&c, "input[name=rating][value=very_satisfied]").await;
    fill(&c, "comment", "Thủ tục nhanh, không phải đi lại").await;
    click(&c, "#rate-form button[type=submit]").await;
    wait_text(&c, "#rated", |t| t == "Rất hài lòng").await;
    assert!(c.find(Locator::Id("rate-link")).await.is_err(), "one rating per dossier");
    c.goto(&format!("{}/cong-khai", app.base)).await.unwrap();
    wait_text(&c, "#satisfaction-total", |t| t.contains("100,0 %")).await;
    c.close().await.unwrap();
}
