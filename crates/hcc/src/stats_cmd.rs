//! `hcc stats …`: the supervision counters.

use clap::Subcommand;
use hcc_store::Store;

#[derive(Subcommand)]
pub enum StatsCommand {
    /// Recomputes every counter from the control sheets, says whether they agreed with the
    /// maintained ones, and replaces them (exits non-zero when they differed).
    Rebuild {
        /// Only compare; write nothing.
        #[arg(long)]
        check: bool,
    },
}

pub async fn run(store: &Store, cmd: StatsCommand) -> anyhow::Result<()> {
    match cmd {
        StatsCommand::Rebuild { check } => {
            let started = std::time::Instant::now();
            let r = store.rebuild_stats(!check).await?;
            println!(
                "Đã tính lại {} bộ đếm từ phiếu kiểm soát của {} hồ sơ ({} sự kiện) trong {:.1} giây.",
                r.counters,
                r.dossiers,
                r.events,
                started.elapsed().as_secs_f64()
            );
            if r.agreed() {
                println!("Khớp: số liệu thống kê đang lưu đúng bằng số tính lại.");
                return Ok(());
            }
            for (key, had, recomputed) in &r.differences {
                println!("KHÁC: {key}: đang lưu {had}, tính lại {recomputed}");
            }
            if r.written {
                println!("Đã thay số liệu đang lưu bằng số tính lại.");
            }
            anyhow::bail!("{} bộ đếm không khớp với phiếu kiểm soát", r.differing)
        }
    }
}
