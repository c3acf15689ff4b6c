//! Paying a procedure's fee with an online submission. No payment gateway is connected yet: the
//! [`PaymentGateway`] trait is where one (e.g. the national payment platform) plugs in, and
//! [`RecordedPayments`] records what the applicant declares — paid at the counter when the result
//! is collected, or by bank transfer with its reference — for the reception officer to check.

use hcc_domain::citizen::{self, PaymentError, PaymentMethod};
use serde::Serialize;

/// What the fee payment of a dossier came to; written on the control sheet with the submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRecord {
    /// `counter` or `bank_transfer`.
    pub method: &'static str,
    pub reference: Option<String>,
    /// The fee as published.
    pub fee: String,
    pub fee_vnd: Option<u64>,
    /// Who vouches for it: `declared` (the applicant) until a gateway confirms payments.
    pub status: &'static str,
}

/// A way to take or record fee payments.
pub trait PaymentGateway: Send + Sync + std::fmt::Debug {
    /// Records the payment of `fee` chosen on the form.
    fn record(
        &self,
        fee: &str,
        fee_vnd: Option<u64>,
        method: Option<&str>,
        reference: &str,
    ) -> Result<PaymentRecord, PaymentError>;
}

/// Records the applicant's declaration; nothing is charged.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordedPayments;

impl PaymentGateway for RecordedPayments {
    fn record(
        &self,
        fee: &str,
        fee_vnd: Option<u64>,
        method: Option<&str>,
        reference: &str,
    ) -> Result<PaymentRecord, PaymentError> {
        let (method, reference) = citizen::check_payment(method, reference)?;
        Ok(PaymentRecord {
            method: method.as_str(),
            reference,
            fee: fee.to_owned(),
            fee_vnd,
            status: match method {
                PaymentMethod::AtCounter => "due_at_counter",
                PaymentMethod::BankTransfer => "declared",
            },
        })
    }
}
