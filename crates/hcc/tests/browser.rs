//! The staff web app in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) driven over WebDriver against the real server on a loopback port.
//!
//! Without the browser these tests are skipped loudly, except in CI (`CI` set), where they fail.
//! With `HCC_SCREENSHOTS=1` they save the login, inbox and dossier pages to `docs/screens/`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use support::browser::{log_in, log_out, text_of, wait_text};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::time::Duration;
use support::App;

const LAND_PROVINCE: &str = "1.012756"; // → Sở Nông nghiệp và Môi trường (chuyenvien, lanhdao)

/// Receives a land dossier at the center's counter through the API; answers its code.
async fn receive(app: &App, name: &str, id_number: &str) -> String {
    let reception = app.login("tiepnhan").await;
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
    let (status, created): (u16, Value) = app.post_json("/api/v1/dossiers", Some(&reception), &body).await;
    assert_eq!(status, 201, "{created}");
    created["code"].as_str().unwrap().to_owned()
}

async fn path_of(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_owned()
}

#[tokio::test]
async fn login_refuses_a_wrong_password_then_lets_the_right_one_in() {
    let Some((_driver, c)) = support::browser::browser(1366, 768).await else { return };
    let app = support::sqlite_app().await;

    c.goto(&format!("{}/ho-so", app.base)).await.unwrap();
    assert_eq!(path_of(&c).await, "/dang-nhap", "the inbox needs a login");
    support::browser::screenshot(&c, "login").await;

    log_in(&c, &app, "chuyenvien", "not-the-password").await;
    let error = wait_text(&c, "#login-error", |t| !t.is_empty()).await;
    assert_eq!(error, "Tên đăng nhập hoặc mật khẩu không đúng.");
    // An unknown account gets the very same answer (no account enumeration).
    log_in(&c, &app, "khong-co-ai", "not-the-password").await;
    assert_eq!(wait_text(&c, "#login-error", |t| !t.is_empty()).await, error);
    assert_eq!(
        c.find(Locator::Id("username")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("khong-co-ai")
    );

    log_in(&c, &app, "chuyenvien", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    assert_eq!(path_of(&c).await, "/ho-so", "back where the login was asked for");
    let header = text_of(&c, "header.top").await;
    assert!(header.contains("Chuyên viên") && header.contains("Sở Nông nghiệp và Môi trường"), "{header}");

    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t == "Đăng nhập").await;
    c.goto(&format!("{}/ho-so", app.base)).await.unwrap();
    assert_eq!(path_of(&c).await, "/dang-nhap", "logged out for good");
    c.close().await.unwrap();
}

#[tokio::test]
async fn specialist_finds_a_dossier_without_diacritics_and_acts_another_agency_cannot_see_it() {
    let Some((_driver, c)) = support::browser::browser(1366, 768).await else { return };
    let app = support::sqlite_app().await;
    let code = receive(&app, "Nguyễn Văn Đức", "001099012345").await;
    let other = receive(&app, "Trần Thị Mai", "001199054321").await;

    log_in(&c, &app, "chuyenvien", hcc::demo::DEMO_PASSWORD).await;
    let table = wait_text(&c, "#results", |t| t.contains(&code)).await;
    assert!(table.contains(&other), "both dossiers are in the inbox: {table}");
    support::browser::screenshot(&c, "inbox").await;

    // Search without diacritics: htmx refreshes the table only.
    c.find(Locator::Id("q")).await.unwrap().send_keys("nguyen van duc").await.unwrap();
    c.find(Locator::Css("#filters button[type=submit]")).await.unwrap().click().await.unwrap();
    let table = wait_text(&c, "#results", |t| !t.contains(&other)).await;
    assert!(table.contains(&code) && table.contains("Nguyễn Văn Đức"), "{table}");
    assert!(c.current_url().await.unwrap().query().unwrap_or("").contains("q=nguyen"), "the filter is in the address");

    c.find(Locator::Css(&format!("a[href='/ho-so/{code}']"))).await.unwrap().click().await.unwrap();
    wait_text(&c, "#dossier-code", |t| t == code).await;
    assert_eq!(text_of(&c, "#applicant-name").await, "Nguyễn Văn Đức");
    assert!(text_of(&c, "#control-sheet").await.contains("Tiếp nhận"), "the receipt is on the control sheet");

    // Pause without a reason: refused beside the field, nothing changes.
    c.find(Locator::Css("#action-pause summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("submit-pause")).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, "#pause-reason-error", |t| !t.is_empty()).await;
    assert!(error.contains("lý do"), "{error}");
    assert!(!text_of(&c, "#control-sheet").await.contains("Tạm dừng xử lý"));

    c.find(Locator::Id("pause-reason")).await.unwrap().send_keys("Chờ kết quả đo đạc thực địa").await.unwrap();
    c.find(Locator::Id("submit-pause")).await.unwrap().click().await.unwrap();
    wait_text(&c, ".notice", |t| t.contains("Tạm dừng xử lý")).await;
    let sheet = text_of(&c, "#control-sheet").await;
    assert!(sheet.contains("Tạm dừng xử lý") && sheet.contains("Chờ kết quả đo đạc thực địa"), "{sheet}");
    assert_eq!(text_of(&c, "#dossier-status").await, "Tạm dừng");
    support::browser::screenshot(&c, "dossier").await;

    // A specialist of another agency (Sở Xây dựng) gets the same 404 as for a code that does not exist.
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t == "Đăng nhập").await;
    log_in(&c, &app, "chuyenvien.xd", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    assert!(!text_of(&c, "main").await.contains(&code), "not in their inbox");
    c.goto(&format!("{}/ho-so/{code}", app.base)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Không tìm thấy");
    assert!(!text_of(&c, "main").await.contains("Nguyễn Văn Đức"));
    let (status, _) = app.get_text(&format!("/ho-so/{code}"), None).await;
    assert_eq!(status, 200, "anonymous: the login page, after a redirect");
    c.close().await.unwrap();
}

/// Clicks a button and waits for the notice of the action it runs.
async fn submit_and_wait(c: &Client, button: &str, notice: &str) {
    c.find(Locator::Css(button)).await.unwrap().click().await.unwrap();
    wait_text(c, ".notice", |t| t.contains(notice)).await;
}

#[tokio::test]
async fn the_counter_receives_with_uploads_the_agency_settles_and_the_counter_returns() {
    let Some((_driver, c)) = support::browser::browser(1366, 768).await else { return };
    let app = support::sqlite_app().await;
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let scan = std::env::temp_dir().join(format!("hcc-browser-scan-{}.pdf", std::process::id()));
    std::fs::write(&scan, hcc::demo::scans::pdf(&["Giấy tờ quét tại quầy".to_owned()])).unwrap();
    let result = std::env::temp_dir().join(format!("hcc-browser-result-{}.pdf", std::process::id()));
    std::fs::write(&result, hcc::demo::scans::pdf(&["Giấy chứng nhận đã ký".to_owned()])).unwrap();
    let scan = scan.to_str().unwrap().to_owned();

    // The reception officer starts at the counter and finds the procedure without diacritics.
    log_in(&c, &app, "tiepnhan", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Tiếp nhận hồ sơ").await;
    c.find(Locator::Id("proc-q")).await.unwrap().send_keys("dang ky dat dai lan dau").await.unwrap();
    wait_text(&c, "#proc-results", |t| t.contains(LAND_PROVINCE)).await;
    c.find(Locator::Css(&format!("a[href='/tiep-nhan?procedure={LAND_PROVINCE}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&c, "#chosen-code", |t| t == LAND_PROVINCE).await;
    assert!(!text_of(&c, "#time-limit").await.is_empty(), "the time limit for the counter is shown");

    // A wrong citizen ID is refused beside the field; what was typed stays.
    for no in &docs {
        c.find(Locator::Id(&format!("doc-{no}"))).await.unwrap().click().await.unwrap();
    }
    c.find(Locator::Id("name")).await.unwrap().send_keys("Lê Thị Hồng").await.unwrap();
    c.find(Locator::Id("id_number")).await.unwrap().send_keys("12345").await.unwrap();
    c.find(Locator::Id("phone")).await.unwrap().send_keys("0912345678").await.unwrap();
    c.find(Locator::Id("address")).await.unwrap().send_keys("Số 5 Phố Huế, Hà Nội").await.unwrap();
    c.find(Locator::Id("subject_q")).await.unwrap().send_keys("00004").await.unwrap();
    wait_text(&c, "#subject_commune", |t| t.contains("00004") && !t.contains("Chọn")).await;
    c.find(Locator::Id("receive-button")).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, "#id_number-error", |t| !t.is_empty()).await;
    assert!(error.contains("CCCD"), "{error}");
    assert_eq!(c.find(Locator::Id("name")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("Lê Thị Hồng"));
    let id = c.find(Locator::Id("id_number")).await.unwrap();
    id.clear().await.unwrap();
    id.send_keys("001199023456").await.unwrap();
    support::browser::screenshot(&c, "counter").await;

    // Receive, double-clicked: one dossier.
    let before = app.store.count_dossiers().await.unwrap();
    c.execute("const b = document.getElementById('receive-button'); b.click(); b.click();", vec![]).await.unwrap();
    let code = wait_text(&c, "#dossier-code", |t| !t.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.store.count_dossiers().await.unwrap(), before + 1, "a double click makes one dossier");
    let missing = text_of(&c, "#missing-files").await;
    assert!(missing.contains("chưa có bản số hóa") && missing.contains("chỉ được phân công"), "{missing}");

    // Scan each paper handed in.
    for no in &docs {
        c.find(Locator::Id(&format!("file-{no}"))).await.unwrap().send_keys(&scan).await.unwrap();
        submit_and_wait(&c, &format!("#upload-{no}"), "Số hóa giấy tờ").await;
    }
    wait_text(&c, "#all-digitized", |t| !t.is_empty()).await;
    assert_eq!(c.find_all(Locator::Css("#documents tbody tr")).await.unwrap().len(), docs.len());
    support::browser::screenshot(&c, "dossier-documents").await;

    // The receipt, printable.
    c.find(Locator::Id("receipt-link")).await.unwrap().click().await.unwrap();
    let receipt = wait_text(&c, "body", |t| t.contains("GIẤY TIẾP NHẬN") || t.contains("Giấy tiếp nhận")).await;
    assert!(
        receipt.contains(&code) && receipt.contains("Lê Thị Hồng") && receipt.contains("001199023456"),
        "{receipt}"
    );
    c.back().await.unwrap();
    log_out(&c).await;

    // The leader assigns it and approves.
    log_in(&c, &app, "lanhdao", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    c.goto(&format!("{}/ho-so/{code}", app.base)).await.unwrap();
    c.find(Locator::Css("#action-assign summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("assign-assignee")).await.unwrap().select_by_value("chuyenvien").await.unwrap();
    submit_and_wait(&c, "#submit-assign", "Phân công").await;
    c.find(Locator::Css("#action-approve summary")).await.unwrap().click().await.unwrap();
    submit_and_wait(&c, "#submit-approve", "Phê duyệt").await;
    log_out(&c).await;

    // The specialist cannot hand it back before the result is digitized; attaches it, then can.
    log_in(&c, &app, "chuyenvien", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    c.goto(&format!("{}/ho-so/{code}", app.base)).await.unwrap();
    wait_text(&c, "#result-missing", |t| !t.is_empty()).await;
    assert!(
        c.find(Locator::Id("action-mark_result_ready")).await.is_err(),
        "not offered before the result is attached"
    );
    c.find(Locator::Id("result-file")).await.unwrap().send_keys(result.to_str().unwrap()).await.unwrap();
    submit_and_wait(&c, "#upload-result", "Số hóa kết quả").await;
    c.find(Locator::Css("#action-mark_result_ready summary")).await.unwrap().click().await.unwrap();
    submit_and_wait(&c, "#submit-mark_result_ready", "Kết quả chờ trả").await;
    log_out(&c).await;

    // The counter returns it against the recipient's signature.
    log_in(&c, &app, "tiepnhan", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Tiếp nhận hồ sơ").await;
    c.goto(&format!("{}/tra-ket-qua", app.base)).await.unwrap();
    wait_text(&c, "#returns", |t| t.contains(&code)).await;
    c.find(Locator::Css(&format!("[id='return-{code}'] summary"))).await.unwrap().click().await.unwrap();
    c.find(Locator::Css(&format!("[id='recipient-{code}']"))).await.unwrap().send_keys("Lê Thị Hồng").await.unwrap();
    c.find(Locator::Css(&format!("[id='recipient-id-{code}']")))
        .await
        .unwrap()
        .send_keys("001199023456")
        .await
        .unwrap();
    c.find(Locator::Css(&format!("[id='submit-return-{code}']"))).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, &format!("[id='confirmed-{code}-error']"), |t| !t.is_empty()).await;
    assert!(error.contains("chữ ký"), "{error}");
    // A signature that is not an image is refused beside the pad, and nothing is returned.
    c.execute(
        "document.querySelector('[data-pad] input[name=signature]').value = 'data:image/png;base64,AAAA';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css(&format!("[id='submit-return-{code}']"))).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, &format!("[id='confirmed-{code}-error']"), |t| t.contains("ký lại")).await;
    assert!(error.contains("Chữ ký không đọc được"), "{error}");
    // The recipient signs on the pad: a stroke of pointer events across the canvas.
    c.execute(
        r#"const canvas = document.querySelector('[data-pad] canvas');
           const r = canvas.getBoundingClientRect();
           const ev = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type,
             { pointerId: 1, bubbles: true, clientX: r.left + x, clientY: r.top + y }));
           ev('pointerdown', 20, 80);
           for (let i = 1; i <= 20; i++) ev('pointermove', 20 + i * 15, 80 + 30 * Math.sin(i / 2));
           ev('pointerup', 320, 80);"#,
        vec![],
    )
    .await
    .unwrap();
    support::browser::screenshot(&c, "returns").await;
    submit_and_wait(&c, &format!("[id='submit-return-{code}']"), "Trả kết quả").await;
    let sheet = text_of(&c, "#control-sheet").await;
    assert!(sheet.contains("người nhận ký trên màn hình") && sheet.contains("001199023456"), "{sheet}");
    let documents = text_of(&c, "#documents").await;
    assert!(documents.contains("Chữ ký của người nhận kết quả"), "{documents}");

    // Her next dossier reuses the scan from her store instead of scanning the paper again.
    let next = receive(&app, "Lê Thị Hồng", "001199023456").await;
    c.goto(&format!("{}/ho-so/{next}", app.base)).await.unwrap();
    wait_text(&c, "#vault", |t| t.contains(&code)).await;
    submit_and_wait(&c, "#vault button[type=submit]", "Số hóa giấy tờ").await;
    let documents = text_of(&c, "#documents").await;
    assert!(documents.contains(&format!("Tái sử dụng từ hồ sơ {code}")), "{documents}");
    log_out(&c).await;

    // Another agency's specialist gets "not found".
    log_in(&c, &app, "chuyenvien.xd", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    c.goto(&format!("{}/ho-so/{code}", app.base)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Không tìm thấy");
    let _ = std::fs::remove_file(&scan);
    let _ = std::fs::remove_file(&result);
    c.close().await.unwrap();
}

/// The server's own time for the page in the browser (its `Server-Timing` header), in ms.
async fn server_ms(c: &Client) -> f64 {
    let v = c
        .execute(
            "const t = performance.getEntriesByType('navigation')[0].serverTiming.find(e => e.name === 'app'); return t ? t.duration : -1;",
            vec![],
        )
        .await
        .unwrap();
    v.as_f64().unwrap_or(-1.0)
}

#[tokio::test]
async fn the_counter_refuses_an_incomplete_dossier_with_reasons_and_prints_form_03() {
    let Some((_driver, c)) = support::browser::browser(1366, 768).await else { return };
    let app = support::sqlite_app().await;
    log_in(&c, &app, "tiepnhan", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Tiếp nhận hồ sơ").await;
    eprintln!("server time /tiep-nhan: {:.1} ms", server_ms(&c).await);
    c.goto(&format!("{}/tiep-nhan?procedure={LAND_PROVINCE}", app.base)).await.unwrap();
    wait_text(&c, "#chosen-code", |t| t == LAND_PROVINCE).await;
    eprintln!("server time /tiep-nhan?procedure=…: {:.1} ms", server_ms(&c).await);
    c.find(Locator::Id("name")).await.unwrap().send_keys("Phạm Văn Nam").await.unwrap();
    c.find(Locator::Id("id_number")).await.unwrap().send_keys("001099034567").await.unwrap();
    c.find(Locator::Id("address")).await.unwrap().send_keys("Số 9 Hàng Bài, Hà Nội").await.unwrap();
    c.find(Locator::Id("subject_q")).await.unwrap().send_keys("00004").await.unwrap();
    wait_text(&c, "#subject_commune", |t| t.contains("00004") && !t.contains("Chọn")).await;

    // The session expires mid-form: after logging in again, what was typed comes back.
    c.delete_cookie("hcc_session").await.unwrap();
    c.find(Locator::Id("receive-button")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t == "Đăng nhập").await;
    c.find(Locator::Id("username")).await.unwrap().send_keys("tiepnhan").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(hcc::demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("#login-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t == "Tiếp nhận hồ sơ").await;
    c.find(Locator::Id("draft-restore-link")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#chosen-code", |t| t == LAND_PROVINCE).await;
    let name = c.find(Locator::Id("name")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(name.as_deref(), Some("Phạm Văn Nam"), "the typed form came back");
    assert_eq!(
        c.find(Locator::Id("subject_commune")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("00004")
    );

    // Receiving without the papers is refused with the complete list of what is missing.
    c.find(Locator::Id("receive-button")).await.unwrap().click().await.unwrap();
    let missing = wait_text(&c, "#documents-error", |t| !t.is_empty()).await;
    assert!(missing.contains("cần bổ sung"), "{missing}");
    let items = c.find(Locator::Id("items")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(!items.is_empty(), "the supplement list starts from the missing papers");

    // Refusing needs reasons; with them, the dossier is registered as refused, and Form 03 prints.
    c.find(Locator::Id("refuse-button")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#reasons-error", |t| !t.is_empty()).await;
    c.find(Locator::Id("reasons")).await.unwrap().send_keys("Thửa đất đang có tranh chấp").await.unwrap();
    c.find(Locator::Id("refuse-button")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#dossier-status", |t| t == "Từ chối tiếp nhận").await;
    eprintln!("server time /ho-so/{{code}}: {:.1} ms", server_ms(&c).await);
    c.find(Locator::Css("a[href$='/in/03']")).await.unwrap().click().await.unwrap();
    let form = wait_text(&c, "body", |t| t.contains("Mẫu số 03")).await;
    assert!(form.contains("Thửa đất đang có tranh chấp") && form.contains("Phạm Văn Nam"), "{form}");
    c.close().await.unwrap();
}
