//! `/quan-tri/co-quan` and `/quan-tri/diem-tiep-nhan`: agencies and reception points — the list,
//! and one form that creates a new one or edits the one picked (`?ma=CODE`).

use super::{AdminPost, apply, msg, refuse_non_admin, saved_notice};
use crate::AppState;
use crate::error::AppResult;
use crate::ui::{WebUser, enc, render, see_other};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::org::{Agency, AgencyKind, PointKind, ReceptionPoint};
use hcc_store::AdminChange;
use hcc_templates::Lang;
use hcc_templates::admin::{AdminForm, UnitRow, UnitsPage};
use hcc_templates::pages::Opt;
use serde::Deserialize;
use std::collections::HashMap;

const AGENCIES: &str = "/quan-tri/co-quan";
const POINTS: &str = "/quan-tri/diem-tiep-nhan";

const AGENCY_KINDS: [AgencyKind; 5] = [
    AgencyKind::Department,
    AgencyKind::LandRegistration,
    AgencyKind::CommunePeoplesCommittee,
    AgencyKind::CityPeoplesCommittee,
    AgencyKind::Center,
];
const POINT_KINDS: [PointKind; 5] =
    [PointKind::HeadOffice, PointKind::Branch, PointKind::Commune, PointKind::PostOffice, PointKind::Online];

fn agency_kind_str(k: AgencyKind) -> &'static str {
    match k {
        AgencyKind::Center => "center",
        AgencyKind::CityPeoplesCommittee => "city_peoples_committee",
        AgencyKind::Department => "department",
        AgencyKind::LandRegistration => "land_registration",
        AgencyKind::CommunePeoplesCommittee => "commune_peoples_committee",
    }
}

fn agency_kind_label(lang: Lang, k: AgencyKind) -> &'static str {
    match (lang, k) {
        (Lang::Vi, AgencyKind::Center) => "Trung tâm Phục vụ hành chính công",
        (Lang::Vi, AgencyKind::CityPeoplesCommittee) => "UBND thành phố",
        (Lang::Vi, AgencyKind::Department) => "Sở, ban, ngành",
        (Lang::Vi, AgencyKind::LandRegistration) => "Văn phòng đăng ký đất đai",
        (Lang::Vi, AgencyKind::CommunePeoplesCommittee) => "UBND xã/phường",
        (Lang::En, AgencyKind::Center) => "Public Administrative Service Center",
        (Lang::En, AgencyKind::CityPeoplesCommittee) => "City People's Committee",
        (Lang::En, AgencyKind::Department) => "Department",
        (Lang::En, AgencyKind::LandRegistration) => "Land registration office",
        (Lang::En, AgencyKind::CommunePeoplesCommittee) => "Commune People's Committee",
    }
}

fn point_kind_str(k: PointKind) -> &'static str {
    match k {
        PointKind::HeadOffice => "head_office",
        PointKind::Branch => "branch",
        PointKind::Commune => "commune",
        PointKind::PostOffice => "post_office",
        PointKind::Online => "online",
    }
}

fn point_kind_label(lang: Lang, k: PointKind) -> &'static str {
    match (lang, k) {
        (Lang::Vi, _) => k.label_vi(),
        (Lang::En, PointKind::HeadOffice) => "Head office",
        (Lang::En, PointKind::Branch) => "Branch",
        (Lang::En, PointKind::Commune) => "Commune service point",
        (Lang::En, PointKind::PostOffice) => "Post office",
        (Lang::En, PointKind::Online) => "Online portal",
    }
}

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    #[serde(default)]
    ma: String,
    #[serde(default, rename = "da-luu")]
    saved: Option<String>,
}

/// Unit identifiers (QCVN 102) such as `000.00.11.H26`: letters, digits, dots and hyphens.
fn valid_code(code: &str) -> bool {
    (3..=40).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

/// Checks the fields shared by agencies and points; the normalised name and commune.
async fn check_common(
    state: &AppState,
    v: &HashMap<String, String>,
    f: &mut AdminForm,
) -> AppResult<(String, Option<String>)> {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    if !valid_code(get("code")) {
        f.fail("code", "Mã gồm 3–40 ký tự: chữ không dấu, số, dấu chấm hoặc gạch ngang (ví dụ 000.00.11.H26)");
    }
    let name = hcc_domain::text::normalize(get("name"));
    if name.is_empty() {
        f.fail("name", "Cần nhập tên");
    } else if name.chars().count() > 300 {
        f.fail("name", "Tên quá dài (tối đa 300 ký tự)");
    }
    let commune = Some(get("commune_code").to_owned()).filter(|c| !c.is_empty());
    if let Some(c) = &commune
        && !state.commune_exists(c).await?
    {
        f.fail("commune_code", format!("Không có xã/phường mã {c}"));
    }
    Ok((name, commune))
}

/// Whether the form was for a new unit whose code is already taken (or an edit of an unknown one).
fn check_existence(exists: bool, v: &HashMap<String, String>, f: &mut AdminForm) {
    let editing = v.get("editing").is_some_and(|e| e == "1");
    if editing && !exists {
        f.fail("code", "Không còn đơn vị mã này; hãy tải lại trang");
    } else if !editing && exists {
        f.fail("code", "Mã này đã có; chọn đơn vị trong danh sách để sửa");
    }
}

fn clear_caches(state: &AppState) {
    state.caches.agency_list.clear();
    state.caches.point_list.clear();
    state.caches.points.clear();
    state.caches.committees.clear();
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
fn units_page(
    user: &WebUser,
    agencies: bool,
    rows: Vec<UnitRow>,
    f: AdminForm,
    editing: bool,
    error: String,
    notice: String,
    status: StatusCode,
) -> Response {
    let m = msg(user);
    let lang = user.lang;
    let kind = f.v("kind").to_owned();
    let kinds: Vec<Opt> = if agencies {
        AGENCY_KINDS
            .into_iter()
            .map(|k| Opt {
                value: agency_kind_str(k).to_owned(),
                label: agency_kind_label(lang, k).to_owned(),
                selected: agency_kind_str(k) == kind,
            })
            .collect()
    } else {
        POINT_KINDS
            .into_iter()
            .map(|k| Opt {
                value: point_kind_str(k).to_owned(),
                label: point_kind_label(lang, k).to_owned(),
                selected: point_kind_str(k) == kind,
            })
            .collect()
    };
    let heading = if agencies { m.agencies_title } else { m.points_title };
    let mut l = user.layout(heading, "/quan-tri");
    l.notice = notice;
    let page = UnitsPage {
        l,
        m,
        heading: heading.to_owned(),
        action: if agencies { AGENCIES } else { POINTS },
        with_address: !agencies,
        rows,
        f,
        kinds,
        editing,
        error,
    };
    render(status, &page)
}

async fn agency_rows(state: &AppState, lang: Lang) -> AppResult<Vec<UnitRow>> {
    Ok(state
        .store
        .list_agencies()
        .await?
        .into_iter()
        .map(|a| UnitRow {
            href: format!("{AGENCIES}?ma={}", enc(&a.code)),
            kind: agency_kind_label(lang, a.kind).to_owned(),
            commune: a.commune_code.unwrap_or_default(),
            address: String::new(),
            code: a.code,
            name: a.name,
        })
        .collect())
}

async fn point_rows(state: &AppState, lang: Lang) -> AppResult<Vec<UnitRow>> {
    Ok(state
        .store
        .list_points()
        .await?
        .into_iter()
        .map(|p| UnitRow {
            href: format!("{POINTS}?ma={}", enc(&p.code)),
            kind: point_kind_label(lang, p.kind).to_owned(),
            commune: p.commune_code.unwrap_or_default(),
            address: p.address,
            code: p.code,
            name: p.name,
        })
        .collect())
}

/// `GET /quan-tri/co-quan[?ma=CODE]`.
pub async fn agencies(State(state): State<AppState>, user: WebUser, Query(q): Query<UnitQuery>) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let rows = match agency_rows(&state, user.lang).await {
        Ok(r) => r,
        Err(e) => return user.error_page(e),
    };
    let picked = rows.iter().any(|r| r.code == q.ma);
    let f = match state.store.get_agency(&q.ma).await {
        Ok(Some(a)) if picked => AdminForm::with([
            ("code", a.code),
            ("name", a.name),
            ("kind", agency_kind_str(a.kind).to_owned()),
            ("commune_code", a.commune_code.unwrap_or_default()),
        ]),
        Ok(_) => AdminForm::with([("kind", "department")]),
        Err(e) => return user.error_page(e.into()),
    };
    let notice = saved_notice(user.lang, q.saved.is_some());
    units_page(&user, true, rows, f, picked, String::new(), notice, StatusCode::OK)
}

/// `GET /quan-tri/diem-tiep-nhan[?ma=CODE]`.
pub async fn points(State(state): State<AppState>, user: WebUser, Query(q): Query<UnitQuery>) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let rows = match point_rows(&state, user.lang).await {
        Ok(r) => r,
        Err(e) => return user.error_page(e),
    };
    let picked = rows.iter().any(|r| r.code == q.ma);
    let f = match state.store.get_point(&q.ma).await {
        Ok(Some(p)) if picked => AdminForm::with([
            ("code", p.code),
            ("name", p.name),
            ("kind", point_kind_str(p.kind).to_owned()),
            ("address", p.address),
            ("commune_code", p.commune_code.unwrap_or_default()),
        ]),
        Ok(_) => AdminForm::with([("kind", "branch")]),
        Err(e) => return user.error_page(e.into()),
    };
    let notice = saved_notice(user.lang, q.saved.is_some());
    units_page(&user, false, rows, f, picked, String::new(), notice, StatusCode::OK)
}

/// `POST /quan-tri/co-quan`: create or edit an agency.
pub async fn save_agency(State(state): State<AppState>, AdminPost { user, v }: AdminPost) -> Response {
    let mut f = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let result: AppResult<Option<Agency>> = async {
        let (name, commune) = check_common(&state, &v, &mut f).await?;
        let code = v.get("code").cloned().unwrap_or_default();
        check_existence(state.store.get_agency(&code).await?.is_some(), &v, &mut f);
        let kind = AGENCY_KINDS.into_iter().find(|k| Some(agency_kind_str(*k)) == v.get("kind").map(String::as_str));
        match kind {
            None => f.fail("kind", "Chọn loại cơ quan"),
            Some(AgencyKind::CommunePeoplesCommittee) if commune.is_none() => {
                f.fail("commune_code", "UBND xã/phường cần mã xã/phường để nhận hồ sơ cấp xã")
            }
            Some(_) => {}
        }
        Ok(kind.filter(|_| !f.has_errors()).map(|kind| Agency { code, name, kind, commune_code: commune }))
    }
    .await;
    match result {
        Ok(Some(a)) => {
            let detail = format!("Lưu cơ quan {} «{}»", a.code, a.name);
            let code = a.code.clone();
            match apply(&state, &user, AdminChange::PutAgency(a), "agency.put", &code, detail).await {
                Ok(_) => {
                    clear_caches(&state);
                    see_other(&format!("{AGENCIES}?ma={}&da-luu=1", enc(&code)))
                }
                Err(e) => user.error_page(e),
            }
        }
        Ok(None) => {
            let rows = agency_rows(&state, user.lang).await.unwrap_or_default();
            let editing = v.get("editing").is_some_and(|e| e == "1");
            let error = msg(&user).fix_errors.to_owned();
            units_page(&user, true, rows, f, editing, error, String::new(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => user.error_page(e),
    }
}

/// `POST /quan-tri/diem-tiep-nhan`: create or edit a reception point.
pub async fn save_point(State(state): State<AppState>, AdminPost { user, v }: AdminPost) -> Response {
    let mut f = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let result: AppResult<Option<ReceptionPoint>> = async {
        let (name, commune) = check_common(&state, &v, &mut f).await?;
        let code = v.get("code").cloned().unwrap_or_default();
        check_existence(state.store.get_point(&code).await?.is_some(), &v, &mut f);
        let address = hcc_domain::text::normalize(v.get("address").map_or("", String::as_str));
        if address.chars().count() > 500 {
            f.fail("address", "Địa chỉ quá dài (tối đa 500 ký tự)");
        }
        let kind = POINT_KINDS.into_iter().find(|k| Some(point_kind_str(*k)) == v.get("kind").map(String::as_str));
        match kind {
            None => f.fail("kind", "Chọn loại điểm tiếp nhận"),
            Some(PointKind::Commune) if commune.is_none() => {
                f.fail("commune_code", "Điểm phục vụ cấp xã cần mã xã/phường")
            }
            Some(_) => {}
        }
        Ok(kind.filter(|_| !f.has_errors()).map(|kind| ReceptionPoint {
            code,
            name,
            kind,
            address,
            commune_code: commune,
        }))
    }
    .await;
    match result {
        Ok(Some(p)) => {
            let detail = format!("Lưu điểm tiếp nhận {} «{}»", p.code, p.name);
            let code = p.code.clone();
            match apply(&state, &user, AdminChange::PutPoint(p), "point.put", &code, detail).await {
                Ok(_) => {
                    clear_caches(&state);
                    see_other(&format!("{POINTS}?ma={}&da-luu=1", enc(&code)))
                }
                Err(e) => user.error_page(e),
            }
        }
        Ok(None) => {
            let rows = point_rows(&state, user.lang).await.unwrap_or_default();
            let editing = v.get("editing").is_some_and(|e| e == "1");
            let error = msg(&user).fix_errors.to_owned();
            units_page(&user, false, rows, f, editing, error, String::new(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => user.error_page(e),
    }
}
