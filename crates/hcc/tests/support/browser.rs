//! The browser tests' harness: Debian's headless Chromium driven through chromedriver (started on a
//! free port, stopped with the test), and screenshots into docs/screens when HCC_SCREENSHOTS=1.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn chromium() -> PathBuf {
    std::env::var_os("HCC_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

pub fn chromedriver() -> PathBuf {
    std::env::var_os("HCC_CHROMEDRIVER").map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from)
}

/// chromedriver, stopped when the test ends.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium with a window of `width`×`height`, or `None` (after saying so) when none
/// is installed (outside CI only: in CI a missing browser fails the test).
pub async fn browser(width: u32, height: u32) -> Option<(Driver, Client)> {
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
                     &format!("--window-size={width},{height}"), "--lang=vi-VN", "--hide-scrollbars"]
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

pub fn screens_dir() -> Option<PathBuf> {
    (std::env::var("HCC_SCREENSHOTS").as_deref() == Ok("1"))
        .then(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screens"))
}

pub async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = screens_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
    }
}

/// The text of the first element `css` selects.
pub async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

/// Polls until the element's text satisfies `ok` (htmx swaps and redirects take a moment).
pub async fn wait_text(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
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

/// Signs in on the staff login page (the caller waits for what should follow).
pub async fn log_in(c: &Client, app: &super::App, username: &str, password: &str) {
    c.goto(&format!("{}/dang-nhap", app.base)).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("#login-form button[type=submit]")).await.unwrap().click().await.unwrap();
}

/// Signs out from the staff menu and waits for the login page.
pub async fn log_out(c: &Client) {
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    wait_text(c, "h1", |t| t == "Đăng nhập").await;
}
