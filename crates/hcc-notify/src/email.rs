//! Email over SMTP (lettre). Each delivery has a stable Message-ID, the same on every attempt, so
//! a mail that is sent again after a crash can be recognised as the same message.

use crate::provider::SendError;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The SMTP relay and the sender's address.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
    /// The right-hand side of Message-IDs (the sender's domain).
    domain: String,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: only the sender is shown.
        f.debug_struct("SmtpSender").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

/// One email to send.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    /// Unique per delivery, stable across attempts (`<local@domain>` is built from it).
    pub message_key: &'a str,
}

impl SmtpSender {
    /// `url`: `smtp://host:port` (plain), `smtp://host:587?tls=required` (STARTTLS) or
    /// `smtps://host:465`, with `user:password@` when the relay asks for it.
    pub fn new(url: &str, from: &str, timeout: Duration) -> Result<Self, SendError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| SendError::Permanent(format!("SMTP URL: {e}")))?
            .timeout(Some(timeout))
            .build();
        let from: lettre::message::Mailbox =
            from.parse().map_err(|e| SendError::Permanent(format!("sender address {from:?}: {e}")))?;
        let domain = from.email.domain().to_owned();
        Ok(SmtpSender { transport, from, domain })
    }

    /// The Message-ID of a delivery.
    pub fn message_id(&self, key: &str) -> String {
        format!("<{key}@{}>", self.domain)
    }

    /// Sends one mail; on success, the relay's answer (its queue id, usually).
    pub async fn send(&self, e: &Email<'_>) -> Result<String, SendError> {
        let to: lettre::message::Mailbox =
            e.to.parse().map_err(|err| SendError::Permanent(format!("recipient {:?}: {err}", e.to)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(e.subject)
            .message_id(Some(self.message_id(e.message_key)))
            .header(ContentType::TEXT_PLAIN)
            .body(e.text.to_owned())
            .map_err(|err| SendError::Permanent(format!("message: {err}")))?;
        match self.transport.send(message).await {
            Ok(response) => Ok(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" "))),
            Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
            Err(err) => Err(SendError::Temporary(err.to_string())),
        }
    }
}
