//! A staff browser without a browser: a logged-in reqwest client with its session cookie and form
//! token, and readers of the pages' fields.

use super::App;

/// A logged-in browser without one: its session cookie and form token.
pub struct Web {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Web {
    pub async fn login(app: &App, username: &str, password: &str) -> Option<Web> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let body = format!("username={username}&password={password}&next=%2F");
        let r = client
            .post(format!("{}/dang-nhap", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        if r.status().as_u16() != 303 {
            return None;
        }
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        let mut web = Web { client, base: app.base.clone(), cookie, csrf: String::new() };
        let (_, home) = web.get("/doi-mat-khau").await;
        web.csrf = csrf_of(&home);
        Some(web)
    }

    pub async fn demo(app: &App, username: &str) -> Web {
        Web::login(app, username, hcc::demo::DEMO_PASSWORD).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form (the token added); the status and the redirect target or the page.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut pairs: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        pairs.extend_from_slice(fields);
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&pairs)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        (status, location.unwrap_or(r.text().await.unwrap()))
    }
}

pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form token") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_owned()
}

/// The text of the element with `id` (up to its closing tag), unescaped enough for Vietnamese.
pub fn text_of(html: &str, id: &str) -> String {
    let Some(at) = html.find(&format!("id=\"{id}\"")) else { return String::new() };
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap();
    rest[start..start + end].replace("&#34;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The value of the input `name` as the page shows it.
pub fn value_of(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" type=")).unwrap_or_else(|| panic!("input {name}"));
    let rest = &html[at..];
    let v = rest.find("value=\"").unwrap() + "value=\"".len();
    rest[v..].split('"').next().unwrap().to_owned()
}
