//! Staff forms over a real socket: the counter's as-you-type field check and the print forms'
//! English chrome from the language switch.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use support::web::Web;

const LAND_PROVINCE: &str = "1.012756";

#[tokio::test]
async fn the_counter_checks_a_field_as_it_is_typed() {
    let app = support::sqlite_app().await;
    let counter = Web::demo(&app, "tiepnhan").await;
    let check = |q: &'static str| {
        let c = &counter;
        async move { c.get(&format!("/tiep-nhan/kiem-tra?{q}")).await }
    };
    let (s, body) = check("field=id_number&id_number=12345&kind=person").await;
    assert_eq!(s, 200);
    assert!(body.contains("chữ số"), "a Vietnamese error: {body}");
    assert_eq!(check("field=id_number&id_number=001099012345&kind=person").await, (200, String::new()));
    // The same digits as a tax code fail its check digit; a valid tax code passes.
    let (_, body) = check("field=id_number&id_number=0100109105&kind=organization").await;
    assert!(!body.is_empty(), "a tax code with a wrong check digit");
    assert_eq!(check("field=id_number&id_number=0100109106&kind=organization").await, (200, String::new()));
    let (_, body) = check("field=phone&phone=0123").await;
    assert!(!body.is_empty());
    assert_eq!(check("field=phone&phone=0912345678").await.1, "");
    assert_eq!(check("field=email&email=a%40b").await.1, "Địa chỉ thư điện tử không hợp lệ");
    assert_eq!(check("field=email&email=").await.1, "", "an empty optional field is fine");
    assert_eq!(check("field=password&password=x").await.0, 400);
    let specialist = Web::demo(&app, "chuyenvien").await;
    assert_eq!(specialist.get("/tiep-nhan/kiem-tra?field=phone&phone=1").await.0, 403);
    // The counter's fields carry the check.
    let (_, page) = counter.get(&format!("/tiep-nhan?procedure={LAND_PROVINCE}")).await;
    assert!(page.contains("hx-get=\"/tiep-nhan/kiem-tra?field=id_number\""), "the CCCD field checks as it is typed");
}

#[tokio::test]
async fn the_print_forms_follow_the_language_switch() {
    let app = support::sqlite_app().await;
    let reception = app.login("tiepnhan").await;
    let code = app.receive_land(&reception, "Phạm Minh Tuấn").await["code"].as_str().unwrap().to_owned();
    let counter = Web::demo(&app, "tiepnhan").await;
    let (s, vi) = counter.get(&format!("/ho-so/{code}/in/06")).await;
    assert_eq!(s, 200);
    assert!(
        vi.contains("<html lang=\"vi\"") && vi.contains("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        "Vietnamese by default"
    );
    assert!(vi.contains("Mã hồ sơ") && !vi.contains("Dossier code"));
    let english = Web { cookie: format!("{}; hcc_lang=en", counter.cookie), ..counter };
    let (s, en) = english.get(&format!("/ho-so/{code}/in/06")).await;
    assert_eq!(s, 200);
    assert!(
        en.contains("<html lang=\"en\"") && en.contains("Control sheet of the handling of the dossier"),
        "{en:.600}"
    );
    assert!(
        en.contains("Dossier code") && en.contains("Handed over by") && en.contains("SOCIALIST REPUBLIC OF VIETNAM")
    );
    assert!(
        !en.contains("Phiếu kiểm soát") && en.contains(&code) && en.contains("Phạm Minh Tuấn"),
        "the record stays as written"
    );
}
