//! The demo city's organisations: Hanoi's agencies after the 2025 reorganisation and its network of
//! reception points (the center's head office, 12 branches, 126 commune points, 32 post offices and
//! the online channel), with the staff who work there.

use super::DEMO_PASSWORD;
use hcc_domain::actor::{Actor, Role};
use hcc_domain::org::{Agency, AgencyKind, PointKind, ReceptionPoint, RoutingRule};
use hcc_store::{Commune, NewUser, Store};
use std::collections::HashMap;

pub const HANOI: &str = "01";
pub const CITY_COMMITTEE: &str = "000.00.00.H26";
pub const CENTER: &str = "000.00.01.H26";
pub const DEPT_CONSTRUCTION: &str = "000.00.10.H26";
pub const DEPT_AGRICULTURE_ENV: &str = "000.00.11.H26";
pub const DEPT_FINANCE: &str = "000.00.12.H26";
pub const DEPT_PLANNING: &str = "000.00.13.H26";
pub const LAND_OFFICE: &str = "000.00.14.H26";
pub const HEAD_OFFICE: &str = "000.00.16.H26";
pub const ONLINE_POINT: &str = "000.00.99.H26";

const BRANCHES: [&str; 12] = [
    "Hoàn Kiếm",
    "Ba Đình",
    "Đống Đa",
    "Cầu Giấy",
    "Long Biên",
    "Hà Đông",
    "Thanh Xuân",
    "Tây Hồ",
    "Gia Lâm",
    "Sơn Tây",
    "Đông Anh",
    "Sóc Sơn",
];

/// Field → the department that settles its province-level dossiers.
const FIELD_RULES: &[(&str, &str)] = &[
    ("Đất đai", DEPT_AGRICULTURE_ENV),
    ("Tài chính đất đai", DEPT_FINANCE),
    ("Hoạt động xây dựng", DEPT_CONSTRUCTION),
    ("Quản lý chất lượng công trình xây dựng", DEPT_CONSTRUCTION),
    ("Nhà ở và công sở", DEPT_CONSTRUCTION),
    ("Kinh doanh bất động sản", DEPT_CONSTRUCTION),
    ("Kiến trúc", DEPT_PLANNING),
    ("Quy hoạch đô thị và nông thôn", DEPT_PLANNING),
    ("Đầu tư tại Việt nam", DEPT_FINANCE),
    ("Hỗ trợ đầu tư", DEPT_FINANCE),
    ("Đấu thầu lựa chọn nhà đầu tư", DEPT_FINANCE),
    ("Đầu tư theo phương thức đối tác công tư", DEPT_FINANCE),
    ("Đầu tư vào nông nghiệp, nông thôn", DEPT_FINANCE),
];

/// The organisations of the demo city.
pub struct City {
    pub agencies: Vec<Agency>,
    pub points: Vec<ReceptionPoint>,
    pub routing_rules: Vec<RoutingRule>,
    pub communes: Vec<Commune>,
}

fn unit(a: u32, b: u32) -> String {
    format!("000.{a:02}.{b:02}.H26")
}

/// The agencies, points and routing rules over Hanoi's communes.
pub fn build(hanoi: &[Commune]) -> City {
    let agency =
        |code: &str, name: &str, kind| Agency { code: code.into(), name: name.into(), kind, commune_code: None };
    let mut agencies = vec![
        agency(CITY_COMMITTEE, "Ủy ban nhân dân thành phố Hà Nội", AgencyKind::CityPeoplesCommittee),
        agency(CENTER, "Trung tâm Phục vụ Hành chính công thành phố Hà Nội", AgencyKind::Center),
        agency(DEPT_CONSTRUCTION, "Sở Xây dựng", AgencyKind::Department),
        agency(DEPT_AGRICULTURE_ENV, "Sở Nông nghiệp và Môi trường", AgencyKind::Department),
        agency(DEPT_FINANCE, "Sở Tài chính", AgencyKind::Department),
        agency(DEPT_PLANNING, "Sở Quy hoạch - Kiến trúc", AgencyKind::Department),
        agency(LAND_OFFICE, "Văn phòng Đăng ký đất đai Hà Nội", AgencyKind::LandRegistration),
    ];
    for (i, area) in ["Hoàn Kiếm", "Hà Đông", "Đông Anh"].iter().enumerate() {
        agencies.push(Agency {
            code: unit(14, i as u32 + 1),
            name: format!("Chi nhánh Văn phòng Đăng ký đất đai {area}"),
            kind: AgencyKind::LandRegistration,
            commune_code: None,
        });
    }
    let mut points = vec![
        ReceptionPoint {
            code: HEAD_OFFICE.into(),
            name: "Trụ sở Trung tâm Phục vụ Hành chính công".into(),
            kind: PointKind::HeadOffice,
            address: "258 Võ Chí Công, phường Phú Thượng, Hà Nội".into(),
            commune_code: Some("00091".into()),
        },
        ReceptionPoint {
            code: ONLINE_POINT.into(),
            name: "Cổng Dịch vụ công thành phố Hà Nội".into(),
            kind: PointKind::Online,
            address: "dichvucong.hanoi.gov.vn".into(),
            commune_code: None,
        },
    ];
    for (i, area) in BRANCHES.iter().enumerate() {
        points.push(ReceptionPoint {
            code: unit(16, i as u32 + 1),
            name: format!("Chi nhánh số {} — {area}", i + 1),
            kind: PointKind::Branch,
            address: format!("Khu vực {area}, Hà Nội"),
            commune_code: None,
        });
    }
    for (i, c) in hanoi.iter().enumerate() {
        let n = i as u32 + 1;
        agencies.push(Agency {
            code: unit(20 + n / 100, n % 100),
            name: format!("Ủy ban nhân dân {}", c.full_name),
            kind: AgencyKind::CommunePeoplesCommittee,
            commune_code: Some(c.code.clone()),
        });
        points.push(ReceptionPoint {
            code: unit(40 + n / 100, n % 100),
            name: format!("Điểm phục vụ hành chính công {}", c.full_name),
            kind: PointKind::Commune,
            address: format!("{}, Hà Nội", c.full_name),
            commune_code: Some(c.code.clone()),
        });
    }
    for i in 1..=32u32 {
        let c = &hanoi[(i as usize * 3) % hanoi.len().max(1)];
        points.push(ReceptionPoint {
            code: unit(50, i),
            name: if i == 1 { "Bưu điện Hà Nội".into() } else { format!("Bưu điện {}", c.full_name) },
            kind: PointKind::PostOffice,
            address: format!("{}, Hà Nội", c.full_name),
            commune_code: Some(c.code.clone()),
        });
    }
    let routing_rules = FIELD_RULES
        .iter()
        .map(|(field, agency)| RoutingRule::Field { field: (*field).into(), agency_code: (*agency).into() })
        .collect();
    City { agencies, points, routing_rules, communes: hanoi.to_vec() }
}

/// The staff who act in the generated history: per agency a specialist and a leader, per point a
/// reception officer (postal staff at post offices).
pub struct Staff {
    pub specialist: HashMap<String, Actor>,
    pub leader: HashMap<String, Actor>,
    pub reception: HashMap<String, Actor>,
}

fn short(code: &str) -> String {
    code.trim_start_matches("000.").trim_end_matches(".H26").replace('.', "")
}

/// Creates the printed demo accounts and the staff behind the history. One argon2 hash serves
/// every account (they share the demo password), so this takes a second, not minutes.
pub async fn create_staff(store: &Store, city: &City) -> anyhow::Result<Staff> {
    let hash = hcc_web::auth::hash_password(DEMO_PASSWORD.to_owned()).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let mut staff = Staff { specialist: HashMap::new(), leader: HashMap::new(), reception: HashMap::new() };
    let add = async |username: String,
                     full_name: String,
                     role: Role,
                     agency: Option<String>,
                     point: Option<String>|
           -> anyhow::Result<Actor> {
        let user = store
            .create_user(&NewUser {
                username: username.clone(),
                full_name: full_name.clone(),
                password_hash: hash.clone(),
                role: role.as_str().into(),
                agency_code: agency.clone(),
                point_code: point.clone(),
            })
            .await?;
        Ok(Actor { user_id: user.id, username, full_name, role, agency, point })
    };
    add("quantri".into(), "Quản trị hệ thống".into(), Role::Admin, None, None).await?;
    add("giamsat".into(), "Nguyễn Thị Giám Sát".into(), Role::Supervisor, None, None).await?;
    for a in &city.agencies {
        if matches!(a.kind, hcc_domain::org::AgencyKind::CityPeoplesCommittee | hcc_domain::org::AgencyKind::Center) {
            continue;
        }
        let (cv, ld) = match a.code.as_str() {
            DEPT_AGRICULTURE_ENV => ("chuyenvien".to_owned(), "lanhdao".to_owned()),
            DEPT_CONSTRUCTION => ("chuyenvien.xd".to_owned(), "lanhdao.xd".to_owned()),
            other => (format!("cv.{}", short(other)), format!("ld.{}", short(other))),
        };
        let s = add(cv, format!("Chuyên viên {}", a.name), Role::Specialist, Some(a.code.clone()), None).await?;
        let l = add(ld, format!("Lãnh đạo {}", a.name), Role::Leader, Some(a.code.clone()), None).await?;
        staff.specialist.insert(a.code.clone(), s);
        staff.leader.insert(a.code.clone(), l);
    }
    for p in &city.points {
        let (username, role) = match (p.code.as_str(), p.kind) {
            (HEAD_OFFICE, _) => ("tiepnhan".to_owned(), Role::Reception),
            (_, PointKind::PostOffice) if p.code == unit(50, 1) => ("buudien".to_owned(), Role::Postal),
            (_, PointKind::PostOffice) => (format!("bd.{}", short(&p.code)), Role::Postal),
            _ => (format!("tn.{}", short(&p.code)), Role::Reception),
        };
        let r = add(username, format!("Cán bộ tiếp nhận — {}", p.name), role, None, Some(p.code.clone())).await?;
        staff.reception.insert(p.code.clone(), r);
    }
    Ok(staff)
}
