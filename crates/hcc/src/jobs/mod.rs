//! The background jobs `hcc serve` runs beside the web app: the notification outbox worker, the
//! early-warning / escalation job and the removal of settled notices past their retention. All
//! are safe on several processes at once (leases, unique keys, deletes of settled rows only), and
//! `hcc jobs run-once` runs one round of each.

pub mod config;
pub mod warnings;

pub use config::JobArgs;

use hcc_store::Store;

/// Starts both jobs in the background of a serving process.
pub async fn spawn(args: &JobArgs, store: Store, public_url: &str) -> anyhow::Result<()> {
    let worker = args.worker(store.clone(), public_url).await?;
    if worker.is_none() {
        tracing::info!("no SMTP or SMS provider configured: notices stay in the outbox until one is");
    }
    if let Some(worker) = worker {
        tokio::spawn(worker.run(std::future::pending()));
    }
    let policy = args.warning_policy();
    let interval = std::time::Duration::from_secs(args.jobs_interval_seconds.max(1));
    let holder = format!("hcc-{}-{:08x}", std::process::id(), rand::random::<u32>());
    let args = args.clone();
    tokio::spawn(async move {
        loop {
            let now = jiff::Timestamp::now();
            match store.working_calendar().await {
                Ok(cal) => match warnings::run_once(&store, &cal, &policy, &holder, now).await {
                    Ok(r) if r.given > 0 => tracing::info!("early warnings: {} given", r.given),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("early-warning round failed: {e}"),
                },
                Err(e) => tracing::warn!("early-warning round could not read the calendar: {e}"),
            }
            match args.purge_notices(&store, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("removed {n} settled notice(s) past their retention"),
                Err(e) => tracing::warn!("removing settled notices failed: {e}"),
            }
            tokio::time::sleep(interval).await;
        }
    });
    Ok(())
}
