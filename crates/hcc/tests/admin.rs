//! The administration pages over a real socket, on SQLite and on PostgreSQL: only administrators
//! get in; bad input comes back beside its field with what was typed and changes nothing; a new
//! procedure version is taken by new dossiers while an old dossier keeps its own; a holiday added
//! moves the next due date at once; accounts, agencies, points, file rules and the catalog import;
//! every change in the administrators' log.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use hcc_domain::catalog::edit::{documents_to_text, steps_to_text};
use serde_json::{Value, json};
use support::web::{Web, text_of, value_of};
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756"; // Đất đai, Cấp tỉnh → Sở Nông nghiệp và Môi trường

async fn receive(app: &App, token: &str) -> Value {
    app.receive_land(token, "Phạm Minh Tuấn").await
}

fn due_date(dossier: &Value) -> jiff::civil::Date {
    dossier["due_at"].as_str().unwrap()[..10].parse().unwrap()
}

#[tokio::test]
async fn only_administrators_reach_the_administration() {
    for app in spawn_apps().await {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let r = client.get(format!("{}/quan-tri/lich", app.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 303, "{}: anonymous goes to the login", app.name);
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/dang-nhap"));

        let admin = Web::demo(&app, "quantri").await;
        let (s, home) = admin.get("/").await;
        assert_eq!(s, 200);
        assert!(home.contains("href=\"/quan-tri\""), "{}: the administrator's menu has it", app.name);

        for who in ["tiepnhan", "chuyenvien", "giamsat"] {
            let web = Web::demo(&app, who).await;
            let (_, home) = web.get("/ho-so").await;
            assert!(!home.contains("href=\"/quan-tri\""), "{}: {who}'s menu has no administration", app.name);
            for path in ["/quan-tri", "/quan-tri/thu-tuc", "/quan-tri/tai-khoan", "/quan-tri/lich", "/quan-tri/co-quan"]
            {
                assert_eq!(web.get(path).await.0, 403, "{}: {who} GET {path}", app.name);
            }
            let (s, _) =
                web.post("/quan-tri/lich", &[("date", "2031-05-06"), ("kind", "holiday"), ("name", "Nghỉ")]).await;
            assert_eq!(s, 403, "{}: {who} may not change the calendar", app.name);
            let (s, _) = web
                .post(
                    "/quan-tri/tai-khoan",
                    &[("username", "ke.gian"), ("full_name", "X"), ("role", "admin"), ("password", "mat-khau-dai-du")],
                )
                .await;
            assert_eq!(s, 403, "{}: {who} may not create accounts", app.name);
        }
        let days = app.store.calendar_days().await.unwrap();
        assert!(!days.iter().any(|d| d.date == jiff::civil::date(2031, 5, 6)), "{}: nothing written", app.name);
        assert!(app.store.user_by_username("ke.gian").await.unwrap().is_none());
        // Without the form token nothing is done either.
        let (s, _) = admin
            .client
            .post(format!("{}/quan-tri/lich", app.base))
            .header("cookie", &admin.cookie)
            .form(&[("date", "2031-05-06"), ("kind", "holiday"), ("name", "Nghỉ")])
            .send()
            .await
            .map(|r| (r.status().as_u16(), ()))
            .unwrap();
        assert_eq!(s, 403, "{}: a form without its token is refused", app.name);
        assert!(app.store.admin_audit(None, 10).await.unwrap().is_empty(), "{}: nothing logged", app.name);
    }
}

#[tokio::test]
async fn a_holiday_added_moves_the_next_due_date_and_bad_days_are_refused_beside_their_field() {
    for app in spawn_apps().await {
        let admin = Web::demo(&app, "quantri").await;
        let reception = app.login("tiepnhan").await;

        // Refused: a make-up day on a Tuesday, an impossible date, no name — each beside its field.
        let (s, html) =
            admin.post("/quan-tri/lich", &[("date", "2030-05-07"), ("kind", "makeup"), ("name", "Làm bù")]).await;
        assert_eq!(s, 422, "{}", app.name);
        assert_eq!(text_of(&html, "date-error"), "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật");
        assert_eq!(value_of(&html, "name"), "Làm bù", "what was typed is kept");
        let (s, html) =
            admin.post("/quan-tri/lich", &[("date", "31/02/2030"), ("kind", "holiday"), ("name", "")]).await;
        assert_eq!(s, 422);
        assert_eq!(text_of(&html, "date-error"), "Ngày không hợp lệ (dd/mm/yyyy)");
        assert!(text_of(&html, "name-error").starts_with("Cần nhập tên ngày"), "{html:.0}");
        assert_eq!(value_of(&html, "date"), "31/02/2030");
        assert!(
            app.store.admin_audit(None, 10).await.unwrap().is_empty(),
            "{}: refused changes are not logged",
            app.name
        );

        // The due date of a dossier received now, then the same after its due day becomes a holiday.
        let first = receive(&app, &reception).await;
        let due = due_date(&first);
        let (s, to) = admin
            .post(
                "/quan-tri/lich",
                &[("date", &due.strftime("%d/%m/%Y").to_string()), ("kind", "holiday"), ("name", "Nghỉ đột xuất")],
            )
            .await;
        assert_eq!(s, 303, "{}: {to}", app.name);
        assert_eq!(to, format!("/quan-tri/lich?nam={}&da-luu=1", due.year()));
        let second = receive(&app, &reception).await;
        let moved = due_date(&second);
        assert!(moved > due, "{}: due {due} became a holiday, the next dossier is due {moved}", app.name);
        let (_, page) = admin.get(&format!("/quan-tri/lich?nam={}", due.year())).await;
        assert!(page.contains(&format!("id=\"day-{due}\"")) && page.contains("Nghỉ đột xuất"), "{}", app.name);

        // Removed again: the due date comes back.
        let (s, _) = admin.post("/quan-tri/lich/xoa", &[("date", &due.to_string())]).await;
        assert_eq!(s, 303);
        let third = receive(&app, &reception).await;
        assert_eq!(due_date(&third), due, "{}: the holiday's removal applies at once", app.name);
        let (s, _) = admin.post("/quan-tri/lich/xoa", &[("date", &due.to_string())]).await;
        assert_eq!(s, 404, "{}: nothing left to remove", app.name);

        let log = app.store.admin_audit(None, 10).await.unwrap();
        let actions: Vec<(&str, &str)> = log.iter().map(|e| (e.action.as_str(), e.username.as_str())).collect();
        assert_eq!(actions, vec![("calendar.delete", "quantri"), ("calendar.put", "quantri")], "{}", app.name);
        assert!(log[1].detail.contains("Nghỉ đột xuất"));
    }
}

/// The procedure form as the page would post it, from the stored procedure.
fn procedure_form(p: &hcc_domain::catalog::Procedure) -> Vec<(String, String)> {
    let mut f = vec![
        ("name".to_owned(), p.name.clone()),
        ("field".to_owned(), p.field.clone()),
        ("level".to_owned(), p.level.clone()),
        ("competent_agency".to_owned(), p.competent_agency.clone()),
        ("executing_agency".to_owned(), p.executing_agency.clone()),
        ("documents".to_owned(), documents_to_text(&p.documents)),
        ("steps".to_owned(), steps_to_text(&p.steps)),
        ("clock_policy".to_owned(), "pause".to_owned()),
    ];
    for c in &p.channels {
        let k = c.kind.as_str();
        let l = c.time_limit.unwrap();
        f.push((format!("offered_{k}"), "1".into()));
        f.push((format!("limit_{k}"), format!("{}", l.tenths / 10)));
        f.push((format!("unit_{k}"), l.unit.as_str().into()));
        f.push((format!("fee_{k}"), c.fee.clone()));
    }
    f
}

fn set(form: &mut [(String, String)], name: &str, value: &str) {
    form.iter_mut().find(|(k, _)| k == name).unwrap_or_else(|| panic!("field {name}")).1 = value.to_owned();
}

#[tokio::test]
async fn a_new_procedure_version_is_used_by_new_dossiers_while_an_old_dossier_keeps_its_own() {
    for app in spawn_apps().await {
        let admin = Web::demo(&app, "quantri").await;
        let reception = app.login("tiepnhan").await;

        // Found without diacritics.
        let (s, list) = admin.get("/quan-tri/thu-tuc?q=dang+ky+dat+dai").await;
        assert_eq!(s, 200);
        assert!(list.contains(&format!("href=\"/quan-tri/thu-tuc/{LAND_PROVINCE}\"")), "{}", app.name);

        let old = receive(&app, &reception).await;
        let old_code = old["code"].as_str().unwrap().to_owned();
        let p = app.store.get_procedure(LAND_PROVINCE, None).await.unwrap().unwrap();
        assert_eq!(p.version, 1);
        let counter = p.channel(hcc_domain::catalog::Channel::Counter).unwrap().time_limit.unwrap();
        let mut form = procedure_form(&p);

        // Refused: no limit, steps that do not add up, a paper line without a name.
        let mut bad = form.clone();
        set(&mut bad, "limit_counter", "mười");
        set(&mut bad, "steps", "Tiếp nhận | 50 | tiếp nhận\nThẩm định | 40 | chuyên viên");
        let docs = format!("{}\n | 1", documents_to_text(&p.documents));
        set(&mut bad, "documents", &docs);
        let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (s, html) = admin.post(&format!("/quan-tri/thu-tuc/{LAND_PROVINCE}"), &pairs).await;
        assert_eq!(s, 422, "{}", app.name);
        assert_eq!(text_of(&html, "limit_counter-error"), "Thời hạn phải là số lớn hơn 0, ví dụ 15 hoặc 0,5");
        assert_eq!(text_of(&html, "steps-error"), "dòng 0: tổng tỷ lệ các bước là 90%, phải là 100%");
        assert_eq!(text_of(&html, "documents-error"), format!("dòng {}: thiếu tên giấy tờ", p.documents.len() + 1));
        assert!(html.contains("value=\"mười\""), "what was typed is kept");
        assert_eq!(app.store.current_procedure_version(LAND_PROVINCE).await.unwrap(), Some(1), "nothing published");

        // Published: five more units of time at the counter.
        let longer = format!("{}", counter.tenths / 10 + 5);
        set(&mut form, "limit_counter", &longer);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (s, to) = admin.post(&format!("/quan-tri/thu-tuc/{LAND_PROVINCE}"), &pairs).await;
        assert_eq!(
            (s, to.as_str()),
            (303, format!("/quan-tri/thu-tuc/{LAND_PROVINCE}?phien-ban=2").as_str()),
            "{}",
            app.name
        );
        // Posting the same again publishes nothing.
        let (s, to) = admin.post(&format!("/quan-tri/thu-tuc/{LAND_PROVINCE}"), &pairs).await;
        assert_eq!((s, to), (303, format!("/quan-tri/thu-tuc/{LAND_PROVINCE}?khong-doi=2")));

        let new = receive(&app, &reception).await;
        let new_code = new["code"].as_str().unwrap();
        let staff = app.login("tiepnhan").await;
        let (_, old_now) = app.get_json(&format!("/api/v1/dossiers/{old_code}"), Some(&staff)).await;
        let (_, new_now) = app.get_json(&format!("/api/v1/dossiers/{new_code}"), Some(&staff)).await;
        assert_eq!(old_now["procedure_version"], json!(1), "{}: the old dossier keeps its version", app.name);
        assert_eq!(new_now["procedure_version"], json!(2), "{}: a new dossier takes the new one", app.name);
        assert_eq!(old_now["due_at"], old["due_at"], "{}: the old dossier's due date is untouched", app.name);
        assert!(due_date(&new) > due_date(&old), "{}: {} vs {}", app.name, new["due_at"], old["due_at"]);

        let (_, page) = admin.get(&format!("/quan-tri/thu-tuc/{LAND_PROVINCE}?phien-ban=2")).await;
        assert_eq!(text_of(&page, "procedure-version"), "2");
        assert!(page.contains("Đã ban hành phiên bản 2"), "{}", app.name);
        assert_eq!(value_of(&page, "name"), p.name.replace('"', "&#34;"));
        let log = app.store.admin_audit(Some(LAND_PROVINCE), 10).await.unwrap();
        assert_eq!(log.len(), 1, "{}: one version, one log row", app.name);

        // File rules: refused beside the field, then stored.
        let (s, html) = admin
            .post(
                &format!("/quan-tri/thu-tuc/{LAND_PROVINCE}/quy-dinh-tep"),
                &[("max_mb", "0"), ("media_types", "pdf, exe"), ("archive_years", "")],
            )
            .await;
        assert_eq!(s, 422);
        assert!(text_of(&html, "max_mb-error").starts_with("Dung lượng tối đa phải là số nguyên từ 1"), "{}", app.name);
        assert_eq!(text_of(&html, "media_types-error"), "Loại tệp không được hỗ trợ: exe");
        assert!(app.store.file_rules(LAND_PROVINCE).await.unwrap().is_none());
        let (s, _) = admin
            .post(
                &format!("/quan-tri/thu-tuc/{LAND_PROVINCE}/quy-dinh-tep"),
                &[("max_mb", "20"), ("media_types", "pdf, image/jpeg"), ("archive_years", "10")],
            )
            .await;
        assert_eq!(s, 303);
        let rules = app.store.file_rules(LAND_PROVINCE).await.unwrap().unwrap();
        assert_eq!(
            (rules.max_bytes, rules.media_types, rules.archive_years),
            (20 * 1024 * 1024, vec!["pdf".to_owned(), "jpeg".to_owned()], Some(10))
        );
    }
}

#[tokio::test]
async fn the_catalog_import_reports_each_file_and_field() {
    for app in spawn_apps().await {
        let admin = Web::demo(&app, "quantri").await;
        let mut p = app.store.get_procedure(LAND_PROVINCE, None).await.unwrap().unwrap();
        p.code = "1.999001".into();
        p.name = "Thủ tục thử nghiệm nhập từ tệp".into();
        p.steps = vec![hcc_domain::catalog::ProcedureStep {
            name: "Thẩm định".into(),
            share_percent: 90,
            role: hcc_domain::catalog::StepRole::Specialist,
        }];
        let good = serde_json::to_vec(&json!({"procedures": [p]})).unwrap();
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(good).file_name("thu-tuc.json"))
            .part("file", reqwest::multipart::Part::bytes(b"{\"ma_thu_tuc\": ".to_vec()).file_name("hong.json"));
        let r = admin
            .client
            .post(format!("{}/quan-tri/thu-tuc/nhap?csrf={}", app.base, admin.csrf))
            .header("cookie", &admin.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422, "{}: one file failed", app.name);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("thu-tuc.json") && html.contains("1.999001") && html.contains("Thủ tục mới (phiên bản 1)"),
            "{}",
            app.name
        );
        assert!(
            html.contains("steps: tổng tỷ lệ thời gian các bước là 90%, phải là 100%"),
            "{}: the field and its problem",
            app.name
        );
        assert!(
            html.contains("hong.json") && html.contains("Không nhập được tệp: không đọc được JSON"),
            "{}",
            app.name
        );
        assert_eq!(
            text_of(&html, "import-summary"),
            "Đã đọc 2 tệp: 1 thủ tục mới, 0 phiên bản mới, 0 không đổi; 1 lỗi."
        );
        assert!(app.store.get_procedure("1.999001", None).await.unwrap().is_some());
        // Without the token in the form's address nothing is read.
        let r = admin
            .client
            .post(format!("{}/quan-tri/thu-tuc/nhap", app.base))
            .header("cookie", &admin.cookie)
            .multipart(
                reqwest::multipart::Form::new()
                    .part("file", reqwest::multipart::Part::bytes(b"[]".to_vec()).file_name("a.json")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
    }
}

#[tokio::test]
async fn accounts_agencies_and_points_are_checked_and_logged() {
    for app in spawn_apps().await {
        let admin = Web::demo(&app, "quantri").await;
        let point = app.store.list_points().await.unwrap()[0].code.clone();
        let agency = app.store.list_agencies().await.unwrap()[0].code.clone();

        // A reception officer needs a point; a short password and a bad username are refused.
        let (s, html) = admin
            .post(
                "/quan-tri/tai-khoan",
                &[
                    ("username", "a b"),
                    ("full_name", "Đỗ Thị Hoa"),
                    ("role", "reception"),
                    ("agency_code", ""),
                    ("point_code", ""),
                    ("password", "ngan"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{}", app.name);
        assert!(text_of(&html, "username-error").starts_with("Tên đăng nhập gồm 3–64 ký tự"));
        assert_eq!(text_of(&html, "point_code-error"), "Vai trò cán bộ tiếp nhận cần chọn điểm tiếp nhận");
        assert!(text_of(&html, "password-error").starts_with("Mật khẩu phải có từ"));
        assert_eq!(value_of(&html, "full_name"), "Đỗ Thị Hoa");
        assert!(!html.contains("value=\"ngan\""), "a password is never sent back");

        let (s, to) = admin
            .post(
                "/quan-tri/tai-khoan",
                &[
                    ("username", "tiepnhan.hoa"),
                    ("full_name", "Đỗ Thị Hoa"),
                    ("role", "reception"),
                    ("agency_code", ""),
                    ("point_code", &point),
                    ("password", "mat-khau-cua-hoa"),
                ],
            )
            .await;
        assert_eq!((s, to.as_str()), (303, "/quan-tri/tai-khoan/tiepnhan.hoa?da-luu=1"), "{}", app.name);
        assert!(
            Web::login(&app, "tiepnhan.hoa", "mat-khau-cua-hoa").await.is_some(),
            "{}: the new account logs in",
            app.name
        );
        let (s, html) = admin
            .post(
                "/quan-tri/tai-khoan",
                &[
                    ("username", "tiepnhan.hoa"),
                    ("full_name", "Khác"),
                    ("role", "reception"),
                    ("agency_code", ""),
                    ("point_code", &point),
                    ("password", "mat-khau-cua-hoa"),
                ],
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(text_of(&html, "username-error"), "Tên đăng nhập này đã có");

        // Locked: no login; unlocked; a new password; a new role with its agency.
        assert_eq!(admin.post("/quan-tri/tai-khoan/tiepnhan.hoa/khoa", &[("disabled", "1")]).await.0, 303);
        assert!(Web::login(&app, "tiepnhan.hoa", "mat-khau-cua-hoa").await.is_none(), "{}: locked", app.name);
        assert_eq!(admin.post("/quan-tri/tai-khoan/tiepnhan.hoa/khoa", &[("disabled", "0")]).await.0, 303);
        let (s, html) = admin.post("/quan-tri/tai-khoan/tiepnhan.hoa/mat-khau", &[("password", "ngan")]).await;
        assert_eq!(s, 422);
        assert!(text_of(&html, "password-error").starts_with("Mật khẩu phải có từ"));
        assert_eq!(
            admin.post("/quan-tri/tai-khoan/tiepnhan.hoa/mat-khau", &[("password", "mat-khau-moi-cua-hoa")]).await.0,
            303
        );
        assert!(Web::login(&app, "tiepnhan.hoa", "mat-khau-cua-hoa").await.is_none());
        assert!(Web::login(&app, "tiepnhan.hoa", "mat-khau-moi-cua-hoa").await.is_some());
        let (s, html) = admin
            .post(
                "/quan-tri/tai-khoan/tiepnhan.hoa",
                &[("full_name", "Đỗ Thị Hoa"), ("role", "specialist"), ("agency_code", ""), ("point_code", &point)],
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(text_of(&html, "agency_code-error"), "Vai trò chuyên viên cần chọn cơ quan");
        let (s, _) = admin
            .post(
                "/quan-tri/tai-khoan/tiepnhan.hoa",
                &[("full_name", "Đỗ Thị Hoa"), ("role", "specialist"), ("agency_code", &agency), ("point_code", "")],
            )
            .await;
        assert_eq!(s, 303);
        let u = app.store.user_by_username("tiepnhan.hoa").await.unwrap().unwrap();
        assert_eq!(
            (u.role.as_str(), u.agency_code.as_deref(), u.point_code),
            ("specialist", Some(agency.as_str()), None)
        );
        // An administrator cannot lock or demote themself.
        assert_eq!(admin.post("/quan-tri/tai-khoan/quantri/khoa", &[("disabled", "1")]).await.0, 422);
        let (s, _) = admin
            .post(
                "/quan-tri/tai-khoan/quantri",
                &[("full_name", "Quản trị"), ("role", "supervisor"), ("agency_code", ""), ("point_code", "")],
            )
            .await;
        assert_eq!(s, 422);

        // Agencies and points.
        let (s, html) = admin
            .post(
                "/quan-tri/co-quan",
                &[("code", "sai mã!"), ("name", ""), ("kind", "commune_peoples_committee"), ("commune_code", "")],
            )
            .await;
        assert_eq!(s, 422);
        assert!(text_of(&html, "code-error").starts_with("Mã gồm 3–40 ký tự"));
        assert_eq!(text_of(&html, "name-error"), "Cần nhập tên");
        assert_eq!(text_of(&html, "commune_code-error"), "UBND xã/phường cần mã xã/phường để nhận hồ sơ cấp xã");
        let (s, _) = admin
            .post(
                "/quan-tri/co-quan",
                &[("code", "000.00.99.H26"), ("name", "Sở Tư pháp"), ("kind", "department"), ("commune_code", "")],
            )
            .await;
        assert_eq!(s, 303);
        assert_eq!(app.store.get_agency("000.00.99.H26").await.unwrap().unwrap().name, "Sở Tư pháp");
        let (s, html) = admin
            .post(
                "/quan-tri/co-quan",
                &[("code", "000.00.99.H26"), ("name", "Trùng"), ("kind", "department"), ("commune_code", "")],
            )
            .await;
        assert_eq!(s, 422, "{}: a new agency with a taken code", app.name);
        assert!(text_of(&html, "code-error").starts_with("Mã này đã có"));
        let (s, _) = admin
            .post(
                "/quan-tri/co-quan",
                &[
                    ("code", "000.00.99.H26"),
                    ("editing", "1"),
                    ("name", "Sở Tư pháp Hà Nội"),
                    ("kind", "department"),
                    ("commune_code", ""),
                ],
            )
            .await;
        assert_eq!(s, 303);
        assert_eq!(app.store.get_agency("000.00.99.H26").await.unwrap().unwrap().name, "Sở Tư pháp Hà Nội");
        let (s, html) = admin
            .post(
                "/quan-tri/diem-tiep-nhan",
                &[
                    ("code", "000.00.98.H26"),
                    ("name", "Điểm Ba Đình"),
                    ("kind", "commune"),
                    ("address", "Số 2"),
                    ("commune_code", "99999"),
                ],
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(text_of(&html, "commune_code-error"), "Không có xã/phường mã 99999");
        let (s, _) = admin
            .post(
                "/quan-tri/diem-tiep-nhan",
                &[
                    ("code", "000.00.98.H26"),
                    ("name", "Điểm Ba Đình"),
                    ("kind", "commune"),
                    ("address", "Số 2"),
                    ("commune_code", "00004"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        assert_eq!(app.store.get_point("000.00.98.H26").await.unwrap().unwrap().commune_code.as_deref(), Some("00004"));

        let log = app.store.admin_audit(None, 50).await.unwrap();
        let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            vec![
                "user.create",
                "user.disable",
                "user.enable",
                "user.password",
                "user.scope",
                "agency.put",
                "agency.put",
                "point.put"
            ],
            "{}",
            app.name
        );
        let (_, index) = admin.get("/quan-tri").await;
        assert!(index.contains("id=\"admin-log\"") && index.contains("tiepnhan.hoa"), "{}", app.name);
    }
}
