//! The supervisor's pages in a real browser (headless Chromium over WebDriver, as `browser.rs`):
//! the dashboard shows the city's open dossiers, a figure drills down to the dossiers behind it,
//! the watched fields' view and another period are a click away, and a leader's view is their
//! agency's alone. Skipped loudly without the browser, except in CI. `HCC_SCREENSHOTS=1` saves the
//! dashboard and the list behind a figure to `docs/screens/`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use fantoccini::Locator;
use support::browser::{log_in, log_out, text_of, wait_text};

/// Waits until the address has `part` in its query (a link followed, a form sent).
async fn wait_url(c: &fantoccini::Client, part: &str) {
    for _ in 0..100 {
        if c.current_url().await.unwrap().query().unwrap_or("").contains(part) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the address never had {part}");
}

#[tokio::test]
async fn a_supervisor_drills_from_a_figure_to_the_dossiers_and_a_leader_sees_their_agency() {
    let Some((_driver, c)) = support::browser::browser(1366, 768).await else { return };
    let app = support::sqlite_app().await;
    let reception = app.login("tiepnhan").await;
    let first = app.receive_land(&reception, "Nguyễn Văn Đức").await["code"].as_str().unwrap().to_owned();
    let second = app.receive_land(&reception, "Trần Thị Mai").await["code"].as_str().unwrap().to_owned();

    log_in(&c, &app, "giamsat", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    c.goto(&format!("{}/giam-sat", app.base)).await.unwrap();
    wait_text(&c, "h1", |t| t.contains("toàn Thành phố")).await;
    let gauges = text_of(&c, "#gauges").await;
    assert!(gauges.contains("Đang giải quyết\n2") || gauges.contains("Đang giải quyết 2"), "{gauges}");
    assert!(text_of(&c, "#totals").await.contains("Tiếp nhận"), "the period's figures");
    assert!(c.find(Locator::Css(".chart svg")).await.is_ok(), "the chart is drawn on the server");
    support::browser::screenshot(&c, "supervision").await;

    // The open figure drills down to both dossiers.
    c.find(Locator::XPath("//ul[@id='gauges']/li[contains(., 'Đang giải quyết')]//a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let list = wait_text(&c, "main", |t| t.contains(&first)).await;
    assert!(list.contains(&second) && list.contains("Trần Thị Mai"), "{list}");
    support::browser::screenshot(&c, "supervision-list").await;

    // The watched fields' view (land among them), then a period with nothing in it.
    c.goto(&format!("{}/giam-sat", app.base)).await.unwrap();
    c.find(Locator::LinkText("Lĩnh vực trọng điểm: đất đai, đầu tư, quy hoạch, xây dựng"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, "view=watched").await;
    assert!(text_of(&c, "#gauges").await.contains('2'), "land is a watched field");
    // The date fields' typed format follows the browser's locale: set the values as a picker would.
    c.execute(
        "document.getElementById('from').value='2024-10-01';document.getElementById('to').value='2024-10-31';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#period button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "main", |t| t.contains("Kỳ báo cáo: 01/10/2024 – 31/10/2024")).await;
    assert!(c.current_url().await.unwrap().query().unwrap_or("").contains("view=watched"), "the view is kept");

    // A leader of another agency: their own agency's picture, without either dossier.
    log_out(&c).await;
    log_in(&c, &app, "lanhdao.xd", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t == "Hồ sơ cần xử lý").await;
    c.goto(&format!("{}/giam-sat", app.base)).await.unwrap();
    let heading = wait_text(&c, "h1", |t| t.starts_with("Giám sát giải quyết hồ sơ — ")).await;
    assert!(!heading.contains("toàn Thành phố"), "{heading}");
    let gauges = text_of(&c, "#gauges").await;
    assert!(gauges.contains("Đang giải quyết\n0") || gauges.contains("Đang giải quyết 0"), "{gauges}");
    assert!(c.find(Locator::Id("agency")).await.is_err(), "no agency picker for a leader");
    c.close().await.unwrap();
}
