//! The administration and the counter's as-you-type check in a real browser (Debian's headless
//! Chromium over WebDriver): an administrator adds a holiday and creates an account, and the
//! counter shows a wrong citizen ID beside its field while it is typed, before anything is sent.
//!
//! Without the browser this is skipped loudly, except in CI (`CI` set), where it fails. With
//! `HCC_SCREENSHOTS=1` it saves the administration's calendar page to `docs/screens/`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use support::browser::{log_in, log_out, wait_text};

use fantoccini::{Client, Locator};
use std::time::Duration;

const LAND_PROVINCE: &str = "1.012756";

/// Sets a field's value as a picker would (date inputs and selects differ between locales).
async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change'));",
        vec![id.into(), value.into()],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_administrator_adds_a_holiday_and_an_account_and_the_counter_checks_as_it_is_typed() {
    let Some((_driver, c)) = support::browser::browser(1366, 900).await else { return };
    let app = support::sqlite_app().await;

    log_in(&c, &app, "quantri", hcc::demo::DEMO_PASSWORD).await;
    wait_text(&c, "h1", |t| t.starts_with("Xin chào")).await;
    c.find(Locator::Css("nav a[href='/quan-tri']")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t == "Quản trị hệ thống").await;

    // A holiday: first refused beside its field (no name), then saved.
    c.find(Locator::Css("a[href='/quan-tri/lich']")).await.unwrap().click().await.unwrap();
    wait_text(&c, "h1", |t| t.starts_with("Lịch làm việc")).await;
    set_value(&c, "date", "2031-05-06").await;
    c.find(Locator::Css("#day-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let error = wait_text(&c, "#name-error", |t| !t.is_empty()).await;
    assert!(error.starts_with("Cần nhập tên ngày"), "{error}");
    assert_eq!(c.find(Locator::Id("date")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("2031-05-06"));
    c.find(Locator::Id("name")).await.unwrap().send_keys("Nghỉ bù Giỗ Tổ Hùng Vương").await.unwrap();
    c.find(Locator::Css("#day-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let row = wait_text(&c, "#day-2031-05-06", |t| !t.is_empty()).await;
    assert!(row.contains("06/05/2031") && row.contains("Thứ Ba") && row.contains("Nghỉ bù Giỗ Tổ Hùng Vương"), "{row}");
    assert!(wait_text(&c, ".notice", |t| !t.is_empty()).await.contains("Đã lưu"));
    let cal = app.store.working_calendar().await.unwrap();
    assert!(!cal.is_working_day(jiff::civil::date(2031, 5, 6)), "stored and in force");
    c.execute("document.getElementById('day-2031-05-06').scrollIntoView({block: 'center'});", vec![]).await.unwrap();
    support::browser::screenshot(&c, "admin-calendar").await;

    // A day added by mistake is deleted from its row.
    set_value(&c, "date", "2031-05-07").await;
    c.find(Locator::Id("name")).await.unwrap().send_keys("Nhập nhầm").await.unwrap();
    c.find(Locator::Css("#day-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#day-2031-05-07", |t| t.contains("Nhập nhầm")).await;
    c.find(Locator::Css("#day-2031-05-07 button")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if c.find(Locator::Id("day-2031-05-07")).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(c.find(Locator::Id("day-2031-05-07")).await.is_err(), "the row is gone");
    assert!(c.find(Locator::Id("day-2031-05-06")).await.is_ok(), "the other day stays");

    // An account for a reception officer of the head office.
    let point = app.store.user_by_username("tiepnhan").await.unwrap().unwrap().point_code.unwrap();
    c.goto(&format!("{}/quan-tri/tai-khoan", app.base)).await.unwrap();
    wait_text(&c, "h1", |t| t == "Tài khoản cán bộ").await;
    c.find(Locator::Id("username")).await.unwrap().send_keys("tiepnhan.lan").await.unwrap();
    c.find(Locator::Id("full_name")).await.unwrap().send_keys("Nguyễn Thị Lan").await.unwrap();
    set_value(&c, "role", "reception").await;
    set_value(&c, "point_code", &point).await;
    c.find(Locator::Id("password")).await.unwrap().send_keys("mat-khau-cua-lan").await.unwrap();
    c.find(Locator::Css("#account-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#account-username", |t| t == "tiepnhan.lan").await;
    assert_eq!(wait_text(&c, "#account-status", |t| !t.is_empty()).await, "Đang hoạt động");
    assert!(wait_text(&c, "#admin-log", |t| !t.is_empty()).await.contains("Tạo tài khoản tiepnhan.lan"));
    log_out(&c).await;

    // The new officer at the counter: a wrong citizen ID shows beside its field as it is typed.
    log_in(&c, &app, "tiepnhan.lan", "mat-khau-cua-lan").await;
    wait_text(&c, "h1", |t| !t.is_empty() && t != "Đăng nhập").await;
    c.goto(&format!("{}/tiep-nhan?procedure={LAND_PROVINCE}", app.base)).await.unwrap();
    wait_text(&c, "#chosen-code", |t| t == LAND_PROVINCE).await;
    let before = app.store.count_dossiers().await.unwrap();
    c.find(Locator::Id("id_number")).await.unwrap().send_keys("12345").await.unwrap();
    let error = wait_text(&c, "#id_number-error", |t| !t.is_empty()).await;
    assert!(error.contains("chữ số"), "{error}");
    let id = c.find(Locator::Id("id_number")).await.unwrap();
    id.clear().await.unwrap();
    id.send_keys("001199023456").await.unwrap();
    wait_text(&c, "#id_number-error", str::is_empty).await;
    c.find(Locator::Id("phone")).await.unwrap().send_keys("0123").await.unwrap();
    let error = wait_text(&c, "#phone-error", |t| !t.is_empty()).await;
    assert!(error.starts_with("Số điện thoại di động"), "{error}");
    assert_eq!(app.store.count_dossiers().await.unwrap(), before, "nothing was sent to be received");
    c.close().await.unwrap();
}
