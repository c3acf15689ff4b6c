//! The documents of a dossier in the staff app: upload a scanned paper or the signed result
//! (multipart, through the API's own `upload_as`), reuse a paper from the applicant's store
//! (`reuse_as`), and open a stored file in the page's viewer (`content_as`). A refusal comes back
//! on the dossier page, in its documents panel.

use super::dossier::{Extras, render_page};
use super::{AnyStaff, WebUser, see_other};
use crate::AppState;
use crate::api::documents::{ReuseRequest, UploadParams, content_as, reuse_as, upload_as};
use crate::error::AppError;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    /// The session's form token: a multipart body is handed to the upload whole, so the token
    /// travels in the form's address.
    csrf: Option<String>,
}

/// `POST /ho-so/{code}/tai-lieu?csrf=…`: one file for one paper (`kind=input`, `item_no`) or the
/// result (`kind=result`).
pub async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
    Query(q): Query<TokenQuery>,
    request: Request,
) -> Response {
    if !user.csrf_ok(q.csrf.as_ref()) {
        return user.form_expired();
    }
    match upload_as(&state, &user.actor, &code, UploadParams::default(), request).await {
        Ok((_, doc)) => {
            let done = if doc.0.kind == "result" { "attach_result" } else { "digitize" };
            see_other(&format!("/ho-so/{code}?done={done}#tai-lieu"))
        }
        Err(e) => refused(&state, &user, &code, e).await,
    }
}

/// `POST /ho-so/{code}/tai-lieu/dung-lai`: reuse a paper from the applicant's store.
pub async fn reuse(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(values)) = form else { return user.form_expired() };
    if !user.csrf_ok(values.get("csrf")) {
        return user.form_expired();
    }
    let num = |k: &str| values.get(k).and_then(|v| v.trim().parse::<i64>().ok());
    let Some(document_id) = num("document_id") else {
        return refused(&state, &user, &code, AppError::unprocessable("invalid_field", "Chưa chọn tài liệu")).await;
    };
    let req = ReuseRequest {
        document_id,
        item_no: num("item_no").and_then(|n| u32::try_from(n).ok()),
        copy_kind: None,
        expected_version: None,
    };
    match reuse_as(&state, &user.actor, &code, req).await {
        Ok(_) => see_other(&format!("/ho-so/{code}?done=digitize#tai-lieu")),
        Err(e) => refused(&state, &user, &code, e).await,
    }
}

/// `GET /ho-so/{code}/tai-lieu/{id}`: the file, inline (the page's viewer).
pub async fn content(
    State(state): State<AppState>,
    AnyStaff(actor): AnyStaff,
    Path((_code, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    match content_as(&state, &actor, id, &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn refused(state: &AppState, user: &WebUser, code: &str, e: AppError) -> Response {
    if e.status == StatusCode::NOT_FOUND && e.code == "not_found" {
        return user.error_page(e);
    }
    let status = e.status;
    let extras = Extras::upload_refused(e.message);
    match render_page(state, user, code, extras, status).await {
        Ok(r) => r,
        Err(e) => user.error_page(e),
    }
}
