//! The stable command line, run as a user runs it: the real `hcc` binary on a fresh data folder.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn hcc(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hcc"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("HCC_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

const PORTAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/procedures/national-portal");

#[test]
fn serve_refuses_a_missing_installation() {
    let dir = tempfile::tempdir().unwrap();
    let out = hcc(&dir.path().join("none"), &["serve"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("hcc migrate"));
    assert!(!dir.path().join("none/hcc.sqlite").exists(), "no empty database was created");
}

#[test]
fn catalog_import_and_list_the_national_portal_procedures() {
    let dir = tempfile::tempdir().unwrap();
    ok(&hcc(dir.path(), &["migrate"], None));
    let out = ok(&hcc(dir.path(), &["catalog", "import", PORTAL], None));
    assert!(out.contains("199 thủ tục mới"), "{out}");
    // every field it could not read is named with its file
    assert!(out.lines().any(|l| l.contains(".json: ") && l.contains('[')), "{out}");
    let again = ok(&hcc(dir.path(), &["catalog", "import", PORTAL], None));
    assert!(again.contains("199 không đổi"), "re-importing changes nothing: {again}");

    let json: serde_json::Value =
        serde_json::from_str(&ok(&hcc(dir.path(), &["catalog", "list", "--json"], None))).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 199);
    let p = list.iter().find(|p| p["code"] == "1.012753").unwrap();
    assert_eq!(p["field"], "Đất đai");
    assert_eq!(p["level"], "Cấp xã");
    let channel = |kind: &str| p["channels"].as_array().unwrap().iter().find(|c| c["kind"] == kind).unwrap().clone();
    assert_eq!(channel("online")["time_limit"], serde_json::json!({"value": 17, "unit": "working-days"}));
    assert_eq!(channel("post")["time_limit"], serde_json::json!({"value": 30, "unit": "working-days"}));
    assert_eq!(channel("counter")["time_limit"], serde_json::json!({"value": 20, "unit": "working-days"}));
    assert!(channel("counter")["fee"].as_str().unwrap().starts_with("Miễn phí"));
    for p in list {
        for c in p["channels"].as_array().unwrap() {
            assert!(["counter", "online", "post"].contains(&c["kind"].as_str().unwrap()));
        }
    }

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = hcc(dir.path(), &["catalog", "import", bad.to_str().unwrap()], None);
    assert!(!out.status.success(), "an unreadable file is reported, not skipped");
    assert!(String::from_utf8_lossy(&out.stdout).contains("bad.json"));
}

#[test]
fn calendar_due_explains_itself_across_tet() {
    let dir = tempfile::tempdir().unwrap();
    // No installation: the built-in seed calendar.
    let out = ok(&hcc(
        dir.path(),
        &["calendar", "due", "--from", "2026-02-13 16:30", "--limit", "3 working-days", "--json"],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["due_at"], "2026-02-25T16:30:00+07:00");
    let lines: Vec<&str> = v["explanation"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(lines.iter().any(|l| l.contains("2026-02-17") && l.contains("Tết")), "{lines:?}");
    // after office hours on Friday: starts Monday 08:00
    let out = ok(&hcc(
        dir.path(),
        &["calendar", "due", "--from", "2026-03-06 17:30", "--limit", "1 working-days", "--json"],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["due_at"], "2026-03-09T17:00:00+07:00");
    let bad = hcc(dir.path(), &["calendar", "due", "--from", "2026-13-01 08:00", "--limit", "1 working-days"], None);
    assert!(!bad.status.success());
    let bad = hcc(dir.path(), &["calendar", "due", "--from", "2026-03-02 08:00", "--limit", "1 weeks"], None);
    assert!(!bad.status.success());
}

#[test]
fn users_are_added_disabled_and_given_new_passwords() {
    let dir = tempfile::tempdir().unwrap();
    ok(&hcc(dir.path(), &["migrate"], None));
    ok(&hcc(dir.path(), &["user", "add", "quantri", "--role", "admin", "--password-stdin"], Some("mat-khau-dai\n")));
    let dup =
        hcc(dir.path(), &["user", "add", "quantri", "--role", "admin", "--password-stdin"], Some("mat-khau-dai\n"));
    assert!(!dup.status.success());
    let short = hcc(dir.path(), &["user", "add", "ngan", "--role", "admin", "--password-stdin"], Some("123\n"));
    assert!(!short.status.success(), "short passwords are refused");
    let no_point =
        hcc(dir.path(), &["user", "add", "tn", "--role", "reception", "--password-stdin"], Some("mat-khau-dai\n"));
    assert!(!no_point.status.success(), "a reception officer needs a point");
    let bad_role =
        hcc(dir.path(), &["user", "add", "x1", "--role", "king", "--password-stdin"], Some("mat-khau-dai\n"));
    assert!(!bad_role.status.success());
    ok(&hcc(dir.path(), &["user", "passwd", "quantri", "--password-stdin"], Some("mat-khau-moi\n")));
    ok(&hcc(dir.path(), &["user", "disable", "quantri"], None));
    assert!(!hcc(dir.path(), &["user", "disable", "khong-co"], None).status.success());
    let out = ok(&hcc(dir.path(), &["verify"], None));
    assert!(out.contains("Không phát hiện sai lệch"), "{out}");
}
