//! The citizen's side of the portal over a real socket, on SQLite and on PostgreSQL: sign-up with
//! a one-time code read from the outbox, sign-in and sign-out with a rotated session cookie,
//! online submission with uploads, an interrupted submission resumed, a double submit, the fee
//! payment record, a supplement sent online, and the one rating per dossier shown on /cong-khai.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756";
/// The demo city's online reception point and its officer.
const ONLINE_OFFICER: &str = "tn.0099";

/// A browser-like client: keeps the citizen cookie, follows no redirect by itself.
struct Browser {
    base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

struct Answer {
    status: u16,
    body: String,
    location: String,
    set_cookie: Vec<String>,
}

impl Browser {
    fn new(app: &App) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: app.base.clone(), client, cookie: None }
    }

    async fn send(&mut self, r: reqwest::RequestBuilder) -> Answer {
        let r = match &self.cookie {
            Some(c) => r.header("cookie", format!("hcc_citizen={c}")),
            None => r,
        };
        let resp = r.send().await.unwrap();
        let status = resp.status().as_u16();
        let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let set_cookie: Vec<String> =
            resp.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
        for c in &set_cookie {
            if let Some(v) = c.strip_prefix("hcc_citizen=") {
                let v = v.split(';').next().unwrap_or("");
                self.cookie = (!v.is_empty()).then(|| v.to_owned());
            }
        }
        Answer { status, body: resp.text().await.unwrap_or_default(), location, set_cookie }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let r = self.client.get(format!("{}{path}", self.base));
        self.send(r).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let r = self.client.post(format!("{}{path}", self.base)).form(form);
        self.send(r).await
    }

    async fn post_multipart(&mut self, path: &str, form: reqwest::multipart::Form) -> Answer {
        let r = self.client.post(format!("{}{path}", self.base)).multipart(form);
        self.send(r).await
    }
}

/// The value of the first `name="NAME" value="…"` in a page.
fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn data_code(html: &str) -> String {
    html.split("data-code=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_owned()
}

/// The newest one-time code queued for `contact`.
async fn code_for(app: &App, contact: &str) -> String {
    let messages = app.store.outbox_messages("one_time_code", 50).await.unwrap();
    let (dossier, payload) = messages
        .iter()
        .find(|(_, p)| serde_json::from_str::<Value>(p).unwrap()["to"] == json!(contact))
        .unwrap_or_else(|| panic!("{}: no code queued for {contact}", app.name));
    assert_eq!(*dossier, None, "a sign-up code belongs to no dossier");
    let p: Value = serde_json::from_str(payload).unwrap();
    p["code"].as_str().unwrap().to_owned()
}

/// Signs up and verifies a citizen; the browser ends signed in.
async fn signed_up(app: &App, contact: &str, name: &str) -> Browser {
    let mut b = Browser::new(app);
    let r = b
        .post(
            "/cong-dan/dang-ky",
            &[("name", name), ("contact", contact), ("password", "mat-khau-dai-1"), ("confirm", "mat-khau-dai-1")],
        )
        .await;
    assert_eq!(r.status, 200, "{}: {}", app.name, r.body);
    let code = code_for(app, contact).await;
    let r = b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", &code), ("next", "/cong-dan")]).await;
    assert_eq!((r.status, r.location.as_str()), (303, "/cong-dan"), "{}: {}", app.name, r.body);
    b
}

fn pdf(text: &str) -> Vec<u8> {
    hcc::demo::scans::pdf(&[text.to_owned()])
}

/// The submission form's fields for the demo applicant.
fn applicant_form(csrf: &str, key: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf", csrf.to_owned())
        .text("key", key.to_owned())
        .text("name", "Trần Thị Bích")
        .text("id_number", "001199012345")
        .text("phone", "0987654321")
        .text("email", "")
        .text("address", "Số 5 Hàng Bài, Hà Nội")
        .text("commune_code", "00004")
        .text("subject_commune", "00004")
        .text("request_summary", "Đăng ký đất đai lần đầu")
        .text("return_method", "online")
}

fn with_files(mut form: reqwest::multipart::Form, items: &[u64]) -> reqwest::multipart::Form {
    for no in items {
        let part =
            reqwest::multipart::Part::bytes(pdf(&format!("Giấy tờ số {no}"))).file_name(format!("giay-to-{no}.pdf"));
        form = form.part(format!("file_{no}"), part);
    }
    form
}

#[tokio::test]
async fn a_citizen_signs_up_with_a_one_time_code_and_signs_in_and_out() {
    for app in spawn_apps().await {
        let mut b = Browser::new(&app);
        let r = b.get("/cong-dan").await;
        assert_eq!((r.status, r.location.as_str()), (303, "/cong-dan/dang-nhap?next=%2Fcong-dan"));

        let r = b
            .post(
                "/cong-dan/dang-ky",
                &[
                    ("name", "Lê Văn Cường"),
                    ("contact", "0212345678"),
                    ("password", "mat-khau-dai-1"),
                    ("confirm", "mat-khau-dai-1"),
                ],
            )
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "invalid_contact".to_owned()), "{}", app.name);
        assert!(r.body.contains("Số điện thoại di động không hợp lệ"));
        let r = b
            .post(
                "/cong-dan/dang-ky",
                &[("name", "Lê Văn Cường"), ("contact", "cuong@example.vn"), ("password", "ngan"), ("confirm", "ngan")],
            )
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "weak_password".to_owned()));

        let contact = "cuong@example.vn";
        let r = b
            .post(
                "/cong-dan/dang-ky",
                &[
                    ("name", "Lê Văn Cường"),
                    ("contact", contact),
                    ("password", "mat-khau-dai-1"),
                    ("confirm", "mat-khau-dai-1"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("Mã xác thực đã được gửi đến cuong@example.vn"));
        let first = code_for(&app, contact).await;
        assert_eq!(first.len(), 6);
        // Only the code's hash is kept: the message carries it, the codes table does not.
        let wrong = if first == "000000" { "111111" } else { "000000" };
        let r = b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", wrong)]).await;
        assert_eq!((r.status, data_code(&r.body)), (422, "wrong_code".to_owned()), "{}", r.body);
        assert!(r.body.contains("còn 4 lần thử"));
        for _ in 0..3 {
            b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", wrong)]).await;
        }
        let r = b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", wrong)]).await;
        assert_eq!((r.status, data_code(&r.body)), (410, "code_exhausted".to_owned()), "{}", r.body);
        // Spent by wrong tries, the right code opens nothing.
        let r = b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", &first)]).await;
        assert_eq!((r.status, data_code(&r.body)), (410, "code_exhausted".to_owned()));
        assert!(b.cookie.is_none());

        let r = b.post("/cong-dan/gui-lai-ma", &[("contact", contact)]).await;
        assert_eq!(r.status, 200);
        let second = code_for(&app, contact).await;
        let r = b.post("/cong-dan/xac-thuc", &[("contact", contact), ("code", &second), ("next", "/cong-dan")]).await;
        assert_eq!((r.status, r.location.as_str()), (303, "/cong-dan"), "{}", r.body);
        let cookie = r.set_cookie.iter().find(|c| c.starts_with("hcc_citizen=")).unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let session_one = b.cookie.clone().unwrap();
        // Used once, the code is spent.
        let r = Browser::new(&app).post("/cong-dan/xac-thuc", &[("contact", contact), ("code", &second)]).await;
        assert_eq!((r.status, data_code(&r.body)), (410, "code_used".to_owned()));

        let r = b.get("/cong-dan").await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("Lê Văn Cường") && r.body.contains("Hồ sơ của tôi"));
        // The staff app does not know this cookie.
        let r = b.get("/ho-so").await;
        assert_eq!(r.status, 303);

        let r = Browser::new(&app)
            .post(
                "/cong-dan/dang-ky",
                &[
                    ("name", "Kẻ Khác"),
                    ("contact", contact),
                    ("password", "mat-khau-dai-2"),
                    ("confirm", "mat-khau-dai-2"),
                ],
            )
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "contact_taken".to_owned()));

        let page = b.get("/cong-dan").await.body;
        let r = b.post("/cong-dan/dang-xuat", &[("csrf", "sai")]).await;
        assert_eq!((r.status, data_code(&r.body)), (403, "form_expired".to_owned()));
        let r = b.post("/cong-dan/dang-xuat", &[("csrf", &input_value(&page, "csrf"))]).await;
        assert_eq!(r.status, 303);
        assert!(b.cookie.is_none());
        // The old cookie is dead on the server too.
        let mut replay = Browser::new(&app);
        replay.cookie = Some(session_one.clone());
        assert_eq!(replay.get("/cong-dan").await.status, 303);

        let r = b.post("/cong-dan/dang-nhap", &[("contact", contact), ("password", "sai-mat-khau-1")]).await;
        assert_eq!((r.status, data_code(&r.body)), (401, "sign_in_failed".to_owned()));
        let r =
            b.post("/cong-dan/dang-nhap", &[("contact", "khong-co@example.vn"), ("password", "sai-mat-khau-1")]).await;
        assert_eq!(
            (r.status, data_code(&r.body)),
            (401, "sign_in_failed".to_owned()),
            "unknown accounts look the same"
        );
        // A cookie planted before sign-in is replaced, not adopted.
        b.cookie = Some("planted".into());
        let r = b
            .post(
                "/cong-dan/dang-nhap",
                &[("contact", contact), ("password", "mat-khau-dai-1"), ("next", "/nop-ho-so")],
            )
            .await;
        assert_eq!((r.status, r.location.as_str()), (303, "/nop-ho-so"));
        let session_two = b.cookie.clone().unwrap();
        assert!(session_two != session_one && session_two != "planted");
        assert_eq!(b.get("/cong-dan").await.status, 200);

        // English through the language switch.
        let r = b
            .client
            .get(format!("{}/cong-dan", b.base))
            .header("cookie", format!("hcc_citizen={session_two}; hcc_lang=en"))
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        assert!(body.contains("My dossiers") && body.contains("Sign out"), "{body}");
    }
}

#[tokio::test]
async fn an_online_submission_resumes_never_doubles_and_is_supplemented_and_rated() {
    for app in spawn_apps().await {
        let mut b = signed_up(&app, "0987654321", "Trần Thị Bích").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        assert!(docs.len() >= 2, "the test needs two mandatory papers: {docs:?}");

        let list = b.get("/nop-ho-so?q=dang+ky+dat").await;
        assert_eq!(list.status, 200);
        assert!(list.body.contains(&format!("/nop-ho-so/{LAND_PROVINCE}")), "{}", list.body);
        let form = b.get(&format!("/nop-ho-so/{LAND_PROVINCE}")).await;
        assert_eq!(form.status, 200, "{}", form.body);
        let (csrf, key) = (input_value(&form.body, "csrf"), input_value(&form.body, "key"));

        // Interrupted: one paper missing. Nothing is made; the draft keeps the upload.
        let r = b
            .post_multipart(&format!("/nop-ho-so/{LAND_PROVINCE}"), with_files(applicant_form(&csrf, &key), &docs[..1]))
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "missing_documents".to_owned()), "{}: {}", app.name, r.body);
        assert_eq!(app.store.count_dossiers().await.unwrap(), 0);
        let resumed = b.get(&format!("/nop-ho-so/{LAND_PROVINCE}?nhap={key}")).await;
        assert!(resumed.body.contains(&format!("data-uploaded=\"{}\"", docs[0])), "{}", resumed.body);
        assert!(resumed.body.contains("Trần Thị Bích") && resumed.body.contains("Số 5 Hàng Bài"));
        // The same form without its session token changes nothing.
        let r = b
            .post_multipart(&format!("/nop-ho-so/{LAND_PROVINCE}"), with_files(applicant_form("sai", &key), &docs[1..]))
            .await;
        assert_eq!((r.status, data_code(&r.body)), (403, "form_expired".to_owned()));
        // A bad citizen ID is refused by the counter's own check.
        let bad = applicant_form(&csrf, &key).text("id_number", "12345");
        let r = b.post_multipart(&format!("/nop-ho-so/{LAND_PROVINCE}"), with_files(bad, &docs[1..])).await;
        assert_eq!((r.status, data_code(&r.body)), (422, "invalid_citizen_id".to_owned()), "{}", r.body);

        // Resumed with the rest: the dossier is made, submitted on the online channel.
        let r = b
            .post_multipart(&format!("/nop-ho-so/{LAND_PROVINCE}"), with_files(applicant_form(&csrf, &key), &docs[1..]))
            .await;
        assert_eq!(r.status, 303, "{}: {}", app.name, r.body);
        let code = r.location.trim_start_matches("/cong-dan/ho-so/").trim_end_matches("?moi=1").to_owned();
        assert!(code.starts_with("000.00.99.H26-"), "{code}");
        // A double submit answers the same dossier.
        let again = b
            .post_multipart(&format!("/nop-ho-so/{LAND_PROVINCE}"), with_files(applicant_form(&csrf, &key), &docs[1..]))
            .await;
        assert_eq!((again.status, again.location.as_str()), (303, format!("/cong-dan/ho-so/{code}").as_str()));
        assert_eq!(app.store.count_dossiers().await.unwrap(), 1);

        let officer = app.login(ONLINE_OFFICER).await;
        let leader = app.login("lanhdao").await;
        let specialist = app.login("chuyenvien").await;
        let (s, d) = app.get_json(&format!("/api/v1/dossiers/{code}"), Some(&officer)).await;
        assert_eq!(s, 200, "{d}");
        assert_eq!((d["status"].as_str(), d["channel"].as_str()), (Some("submitted"), Some("online")), "{d}");
        assert!(d["due_at"].is_null(), "the clock starts only when the point receives it");
        let (_, listed) = app.get_json(&format!("/api/v1/dossiers/{code}/documents"), Some(&officer)).await;
        assert_eq!(listed.as_array().unwrap().len(), docs.len(), "{listed}");
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&officer)).await;
        let events = sheet["events"].as_array().unwrap();
        assert_eq!(events[0]["role"], "citizen");
        assert_eq!(events.iter().filter(|e| e["action"] == "digitize").count(), docs.len());

        let page = b.get(&r.location).await;
        assert!(page.body.contains("Hồ sơ đã được gửi") && page.body.contains(&code), "{}", page.body);
        let receipt = b.get(&format!("/cong-dan/ho-so/{code}/giay-tiep-nhan")).await;
        assert_eq!(receipt.status, 200);
        assert!(receipt.body.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") && receipt.body.contains("<svg"));
        // Another citizen sees none of it.
        let mut other = signed_up(&app, "khac@example.vn", "Người Khác").await;
        assert_eq!(other.get(&format!("/cong-dan/ho-so/{code}")).await.status, 404);
        assert_eq!(other.get(&format!("/cong-dan/ho-so/{code}/giay-tiep-nhan")).await.status, 404);

        // The point receives it; the agency asks for more once; the citizen sends it online.
        let (s, r) = app.action(&code, "receive", &officer, json!({})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app
            .action(
                &code,
                "request_supplement",
                &leader,
                json!({"items": ["Bản sao giấy chứng nhận có chứng thực"], "reason": "Bản chụp bị mờ"}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        let page = b.get(&format!("/cong-dan/ho-so/{code}")).await;
        assert!(
            page.body.contains("Bản sao giấy chứng nhận có chứng thực") && page.body.contains("Bản chụp bị mờ"),
            "{}",
            page.body
        );
        let csrf = input_value(&page.body, "csrf");
        let supplement = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("item_no", docs[0].to_string())
            .part("file", reqwest::multipart::Part::bytes(pdf("Bản sao rõ nét")).file_name("bo-sung.pdf"));
        let r = b.post_multipart(&format!("/cong-dan/ho-so/{code}/bo-sung"), supplement).await;
        assert_eq!(r.status, 303, "{}: {}", app.name, r.body);
        let (_, d) = app.get_json(&format!("/api/v1/dossiers/{code}"), Some(&leader)).await;
        assert_eq!(d["status"], "in_progress", "back where it was: {d}");
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&leader)).await;
        let last = sheet["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (last["action"].as_str(), last["role"].as_str()),
            (Some("receive_supplement"), Some("citizen")),
            "{last}"
        );
        // Not waiting for a supplement any more: a second upload is refused.
        let late = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("file", reqwest::multipart::Part::bytes(pdf("x")).file_name("x.pdf"));
        let r = b.post_multipart(&format!("/cong-dan/ho-so/{code}/bo-sung"), late).await;
        assert_eq!((r.status, data_code(&r.body)), (409, "conflict".to_owned()));

        // Settled and returned online.
        let (s, r) = app.action(&code, "complete_step", &specialist, json!({"note": "Đã thẩm định"})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app.action(&code, "approve", &leader, json!({})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) =
            app.upload(&code, &specialist, &[("kind", "result")], vec![("file", "ket-qua.pdf", pdf("Kết quả"))]).await;
        assert_eq!(s, 201, "{r}");
        for (action, body) in [("mark_result_ready", json!({})), ("return_result", json!({"method": "online"}))] {
            let (s, r) = app.action(&code, action, &officer, body).await;
            assert_eq!(s, 200, "{action}: {r}");
        }

        // The rating link: queued in the outbox with the return; the owner's page links to the
        // rating form (their session suffices there); one rating only.
        let queued = app.store.outbox_messages("rating", 10).await.unwrap();
        assert_eq!(queued.len(), 1, "the link goes out with the result");
        let sent: serde_json::Value = serde_json::from_str(&queued[0].1).unwrap();
        let link = sent["url"].as_str().unwrap().to_owned();
        let href = link[link.find("/danh-gia/").unwrap()..].to_owned();
        assert!(href.starts_with(&format!("/danh-gia/{code}?t=")), "{href}");
        let token = href.split("?t=").nth(1).unwrap().to_owned();
        let token = token.as_str();
        let page = b.get(&format!("/cong-dan/ho-so/{code}")).await;
        let own = page.body.split("id=\"rate-link\"").next().unwrap().rsplit("href=\"").next().unwrap().to_owned();
        assert_eq!(own.split('"').next().unwrap(), format!("/danh-gia/{code}"), "the owner needs no token");
        assert_eq!(app.store.outbox_messages("rating", 10).await.unwrap().len(), 1, "queued once");
        let mut anonymous = Browser::new(&app);
        let r = anonymous.get(&format!("/danh-gia/{code}?t=sai")).await;
        assert_eq!(r.status, 404);
        let r = anonymous.get(&href).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = anonymous
            .post(&format!("/danh-gia/{code}"), &[("t", token), ("rating", "dissatisfied"), ("reason", "")])
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "invalid_rating".to_owned()));
        assert!(r.body.contains("Vui lòng nêu lý do không hài lòng"));
        let r = anonymous
            .post(
                &format!("/danh-gia/{code}"),
                &[
                    ("t", token),
                    ("rating", "dissatisfied"),
                    ("reason", "Phải chờ lâu"),
                    ("comment", "Đề nghị rút ngắn thời gian"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // The comment is feedback for the agency to answer within ten working days.
        let feedback = app.store.feedback_page(&Default::default()).await.unwrap();
        assert_eq!(feedback.len(), 1, "{}", app.name);
        assert_eq!(feedback[0].comment, "Đề nghị rút ngắn thời gian");
        let lead = feedback[0].due_at.duration_since(feedback[0].created_at);
        assert!(lead >= jiff::SignedDuration::from_hours(24 * 11), "ten working days and a weekend at least: {lead:?}");
        let r = anonymous.post(&format!("/danh-gia/{code}"), &[("t", token), ("rating", "very_satisfied")]).await;
        assert_eq!(r.status, 404, "a link is used once");
        let page = b.get(&format!("/cong-dan/ho-so/{code}")).await;
        assert!(page.body.contains("id=\"rated\">Không hài lòng"), "{}", page.body);
        assert!(page.body.contains("id=\"feedback-due\""), "the feedback waits for its answer: {}", page.body);
        // The agency answers: the owner reads the answer on their dossier's page.
        let answer = hcc_store::feedback::FeedbackAnswer {
            rating_id: feedback[0].id,
            agency_code: feedback[0].agency_code.clone(),
            answer: "Đã rút ngắn thời gian xử lý bước thẩm định".to_owned(),
            answered_by: "lanhdao".to_owned(),
            notice: "{\"answer\":\"Đã rút ngắn\"}".to_owned(),
        };
        assert!(app.store.answer_feedback(&answer, jiff::Timestamp::now()).await.unwrap());
        let page = b.get(&format!("/cong-dan/ho-so/{code}")).await;
        assert!(page.body.contains("Đã rút ngắn thời gian xử lý bước thẩm định"), "{}", page.body);
        assert!(!page.body.contains("id=\"feedback-due\""));
        let r = b
            .post(&format!("/danh-gia/{code}"), &[("csrf", &input_value(&page.body, "csrf")), ("rating", "satisfied")])
            .await;
        assert_eq!((r.status, data_code(&r.body)), (409, "already_rated".to_owned()));
        let transparency = app.get_text("/cong-khai", None).await.1;
        assert!(transparency.contains("0,0 % hài lòng hoặc rất hài lòng (1 đánh giá"), "{transparency}");
    }
}

#[tokio::test]
async fn a_fee_is_recorded_with_the_submission() {
    for app in spawn_apps().await {
        const FEE_PROCEDURE: &str = "1.012753";
        // Give the procedure an online fee (a new version, as an administrator's import would).
        let mut p = app.store.get_procedure(FEE_PROCEDURE, None).await.unwrap().unwrap();
        p.version += 1;
        let Some(online) = p.channels.iter_mut().find(|c| c.kind == hcc_domain::catalog::Channel::Online) else {
            panic!("{FEE_PROCEDURE} is offered online");
        };
        online.fee = "Lệ phí : 100.000 Đồng".into();
        online.fee_vnd = Some(100_000);
        app.store.put_procedure(&p).await.unwrap();

        let mut b = signed_up(&app, "0901234567", "Phạm Văn Dũng").await;
        let form = b.get(&format!("/nop-ho-so/{FEE_PROCEDURE}")).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("Lệ phí : 100.000 Đồng") && form.body.contains("payment_reference"));
        let (csrf, key) = (input_value(&form.body, "csrf"), input_value(&form.body, "key"));
        let docs = app.mandatory_documents(FEE_PROCEDURE).await;
        let fields = |m: &str, r: &str| {
            applicant_form(&csrf, &key).text("payment_method", m.to_owned()).text("payment_reference", r.to_owned())
        };
        let r = b
            .post_multipart(&format!("/nop-ho-so/{FEE_PROCEDURE}"), with_files(fields("bank_transfer", "x"), &docs))
            .await;
        assert_eq!((r.status, data_code(&r.body)), (422, "invalid_payment".to_owned()), "{}", r.body);
        let r = b
            .post_multipart(
                &format!("/nop-ho-so/{FEE_PROCEDURE}"),
                with_files(fields("bank_transfer", "ft24031234"), &docs),
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let code = r.location.trim_start_matches("/cong-dan/ho-so/").trim_end_matches("?moi=1").to_owned();
        let officer = app.login(ONLINE_OFFICER).await;
        let (_, sheet) = app.get_json(&format!("/api/v1/dossiers/{code}/events"), Some(&officer)).await;
        let payment = &sheet["events"][0]["details"]["payment"];
        assert_eq!(payment["method"], "bank_transfer", "{sheet}");
        assert_eq!(payment["reference"], "FT24031234");
        assert_eq!(payment["fee_vnd"], 100_000);
    }
}

#[tokio::test]
async fn account_forms_are_throttled_per_client() {
    let app = support::sqlite_app().await;
    let mut b = Browser::new(&app);
    let burst = hcc_web::portal::ACCOUNT_BURST as usize;
    // Refused forms (a bad contact) answer at once: the bucket empties faster than it refills.
    for i in 0..burst {
        let r = b
            .post("/cong-dan/dang-ky", &[("name", "A"), ("contact", "0212345678"), ("password", "x"), ("confirm", "x")])
            .await;
        assert_eq!(r.status, 422, "try {i}");
    }
    let r = b.post("/cong-dan/dang-nhap", &[("contact", "0912345678"), ("password", "sai-mat-khau-1")]).await;
    assert_eq!((r.status, data_code(&r.body)), (429, "rate_limited".to_owned()), "{}", r.body);
    // No message is queued for a throttled sign-up.
    let r = b
        .post(
            "/cong-dan/dang-ky",
            &[("name", "A"), ("contact", "0911111111"), ("password", "mat-khau-dai-1"), ("confirm", "mat-khau-dai-1")],
        )
        .await;
    assert_eq!(r.status, 429);
    assert!(app.store.outbox_messages("one_time_code", 10).await.unwrap().is_empty());
}
