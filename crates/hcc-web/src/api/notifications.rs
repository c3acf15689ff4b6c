//! `GET /api/v1/dossiers/{code}/notifications`: what HCC told the applicant and the staff about a
//! dossier, on which channel, and whether it arrived — for the officer who must know whether the
//! applicant was told. Addresses are masked: this answers "was it sent", not "to whom exactly".

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppResult, ErrorBody};
use crate::extract::ApiPath;
use crate::time::local_opt;
use axum::Json;
use axum::extract::State;
use hcc_domain::identity::mask_tail;
use serde::Serialize;
use utoipa::ToSchema;

/// One delivery of a notice.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    /// The notice: a status the dossier moved to, `apology`, `rating`, `one_time_code`, or a staff
    /// warning (`warning_due_soon`, `warning_overdue`, `warning_escalated`).
    pub kind: String,
    /// `email` or `text` (SMS/Zalo).
    pub channel: String,
    /// The address, masked.
    pub recipient: String,
    /// `pending` (waiting or retrying), `sent` or `failed` (given up).
    pub status: String,
    pub attempts: i64,
    /// Why the last attempt failed (empty once sent).
    pub last_error: String,
    pub sent_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveriesResponse {
    pub code: String,
    pub deliveries: Vec<DeliveryView>,
}

/// `n***@example.vn` for an email, `*******678` for a phone.
fn mask(recipient: &str) -> String {
    match recipient.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_tail(recipient, 3),
    }
}

/// The notifications of a dossier, oldest first.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/notifications", tag = "dossiers", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = DeliveriesResponse), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<DeliveriesResponse>> {
    let (d, _) = super::dossiers::load_readable(&state, &actor, &code).await?;
    let deliveries = state
        .store
        .deliveries_of(d.id)
        .await?
        .into_iter()
        .map(|x| DeliveryView {
            kind: x.kind,
            channel: x.channel,
            recipient: mask(&x.recipient),
            status: x.status,
            attempts: x.attempts,
            last_error: x.last_error,
            sent_at: local_opt(x.sent_at),
        })
        .collect();
    Ok(Json(DeliveriesResponse { code: d.code, deliveries }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_masked() {
        assert_eq!(super::mask("nguyenvan@example.vn"), "n***@example.vn");
        assert_eq!(super::mask("0912345678"), "*******678");
        assert_eq!(super::mask("@x"), "***@x");
    }
}
