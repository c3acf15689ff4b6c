//! The supervision dashboard over a real socket, on SQLite and on PostgreSQL: who may see it, what
//! each sees, and figures that match a hand-made set of dossiers and the lists behind them.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756"; // Đất đai, Cấp tỉnh → Sở Nông nghiệp và Môi trường
const LAND_AGENCY: &str = "000.00.11.H26";

async fn page(app: &App, cookie: &str, path: &str) -> (u16, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client.get(format!("{}{path}", app.base)).header("cookie", cookie).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The value of the figure labelled `label` and the list it links to.
fn figure(html: &str, label: &str) -> (i64, String) {
    let at = html.find(&format!("{label}<span class=\"v\">")).unwrap_or_else(|| panic!("figure {label}"));
    let rest = &html[at + label.len() + "<span class=\"v\">".len()..];
    let (href, rest) = match rest.strip_prefix("<a href=\"") {
        Some(r) => {
            let end = r.find('"').unwrap();
            (r[..end].replace("&amp;", "&").replace("&#38;", "&"), &r[end + 2..])
        }
        None => (String::new(), rest),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or_else(|_| panic!("figure {label}: {rest:.40}")), href)
}

fn rows(html: &str) -> usize {
    html.matches("<td class=\"code\">").count()
}

async fn receive(app: &App, reception: &str, docs: &[u64]) -> String {
    let body = json!({
        "procedure_code": LAND_PROVINCE, "channel": "counter",
        "applicant": {"name": "Trần Thị Lan", "id_number": "001199012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs, "return_method": "counter"
    });
    let (s, r) = app.post_json("/api/v1/dossiers", Some(reception), &body).await;
    assert_eq!(s, 201, "{}: {r}", app.name);
    assert_eq!(r["routing"]["agency_code"], LAND_AGENCY);
    r["code"].as_str().unwrap().to_owned()
}

async fn act(app: &App, code: &str, action: &str, token: &str, body: Value) {
    let (s, r) = app.action(code, action, token, body).await;
    assert_eq!(s, 200, "{}: {action}: {r}", app.name);
}

#[tokio::test]
async fn dashboard_figures_scopes_and_drill_downs() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader_token = app.login("lanhdao").await;
        let specialist_token = app.login("chuyenvien").await;
        let docs: Vec<u64> = {
            let p = app.get_json(&format!("/api/v1/procedures/{LAND_PROVINCE}"), None).await.1;
            p["documents"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["mandatory"] == json!(true))
                .map(|d| d["no"].as_u64().unwrap())
                .collect()
        };
        // The hand-made set: one settled (well before its appointment), one withdrawn, one open.
        let settled = receive(&app, &reception, &docs).await;
        let withdrawn = receive(&app, &reception, &docs).await;
        let open = receive(&app, &reception, &docs).await;
        for no in &docs {
            let pdf = hcc::demo::scans::pdf(&[format!("Giấy tờ số {no}")]);
            let item = no.to_string();
            let (s, r) = app
                .upload(
                    &settled,
                    &reception,
                    &[("item_no", &item), ("copy_kind", "original")],
                    vec![("file", "a.pdf", pdf)],
                )
                .await;
            assert_eq!(s, 201, "{r}");
        }
        act(&app, &settled, "assign", &leader_token, json!({"assignee": "chuyenvien"})).await;
        act(&app, &settled, "complete_step", &specialist_token, json!({})).await;
        act(&app, &settled, "approve", &leader_token, json!({})).await;
        act(&app, &withdrawn, "withdraw", &reception, json!({"reason": "Công dân xin rút"})).await;

        // A supervisor sees the whole city.
        let supervisor = app.web_login("giamsat").await;
        let (s, html) = page(&app, &supervisor, "/giam-sat").await;
        assert_eq!(s, 200, "{}: {html:.300}", app.name);
        assert!(html.contains("toàn Thành phố") && html.contains("<svg"), "{}", app.name);
        assert!(html.contains("Tỷ lệ đúng hạn = "), "the formula is beside the rate");
        let (received, received_list) = figure(&html, "Tiếp nhận");
        assert_eq!(received, 3, "{}", app.name);
        assert_eq!(figure(&html, "Giải quyết trước hạn").0, 1);
        assert_eq!(figure(&html, "Giải quyết đúng hạn").0, 0);
        assert_eq!(figure(&html, "Giải quyết quá hạn").0, 0);
        assert_eq!(figure(&html, "Công dân rút hồ sơ").0, 1);
        let (in_progress, open_list) = figure(&html, "Đang giải quyết");
        assert_eq!(in_progress, 2);
        assert_eq!(figure(&html, "Đã quá hạn").0, 0);
        assert!(html.contains("100,00%"), "{}: one settled, early", app.name);

        // Every figure drills down to the dossiers behind it.
        let (s, list) = page(&app, &supervisor, &received_list).await;
        assert_eq!((s, rows(&list)), (200, 3), "{}: {received_list}", app.name);
        let (_, list) = page(&app, &supervisor, &open_list).await;
        assert_eq!(rows(&list), 2);
        assert!(list.contains(&open) && list.contains(&settled) && !list.contains(&withdrawn));
        let (_, early_list) = figure(&html, "Giải quyết trước hạn");
        let (_, list) = page(&app, &supervisor, &early_list).await;
        assert_eq!(rows(&list), 1);
        assert!(list.contains(&settled));
        let (_, withdrawn_list) = figure(&html, "Công dân rút hồ sơ");
        assert!(page(&app, &supervisor, &withdrawn_list).await.1.contains(&withdrawn));

        // The watched fields' view includes land; another period is empty; a bad period is refused
        // for the default one with a message.
        let (_, watched) = page(&app, &supervisor, "/giam-sat?view=watched").await;
        assert_eq!(figure(&watched, "Tiếp nhận").0, 3);
        assert_eq!(figure(&watched, "Đang giải quyết").0, 2, "{}: the fields' open counts", app.name);
        let (_, old) = page(&app, &supervisor, "/giam-sat?from=2024-10-01&to=2024-10-31").await;
        assert_eq!(figure(&old, "Tiếp nhận").0, 0);
        let (s, unbounded) = page(&app, &supervisor, "/giam-sat?from=2000-01-01&to=2030-01-01").await;
        assert_eq!(s, 200);
        assert!(unbounded.contains("tối đa 732 ngày"));
        assert_eq!(figure(&unbounded, "Tiếp nhận").0, 3, "back to this month");

        // The supervisor may narrow to another agency: nothing there.
        let (_, other) = page(&app, &supervisor, "/giam-sat?agency=000.00.10.H26").await;
        assert_eq!(figure(&other, "Tiếp nhận").0, 0);
        assert_eq!(figure(&other, "Đang giải quyết").0, 0);

        // A leader sees their own agency only, whatever the address asks.
        let land_leader = app.web_login("lanhdao").await;
        let (s, mine) = page(&app, &land_leader, "/giam-sat").await;
        assert_eq!(s, 200);
        assert_eq!(figure(&mine, "Tiếp nhận").0, 3);
        assert_eq!(figure(&mine, "Đang giải quyết").0, 2, "{}: the agency's open dossiers", app.name);
        assert!(!mine.contains("Tất cả cơ quan"), "no agency picker for a leader");
        let builder = app.web_login("lanhdao.xd").await;
        let (_, theirs) = page(&app, &builder, &format!("/giam-sat?agency={LAND_AGENCY}")).await;
        assert_eq!(figure(&theirs, "Tiếp nhận").0, 0, "{}: a leader never sees another agency", app.name);
        let (_, theirs_list) =
            page(&app, &builder, &format!("/giam-sat/ho-so?what=received&agency={LAND_AGENCY}")).await;
        assert_eq!(rows(&theirs_list), 0);

        // Specialists, reception and administrators have no dashboard; anonymous users log in first.
        for who in ["chuyenvien", "tiepnhan", "quantri"] {
            let cookie = app.web_login(who).await;
            assert_eq!(page(&app, &cookie, "/giam-sat").await.0, 403, "{}: {who}", app.name);
            assert_eq!(page(&app, &cookie, "/giam-sat/ho-so?what=received").await.0, 403, "{who}");
        }
        let (s, _) = page(&app, "", "/giam-sat").await;
        assert_eq!(s, 303);
        assert_eq!(page(&app, &supervisor, "/giam-sat/ho-so?what=everything").await.0, 400);

        // The maintained counters are what the control sheets say.
        let check = app.store.rebuild_stats(false).await.unwrap();
        assert!(check.agreed(), "{}: {:?}", app.name, check.differences);
    }
}
