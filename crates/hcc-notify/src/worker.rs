//! The outbox worker: plans deliveries for new notices, claims due ones under a lease (so several
//! `hcc` processes share the work and a crashed one's messages go to another after the lease),
//! renders and sends each, and records the outcome: sent with the provider's acknowledgement in
//! one statement, or a retry time with exponential backoff, or given up.

use crate::backoff::Backoff;
use crate::email::{Email, SmtpSender};
use crate::provider::{SendError, TextMessage, TextProvider};
use crate::template::{self, Notice};
use hcc_store::notify::{CHANNEL_EMAIL, CHANNEL_TEXT, ClaimedDelivery};
use hcc_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Names this worker in leases; unique per process.
    pub worker_id: String,
    /// Base of the links in messages.
    pub public_url: String,
    /// How long a claimed delivery is this worker's: longer than any send may take.
    pub lease: Duration,
    /// Notices planned and deliveries claimed per round.
    pub batch: u32,
    pub backoff: Backoff,
    /// Pause between rounds that found nothing to do.
    pub poll: Duration,
}

impl WorkerConfig {
    pub fn new(public_url: &str) -> Self {
        WorkerConfig {
            worker_id: format!("hcc-{}-{:08x}", std::process::id(), rand::random::<u32>()),
            public_url: public_url.to_owned(),
            lease: Duration::from_secs(300),
            batch: 50,
            backoff: Backoff::default(),
            poll: Duration::from_secs(5),
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    pub planned: u32,
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
}

impl RunReport {
    pub fn idle(&self) -> bool {
        self.planned == 0 && self.sent == 0 && self.retrying == 0 && self.failed == 0
    }
}

/// The outbox worker.
#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    email: Option<Arc<SmtpSender>>,
    text: Option<Arc<dyn TextProvider>>,
    config: WorkerConfig,
    installation: String,
}

enum Outcome {
    Sent,
    Retrying,
    Failed,
}

impl Worker {
    /// A worker over the channels given (a channel without a sender is not planned: its notices
    /// are not held for a channel that does not exist).
    pub async fn new(
        store: Store,
        email: Option<SmtpSender>,
        text: Option<Arc<dyn TextProvider>>,
        config: WorkerConfig,
    ) -> Result<Worker, StoreError> {
        let installation = store.get_meta("installation_id").await?.unwrap_or_else(|| "hcc".to_owned());
        Ok(Worker { store, email: email.map(Arc::new), text, config, installation })
    }

    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.email.is_some() {
            c.push(CHANNEL_EMAIL);
        }
        if self.text.is_some() {
            c.push(CHANNEL_TEXT);
        }
        c
    }

    /// The key every attempt at delivery `id` carries (idempotency key, Message-ID).
    pub fn delivery_key(&self, id: i64) -> String {
        format!("hcc-{}-{id}", self.installation)
    }

    /// One round: plan new notices, then claim and send what is due.
    pub async fn run_once(&self) -> Result<RunReport, StoreError> {
        let mut report = RunReport::default();
        let channels = self.channels();
        report.planned = self.store.plan_outbox(&channels, self.config.batch, jiff::Timestamp::now()).await?;
        // Only what this process can send: another process may have the channel this one lacks.
        let claimed = self
            .store
            .claim_deliveries(&self.config.worker_id, &channels, self.config.batch, self.config.lease)
            .await?;
        for d in claimed {
            match self.deliver(&d).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::Retrying => report.retrying += 1,
                Outcome::Failed => report.failed += 1,
            }
        }
        Ok(report)
    }

    /// Runs rounds until `shutdown` resolves; a round that fails (database away) is logged and
    /// tried again after the poll interval.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let pause = match self.run_once().await {
                Ok(r) if !r.idle() => Duration::ZERO,
                Ok(_) => self.config.poll,
                Err(e) => {
                    tracing::warn!("notification round failed: {e}");
                    self.config.poll
                }
            };
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(pause) => {}
            }
        }
    }

    async fn deliver(&self, d: &ClaimedDelivery) -> Result<Outcome, StoreError> {
        let notice = Notice {
            kind: &d.kind,
            payload: &d.payload,
            dossier_code: &d.dossier_code,
            procedure_name: &d.procedure_name,
            applicant_name: &d.applicant_name,
            due_at: d.due_at,
            public_url: &self.config.public_url,
        };
        let result = match template::render(&notice) {
            Err(e) => Err(SendError::Permanent(e.to_string())),
            Ok(message) => self.send(d, &message).await,
        };
        let worker = &self.config.worker_id;
        match result {
            Ok(reference) => {
                // A `false` here means another worker recorded it first (our lease had run out):
                // the provider saw the same key twice and sent once.
                self.store.mark_delivered(d.id, &reference).await?;
                Ok(Outcome::Sent)
            }
            Err(SendError::Temporary(why)) => {
                let attempts = u32::try_from(d.attempts).unwrap_or(u32::MAX);
                let delay = self.config.backoff.next_delay(attempts, rand::random::<f64>());
                tracing::info!(delivery = d.id, attempts, "delivery failed, {}: {why}", retry_words(delay));
                self.store.mark_failed(d.id, worker, &why, delay).await?;
                Ok(if delay.is_some() { Outcome::Retrying } else { Outcome::Failed })
            }
            Err(SendError::Permanent(why)) => {
                tracing::warn!(delivery = d.id, "delivery given up: {why}");
                self.store.mark_failed(d.id, worker, &why, None).await?;
                Ok(Outcome::Failed)
            }
        }
    }

    async fn send(&self, d: &ClaimedDelivery, m: &template::Rendered) -> Result<String, SendError> {
        let key = self.delivery_key(d.id);
        match d.channel.as_str() {
            CHANNEL_EMAIL => match &self.email {
                Some(smtp) => {
                    smtp.send(&Email { to: &d.recipient, subject: &m.subject, text: &m.text, message_key: &key }).await
                }
                None => Err(SendError::Temporary("email is not configured on this process".into())),
            },
            CHANNEL_TEXT => match &self.text {
                Some(p) => {
                    p.send(&TextMessage { to: d.recipient.clone(), text: m.text.clone(), idempotency_key: key }).await
                }
                None => Err(SendError::Temporary("SMS/Zalo is not configured on this process".into())),
            },
            other => Err(SendError::Permanent(format!("unknown channel {other:?}"))),
        }
    }
}

fn retry_words(delay: Option<Duration>) -> String {
    match delay {
        Some(d) => format!("retrying in {} s", d.as_secs()),
        None => "no tries left".to_owned(),
    }
}
