//! SMS and Zalo messages go through a provider behind a trait; the one shipped is a generic
//! JSON-over-HTTP gateway configured by a URL and a bearer token.

use std::time::Duration;

/// A text message to one phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMessage {
    pub to: String,
    pub text: String,
    /// The same for every attempt at one delivery: a provider that honours it sends once.
    pub idempotency_key: String,
}

/// Why a send failed: worth retrying (outage, overload) or not (the request itself is wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("temporary failure: {0}")]
    Temporary(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// A service that delivers text messages (an SMS gateway, Zalo's notification service, …).
#[async_trait::async_trait]
pub trait TextProvider: Send + Sync + std::fmt::Debug {
    /// Sends one message; on success, the provider's reference for it.
    async fn send(&self, message: &TextMessage) -> Result<String, SendError>;
}

/// A JSON-over-HTTP provider: `POST url` with `Authorization: Bearer token`,
/// `Idempotency-Key: key` and `{"channel", "to", "text", "idempotency_key"}`; any 2xx is an
/// acknowledgement, whose JSON `id` (or `message_id`) is kept as the provider's reference.
/// 408, 429 and 5xx are retried; other 4xx are not.
pub struct HttpTextProvider {
    url: String,
    token: String,
    /// What the gateway is asked to use: `sms` or `zalo`.
    channel: String,
    client: reqwest_tls::Client,
}

impl std::fmt::Debug for HttpTextProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret: never printed.
        f.debug_struct("HttpTextProvider")
            .field("url", &self.url)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl HttpTextProvider {
    pub fn new(url: &str, token: &str, channel: &str, timeout: Duration) -> Result<Self, SendError> {
        let client = reqwest_tls::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| SendError::Permanent(format!("HTTP client: {e}")))?;
        Ok(HttpTextProvider { url: url.to_owned(), token: token.to_owned(), channel: channel.to_owned(), client })
    }
}

#[async_trait::async_trait]
impl TextProvider for HttpTextProvider {
    async fn send(&self, m: &TextMessage) -> Result<String, SendError> {
        let body = serde_json::json!({
            "channel": self.channel, "to": m.to, "text": m.text, "idempotency_key": m.idempotency_key,
        });
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(&self.token)
            .header("idempotency-key", &m.idempotency_key)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            // Unreachable, refused, timed out: the message may or may not have gone; the same key
            // on the retry lets the provider tell.
            .map_err(|e| SendError::Temporary(format!("{e}")))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let snippet: String = text.chars().take(200).collect();
        if status.is_success() {
            let reply: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
            let id = reply.get("id").or_else(|| reply.get("message_id"));
            return Ok(match id {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) if !v.is_null() => v.to_string(),
                _ => format!("http {}", status.as_u16()),
            });
        }
        let code = status.as_u16();
        if code == 408 || code == 429 || status.is_server_error() {
            Err(SendError::Temporary(format!("HTTP {code}: {snippet}")))
        } else {
            Err(SendError::Permanent(format!("HTTP {code}: {snippet}")))
        }
    }
}
