//! `hcc jobs run-once`: one round of each background job, for operators and tests.

use crate::config::Common;
use anyhow::Context as _;
use clap::Subcommand;
use hcc_store::Store;

#[derive(Subcommand)]
pub enum JobsCommand {
    /// Gives the early warnings due now, delivers what the outbox holds, and removes settled
    /// notices past their retention (one round each).
    RunOnce {
        /// Judge the warnings as at this local time (`YYYY-MM-DD HH:MM`, Asia/Ho_Chi_Minh)
        /// instead of now.
        #[arg(long)]
        at: Option<String>,
    },
}

pub async fn run(common: &Common, store: &Store, cmd: JobsCommand) -> anyhow::Result<()> {
    match cmd {
        JobsCommand::RunOnce { at } => {
            let now = match at.as_deref() {
                // The same reading of a local time as the API's (`YYYY-MM-DD HH:MM`, or RFC 3339).
                Some(s) => hcc_web::time::parse(s).with_context(|| format!("thời điểm không hợp lệ: {s:?}"))?,
                None => jiff::Timestamp::now(),
            };
            let cal = store.working_calendar().await?;
            let holder = format!("hcc-cli-{}", std::process::id());
            let policy = common.jobs.warning_policy();
            let w = crate::jobs::warnings::run_once(store, &cal, &policy, &holder, now).await?;
            if w.skipped {
                println!("Cảnh báo sớm: một tiến trình khác đang quét, lượt này bỏ qua.");
            } else {
                println!("Cảnh báo sớm: {} cảnh báo mới, {} đã có từ trước.", w.given, w.already);
            }
            match common.jobs.worker(store.clone(), &common.public_url(&common.bind)).await? {
                None => println!("Thông báo: chưa cấu hình SMTP hoặc SMS/Zalo, thông báo vẫn chờ trong hàng đợi."),
                Some(worker) => {
                    let r = worker.run_once().await?;
                    println!(
                        "Thông báo: {} mới lập, {} đã gửi, {} sẽ gửi lại, {} thất bại.",
                        r.planned, r.sent, r.retrying, r.failed
                    );
                }
            }
            let purged = common.jobs.purge_notices(store, now).await?;
            if purged > 0 {
                println!("Đã xóa {purged} thông báo đã gửi xong quá thời hạn lưu.");
            }
            Ok(())
        }
    }
}
