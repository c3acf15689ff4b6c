//! The procedure catalog (Danh mục thủ tục hành chính): what a procedure is, per channel.
//!
//! A procedure changes over time; each published change is a new [`Procedure::version`] and a
//! dossier keeps the version it was received under.

pub mod edit;
pub mod import;
pub mod portal;
pub mod required;

pub use required::{CaseError, DocumentCheck, cases, check_documents, missing_documents};

use crate::TimeLimit;
use serde::{Deserialize, Serialize};

/// How a dossier reaches the administration (national portal channel codes 1, 2, 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Trực tiếp — at a counter.
    Counter,
    /// Trực tuyến — online.
    Online,
    /// Dịch vụ bưu chính — through the post office.
    Post,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Counter, Channel::Online, Channel::Post];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Online => "online",
            Channel::Post => "post",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The national portal's channel code.
    pub fn portal_code(self) -> u8 {
        match self {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }

    /// The label the portal and the forms use.
    pub fn label_vi(self) -> &'static str {
        match self {
            Channel::Counter => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Post => "Dịch vụ bưu chính",
        }
    }
}

/// Administrative level that carries out a procedure (Cấp thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp tỉnh — the city (its departments, the city People's Committee).
    Province,
    /// Cấp xã — communes and wards.
    Commune,
    /// Cấp bộ — a ministry.
    Ministry,
}

impl Level {
    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Province => "Cấp tỉnh",
            Level::Commune => "Cấp xã",
            Level::Ministry => "Cấp bộ",
        }
    }

    /// Reads one level as the portal writes it ("Cấp tỉnh", "Cấp xã", "Cấp bộ").
    pub fn from_label(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "cấp tỉnh" => Some(Level::Province),
            "cấp xã" => Some(Level::Commune),
            "cấp bộ" => Some(Level::Ministry),
            _ => None,
        }
    }
}

/// What one channel of a procedure offers: its time limit and its fee (Cách thức thực hiện).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelOffer {
    pub kind: Channel,
    /// `None` when the published text gives no usable limit ("Không có thông tin"); such a channel
    /// cannot take dossiers until an administrator sets one.
    pub time_limit: Option<TimeLimit>,
    /// The fee as published, cleaned of table residue ("Miễn phí", "Lệ phí : 100.000 Đồng").
    pub fee: String,
    /// The fee in đồng when the text states one amount (0 when free); `None` when it varies.
    pub fee_vnd: Option<u64>,
    /// The channel's description column, as published.
    #[serde(default)]
    pub description: String,
}

/// One paper the applicant hands in (Thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    /// Position in the list, from 1; the checklist at receipt refers to items by this number.
    pub no: u32,
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    /// False for conditional papers ("nếu có", "trường hợp …"). For a paper of a case ([`Self::group`])
    /// it means: required when the applicant is in that case.
    pub mandatory: bool,
    /// The form template the paper follows, if any ("Mẫu số 04/ĐK").
    #[serde(default)]
    pub template: Option<String>,
    /// The case the paper belongs to (thành phần hồ sơ theo trường hợp), as its heading reads
    /// ("a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất:"); `None` for a paper common to every
    /// case. The applicant hands in the common papers and those of one case (see [`required`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Who carries out a processing step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    Reception,
    Specialist,
    Leader,
}

/// One step of the processing workflow with its share of the whole time limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureStep {
    pub name: String,
    /// Share of the whole time limit in percent; the shares of a procedure add up to 100.
    pub share_percent: u32,
    pub role: StepRole,
}

/// A result the procedure produces (Kết quả thực hiện), with its national result code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDocument {
    pub name: String,
    /// E.g. `KQ.G10.001148`.
    #[serde(default)]
    pub code: Option<String>,
}

/// A legal text the procedure rests on (Căn cứ pháp lý).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDocument {
    pub title: String,
    /// E.g. `31/2024/QH15`.
    pub number: String,
}

/// How far the procedure can be done online (Decree 42/2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình — everything, the result included.
    Full,
    /// Một phần — submission online, something at a counter.
    Partial,
    /// Not offered online.
    None,
}

/// What a supplement request does to the clock (DOMAIN.md §Lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClockPolicy {
    /// The time limit runs again in full from the complete supplement.
    Restart,
    /// The supplement interval is not counted.
    #[default]
    Pause,
}

/// An administrative procedure, one version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code, e.g. `1.012753` (type digit, dot, six digits; a provincial suffix may follow).
    pub code: String,
    /// Version of this procedure in this installation, from 1.
    #[serde(default = "one")]
    pub version: u32,
    pub name: String,
    pub field: String,
    /// Levels as published, e.g. `"Cấp tỉnh, Cấp xã"`.
    pub level: String,
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    pub applicants: String,
    #[serde(default)]
    pub competent_agency: String,
    #[serde(default)]
    pub executing_agency: String,
    pub channels: Vec<ChannelOffer>,
    #[serde(default)]
    pub documents: Vec<RequiredDocument>,
    #[serde(default)]
    pub steps: Vec<ProcedureStep>,
    #[serde(default)]
    pub results: Vec<ResultDocument>,
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub legal_basis: Vec<LegalDocument>,
    #[serde(default = "default_online_level")]
    pub online_level: OnlineLevel,
    #[serde(default)]
    pub clock_policy: ClockPolicy,
    /// How many times a new appointment may be set (Form 04); 1 by default.
    #[serde(default = "one")]
    pub max_new_appointments: u32,
    /// The most a dossier's time limit may be extended by, where the procedure allows extensions
    /// (e.g. 10 days for hard-to-reach areas in land procedures); `None` = no extension.
    #[serde(default)]
    pub extension_cap: Option<TimeLimit>,
    /// The procedure's own description of its steps (Trình tự thực hiện), as published.
    #[serde(default)]
    pub steps_text: String,
    /// Decision that published it (Số quyết định).
    #[serde(default)]
    pub decision: String,
    /// First day this version applies (local date); `None` = always.
    #[serde(default)]
    pub valid_from: Option<jiff::civil::Date>,
    /// Last day this version applies; `None` = open-ended.
    #[serde(default)]
    pub valid_until: Option<jiff::civil::Date>,
    #[serde(default)]
    pub source_url: Option<String>,
}

fn one() -> u32 {
    1
}

fn default_online_level() -> OnlineLevel {
    OnlineLevel::Partial
}

impl Procedure {
    /// The offer for `channel`, if the procedure takes dossiers that way.
    pub fn channel(&self, channel: Channel) -> Option<&ChannelOffer> {
        self.channels.iter().find(|c| c.kind == channel)
    }

    /// The steps to run, falling back to the default workflow when the procedure names none.
    pub fn effective_steps(&self) -> Vec<ProcedureStep> {
        if self.steps.is_empty() { default_steps() } else { self.steps.clone() }
    }
}

/// The workflow used when a procedure does not publish its own split: hand-over, examination by a
/// specialist, sign-off by a leader, return (shares follow the usual one-stop split).
pub fn default_steps() -> Vec<ProcedureStep> {
    vec![
        ProcedureStep {
            name: "Tiếp nhận và chuyển hồ sơ".into(), share_percent: 5, role: StepRole::Reception
        },
        ProcedureStep {
            name: "Thẩm định, xử lý hồ sơ".into(), share_percent: 70, role: StepRole::Specialist
        },
        ProcedureStep { name: "Phê duyệt, ký kết quả".into(), share_percent: 20, role: StepRole::Leader },
        ProcedureStep { name: "Trả kết quả".into(), share_percent: 5, role: StepRole::Reception },
    ]
}

/// Is `code` a national procedure code: type digit 1–3, a dot, six digits, optional suffix?
pub fn is_procedure_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() >= 8
        && matches!(b[0], b'1'..=b'3')
        && b[1] == b'.'
        && b[2..8].iter().all(u8::is_ascii_digit)
        && (b.len() == 8
            || (b[8] == b'.' || b[8] == b'-') && b.len() <= 24 && b[9..].iter().all(|c| c.is_ascii_alphanumeric()))
}
