//! `hcc demo`: a realistic demo city — Hanoi's communes, the center with its branches, commune
//! points and post offices, the agencies after the 2025 reorganisation, one account per role, the
//! real procedures, the holiday calendar and a history of dossiers since 1 October 2024.

pub mod city;
pub mod history;
mod names;
mod ratings;
pub mod scans;

use crate::{catalog_cmd, reference};
use anyhow::{Context as _, bail};
use hcc_store::Store;
use std::path::PathBuf;

/// The password of every demo account (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "hcc-demo-2024";

/// The accounts printed at start: (username, role, unit, what they do).
pub const DEMO_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("quantri", "admin", "Quản trị hệ thống"),
    ("tiepnhan", "reception", "Cán bộ tiếp nhận — Trụ sở Trung tâm"),
    ("buudien", "postal", "Nhân viên bưu điện — Bưu điện Hà Nội"),
    ("chuyenvien", "specialist", "Chuyên viên — Sở Nông nghiệp và Môi trường"),
    ("lanhdao", "leader", "Lãnh đạo — Sở Nông nghiệp và Môi trường"),
    ("chuyenvien.xd", "specialist", "Chuyên viên — Sở Xây dựng"),
    ("lanhdao.xd", "leader", "Lãnh đạo — Sở Xây dựng"),
    ("giamsat", "supervisor", "Giám sát — Trung tâm Phục vụ Hành chính công"),
];

pub fn print_accounts() {
    println!("Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):");
    for (user, role, what) in DEMO_ACCOUNTS {
        println!("  {user:<15} {role:<11} {what}");
    }
}

/// Where the national portal's procedures are looked for when not given.
fn default_procedures_dir() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from("../shared/data/procedures"),
        PathBuf::from("shared/data/procedures"),
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/procedures")),
    ];
    candidates.into_iter().find(|p| p.is_dir())
}

/// Writes the demo city's reference data, organisations, catalog (from `procedures_dir`) and staff.
pub async fn seed_city(store: &Store, procedures_dir: &std::path::Path) -> anyhow::Result<(city::City, city::Staff)> {
    let (provinces, communes) = reference::admin_units()?;
    store.put_admin_units(&provinces, &communes).await?;
    reference::seed_calendar_days(store).await?;
    let hanoi: Vec<_> = communes.iter().filter(|c| c.province_code == city::HANOI).cloned().collect();
    let city = city::build(&hanoi);
    for a in &city.agencies {
        store.put_agency(a).await?;
    }
    for p in &city.points {
        store.put_point(p).await?;
    }
    store.set_routing_rules(&city.routing_rules).await?;
    let summary = catalog_cmd::import(store, &[procedures_dir.to_path_buf()], true)
        .await
        .with_context(|| format!("nhập thủ tục từ {}", procedures_dir.display()))?;
    println!(
        "Đã nhập {} thủ tục từ {} ({} trường cần rà soát).",
        summary.created + summary.new_versions + summary.unchanged,
        procedures_dir.display(),
        summary.problems
    );
    let staff = city::create_staff(store, &city).await?;
    Ok((city, staff))
}

/// Builds the demo city unless the installation already has one.
pub async fn build_if_empty(
    store: &Store,
    files: &hcc_files::FileStore,
    procedures: Option<PathBuf>,
    dossiers: u32,
) -> anyhow::Result<()> {
    if store.get_meta("demo_built").await?.is_some() {
        println!("Dữ liệu mẫu đã có, dùng lại.");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let dir = match procedures.or_else(default_procedures_dir) {
        Some(d) => d,
        None => {
            bail!("không tìm thấy thư mục thủ tục mẫu: dùng --procedures ĐƯỜNG_DẪN (ví dụ ../shared/data/procedures)")
        }
    };
    let (city, staff) = seed_city(store, &dir).await?;
    let calendar = reference::load_calendar(store).await?;
    let made = history::generate(store, files, &city, &staff, &calendar, dossiers).await?;
    files.flush_bulk().await?;
    store.compact_search_index().await?;
    let rated = ratings::seed(store, &calendar, jiff::Timestamp::now()).await?;
    println!("Đã tạo {rated} đánh giá mức độ hài lòng của người dân.");
    let today = calendar.local(jiff::Timestamp::now()).date();
    store.seal_days(today).await?;
    store.set_meta("demo_built", &jiff::Timestamp::now().to_string()).await?;
    println!("Đã tạo thành phố mẫu với {made} hồ sơ trong {:.1} giây.", started.elapsed().as_secs_f64());
    Ok(())
}
