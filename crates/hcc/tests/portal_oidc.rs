//! Citizen sign-in with OpenID Connect against a real provider: panva's oidc-provider run locally
//! by `scripts/ensure-oidc` on 127.0.0.1:9091 (`HCC_TEST_OIDC_ISSUER` to point elsewhere). The
//! test registers a client for the app's callback, drives the whole redirect flow over HTTP —
//! the provider's own login and consent forms included — and checks that the app refuses a
//! callback whose state is not the one it sent, and a code used twice.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use std::collections::BTreeMap;

fn issuer() -> String {
    std::env::var("HCC_TEST_OIDC_ISSUER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "http://127.0.0.1:9091".into())
}

/// A client that follows nothing by itself and keeps every cookie per host.
struct Jar {
    client: reqwest::Client,
    cookies: BTreeMap<(String, String), String>,
}

impl Jar {
    fn host(url: &str) -> String {
        url.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("").to_owned()
    }

    async fn send(
        &mut self,
        method: reqwest::Method,
        url: &str,
        form: Option<&[(String, String)]>,
    ) -> (u16, String, String) {
        let host = Jar::host(url);
        let cookie: Vec<String> =
            self.cookies.iter().filter(|((h, _), _)| *h == host).map(|((_, k), v)| format!("{k}={v}")).collect();
        let mut r = self.client.request(method, url);
        if !cookie.is_empty() {
            r = r.header("cookie", cookie.join("; "));
        }
        if let Some(f) = form {
            r = r.form(f);
        }
        let resp = r.send().await.unwrap();
        let status = resp.status().as_u16();
        for c in resp.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || c.to_ascii_lowercase().contains("max-age=0") {
                    self.cookies.remove(&(host.clone(), k.trim().to_owned()));
                } else {
                    self.cookies.insert((host.clone(), k.trim().to_owned()), v.to_owned());
                }
            }
        }
        let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        (status, location, resp.text().await.unwrap_or_default())
    }
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") { location.to_owned() } else { format!("{base}{location}") }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!("{name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(tag[start..].split('"').next()?.replace("&amp;", "&"))
}

/// The first form of a page: its action and fields, the login filled in.
fn fill_form(html: &str, login: &str) -> (String, Vec<(String, String)>) {
    let form = html.split("<form").nth(1).unwrap_or_else(|| panic!("no form in {html}"));
    let head = form.split('>').next().unwrap();
    let action = attr(head, "action").unwrap();
    let mut fields = Vec::new();
    for input in form.split("<input").skip(1) {
        let tag = input.split('>').next().unwrap();
        let Some(name) = attr(tag, "name") else { continue };
        let value = match name.as_str() {
            "login" => login.to_owned(),
            "password" => "any-password".to_owned(),
            _ => attr(tag, "value").unwrap_or_default(),
        };
        fields.push((name, value));
    }
    (action, fields)
}

/// Signs in at the provider from the app's `/cong-dan/oidc`; answers the callback URL the
/// provider sends the browser back to.
async fn through_provider(jar: &mut Jar, app_base: &str, issuer: &str, login: &str) -> String {
    let (s, mut location, _) =
        jar.send(reqwest::Method::GET, &format!("{app_base}/cong-dan/oidc?next=/cong-dan"), None).await;
    assert_eq!(s, 303);
    assert!(location.starts_with(issuer), "{location}");
    assert!(
        location.contains("code_challenge_method=S256") && location.contains("nonce=") && location.contains("state=")
    );
    for _ in 0..12 {
        if location.starts_with(app_base) {
            return location;
        }
        let (s, next, body) = jar.send(reqwest::Method::GET, &absolute(issuer, &location), None).await;
        if (300..400).contains(&s) {
            location = next;
            continue;
        }
        assert_eq!(s, 200, "{body}");
        let (action, fields) = fill_form(&body, login);
        let (s, next, body) = jar.send(reqwest::Method::POST, &absolute(issuer, &action), Some(&fields)).await;
        assert!((300..400).contains(&s), "{s}: {body}");
        location = next;
    }
    panic!("the provider never sent the browser back");
}

#[tokio::test]
async fn a_citizen_signs_in_through_a_real_openid_connect_provider() {
    let issuer = issuer();
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    if http.get(format!("{issuer}/.well-known/openid-configuration")).send().await.is_err() {
        assert!(!in_ci, "CI must run the OpenID Connect provider (scripts/ensure-oidc)");
        eprintln!("SKIPPED: no OpenID Connect provider at {issuer} (run scripts/ensure-oidc)");
        return;
    }
    let registered = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
    let keep = registered.clone();
    let iss = issuer.clone();
    let app = support::sqlite_app_with_portal_for(async move |base: &str| {
        let callback = format!("{base}/cong-dan/oidc/callback");
        let client: Value = reqwest::Client::new()
            .post(format!("{iss}/reg"))
            .json(
                &json!({"redirect_uris": [callback], "grant_types": ["authorization_code"], "response_types": ["code"],
                          "token_endpoint_auth_method": "client_secret_basic", "client_name": "HCC test"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        *keep.lock().unwrap() = client.clone();
        hcc_web::portal::PortalSettings {
            oidc: Some(hcc_web::portal::OidcSettings {
                issuer: iss.clone(),
                client_id: client["client_id"].as_str().unwrap().to_owned(),
                client_secret: client["client_secret"].as_str().unwrap().to_owned(),
                redirect_url: callback,
            }),
            ..Default::default()
        }
    })
    .await;
    assert!(registered.lock().unwrap()["client_id"].is_string());

    let mut jar = Jar { client: http.clone(), cookies: BTreeMap::new() };
    let (_, _, page) = jar.send(reqwest::Method::GET, &format!("{}/cong-dan/dang-nhap", app.base), None).await;
    assert!(page.contains("/cong-dan/oidc"), "the sign-in page offers the provider: {page}");

    let callback = through_provider(&mut jar, &app.base, &issuer, "nguyen.van.an").await;
    assert!(callback.contains("code=") && callback.contains("state="), "{callback}");
    // The same code with another state is refused: the flow cookie decides.
    let forged = callback.replace("state=", "state=x");
    let (s, _, body) = jar.send(reqwest::Method::GET, &forged, None).await;
    assert_eq!(s, 400, "{body}");
    assert!(body.contains("oidc_state_mismatch"));
    let (s, location, body) = jar.send(reqwest::Method::GET, &callback, None).await;
    assert_eq!((s, location.as_str()), (303, "/cong-dan"), "{body}");
    assert!(jar.cookies.contains_key(&(Jar::host(&app.base), "hcc_citizen".to_owned())));
    let (s, _, home) = jar.send(reqwest::Method::GET, &format!("{}/cong-dan", app.base), None).await;
    assert_eq!(s, 200);
    assert!(home.contains("Công dân nguyen.van.an"), "the name comes from the ID token: {home}");

    // A code is good once; the flow cookie is gone after use as well.
    let (s, _, body) = jar.send(reqwest::Method::GET, &callback, None).await;
    assert!(s == 400 || s == 502, "{s}: {body}");

    // Signing in again finds the same account.
    let mut again = Jar { client: http.clone(), cookies: BTreeMap::new() };
    let callback = through_provider(&mut again, &app.base, &issuer, "nguyen.van.an").await;
    let (s, _, _) = again.send(reqwest::Method::GET, &callback, None).await;
    assert_eq!(s, 303);
    let a = app.store.citizen_for_oidc(&issuer, "nguyen.van.an", "x", hcc_store::model::now()).await.unwrap();
    assert_eq!(a.full_name, "Công dân nguyen.van.an");
}
