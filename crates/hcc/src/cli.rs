//! The command line (stable: DESIGN.md §Stable interfaces).

use crate::config::Common;
use crate::{calendar_cmd, catalog_cmd, demo, jobs, jobs_cmd, reference, stats_cmd, user_cmd, verify_files};
use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use hcc_store::Store;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "hcc", version, about = "HCC — phần mềm Trung tâm Phục vụ Hành chính công")]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Creates (if empty) a demo city in the data folder, then serves it.
    Demo {
        /// Where the national portal's procedure files are (default: ../shared/data/procedures).
        #[arg(long, env = "HCC_SEED_PROCEDURES")]
        procedures: Option<PathBuf>,
        /// How many historical dossiers to generate.
        #[arg(long, default_value_t = 20_000)]
        dossiers: u32,
        /// Build the data, then exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Serves an existing installation.
    Serve,
    /// Creates or upgrades the database schema.
    Migrate,
    /// Checks every dossier's control-sheet hash chain.
    Verify,
    /// Staff accounts.
    #[command(subcommand)]
    User(user_cmd::UserCommand),
    /// The procedure catalog.
    #[command(subcommand)]
    Catalog(catalog_cmd::CatalogCommand),
    /// The working calendar.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// The supervision statistics.
    #[command(subcommand)]
    Stats(stats_cmd::StatsCommand),
    /// The background jobs (notifications, early warnings).
    #[command(subcommand)]
    Jobs(jobs_cmd::JobsCommand),
}

/// Opens the installation's store. `create` allows making a new SQLite file; otherwise a missing
/// installation is an error, never a silent new empty one.
pub async fn open_store(common: &Common, create: bool) -> anyhow::Result<Store> {
    let url = common.database_url();
    if common.is_default_sqlite() {
        let path = common.data_dir.join("hcc.sqlite");
        if !path.exists() {
            if !create {
                bail!(
                    "chưa có cơ sở dữ liệu tại {} — chạy `hcc migrate` (cài đặt mới) hoặc `hcc demo` (dữ liệu mẫu) trước",
                    path.display()
                );
            }
            std::fs::create_dir_all(&common.data_dir)
                .with_context(|| format!("không tạo được thư mục dữ liệu {}", common.data_dir.display()))?;
        }
    }
    let store = Store::open(&url, create).await.context("không mở được cơ sở dữ liệu")?;
    Ok(store)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let common = cli.common;
    match cli.command {
        Command::Demo { procedures, dossiers, no_serve } => {
            let store = open_store(&common, true).await?;
            store.migrate().await?;
            demo::build_if_empty(&store, &common.bulk_file_store()?, procedures, dossiers).await?;
            let files = common.file_store()?;
            if no_serve {
                return Ok(());
            }
            demo::print_accounts();
            serve(&common, store, files).await
        }
        Command::Serve => {
            let store = open_store(&common, false).await?;
            store.migrate().await?;
            let files = common.file_store()?;
            serve(&common, store, files).await
        }
        Command::Migrate => {
            let store = open_store(&common, true).await?;
            store.migrate().await?;
            if store.count_communes().await? == 0 {
                let (provinces, communes) = reference::admin_units()?;
                store.put_admin_units(&provinces, &communes).await?;
                reference::seed_calendar_days(&store).await?;
            }
            println!("Cơ sở dữ liệu đã cập nhật ({}).", store.backend());
            Ok(())
        }
        Command::Verify => {
            let store = open_store(&common, false).await?;
            let files = common.file_store()?;
            let report = store.verify().await?;
            println!(
                "Đã kiểm tra {} hồ sơ, {} sự kiện trên phiếu kiểm soát.",
                report.dossiers_checked, report.events_checked
            );
            let mut problems = report.problems;
            let checked = verify_files::run(&store, &files, &mut problems).await?;
            println!("Đã kiểm tra {checked} tệp tài liệu trong kho lưu trữ ({}).", files.describe());
            if problems.is_empty() {
                println!("Không phát hiện sai lệch.");
                Ok(())
            } else {
                for p in &problems {
                    println!("SAI LỆCH: {p}");
                }
                bail!("phát hiện {} sai lệch", problems.len())
            }
        }
        Command::User(cmd) => {
            let store = open_store(&common, false).await?;
            user_cmd::run(&store, cmd).await
        }
        Command::Catalog(cmd) => {
            let store = open_store(&common, false).await?;
            catalog_cmd::run(&store, cmd).await
        }
        Command::Calendar(cmd) => calendar_cmd::run(&common, cmd).await,
        Command::Stats(cmd) => {
            let store = open_store(&common, false).await?;
            store.migrate().await?;
            stats_cmd::run(&store, cmd).await
        }
        Command::Jobs(cmd) => {
            let store = open_store(&common, false).await?;
            store.migrate().await?;
            jobs_cmd::run(&common, &store, cmd).await
        }
    }
}

/// Seals each finished day's events under a daily root, now and every hour (safe on several
/// processes at once: a day is sealed once, and the root is the same whoever computes it).
fn spawn_day_sealer(store: Store) {
    tokio::spawn(async move {
        loop {
            let today = jiff::tz::Offset::constant(7).to_datetime(jiff::Timestamp::now()).date();
            if let Err(e) = store.seal_days(today).await {
                tracing::warn!("sealing daily audit roots failed: {e}");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

/// Reads the city-wide breakdowns of the last twelve months (this one included) once, in the
/// background, at start: their finished months' sums are then kept in memory (`stats_by`), so the
/// first supervisor to ask for that year does not wait for them.
fn spawn_stats_warmer(store: Store) {
    tokio::spawn(async move {
        let today = jiff::tz::Offset::constant(7).to_datetime(jiff::Timestamp::now()).date();
        let Ok(from) = today.first_of_month().checked_sub(jiff::Span::new().months(11)) else { return };
        let year = hcc_store::StatsQuery { from, to: today, agency: None, fields: Vec::new() };
        for dim in hcc_store::StatDim::ALL {
            if let Err(e) = store.stats_by(&year, dim).await {
                tracing::warn!("reading the last twelve months' figures at start failed: {e}");
                return;
            }
        }
    });
}

/// Removes uploads that broke off or were abandoned half-way (never referenced by anything).
fn spawn_staging_sweeper(files: hcc_files::FileStore) {
    tokio::spawn(async move {
        loop {
            // A day: long enough for a resumable upload paused overnight at a commune point.
            match files.sweep_staging(std::time::Duration::from_secs(24 * 3600)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("removed {n} abandoned upload(s) from staging"),
                Err(e) => tracing::warn!("sweeping abandoned uploads failed: {e}"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

/// Picks up calendar edits made through another process every minute.
fn spawn_calendar_refresh(state: hcc_web::AppState) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            match state.store.working_calendar().await {
                Ok(c) => state.set_calendar(c),
                Err(e) => tracing::warn!("reloading the calendar failed: {e}"),
            }
        }
    });
}

async fn serve(common: &Common, store: Store, files: hcc_files::FileStore) -> anyhow::Result<()> {
    spawn_day_sealer(store.clone());
    spawn_stats_warmer(store.clone());
    let calendar = reference::load_calendar(&store).await?;
    let listener = tokio::net::TcpListener::bind(&common.bind)
        .await
        .with_context(|| format!("không mở được cổng {}", common.bind))?;
    let bound = listener.local_addr()?.to_string();
    spawn_staging_sweeper(files.clone());
    let state = hcc_web::AppState::new(store, files, calendar, &common.public_url(&bound))
        .with_portal(common.portal_settings(&common.public_url(&bound)));
    spawn_calendar_refresh(state.clone());
    jobs::spawn(&common.jobs, state.store.clone(), &common.public_url(&bound)).await?;
    println!("HCC đang phục vụ tại http://{bound}");
    // The peer address keys the public lookups' throttle.
    axum::serve(listener, hcc_web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
