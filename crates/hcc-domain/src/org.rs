//! The organisations HCC serves: agencies that settle procedures and the reception points that
//! take dossiers, and the routing that sends a dossier received anywhere to its competent agency.

use crate::catalog::{Level, Procedure};
use serde::{Deserialize, Serialize};

/// What kind of body an agency is; routing and the demo city use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Trung tâm Phục vụ Hành chính công.
    Center,
    /// UBND thành phố.
    CityPeoplesCommittee,
    /// A city department (Sở).
    Department,
    /// Văn phòng đăng ký đất đai and its branches.
    LandRegistration,
    /// UBND xã/phường.
    CommunePeoplesCommittee,
}

/// A competent or executing agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Unit identifier (QCVN 102), e.g. `000.00.01.H26`.
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    /// For a commune People's Committee: the commune's statistics code (`00004`).
    #[serde(default)]
    pub commune_code: Option<String>,
}

/// What kind of reception point (điểm tiếp nhận) a point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// The center's head office.
    HeadOffice,
    /// A branch of the center.
    Branch,
    /// A commune/ward service point.
    Commune,
    /// A post office acting for the center (public utility enterprise).
    PostOffice,
    /// The online channel (Cổng dịch vụ công).
    Online,
}

impl PointKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            PointKind::HeadOffice => "Trụ sở Trung tâm",
            PointKind::Branch => "Chi nhánh",
            PointKind::Commune => "Điểm phục vụ cấp xã",
            PointKind::PostOffice => "Bưu điện",
            PointKind::Online => "Cổng dịch vụ công trực tuyến",
        }
    }
}

/// A reception point: it receives any procedure's dossier whatever the applicant's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionPoint {
    /// Unit identifier (QCVN 102); it heads the codes of the dossiers received here.
    pub code: String,
    pub name: String,
    pub kind: PointKind,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub commune_code: Option<String>,
}

/// A routing rule an administrator sets: which agency settles which dossiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoutingRule {
    /// Every dossier of this procedure goes to this agency.
    Procedure { procedure_code: String, agency_code: String },
    /// Province-level dossiers of this field go to this agency.
    Field { field: String, agency_code: String },
}

/// Which rule decided where a dossier goes; it is written on the control sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    pub agency_code: String,
    /// Stable name of the rule: `procedure`, `commune_level`, `field`.
    pub rule: &'static str,
    /// The rule in Vietnamese, for the control sheet.
    pub reason: String,
}

/// Why no competent agency could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error("thủ tục cấp xã cần xã/phường nơi có đất, công trình hoặc nơi cư trú để xác định cơ quan giải quyết")]
    CommuneRequired,
    #[error("chưa có Ủy ban nhân dân xã/phường {0} trong danh mục cơ quan")]
    NoCommuneCommittee(String),
    #[error("chưa có quy tắc phân công cơ quan giải quyết cho lĩnh vực \"{0}\"")]
    NoRule(String),
}

/// Picks the competent agency for a dossier of `procedure` whose subject (land, works or, failing
/// those, the applicant) lies in `subject_commune`. Order: an explicit rule for the procedure;
/// commune level (the subject commune's People's Committee) when the procedure is carried out only
/// at commune level; a rule for the field; commune level for mixed-level procedures.
pub fn route(
    procedure: &Procedure,
    subject_commune: Option<&str>,
    rules: &[RoutingRule],
    agencies: &[Agency],
) -> Result<RoutingDecision, RoutingError> {
    for rule in rules {
        if let RoutingRule::Procedure { procedure_code, agency_code } = rule
            && *procedure_code == procedure.code
        {
            return Ok(RoutingDecision {
                agency_code: agency_code.clone(),
                rule: "procedure",
                reason: format!("Quy tắc theo thủ tục {}", procedure.code),
            });
        }
    }
    let has_commune = procedure.levels.contains(&Level::Commune);
    let only_commune = has_commune && !procedure.levels.iter().any(|l| *l != Level::Commune);
    let commune_committee = |commune: &str| {
        agencies
            .iter()
            .find(|a| a.kind == AgencyKind::CommunePeoplesCommittee && a.commune_code.as_deref() == Some(commune))
            .map(|a| RoutingDecision {
                agency_code: a.code.clone(),
                rule: "commune_level",
                reason: format!("Thủ tục cấp xã: chuyển {} nơi có đối tượng của hồ sơ", a.name),
            })
            .ok_or_else(|| RoutingError::NoCommuneCommittee(commune.to_owned()))
    };
    if only_commune {
        return commune_committee(subject_commune.ok_or(RoutingError::CommuneRequired)?);
    }
    for rule in rules {
        if let RoutingRule::Field { field, agency_code } = rule
            && field.eq_ignore_ascii_case(&procedure.field)
        {
            return Ok(RoutingDecision {
                agency_code: agency_code.clone(),
                rule: "field",
                reason: format!("Quy tắc theo lĩnh vực {}", procedure.field),
            });
        }
    }
    if has_commune && let Some(commune) = subject_commune {
        return commune_committee(commune);
    }
    Err(RoutingError::NoRule(procedure.field.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Channel, ChannelOffer, ClockPolicy, OnlineLevel};

    fn procedure(code: &str, field: &str, levels: Vec<Level>) -> Procedure {
        Procedure {
            code: code.into(),
            version: 1,
            name: String::new(),
            field: field.into(),
            level: String::new(),
            levels,
            applicants: String::new(),
            competent_agency: String::new(),
            executing_agency: String::new(),
            channels: vec![ChannelOffer {
                kind: Channel::Counter,
                time_limit: None,
                fee: String::new(),
                fee_vnd: None,
                description: String::new(),
            }],
            documents: vec![],
            steps: vec![],
            results: vec![],
            conditions: String::new(),
            legal_basis: vec![],
            online_level: OnlineLevel::None,
            clock_policy: ClockPolicy::Pause,
            max_new_appointments: 1,
            extension_cap: None,
            steps_text: String::new(),
            decision: String::new(),
            valid_from: None,
            valid_until: None,
            source_url: None,
        }
    }

    fn agencies() -> Vec<Agency> {
        vec![
            Agency {
                code: "A.DEPT".into(),
                name: "Sở Xây dựng".into(),
                kind: AgencyKind::Department,
                commune_code: None,
            },
            Agency {
                code: "A.X1".into(),
                name: "UBND phường Ba Đình".into(),
                kind: AgencyKind::CommunePeoplesCommittee,
                commune_code: Some("00004".into()),
            },
        ]
    }

    fn rules() -> Vec<RoutingRule> {
        vec![
            RoutingRule::Procedure { procedure_code: "1.000009".into(), agency_code: "A.SPECIAL".into() },
            RoutingRule::Field { field: "Hoạt động xây dựng".into(), agency_code: "A.DEPT".into() },
        ]
    }

    #[test]
    fn explicit_procedure_rule_wins() {
        let p = procedure("1.000009", "Hoạt động xây dựng", vec![Level::Commune]);
        let d = route(&p, Some("00004"), &rules(), &agencies()).unwrap();
        assert_eq!((d.agency_code.as_str(), d.rule), ("A.SPECIAL", "procedure"));
    }

    #[test]
    fn commune_level_goes_to_the_subject_commune_whatever_the_point() {
        let p = procedure("1.000001", "Hoạt động xây dựng", vec![Level::Commune]);
        let d = route(&p, Some("00004"), &rules(), &agencies()).unwrap();
        assert_eq!((d.agency_code.as_str(), d.rule), ("A.X1", "commune_level"));
        assert_eq!(route(&p, None, &rules(), &agencies()), Err(RoutingError::CommuneRequired));
        assert!(matches!(route(&p, Some("99999"), &rules(), &agencies()), Err(RoutingError::NoCommuneCommittee(_))));
    }

    #[test]
    fn province_level_goes_by_field_and_mixed_levels_fall_back_to_the_commune() {
        let p = procedure("1.000002", "Hoạt động xây dựng", vec![Level::Province, Level::Commune]);
        assert_eq!(route(&p, Some("00004"), &rules(), &agencies()).unwrap().rule, "field");
        let q = procedure("1.000003", "Đất đai", vec![Level::Province, Level::Commune]);
        assert_eq!(route(&q, Some("00004"), &rules(), &agencies()).unwrap().agency_code, "A.X1");
        let r = procedure("1.000004", "Đất đai", vec![Level::Province]);
        assert_eq!(route(&r, Some("00004"), &rules(), &agencies()), Err(RoutingError::NoRule("Đất đai".into())));
    }
}
