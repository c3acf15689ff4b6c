//! The citizen portal in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) over WebDriver against the real server. An anonymous visitor tracks a
//! dossier by its code and sees no personal data; with the receipt's secret, the papers.
//!
//! Without the browser these tests are skipped loudly, except in CI (`CI` set), where they fail.
//! With `HCC_SCREENSHOTS=1` they save the tracking, guide and transparency pages to
//! `docs/screens/portal-*.png`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::App;

const LAND_PROVINCE: &str = "1.012756"; // → Sở Nông nghiệp và Môi trường

fn chromium() -> PathBuf {
    std::env::var_os("HCC_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn chromedriver() -> PathBuf {
    std::env::var_os("HCC_CHROMEDRIVER").map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from)
}

/// chromedriver, stopped when the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium at 1280×900, or `None` (after saying so) when none is installed.
async fn browser() -> Option<(Driver, Client)> {
    let (browser, driver) = (chromium(), chromedriver());
    if !browser.exists() || !driver.exists() {
        let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        let msg = format!(
            "browser tests need {} and {} (apt-get install -y chromium chromium-driver)",
            browser.display(),
            driver.display()
        );
        assert!(!in_ci, "CI must run the browser tests: {msg}");
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver_guard = Driver(child);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": browser,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=vi-VN", "--hide-scrollbars"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return Some((driver_guard, client)),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not answer on {url}");
}

fn screens_dir() -> Option<PathBuf> {
    (std::env::var("HCC_SCREENSHOTS").as_deref() == Ok("1"))
        .then(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screens"))
}

async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = screens_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
    }
}

async fn mandatory_documents(app: &App, code: &str) -> Vec<u64> {
    let p = app.get_json(&format!("/api/v1/procedures/{code}"), None).await.1;
    p["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["mandatory"] == json!(true))
        .map(|d| d["no"].as_u64().unwrap())
        .collect()
}

/// Receives a land dossier at the center's counter through the API; answers (code, secret).
async fn receive(app: &App, token: &str, name: &str, id_number: &str) -> (String, String) {
    let docs = mandatory_documents(app, LAND_PROVINCE).await;
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

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

/// Polls until the element's text satisfies `ok` (form posts take a moment).
async fn wait_text(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if ok(&last) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never matched; last text: {last}");
}

#[tokio::test]
async fn an_anonymous_visitor_tracks_by_code_and_the_applicant_sees_the_papers() {
    let Some((_driver, c)) = browser().await else { return };
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
    screenshot(&c, "portal-tracking").await;

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
    screenshot(&c, "portal-guide").await;
    c.find(Locator::Css(&format!("a[href='/thu-tuc/{LAND_PROVINCE}']"))).await.unwrap().click().await.unwrap();
    wait_text(&c, "#channels", |t| t.contains("Trực tiếp")).await;

    // The transparency page: figures and charts, no names.
    c.goto(&format!("{}/cong-khai", app.base)).await.unwrap();
    let table = wait_text(&c, "#theo-co-quan-table", |t| t.contains("Sở Nông nghiệp và Môi trường")).await;
    assert!(table.contains('3'), "three received: {table}");
    assert!(c.find(Locator::Css("svg.chart")).await.is_ok());
    assert!(!text_of(&c, "main").await.contains("Nguyễn"));
    screenshot(&c, "portal-transparency").await;

    // On a phone's width the applicant's page fits without sideways scrolling.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{}/tra-cuu/{code}?ma={secret}", app.base)).await.unwrap();
    wait_text(&c, "#papers", |t| !t.is_empty()).await;
    let overflow = c
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    assert!(overflow.as_i64().unwrap() <= 0, "the page scrolls sideways by {overflow}px");
    screenshot(&c, "portal-tracking-phone").await;
    c.close().await.unwrap();
}
