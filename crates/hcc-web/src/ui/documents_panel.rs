//! The documents panel of the dossier page: what is digitized (who, when, where, reused from
//! where), what is still missing its file, the upload and reuse forms the user may use now, and
//! the printable forms the record has events for. Two reads: the documents, and the applicant's
//! store when the user may add papers.

use super::WebUser;
use crate::AppState;
use crate::error::AppResult;
use crate::time::display;
use hcc_domain::catalog::Procedure;
use hcc_domain::lifecycle::{self, Action, Context, CopyKind, DocumentFacts};
use hcc_store::{DocumentKind, DossierRecord, EventRecord};
use hcc_templates::counter::{DocsPanel, DocumentRow, PrintLink, UploadItem, VaultRow};
use std::collections::HashMap;

/// A stand-in document for asking `decide` whether an upload would be accepted now.
fn probe(item_no: Option<u32>) -> DocumentFacts {
    DocumentFacts {
        id: None,
        item_no,
        sha256: "0".repeat(64),
        file_name: "probe.pdf".into(),
        media_type: "application/pdf".into(),
        size: 1,
        pages: None,
        copy_kind: CopyKind::Copy,
        reused_from: None,
    }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The printable forms of the record (DOMAIN.md §Forms), each only when its event happened.
pub fn print_links(d: &DossierRecord, events: &[EventRecord]) -> Vec<PrintLink> {
    let has = |a: &str| events.iter().any(|e| e.action == a);
    let mut out = Vec::new();
    for (action, form, label) in [
        ("request_supplement", "02", "Phiếu yêu cầu bổ sung (Mẫu 02)"),
        ("refuse_receipt", "03", "Phiếu từ chối tiếp nhận (Mẫu 03)"),
        ("apologize", "04", "Văn bản xin lỗi, hẹn lại (Mẫu 04)"),
        ("stop", "05", "Thông báo dừng giải quyết (Mẫu 05)"),
    ] {
        if has(action) {
            out.push(PrintLink { href: format!("/ho-so/{}/in/{form}", d.code), label: label.to_owned() });
        }
    }
    if d.state.received_at.is_some() {
        out.push(PrintLink {
            href: format!("/ho-so/{}/in/06", d.code),
            label: "Phiếu kiểm soát quá trình (Mẫu 06)".to_owned(),
        });
    }
    out
}

/// Builds the panel.
pub async fn panel(
    state: &AppState,
    user: &WebUser,
    d: &DossierRecord,
    involved: &[String],
    procedure: Option<&Procedure>,
    events: &[EventRecord],
    error: String,
) -> AppResult<DocsPanel> {
    let now = hcc_store::model::now();
    let calendar = state.calendar();
    let allowed = |action: Action| match procedure {
        Some(p) => {
            let ctx =
                Context { procedure: p, calendar: &calendar, actor: &user.actor, involved_agencies: involved, now };
            lifecycle::decide(&d.state, &action, &ctx).is_ok()
        }
        None => false,
    };
    let can_upload = allowed(Action::Digitize { document: probe(None) });
    let can_attach_result = allowed(Action::AttachResult { document: probe(None) });
    let docs: Vec<_> =
        state.store.documents_of(d.id).await?.into_iter().filter(|doc| doc.deleted_at.is_none()).collect();
    let item_name = |no: u32| d.documents.iter().find(|i| i.no == no).map_or_else(String::new, |i| i.name.clone());
    // Where reused documents came from: their control-sheet rows say (`CODE#id`).
    let reused: HashMap<i64, String> = events
        .iter()
        .filter_map(|e| {
            let from = e.details.get("reused_from")?.as_str()?;
            Some((e.seq, from.split('#').next().unwrap_or(from).to_owned()))
        })
        .collect();
    let agencies = state.agency_list().await?;
    let points = state.point_list().await?;
    let unit_name = |code: &str| -> String {
        agencies
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.name.clone())
            .or_else(|| points.iter().find(|p| p.code == code).map(|p| p.name.clone()))
            .unwrap_or_else(|| code.to_owned())
    };
    let rows = docs
        .iter()
        .map(|doc| DocumentRow {
            id: doc.id,
            is_result: doc.kind == DocumentKind::Result,
            item: match doc.kind {
                DocumentKind::Signature => "Chữ ký của người nhận kết quả".to_owned(),
                _ => doc.item_no.map(|n| format!("{n}. {}", item_name(n))).unwrap_or_default(),
            },
            copy_kind: doc.copy_kind.label_vi().to_owned(),
            pages: doc.pages.map(|p| p.to_string()).unwrap_or_default(),
            file_name: doc.file_name.clone(),
            size: human_size(doc.size),
            by: doc.digitized_by_name.clone(),
            unit: unit_name(&doc.digitized_unit),
            at: display(doc.digitized_at),
            reused_from: if doc.reused_from.is_some() {
                reused.get(&doc.event_seq).cloned().unwrap_or_else(|| "—".to_owned())
            } else {
                String::new()
            },
            href: format!("/ho-so/{}/tai-lieu/{}", d.code, doc.id),
            is_image: doc.media_type.starts_with("image/"),
        })
        .collect();
    let missing = if d.state.scan_waived {
        Vec::new()
    } else {
        d.state.unscanned_items.iter().map(|n| format!("{n}. {}", item_name(*n))).collect()
    };
    let upload_items: Vec<UploadItem> = d
        .documents
        .iter()
        .filter(|i| i.provided)
        .map(|i| UploadItem {
            no: i.no,
            name: i.name.clone(),
            has_file: docs.iter().any(|doc| doc.item_no == Some(i.no)),
        })
        .collect();
    let vault = if can_upload && !upload_items.is_empty() {
        let here: Vec<i64> = docs.iter().filter_map(|doc| doc.reused_from).collect();
        state
            .store
            .vault(&d.applicant.id_number, now, 50)
            .await?
            .into_iter()
            .filter(|v| v.dossier_id != d.id && !here.contains(&v.id) && v.kind == DocumentKind::Input)
            .map(|v| VaultRow {
                id: v.id,
                file_name: v.file_name,
                from_dossier: v.dossier_code,
                item: v.item_no.map(|n| format!("{}: {n}", "số")).unwrap_or_default(),
                at: display(v.digitized_at),
                valid_until: v.valid_until.map(crate::time::display_date).unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let s = &d.state;
    Ok(DocsPanel {
        rows,
        missing,
        upload_items,
        can_upload,
        can_attach_result,
        result_missing: s.approved && s.result_sha256.is_none() && s.status == hcc_domain::status::Status::InProgress,
        upload_href: format!("/ho-so/{}/tai-lieu?csrf={}", d.code, user.csrf),
        reuse_href: format!("/ho-so/{}/tai-lieu/dung-lai", d.code),
        vault,
        error,
        prints: print_links(d, events),
    })
}
