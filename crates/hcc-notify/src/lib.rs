//! HCC's notifications. The dossier write path leaves a notice in the `outbox` table in the same
//! transaction as the change; this crate delivers it: the [`worker`] plans a delivery per channel,
//! claims due deliveries under a lease, renders the Vietnamese [`template`] of the notice, sends it
//! by [`email`] (SMTP) or through a [`provider`] of SMS/Zalo messages, and records the outcome,
//! retrying with exponential [`backoff`].
//!
//! Delivery is at least once, and exactly once wherever the receiving side honours the key it is
//! given: every attempt at a delivery carries the same idempotency key (HTTP header) or
//! Message-ID (email), so a retry after a crash between sending and recording is recognised.

pub mod backoff;
pub mod email;
pub mod provider;
pub mod template;
pub mod worker;

pub use provider::{HttpTextProvider, SendError, TextMessage, TextProvider};
pub use worker::{RunReport, Worker, WorkerConfig};
