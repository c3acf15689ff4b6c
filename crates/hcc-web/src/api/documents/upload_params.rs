//! What an upload is for — kind, checklist item, copy kind, validity, file name, expected version —
//! read from a multipart form's text fields or the query string, and checked.

use crate::error::{AppError, AppResult};
use hcc_domain::lifecycle::CopyKind;
use hcc_store::model::DocumentKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What an upload is for, from the form's text fields or the query string.
#[derive(Deserialize, Serialize, Clone, Default, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct UploadParams {
    /// `input` (default) or `result`.
    pub kind: Option<String>,
    /// The checklist item the paper satisfies (inputs).
    pub item_no: Option<u32>,
    /// `original`, `copy` (default), `certified_copy` or `electronic`.
    pub copy_kind: Option<String>,
    /// Until when the paper is valid, `YYYY-MM-DD` (for reuse in later dossiers).
    pub valid_until: Option<String>,
    /// The file's name (raw uploads; multipart parts carry their own).
    pub file_name: Option<String>,
    /// The `version` of the dossier you read; another current version answers 409.
    pub expected_version: Option<i64>,
}

impl UploadParams {
    pub(super) fn set(&mut self, name: &str, value: String) -> AppResult<()> {
        let bad = |what: &str| AppError::unprocessable("invalid_field", format!("Trường {what} không hợp lệ"));
        match name {
            "kind" => self.kind = Some(value),
            "item_no" => self.item_no = Some(value.trim().parse().map_err(|_| bad("item_no"))?),
            "copy_kind" => self.copy_kind = Some(value),
            "valid_until" => self.valid_until = Some(value),
            "file_name" => self.file_name = Some(value),
            "expected_version" => {
                self.expected_version = Some(value.trim().parse().map_err(|_| bad("expected_version"))?)
            }
            _ => return Err(AppError::unprocessable("invalid_field", format!("Trường {name} không được hỗ trợ"))),
        }
        Ok(())
    }

    pub(crate) fn kind(&self) -> AppResult<DocumentKind> {
        match self.kind.as_deref().unwrap_or("input") {
            "input" => Ok(DocumentKind::Input),
            "result" => Ok(DocumentKind::Result),
            other => Err(AppError::unprocessable("invalid_field", format!("Loại tài liệu không hợp lệ: {other}"))),
        }
    }

    pub(super) fn copy_kind(&self, kind: DocumentKind) -> AppResult<CopyKind> {
        match self.copy_kind.as_deref() {
            None if kind == DocumentKind::Result => Ok(CopyKind::Electronic),
            None => Ok(CopyKind::Copy),
            Some(k) => CopyKind::parse(k)
                .ok_or_else(|| AppError::unprocessable("invalid_field", format!("Loại bản không hợp lệ: {k}"))),
        }
    }

    pub(super) fn valid_until(&self) -> AppResult<Option<jiff::Timestamp>> {
        let Some(raw) = self.valid_until.as_deref().filter(|s| !s.trim().is_empty()) else { return Ok(None) };
        let date: jiff::civil::Date = raw
            .trim()
            .parse()
            .map_err(|_| AppError::unprocessable("invalid_field", "Ngày hết hiệu lực không hợp lệ (YYYY-MM-DD)"))?;
        // Valid through that whole local day.
        let end =
            date.tomorrow().map_err(|_| AppError::unprocessable("invalid_field", "Ngày hết hiệu lực không hợp lệ"))?;
        Ok(Some(crate::time::start_of_local_day(end)))
    }
}
