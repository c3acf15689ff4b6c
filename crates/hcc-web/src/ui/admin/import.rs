//! `/quan-tri/thu-tuc/nhap`: import catalog files from the browser — our own format or the
//! national portal's JSON, read by the same parser as `hcc catalog import` — and report, per file,
//! what each procedure became and every field that could not be read.

use super::{apply, msg, refuse_non_admin};
use crate::AppState;
use crate::ui::{WebUser, render};
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::catalog::import::parse_catalog_file;
use hcc_store::{AdminChange, AdminOutcome, PutOutcome};
use hcc_templates::admin::{ImportFileRow, ImportItemRow, ImportPage};

#[derive(serde::Deserialize, Default)]
pub struct TokenQuery {
    /// The session's form token, in the address: the multipart body is read only after it is checked.
    csrf: Option<String>,
}

/// Most bytes one import takes, all files together (the national catalog is a few MB).
const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// Most files one import takes.
const MAX_FILES: usize = 500;

/// `GET /quan-tri/thu-tuc/nhap`.
pub async fn form(user: WebUser) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let m = msg(&user);
    let page = ImportPage {
        l: user.layout(m.import_title, "/quan-tri"),
        m,
        files: Vec::new(),
        summary: String::new(),
        error: String::new(),
    };
    render(StatusCode::OK, &page)
}

fn page(user: &WebUser, status: StatusCode, files: Vec<ImportFileRow>, summary: String, error: String) -> Response {
    let m = msg(user);
    render(status, &ImportPage { l: user.layout(m.import_title, "/quan-tri"), m, files, summary, error })
}

/// `POST /quan-tri/thu-tuc/nhap?csrf=…` (multipart, `file` parts).
pub async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<TokenQuery>,
    request: Request,
) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    if !user.csrf_ok(q.csrf.as_ref()) {
        return user.form_expired();
    }
    let refused = |msg: &str| page(&user, StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), String::new(), msg.to_owned());
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return refused("Cần gửi tệp theo biểu mẫu tải lên (multipart/form-data)");
    };
    let mut received: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return refused("Tệp tải lên bị gián đoạn hoặc không đúng định dạng; hãy gửi lại"),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("tep.json").chars().take(200).collect::<String>();
        let Ok(bytes) = field.bytes().await else {
            return refused("Tệp tải lên bị gián đoạn; hãy gửi lại");
        };
        if bytes.is_empty() && name.is_empty() {
            continue;
        }
        total += bytes.len();
        if total > MAX_IMPORT_BYTES || received.len() >= MAX_FILES {
            return refused(&format!(
                "Quá lớn: mỗi lần nhập tối đa {MAX_FILES} tệp, tổng {} MB",
                MAX_IMPORT_BYTES / 1024 / 1024
            ));
        }
        received.push((name, bytes.to_vec()));
    }
    if received.iter().all(|(_, b)| b.is_empty()) {
        return refused("Chưa chọn tệp nào");
    }
    let (mut created, mut versions, mut same, mut failed) = (0, 0, 0, 0);
    let mut rows = Vec::new();
    for (name, bytes) in received {
        let parsed = match parse_catalog_file(&name, &bytes) {
            Ok(p) => p,
            Err(e) => {
                failed += 1;
                rows.push(ImportFileRow { file: name, error: e.to_string(), items: Vec::new() });
                continue;
            }
        };
        let mut items = Vec::new();
        for item in parsed {
            let code = item.procedure.code.clone();
            let problems: Vec<String> = item.problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
            let detail = format!("Nhập thủ tục {code} từ tệp {name}");
            let change = AdminChange::PutProcedure(Box::new(item.procedure));
            let outcome = match apply(&state, &user, change, "procedure.import", &code, detail).await {
                Ok(AdminOutcome::Procedure(PutOutcome::Created { version })) => {
                    created += 1;
                    format!("Thủ tục mới (phiên bản {version})")
                }
                Ok(AdminOutcome::Procedure(PutOutcome::NewVersion { version })) => {
                    versions += 1;
                    format!("Phiên bản mới {version}")
                }
                Ok(AdminOutcome::Procedure(PutOutcome::Unchanged { version })) => {
                    same += 1;
                    format!("Không đổi (phiên bản {version})")
                }
                Ok(_) | Err(_) => {
                    failed += 1;
                    "Không lưu được".to_owned()
                }
            };
            items.push(ImportItemRow { code, outcome, problems });
        }
        rows.push(ImportFileRow { file: name, error: String::new(), items });
    }
    state.caches.current_version.clear();
    state.caches.fields.clear();
    let summary = format!(
        "Đã đọc {} tệp: {created} thủ tục mới, {versions} phiên bản mới, {same} không đổi; {failed} lỗi.",
        rows.len()
    );
    let status = if failed > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page(&user, status, rows, summary, String::new())
}
