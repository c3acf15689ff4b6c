//! `hcc calendar due`: when is something due that starts then, and why.

use crate::config::Common;
use crate::reference;
use anyhow::Context as _;
use clap::Subcommand;
use hcc_domain::TimeLimit;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Computes a due time with its explanation.
    Due {
        /// Local start, "YYYY-MM-DD HH:MM" (Asia/Ho_Chi_Minh).
        #[arg(long)]
        from: String,
        /// "N UNIT", UNIT: working-days, days, working-hours, months.
        #[arg(long)]
        limit: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(common: &Common, cmd: CalendarCommand) -> anyhow::Result<()> {
    let CalendarCommand::Due { from, limit, json } = cmd;
    let start: jiff::civil::DateTime = from
        .trim()
        .replace('T', " ")
        .parse()
        .with_context(|| format!("--from phải có dạng \"YYYY-MM-DD HH:MM\": {from}"))?;
    let limit: TimeLimit = limit.parse().map_err(|e| anyhow::anyhow!("--limit: {e}"))?;
    // The installation's calendar when there is one; the built-in seed otherwise.
    let calendar = match crate::cli::open_store(common, false).await {
        Ok(store) => reference::load_calendar(&store).await?,
        Err(_) => reference::seed_calendar()?,
    };
    let received = calendar.instant(start);
    let due = calendar.explain_due(received, limit);
    if json {
        let out = serde_json::json!({
            "due_at": calendar.format_local(due.due_at),
            "explanation": due.explanation,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("Hạn: {}", calendar.format_local(due.due_at));
        for line in &due.explanation {
            println!("  - {line}");
        }
    }
    Ok(())
}
