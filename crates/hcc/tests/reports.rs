//! The supervision center's reports over a real socket, on SQLite and on PostgreSQL: downloads of
//! the lists and the report (CSV with a BOM, XLSX), the officers' workload and the Decision 766
//! index page — each for a supervisor (every agency, changes nothing) and a leader (their own
//! agency only), with bad parameters refused.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use serde_json::{Value, json};
use std::io::Read;
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756"; // Đất đai, Cấp tỉnh → Sở Nông nghiệp và Môi trường
const LAND_AGENCY: &str = "000.00.11.H26";

/// Status, content type, content disposition and body bytes of a GET.
async fn fetch(app: &App, cookie: &str, path: &str) -> (u16, String, String, Vec<u8>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client.get(format!("{}{path}", app.base)).header("cookie", cookie).send().await.unwrap();
    let header = |h: &str| r.headers().get(h).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (ct, cd) = (header("content-type"), header("content-disposition"));
    (r.status().as_u16(), ct, cd, r.bytes().await.unwrap().to_vec())
}

async fn page(app: &App, cookie: &str, path: &str) -> (u16, String) {
    let (s, _, _, body) = fetch(app, cookie, path).await;
    (s, String::from_utf8(body).unwrap())
}

async fn receive(app: &App, reception: &str, docs: &[u64], name: &str) -> String {
    let body = json!({
        "procedure_code": LAND_PROVINCE, "channel": "counter",
        "applicant": {"name": name, "id_number": "001199012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs, "return_method": "counter"
    });
    let (s, r) = app.post_json("/api/v1/dossiers", Some(reception), &body).await;
    assert_eq!(s, 201, "{}: {r}", app.name);
    r["code"].as_str().unwrap().to_owned()
}

async fn act(app: &App, code: &str, action: &str, token: &str, body: Value) {
    let (s, r) = app.action(code, action, token, body).await;
    assert_eq!(s, 200, "{}: {action}: {r}", app.name);
}

/// The text of the first worksheet of an XLSX file.
/// The land agency's newest dossier, in one of `statuses` if any are given.
async fn land_dossier(app: &App, statuses: Vec<String>) -> hcc_store::DossierRecord {
    let q = hcc_store::DossierQuery { agency: Some(LAND_AGENCY.to_owned()), statuses, limit: 1, ..Default::default() };
    app.store.list_dossiers(&q).await.unwrap().items.remove(0)
}

fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// A workload table row's cells (as text, tags stripped) for the officer named `who`.
fn workload_row(html: &str, who: &str) -> Option<Vec<String>> {
    let at = html.find(&format!("({who})</th>"))?;
    let end = at + html[at..].find("</tr>")?;
    let row = &html[at..end];
    Some(row.split("<td class=\"n\">").skip(1).map(|c| c.split('<').next().unwrap_or("").to_owned()).collect())
}

#[tokio::test]
async fn downloads_workload_and_index() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let leader_token = app.login("lanhdao").await;
        let specialist_token = app.login("chuyenvien").await;
        let docs = app.mandatory_documents(LAND_PROVINCE).await;
        // One dossier settled by chuyenvien, one in their hands, one online-free counter receipt
        // left untouched; a name a spreadsheet would run as a formula.
        let settled = receive(&app, &reception, &docs, "Nguyễn Thị Ánh").await;
        let in_hand = receive(&app, &reception, &docs, "=HYPERLINK(\"http://x\")").await;
        let waiting = receive(&app, &reception, &docs, "Đặng Văn Đức").await;
        for code in [&settled, &in_hand] {
            app.scan_all(code, &reception, &docs).await;
            act(&app, code, "assign", &leader_token, json!({"assignee": "chuyenvien"})).await;
        }
        act(&app, &settled, "complete_step", &specialist_token, json!({})).await;
        act(&app, &settled, "approve", &leader_token, json!({})).await;

        let supervisor = app.web_login("giamsat").await;
        let land_leader = app.web_login("lanhdao").await;
        let builder = app.web_login("lanhdao.xd").await;

        // CSV of the dossiers behind a figure: a BOM (Excel reads UTF-8), a header, every row,
        // Vietnamese intact, formulas defused.
        let (s, ct, cd, body) = fetch(&app, &supervisor, "/giam-sat/ho-so.csv?what=received").await;
        assert_eq!(s, 200, "{}: {}", app.name, String::from_utf8_lossy(&body));
        assert!(ct.starts_with("text/csv") && cd.contains("attachment") && cd.contains(".csv"), "{ct} {cd}");
        assert_eq!(&body[..3], b"\xEF\xBB\xBF", "{}: a UTF-8 BOM first", app.name);
        let text = String::from_utf8(body[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("Mã hồ sơ,Người nộp,"), "{}", lines[0]);
        assert_eq!(lines.len(), 4, "{}: header and three dossiers: {text}", app.name);
        for code in [&settled, &in_hand, &waiting] {
            assert!(text.contains(code.as_str()), "{}: {code}", app.name);
        }
        assert!(text.contains("Nguyễn Thị Ánh") && text.contains("Đặng Văn Đức"));
        assert!(text.contains("\"'=HYPERLINK"), "{}: a formula is written as text: {text}", app.name);
        // The list of settled dossiers holds the settled one only.
        let (_, _, _, body) = fetch(&app, &supervisor, "/giam-sat/ho-so.csv?what=settled_ok").await;
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains(&settled) && !text.contains(&in_hand), "{}: {text}", app.name);

        // The same list as XLSX: a real workbook with the rows in it.
        let (s, ct, cd, body) = fetch(&app, &supervisor, "/giam-sat/ho-so.xlsx?what=received").await;
        assert_eq!(s, 200, "{}", app.name);
        assert!(ct.contains("spreadsheetml") && cd.contains(".xlsx"), "{ct} {cd}");
        let xml = sheet_xml(&body);
        assert!(xml.contains(&settled) && xml.contains(&waiting) && xml.contains("Nguyễn Thị Ánh"), "{}", app.name);

        // A leader downloads their agency's dossiers only; another agency's leader gets none.
        let (_, _, _, body) = fetch(&app, &land_leader, "/giam-sat/ho-so.csv?what=received").await;
        assert_eq!(String::from_utf8(body).unwrap().matches("\r\n").count(), 4);
        let (_, _, _, body) =
            fetch(&app, &builder, &format!("/giam-sat/ho-so.csv?what=received&agency={LAND_AGENCY}")).await;
        assert_eq!(String::from_utf8(body).unwrap().matches("\r\n").count(), 1, "{}: the header only", app.name);

        // The report of the period: figures and breakdowns, numbers as numbers.
        let (s, _, _, body) = fetch(&app, &supervisor, "/giam-sat/bao-cao.csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("Trong kỳ,Tiếp nhận,3\r\n"), "{}: {text}", app.name);
        assert!(text.contains("Theo cơ quan,Sở Nông nghiệp và Môi trường"), "{text}");
        let (s, _, _, body) = fetch(&app, &land_leader, "/giam-sat/bao-cao.xlsx").await;
        assert_eq!(s, 200);
        assert!(sheet_xml(&body).contains("Tiếp nhận"));

        // Parameters are checked: an unbounded period, an unknown figure, a bad cursor.
        for bad in [
            "/giam-sat/ho-so.csv?what=received&from=2000-01-01&to=2030-01-01",
            "/giam-sat/ho-so.xlsx?what=everything",
            "/giam-sat/ho-so.csv?what=received&cursor=abc",
            "/giam-sat/bao-cao.csv?from=2026-02-30",
            "/giam-sat/can-bo.csv?from=2026-05-01&to=2026-04-01",
        ] {
            assert_eq!(fetch(&app, &supervisor, bad).await.0, 400, "{}: {bad}", app.name);
        }

        // The officers' workload: chuyenvien settled one (early) and holds one now.
        let (s, html) = page(&app, &land_leader, "/giam-sat/can-bo").await;
        assert_eq!(s, 200, "{}: {html:.400}", app.name);
        let row = workload_row(&html, "chuyenvien").unwrap_or_else(|| panic!("{}: {html}", app.name));
        assert_eq!(&row[..5], ["1", "1", "0", "0", "100,00%"], "{}", app.name);
        assert_eq!(row[6], "1", "{}: one in hand", app.name);
        assert!(!html.contains("Tất cả cơ quan"), "no agency picker for a leader");
        let (_, html) = page(&app, &supervisor, "/giam-sat/can-bo").await;
        assert!(workload_row(&html, "chuyenvien").is_some(), "{}: a supervisor sees every agency", app.name);
        let (_, html) = page(&app, &builder, &format!("/giam-sat/can-bo?agency={LAND_AGENCY}")).await;
        assert!(workload_row(&html, "chuyenvien").is_none(), "{}: another agency's leader sees none", app.name);
        let (s, _, _, body) = fetch(&app, &land_leader, "/giam-sat/can-bo.csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("(chuyenvien),Sở Nông nghiệp và Môi trường,1,1,0,0,\"100,00%\""), "{text}");

        // The Decision 766 index for the month: the on-time share from the counters, each figure
        // with its formula and the dossiers behind it; what is not counted says so.
        let (s, html) = page(&app, &supervisor, &format!("/giam-sat/chi-so?agency={LAND_AGENCY}")).await;
        assert_eq!(s, 200, "{}: {html:.400}", app.name);
        assert!(html.contains("Sở Nông nghiệp và Môi trường"));
        let on_time = &html[html.find("id=\"on_time\"").unwrap()..];
        let on_time = &on_time[..on_time.find("</tr>").unwrap()];
        assert!(
            on_time.contains("1 / 1") && on_time.contains("100,00%") && on_time.contains("20,00 / 20,00"),
            "{on_time}"
        );
        assert!(on_time.contains("what=settled_late"), "{on_time}");
        let satisfaction = &html[html.find("id=\"handling_satisfaction\"").unwrap()..];
        assert!(satisfaction[..satisfaction.find("</tr>").unwrap()].contains("chưa có dữ liệu"));
        // Once an applicant rates a dossier finished this month, the satisfaction indicator counts.
        let rated = land_dossier(&app, vec![]).await;
        let month = jiff::Timestamp::now().in_tz("Asia/Ho_Chi_Minh").unwrap().strftime("%Y-%m").to_string();
        let rating = hcc_store::citizens::NewRating {
            dossier_id: rated.id,
            agency_code: LAND_AGENCY.to_owned(),
            month,
            rating: hcc_domain::citizen::Rating::VerySatisfied,
            reason: String::new(),
            comment: String::new(),
            is_complaint: false,
            feedback_due_at: None,
        };
        app.store.insert_rating(&rating, jiff::Timestamp::now()).await.unwrap();
        let (_, html) = page(&app, &supervisor, &format!("/giam-sat/chi-so?agency={LAND_AGENCY}")).await;
        let satisfaction = &html[html.find("id=\"handling_satisfaction\"").unwrap()..];
        let satisfaction = &satisfaction[..satisfaction.find("</tr>").unwrap()];
        assert!(!satisfaction.contains("chưa có dữ liệu"), "{}: {satisfaction}", app.name);
        assert!(satisfaction.contains("100,00%"), "{}: on time and satisfied: {satisfaction}", app.name);
        let offered = &html[html.find("id=\"online_procedures\"").unwrap()..];
        let offered = &offered[..offered.find("</tr>").unwrap()];
        assert!(offered.contains(" / 1<"), "{}: one procedure had dossiers: {offered}", app.name);
        let online = &html[html.find("id=\"online_dossiers\"").unwrap()..];
        assert!(online[..online.find("</tr>").unwrap()].contains("0 / 3"), "{}: counter receipts", app.name);
        assert!(
            html.contains("id=\"index-total\">20,00</span>") || html.contains("id=\"index-total\">"),
            "{html:.200}"
        );
        let (s, html) = page(&app, &land_leader, "/giam-sat/chi-so?agency=000.00.10.H26").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("Sở Nông nghiệp và Môi trường"),
            "{}: a leader's own agency, whatever is asked",
            app.name
        );
        // The average handling time per procedure: the one settled dossier's procedure.
        let handling = &html[html.find("id=\"handling_by_procedure\"").expect("the handling-time table")..];
        let handling = &handling[..handling.find("</table>").unwrap()];
        assert_eq!(handling.matches("<tr>").count(), 2, "{}: a header and one procedure: {handling}", app.name);
        assert!(handling.contains("what=settled&amp;procedure="), "{handling}");

        // A dossier still being handled past its first appointment is judged late at the month's
        // end (now, in the running month): the on-time share counts it, and its list shows it.
        let open = land_dossier(&app, vec!["received".into(), "in_progress".into()]).await;
        let due = |d: &hcc_store::DossierRecord| d.state.due_at.map_or(0, |t| t.as_microsecond());
        let past = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)).as_microsecond();
        let set_due =
            |t: i64| format!("UPDATE dossiers SET due_at = {t}, original_due_at = {t} WHERE id = {}", open.id);
        app.store.execute_raw(&set_due(past)).await.unwrap();
        let (_, html) = page(&app, &supervisor, &format!("/giam-sat/chi-so?agency={LAND_AGENCY}")).await;
        let on_time = &html[html.find("id=\"on_time\"").unwrap()..];
        let on_time = &on_time[..on_time.find("</tr>").unwrap()];
        assert!(on_time.contains("1 / 2") && on_time.contains("50,00%"), "{}: {on_time}", app.name);
        assert!(on_time.contains("what=late_open"), "{on_time}");
        let (s, list) = page(&app, &supervisor, &format!("/giam-sat/ho-so?agency={LAND_AGENCY}&what=late_open")).await;
        assert_eq!(s, 200, "{}: {list:.400}", app.name);
        assert!(list.contains(&open.code), "{}: {list}", app.name);
        app.store.execute_raw(&set_due(due(&open))).await.unwrap();

        let (_, html) = page(&app, &supervisor, "/giam-sat/chi-so?month=2099-01").await;
        assert!(html.contains("Tháng không hợp lệ"), "{}", app.name);

        // Nobody else sees these; nothing here changes a dossier.
        for who in ["chuyenvien", "tiepnhan", "quantri"] {
            let cookie = app.web_login(who).await;
            for path in
                ["/giam-sat/ho-so.csv?what=received", "/giam-sat/can-bo", "/giam-sat/chi-so", "/giam-sat/bao-cao.xlsx"]
            {
                assert_eq!(fetch(&app, &cookie, path).await.0, 403, "{}: {who} {path}", app.name);
            }
        }
        let before = app.get_json(&format!("/api/v1/dossiers/{waiting}"), Some(&reception)).await.1["version"].clone();
        assert_eq!(before, app.get_json(&format!("/api/v1/dossiers/{waiting}"), Some(&reception)).await.1["version"]);

        // The officers' rollups are what the control sheets say.
        let check = app.store.rebuild_stats(false).await.unwrap();
        assert!(check.agreed(), "{}: {:?}", app.name, check.differences);
    }
}
