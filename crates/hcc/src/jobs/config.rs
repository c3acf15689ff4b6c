//! The jobs' settings (also environment variables): the delivery channels and the warning policy.

use clap::Args;
use hcc_domain::warning::WarningPolicy;
use hcc_notify::{HttpTextProvider, TextProvider, Worker, WorkerConfig, backoff::Backoff, email::SmtpSender};
use hcc_store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Settled notices deleted per round at most (keeps each round's write short).
const PURGE_BATCH: i64 = 2000;

/// Notification and warning settings.
#[derive(Args, Clone)]
pub struct JobArgs {
    /// SMTP relay for email notices: `smtp://host:port`, `smtp://host:587?tls=required`,
    /// `smtps://user:password@host:465`. Unset: no email.
    #[arg(long, env = "HCC_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of email notices.
    #[arg(
        long,
        env = "HCC_SMTP_FROM",
        global = true,
        default_value = "Trung tâm Phục vụ Hành chính công <no-reply@localhost>"
    )]
    pub smtp_from: String,
    /// The SMS/Zalo gateway's URL (JSON over HTTP). Unset: no text messages.
    #[arg(long, env = "HCC_SMS_URL", global = true)]
    pub sms_url: Option<String>,
    /// The gateway's bearer token.
    #[arg(long, env = "HCC_SMS_TOKEN", global = true, hide_env_values = true)]
    pub sms_token: Option<String>,
    /// What the gateway is asked to send: `sms` or `zalo`.
    #[arg(long, env = "HCC_SMS_CHANNEL", global = true, default_value = "sms")]
    pub sms_channel: String,
    /// Attempts at a delivery before it is given up (retries back off from 30 s to an hour).
    #[arg(long, env = "HCC_NOTIFY_MAX_ATTEMPTS", global = true, default_value_t = 30)]
    pub notify_max_attempts: u32,
    /// Seconds a worker holds a claimed delivery: after a crash, another process sends it then.
    #[arg(long, env = "HCC_NOTIFY_LEASE_SECONDS", global = true, default_value_t = 300)]
    pub notify_lease_seconds: u64,
    /// Seconds the worker waits when the outbox is empty.
    #[arg(long, env = "HCC_NOTIFY_POLL_SECONDS", global = true, default_value_t = 5)]
    pub notify_poll_seconds: u64,
    /// Early warning: working hours before a step's due time.
    #[arg(long, env = "HCC_WARN_DUE_SOON_HOURS", global = true, default_value_t = 8)]
    pub warn_due_soon_hours: u64,
    /// Working hours a step may stay overdue before the supervisors are told.
    #[arg(long, env = "HCC_ESCALATE_AFTER_HOURS", global = true, default_value_t = 8)]
    pub escalate_after_hours: u64,
    /// Working days the drafted apology (Form 04) proposes past the missed appointment.
    #[arg(long, env = "HCC_APOLOGY_EXTRA_DAYS", global = true, default_value_t = 5)]
    pub apology_extra_days: u64,
    /// Seconds between early-warning rounds.
    #[arg(long, env = "HCC_JOBS_INTERVAL_SECONDS", global = true, default_value_t = 300)]
    pub jobs_interval_seconds: u64,
    /// Days a notice is kept once every delivery of it is settled (sent or given up); 0 keeps
    /// them all. The control sheet, not the outbox, is the dossier's record.
    #[arg(long, env = "HCC_NOTICE_RETENTION_DAYS", global = true, default_value_t = 365)]
    pub notice_retention_days: u32,
}

impl JobArgs {
    /// Deletes settled notices older than the retention (a bounded batch per call): how many.
    pub async fn purge_notices(&self, store: &Store, now: jiff::Timestamp) -> anyhow::Result<u64> {
        if self.notice_retention_days == 0 {
            return Ok(0);
        }
        let before = now - jiff::SignedDuration::from_hours(24 * i64::from(self.notice_retention_days));
        Ok(store.purge_notices(before, PURGE_BATCH).await?)
    }

    pub fn warning_policy(&self) -> WarningPolicy {
        WarningPolicy {
            due_soon_minutes: self.warn_due_soon_hours.saturating_mul(60),
            escalate_after_minutes: self.escalate_after_hours.saturating_mul(60),
            apology_extra_minutes: self.apology_extra_days.saturating_mul(480),
        }
    }

    /// The outbox worker over the configured channels; `None` when none is.
    pub async fn worker(&self, store: Store, public_url: &str) -> anyhow::Result<Option<Worker>> {
        // A send gives up well within the lease, so a slow provider is not taken over mid-send.
        let timeout = Duration::from_secs((self.notify_lease_seconds / 2).clamp(1, 30));
        let email = match self.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => Some(
                SmtpSender::new(url, &self.smtp_from, timeout)
                    .map_err(|e| anyhow::anyhow!("cấu hình SMTP (HCC_SMTP_URL, HCC_SMTP_FROM) không hợp lệ: {e}"))?,
            ),
            None => None,
        };
        let text: Option<Arc<dyn TextProvider>> = match self.sms_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                if !matches!(self.sms_channel.as_str(), "sms" | "zalo") {
                    anyhow::bail!("HCC_SMS_CHANNEL phải là sms hoặc zalo");
                }
                let token = self.sms_token.as_deref().unwrap_or("");
                let provider = HttpTextProvider::new(url, token, &self.sms_channel, timeout)
                    .map_err(|e| anyhow::anyhow!("cấu hình nhà cung cấp SMS/Zalo không hợp lệ: {e}"))?;
                Some(Arc::new(provider))
            }
            None => None,
        };
        if email.is_none() && text.is_none() {
            return Ok(None);
        }
        let mut config = WorkerConfig::new(public_url);
        config.backoff = Backoff { max_attempts: self.notify_max_attempts.max(1), ..Backoff::default() };
        config.lease = Duration::from_secs(self.notify_lease_seconds.max(1));
        config.poll = Duration::from_secs(self.notify_poll_seconds.max(1));
        Ok(Some(Worker::new(store, email, text, config).await?))
    }
}
