//! Test harness: a real `hcc` server on a loopback port over a seeded demo city, on SQLite and,
//! when `HCC_TEST_POSTGRES_URL` is set (CI always sets it), on PostgreSQL too.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]
#![allow(dead_code)]

pub mod browser;
pub mod web;

use hcc_store::Store;
use serde_json::Value;
use std::path::PathBuf;

pub struct App {
    pub name: &'static str,
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub files: hcc_files::FileStore,
    pub dir: Option<tempfile::TempDir>,
}

pub fn shared_procedures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/procedures/national-portal"))
}

/// A demo city in `data` with no dossiers and only the procedures of the portal's folder
/// `ministry` (quick to build), made by the `hcc` binary as an administrator would.
pub async fn empty_demo_city(data: &std::path::Path, ministry: &str) {
    let procedures = shared_procedures().join(ministry);
    let built = tokio::process::Command::new(env!("CARGO_BIN_EXE_hcc"))
        .args(["--data-dir", data.to_str().unwrap(), "demo", "--no-serve", "--dossiers", "0"])
        .args(["--procedures", procedures.to_str().unwrap()])
        .env_remove("HCC_DATABASE_URL")
        .output()
        .await
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
}

/// A bearer token for the demo account `username` from the server at `base` (a child `hcc serve`,
/// which has no `App`).
pub async fn token_at(client: &reqwest::Client, base: &str, username: &str) -> String {
    let login: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({"username": username, "password": hcc::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["token"].as_str().unwrap().to_owned()
}

/// The numbers of the mandatory papers of `procedure`, as the server at `base` publishes them.
pub async fn mandatory_papers_at(client: &reqwest::Client, base: &str, procedure: &str) -> Vec<u64> {
    let procedure: Value =
        client.get(format!("{base}/api/v1/procedures/{procedure}")).send().await.unwrap().json().await.unwrap();
    procedure["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["mandatory"] == serde_json::json!(true))
        .filter_map(|d| d["no"].as_u64())
        .collect()
}

/// `hcc serve` on the embedded database in `data` as a child process (killed when dropped), with
/// whatever environment `configure` adds; answers it and the base URL it prints.
pub async fn serve_process(
    data: &std::path::Path,
    configure: impl FnOnce(&mut tokio::process::Command),
) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt as _;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_hcc"));
    command
        .args(["--data-dir", data.to_str().unwrap(), "--bind", "127.0.0.1:0", "serve"])
        .env_remove("HCC_DATABASE_URL")
        .env_remove("HCC_SMTP_URL")
        .env_remove("HCC_SMS_URL");
    configure(&mut command);
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(at) = line.find("http://") {
                return line[at..].trim().to_owned();
            }
        }
        panic!("hcc serve ended without serving")
    })
    .await
    .expect("hcc serve starts");
    (child, base)
}

async fn start(name: &'static str, store: Store, dir: Option<tempfile::TempDir>) -> App {
    let dir = match dir {
        Some(d) => d,
        None => tempfile::tempdir().expect("tempdir"),
    };
    let files = hcc_files::FileStore::local(&dir.path().join("files")).expect("file store");
    start_with_files(name, store, dir, files).await
}

/// The app on SQLite with a given document store (e.g. one that is down).
pub async fn sqlite_app_with_files(files: hcc_files::FileStore) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("hcc.sqlite").display());
    let store = Store::open(&url, true).await.expect("open sqlite");
    start_with_files("sqlite", store, dir, files).await
}

async fn start_with_files(
    name: &'static str,
    store: Store,
    dir: tempfile::TempDir,
    files: hcc_files::FileStore,
) -> App {
    start_configured(name, store, dir, files, hcc_web::portal::PortalSettings::default()).await
}

async fn start_configured(
    name: &'static str,
    store: Store,
    dir: tempfile::TempDir,
    files: hcc_files::FileStore,
    portal: hcc_web::portal::PortalSettings,
) -> App {
    store.migrate().await.expect("migrate");
    let land = shared_procedures().join("bo-nong-nghiep-mt");
    hcc::demo::seed_city(&store, &land).await.expect("seed city");
    let calendar = hcc::reference::load_calendar(&store).await.expect("calendar");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let state = hcc_web::AppState::new(store.clone(), files.clone(), calendar, &base).with_portal(portal);
    tokio::spawn(async move {
        let app = hcc_web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let _ = axum::serve(listener, app).await;
    });
    App { name, base, client: reqwest::Client::new(), store, files, dir: Some(dir) }
}

/// The app on SQLite with the citizen portal configured from its base URL once it is bound (e.g.
/// an OpenID Connect client registered for that URL's callback).
pub async fn sqlite_app_with_portal_for(portal: impl AsyncFnOnce(&str) -> hcc_web::portal::PortalSettings) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("hcc.sqlite").display());
    let store = Store::open(&url, true).await.expect("open sqlite");
    let files = hcc_files::FileStore::local(&dir.path().join("files")).expect("file store");
    store.migrate().await.expect("migrate");
    let land = shared_procedures().join("bo-nong-nghiep-mt");
    hcc::demo::seed_city(&store, &land).await.expect("seed city");
    let calendar = hcc::reference::load_calendar(&store).await.expect("calendar");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let settings = portal(&base).await;
    let state = hcc_web::AppState::new(store.clone(), files.clone(), calendar, &base).with_portal(settings);
    tokio::spawn(async move {
        let app = hcc_web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let _ = axum::serve(listener, app).await;
    });
    App { name: "sqlite", base, client: reqwest::Client::new(), store, files, dir: Some(dir) }
}

/// The app on SQLite with the citizen portal configured as given.
pub async fn sqlite_app_with_portal(portal: hcc_web::portal::PortalSettings) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("hcc.sqlite").display());
    let store = Store::open(&url, true).await.expect("open sqlite");
    let files = hcc_files::FileStore::local(&dir.path().join("files")).expect("file store");
    start_configured("sqlite", store, dir, files, portal).await
}

pub async fn sqlite_app() -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("hcc.sqlite").display());
    let store = Store::open(&url, true).await.expect("open sqlite");
    start("sqlite", store, Some(dir)).await
}

pub async fn postgres_app() -> Option<App> {
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    let Some(url) = std::env::var("HCC_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) else {
        assert!(!in_ci, "CI must set HCC_TEST_POSTGRES_URL: PostgreSQL tests may not be skipped in CI");
        eprintln!("SKIPPED: PostgreSQL half of the test (set HCC_TEST_POSTGRES_URL to run it)");
        return None;
    };
    let schema = format!("api_{}_{}", std::process::id(), rand::random::<u32>());
    match Store::open_postgres_schema(&url, &schema).await {
        Ok(store) => Some(start("postgres", store, None).await),
        Err(e) => {
            assert!(!in_ci, "PostgreSQL not reachable in CI: {e}");
            eprintln!("SKIPPED: PostgreSQL half of the test, server not reachable: {e}");
            None
        }
    }
}

/// The app on every backend available.
pub async fn spawn_apps() -> Vec<App> {
    let mut apps = vec![sqlite_app().await];
    if let Some(pg) = postgres_app().await {
        apps.push(pg);
    }
    apps
}

impl App {
    pub fn req(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let r = self.client.request(method, format!("{}{path}", self.base));
        match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    async fn json_of(resp: reqwest::Response) -> (u16, Value) {
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        Self::json_of(self.req(reqwest::Method::GET, path, token).send().await.expect("send")).await
    }

    pub async fn get_text(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let resp = self.req(reqwest::Method::GET, path, token).send().await.expect("send");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        Self::json_of(self.req(reqwest::Method::POST, path, token).json(body).send().await.expect("send")).await
    }

    pub async fn post_raw(&self, path: &str, token: Option<&str>, content_type: &str, body: Vec<u8>) -> (u16, Value) {
        let r = self.req(reqwest::Method::POST, path, token).header("content-type", content_type).body(body);
        Self::json_of(r.send().await.expect("send")).await
    }

    pub async fn put_json(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        Self::json_of(self.req(reqwest::Method::PUT, path, token).json(body).send().await.expect("send")).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (u16, Value) {
        Self::json_of(self.req(reqwest::Method::DELETE, path, Some(token)).send().await.expect("send")).await
    }

    /// Uploads a document as multipart: text `fields` first, then the file `parts` (name, file name, bytes).
    pub async fn upload(
        &self,
        code: &str,
        token: &str,
        fields: &[(&str, &str)],
        parts: Vec<(&str, &str, Vec<u8>)>,
    ) -> (u16, Value) {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (name, file_name, bytes) in parts {
            form = form.part(name.to_owned(), reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
        }
        let r =
            self.req(reqwest::Method::POST, &format!("/api/v1/dossiers/{code}/documents"), Some(token)).multipart(form);
        Self::json_of(r.send().await.expect("send")).await
    }

    pub async fn delete_json(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        Self::json_of(self.req(reqwest::Method::DELETE, path, Some(token)).json(body).send().await.expect("send")).await
    }

    pub async fn action(&self, code: &str, action: &str, token: &str, body: Value) -> (u16, Value) {
        self.post_json(&format!("/api/v1/dossiers/{code}/actions/{action}"), Some(token), &body).await
    }

    pub async fn login(&self, username: &str) -> String {
        let (s, r) = self
            .post_json(
                "/api/v1/auth/token",
                None,
                &serde_json::json!({"username": username, "password": hcc::demo::DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(s, 200, "login {username}: {r}");
        r["token"].as_str().expect("token").to_owned()
    }

    /// Logs in to the staff web app; the session cookie (`name=value`).
    pub async fn web_login(&self, username: &str) -> String {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
        let body = format!("username={}&password={}&next=%2F", username, hcc::demo::DEMO_PASSWORD);
        let r = client
            .post(format!("{}/dang-nhap", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("the login answers");
        assert_eq!(r.status().as_u16(), 303, "{}: login {username}", self.name);
        let cookie = r.headers().get("set-cookie").expect("a session cookie").to_str().expect("ASCII");
        cookie.split(';').next().unwrap_or_default().to_owned()
    }

    /// The numbers of a procedure's mandatory papers.
    /// Receives a first land registration (1.012756) for `name` at the center's counter through
    /// the API; answers the created dossier.
    pub async fn receive_land(&self, token: &str, name: &str) -> Value {
        let docs = self.mandatory_documents("1.012756").await;
        let body = serde_json::json!({
            "procedure_code": "1.012756", "channel": "counter",
            "applicant": {"name": name, "id_number": "001099012345", "phone": "0912345678",
                          "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
            "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs, "return_method": "counter"
        });
        let (s, r) = self.post_json("/api/v1/dossiers", Some(token), &body).await;
        assert_eq!(s, 201, "{}: {r}", self.name);
        r
    }

    pub async fn mandatory_documents(&self, procedure: &str) -> Vec<u64> {
        let p = self.get_json(&format!("/api/v1/procedures/{procedure}"), None).await.1;
        p["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .filter(|d| d["mandatory"] == serde_json::json!(true))
            .filter_map(|d| d["no"].as_u64())
            .collect()
    }

    /// Scans every paper handed in, as the counter does before handing the dossier over.
    pub async fn scan_all(&self, code: &str, token: &str, items: &[u64]) {
        for no in items {
            let pdf = hcc::demo::scans::pdf(&[format!("Giấy tờ số {no} của hồ sơ {code}")]);
            let item = no.to_string();
            let (s, r) = self
                .upload(
                    code,
                    token,
                    &[("item_no", &item), ("copy_kind", "original")],
                    vec![("file", "giay-to.pdf", pdf)],
                )
                .await;
            assert_eq!(s, 201, "{}: {r}", self.name);
        }
    }
}
