//! `/cong-dan`: the signed-in citizen's own dossiers (those they submitted online) and unfinished
//! drafts; each dossier's page with its status, receipt (Form 01), the open supplement request
//! and its upload form, and — once the result is returned — the rating link. A supplement runs
//! through the lifecycle like the counter's: the paper is digitized, then the supplement is
//! received, which resumes (or restarts) the clock per the procedure's policy.

use super::citizen_session::SignedIn;
use super::{message, render};
use crate::AppState;
use crate::api::documents::{file_error, limits_for};
use crate::error::{AppError, AppResult};
use crate::time::display;
use crate::ui::see_other;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use futures::TryStreamExt;
use hcc_domain::lifecycle::{self, Action, Context, CopyKind, DocumentFacts};
use hcc_domain::status::Status;
use hcc_store::DossierRecord;
use hcc_store::model::{DocumentChange, DocumentKind, NewDocument};
use hcc_templates::citizen::{CitizenMsg, MyDossierPage, MyDossierRow, MyDossiersPage, MyDraftRow, SupplementForm};
use serde::Deserialize;

/// The dossier `code` if this citizen submitted it; the same "not found" otherwise.
pub async fn own_dossier(state: &AppState, who: &SignedIn, code: &str) -> AppResult<DossierRecord> {
    let not_found = || AppError::not_found(format!("Không tìm thấy hồ sơ {code} trong tài khoản của bạn"));
    let dossier = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    if state.store.dossier_citizen(dossier.id).await? != Some(who.id) {
        return Err(not_found());
    }
    Ok(dossier)
}

fn status_label(who: &SignedIn, d: &DossierRecord) -> String {
    who.lang.label("status", d.state.status.as_str(), d.state.status.label_vi()).to_owned()
}

/// `GET /cong-dan`.
pub async fn list(State(state): State<AppState>, who: SignedIn) -> Response {
    let result = async {
        let drafts = state.store.drafts_of(who.id, 100).await?;
        let mut rows = Vec::new();
        let mut open = Vec::new();
        for d in drafts {
            match d.dossier_id {
                Some(id) => {
                    if let Some(x) = state.store.get_dossier_by_id(id).await? {
                        rows.push(MyDossierRow {
                            code: x.code.clone(),
                            procedure: x.procedure_name.clone(),
                            status: status_label(&who, &x),
                            submitted_at: display(x.submitted_at),
                            due_at: x.state.due_at.map(display).unwrap_or_default(),
                        });
                    }
                }
                None => open.push(MyDraftRow {
                    href: format!("/nop-ho-so/{}?nhap={}", d.procedure_code, d.key),
                    procedure: d.procedure_code,
                    updated_at: display(d.updated_at),
                }),
            }
        }
        Ok::<_, AppError>((rows, open))
    };
    match result.await {
        Ok((rows, drafts)) => {
            let l = who.layout(CitizenMsg::of(who.lang).my_dossiers);
            render(StatusCode::OK, &MyDossiersPage { l, rows, drafts }, true)
        }
        Err(e) => message(who.lang, &who.here, e, "/"),
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    moi: String,
    #[serde(default)]
    bo_sung: String,
}

/// `GET /cong-dan/ho-so/{code}`.
pub async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let result = async {
        let d = own_dossier(&state, &who, &code).await?;
        let mut p = dossier_page(&state, &who, &d).await?;
        if !q.moi.is_empty() {
            p.notice = CitizenMsg::of(who.lang).submitted_notice.to_owned();
        } else if !q.bo_sung.is_empty() {
            p.notice = CitizenMsg::of(who.lang).supplement_received.to_owned();
        }
        Ok::<_, AppError>(p)
    };
    match result.await {
        Ok(p) => render(StatusCode::OK, &p, true),
        Err(e) => message(who.lang, &who.here, e, "/cong-dan"),
    }
}

async fn dossier_page(state: &AppState, who: &SignedIn, d: &DossierRecord) -> AppResult<MyDossierPage> {
    let events = state.store.events(d.id).await?;
    let supplement = if d.state.status == Status::SupplementRequested {
        events.iter().rev().find(|e| e.action == "request_supplement").map(|e| SupplementForm {
            items: e
                .details
                .get("items")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
            reason: e.note.clone(),
            at: display(e.at),
            papers: d.documents.iter().map(|i| (i.no, i.name.clone())).collect(),
        })
    } else {
        None
    };
    let documents = state
        .store
        .documents_of(d.id)
        .await?
        .into_iter()
        .filter(|x| x.deleted_at.is_none())
        .map(|x| {
            let item = x.item_no.and_then(|n| d.documents.iter().find(|i| i.no == n)).map(|i| i.name.clone());
            (x.file_name, item.unwrap_or_else(|| x.kind.as_str().to_owned()))
        })
        .collect();
    let rating = super::rating::for_owner(state, who, d).await?;
    Ok(MyDossierPage {
        l: who.layout(format!("{} {}", CitizenMsg::of(who.lang).dossier, d.code)),
        code: d.code.clone(),
        secret: d.secret.clone(),
        procedure: d.procedure_name.clone(),
        status: status_label(who, d),
        submitted_at: display(d.submitted_at),
        due_at: d.state.due_at.map(display).unwrap_or_default(),
        notice: String::new(),
        receipt_href: format!("/cong-dan/ho-so/{}/giay-tiep-nhan", d.code),
        supplement,
        documents,
        rating_href: rating.href,
        rated: rating.rated,
        feedback_answer: rating.answer,
        feedback_answer_due: rating.answer_due,
        error: String::new(),
        error_code: String::new(),
    })
}

/// `GET /cong-dan/ho-so/{code}/giay-tiep-nhan`: the receipt (Form 01), as the counter prints it.
pub async fn receipt(State(state): State<AppState>, who: SignedIn, Path(code): Path<String>) -> Response {
    let result = async {
        let d = own_dossier(&state, &who, &code).await?;
        let point = state.point(&d.state.point_code).await?;
        let procedure = state.procedure(&d.procedure_code, Some(d.procedure_version as u32)).await?;
        Ok::<Html<String>, AppError>(crate::pages::receipt_html(
            &state,
            &d,
            point.as_ref().map_or("", |p| p.name.as_str()),
            procedure.as_deref(),
        ))
    };
    match result.await {
        Ok(html) => {
            let mut r = html.into_response();
            r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => message(who.lang, &who.here, e, "/cong-dan"),
    }
}

/// `POST /cong-dan/ho-so/{code}/bo-sung`: one paper of the supplement (multipart: `csrf`,
/// `item_no`, then `file`). It is digitized, then the supplement is received.
pub async fn supplement(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    match receive_supplement(&state, &who, &code, request).await {
        Ok(code) => see_other(&format!("/cong-dan/ho-so/{code}?bo_sung=1")),
        Err(e) => match own_dossier(&state, &who, &code).await {
            Ok(d) => match dossier_page(&state, &who, &d).await {
                Ok(mut p) => {
                    p.error = e.message;
                    p.error_code = e.code.to_owned();
                    render(e.status, &p, true)
                }
                Err(e2) => message(who.lang, &who.here, e2, "/cong-dan"),
            },
            Err(_) => message(who.lang, &who.here, e, "/cong-dan"),
        },
    }
}

async fn receive_supplement(state: &AppState, who: &SignedIn, code: &str, request: Request) -> AppResult<String> {
    let dossier = own_dossier(state, who, code).await?;
    if dossier.state.status != Status::SupplementRequested {
        return Err(AppError::conflict("Hồ sơ không ở trạng thái chờ bổ sung"));
    }
    let acting = who.acting(&dossier.state.point_code);
    let recorded_by = who.event_actor(&dossier.state.point_code);
    let procedure = state
        .procedure(&dossier.procedure_code, Some(dossier.procedure_version as u32))
        .await?
        .ok_or_else(|| AppError::internal(format!("procedure {} missing", dossier.procedure_code)))?;
    let limits = limits_for(state, &dossier.procedure_code).await?;
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::bad_request("invalid_multipart", format!("Dữ liệu gửi lên không hợp lệ: {e}")))?;
    let mut csrf_ok = false;
    let mut item_no: Option<u32> = None;
    let mut blob = None;
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_request("upload_truncated", format!("Tải lên bị gián đoạn, vui lòng gửi lại: {e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "csrf" => {
                let v = field.text().await.map_err(multipart_error)?;
                csrf_ok = who.csrf_ok(Some(&v));
            }
            "item_no" => {
                let v = field.text().await.map_err(multipart_error)?;
                let v = v.trim();
                if !v.is_empty() {
                    let no: u32 = v
                        .parse()
                        .map_err(|_| AppError::unprocessable("invalid_field", "Thành phần hồ sơ không hợp lệ"))?;
                    if !dossier.documents.iter().any(|i| i.no == no) {
                        return Err(AppError::unprocessable(
                            "invalid_documents",
                            format!("Hồ sơ không có giấy tờ số {no}"),
                        ));
                    }
                    item_no = Some(no);
                }
            }
            "file" => {
                if !csrf_ok {
                    return Err(super::form_expired());
                }
                let file_name = hcc_files::clean_file_name(field.file_name().unwrap_or("")).map_err(file_error)?;
                let stream = field.map_err(std::io::Error::other);
                let stored = state.files.put_stream(Box::pin(stream), &limits).await.map_err(file_error)?;
                hcc_files::check_name_matches(&file_name, stored.media_type).map_err(file_error)?;
                blob = Some((file_name, stored));
                break;
            }
            other => return Err(AppError::unprocessable("invalid_field", format!("Trường {other} không được hỗ trợ"))),
        }
    }
    if !csrf_ok {
        return Err(super::form_expired());
    }
    let (file_name, blob) =
        blob.ok_or_else(|| AppError::unprocessable("file_missing", "Chưa chọn tệp giấy tờ bổ sung"))?;
    let facts = DocumentFacts {
        id: None,
        item_no,
        sha256: blob.sha256.clone(),
        file_name: file_name.clone(),
        media_type: blob.media_type.mime().to_owned(),
        size: blob.size,
        pages: blob.pages,
        copy_kind: CopyKind::Electronic,
        reused_from: None,
    };
    let calendar = state.calendar();
    let involved = state.store.involved_agencies(dossier.id).await?;
    let now = hcc_store::model::now();
    let ctx = Context { procedure: &procedure, calendar: &calendar, actor: &acting, involved_agencies: &involved, now };
    let digitized = lifecycle::decide(&dossier.state, &Action::Digitize { document: facts }, &ctx)
        .map_err(crate::api::actions::action_error)?;
    let document = NewDocument {
        kind: DocumentKind::Input,
        item_no,
        sha256: blob.sha256,
        file_name,
        media_type: blob.media_type.mime().to_owned(),
        size: blob.size,
        pages: blob.pages,
        copy_kind: CopyKind::Electronic,
        owner_id: dossier.applicant.id_number.clone(),
        valid_until: None,
        reused_from: None,
    };
    let written = state
        .store
        .apply_document_transition(
            &dossier,
            &digitized.state,
            &digitized.event,
            &recorded_by,
            DocumentChange::Add(document),
            now,
        )
        .await?;
    let ctx = Context { procedure: &procedure, calendar: &calendar, actor: &acting, involved_agencies: &involved, now };
    let note = "Công dân nộp bổ sung trực tuyến".to_owned();
    let received = lifecycle::decide(&written.state, &Action::ReceiveSupplement { note }, &ctx)
        .map_err(crate::api::actions::action_error)?;
    let done = state.store.apply_transition(&written, &received.state, &received.event, &recorded_by, now).await?;
    Ok(done.code)
}
