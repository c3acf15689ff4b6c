//! The citizen portal's pages: public tracking, the procedure guide and the transparency page.
//! They share [`PortalLayout`], separate from the staff layout: no session, no form token, no
//! script, the style sheet inlined (one request on a slow link). The header shows the citizen's
//! account (sign-in, their dossiers, sign-out) and the language switch.

use askama::Template;
use askama_web::WebTemplate;

/// The portal's style sheet, inlined into every page.
pub const PORTAL_CSS: &str = include_str!("../static/portal.css");

/// The portal's sections, in menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Track,
    Guide,
    Transparency,
    /// Online submission and the citizen's own dossiers.
    Citizen,
}

/// What the portal layout shows around every page.
#[derive(Debug, Clone)]
pub struct PortalLayout {
    pub title: String,
    pub section: Section,
    /// English instead of Vietnamese (the language switch).
    pub en: bool,
    /// The signed-in citizen's name; `None` when nobody is signed in.
    pub account: Option<String>,
    /// The citizen session's form token (for the sign-out form).
    pub csrf: String,
    /// The page's path and query, percent-encoded (for the language switch's `next`).
    pub here: String,
}

impl PortalLayout {
    pub fn new(title: impl Into<String>, section: Section) -> PortalLayout {
        PortalLayout {
            title: title.into(),
            section,
            en: false,
            account: None,
            csrf: String::new(),
            here: "%2Ftra-cuu".to_owned(),
        }
    }
    /// The texts of the header and footer in the page's language.
    pub fn m(&self) -> &'static crate::citizen::CitizenMsg {
        crate::citizen::CitizenMsg::of(self.lang())
    }
    /// The texts of the public pages in the page's language.
    pub fn t(&self) -> &'static crate::portal_text::PortalText {
        crate::portal_text::PortalText::of(self.lang())
    }
    pub fn lang(&self) -> crate::Lang {
        if self.en { crate::Lang::En } else { crate::Lang::Vi }
    }
    pub fn css(&self) -> &'static str {
        PORTAL_CSS
    }
    /// (href, label, current) of each menu entry.
    pub fn menu(&self) -> [(&'static str, &'static str, bool); 4] {
        let m = self.m();
        [
            ("/tra-cuu", m.menu_track, self.section == Section::Track),
            ("/thu-tuc", m.menu_guide, self.section == Section::Guide),
            ("/nop-ho-so", m.menu_submit, self.section == Section::Citizen),
            ("/cong-khai", m.menu_transparency, self.section == Section::Transparency),
        ]
    }
}

/// A plain "not found" page, the same for every reason.
#[derive(Template, WebTemplate)]
#[template(path = "portal/not_found.html")]
pub struct NotFoundPage {
    pub l: PortalLayout,
    pub heading: String,
    pub message: String,
    pub back_href: String,
    pub back_label: String,
}

/// `/tra-cuu` (the form alone) and `/tra-cuu/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/track.html")]
pub struct TrackPage {
    pub l: PortalLayout,
    /// The code shown in the form (never the secret: a wrong secret must change nothing).
    pub code: String,
    pub show_form: bool,
    pub dossier: Option<TrackedDossier>,
}

/// What anyone with the code sees.
#[derive(Debug, Clone, Default)]
pub struct TrackedDossier {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// The masked name, e.g. "N****** V** A".
    pub applicant: String,
    pub status_label: String,
    pub progress_label: String,
    /// `ok`, `late`, `wait` or empty.
    pub progress_class: String,
    pub received_at: String,
    pub due_at: String,
    /// The first appointment when it moved; empty otherwise.
    pub original_due_at: String,
    pub finished_at: String,
    /// Why the appointment moved (supplement, pause, extension, apology).
    pub moves: Vec<DueMove>,
    pub steps: Vec<TrackedStep>,
    /// Shown only with the right secret.
    pub private: Option<PrivateTracking>,
}

/// One change of the appointment, and why.
#[derive(Debug, Clone, Default)]
pub struct DueMove {
    pub at: String,
    pub what: String,
    pub detail: String,
}

/// One row of the control sheet.
#[derive(Debug, Clone, Default)]
pub struct TrackedStep {
    pub at: String,
    pub label: String,
    pub step_name: String,
    pub status_label: String,
    pub outcome_label: String,
    pub outcome_class: String,
}

/// What only the applicant (holding the receipt's secret) sees.
#[derive(Debug, Clone, Default)]
pub struct PrivateTracking {
    pub papers: Vec<TrackedPaper>,
    /// The applicant's digitized papers and result, each downloaded with the secret again.
    pub files: Vec<TrackedFile>,
    pub supplement: Option<SupplementNotice>,
    /// "Hồ sơ đã có kết quả …" when the result is ready; empty otherwise.
    pub result_notice: String,
}

/// A digitized paper or result the applicant may download.
#[derive(Debug, Clone, Default)]
pub struct TrackedFile {
    /// An expiring download link that holds no secret.
    pub href: String,
    pub label: String,
    pub file_name: String,
    pub size: String,
}

/// A paper of the checklist: whether it was handed in and digitized (never the file itself).
#[derive(Debug, Clone, Default)]
pub struct TrackedPaper {
    pub no: u32,
    pub name: String,
    pub group: String,
    pub provided: bool,
    pub digitized: bool,
}

/// The supplement request in force (Form 02).
#[derive(Debug, Clone, Default)]
pub struct SupplementNotice {
    pub at: String,
    pub reason: String,
    pub items: Vec<String>,
}

/// An option of a `<select>`.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `/thu-tuc`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/guide_list.html")]
pub struct GuideListPage {
    pub l: PortalLayout,
    pub q: String,
    pub fields: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub items: Vec<GuideItem>,
    pub next_href: String,
    pub first_href: String,
}

/// A procedure in the guide's list.
#[derive(Debug, Clone)]
pub struct GuideItem {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    /// "Toàn trình", "Một phần" or "Không trực tuyến".
    pub online: String,
}

/// `/thu-tuc/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/guide_detail.html")]
pub struct GuideDetailPage {
    pub l: PortalLayout,
    pub p: GuideProcedure,
}

/// A procedure as the guide shows it.
#[derive(Debug, Clone, Default)]
pub struct GuideProcedure {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub online: String,
    pub applicants: String,
    pub competent_agency: String,
    pub executing_agency: String,
    pub channels: Vec<GuideChannel>,
    pub paper_groups: Vec<PaperGroup>,
    pub results: Vec<String>,
    pub conditions: String,
    /// Set when the city's points do not receive the procedure, saying where to apply.
    pub points_note: String,
    pub point_groups: Vec<PointGroup>,
    pub legal_basis: Vec<String>,
}

/// Time limit and fee of one channel.
#[derive(Debug, Clone, Default)]
pub struct GuideChannel {
    pub kind: String,
    /// The online channel: the row links to online submission.
    pub online: bool,
    pub time_limit: String,
    pub fee: String,
}

/// The papers common to every case (empty heading) or those of one case.
#[derive(Debug, Clone, Default)]
pub struct PaperGroup {
    pub heading: String,
    pub papers: Vec<GuidePaper>,
}

#[derive(Debug, Clone, Default)]
pub struct GuidePaper {
    pub no: u32,
    pub name: String,
    pub template: String,
    pub originals: u32,
    pub copies: u32,
    pub mandatory: bool,
}

/// Reception points of one kind: (name, address).
#[derive(Debug, Clone, Default)]
pub struct PointGroup {
    pub heading: String,
    pub open: bool,
    pub points: Vec<(String, String)>,
}

/// `/cong-khai`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/transparency.html")]
pub struct TransparencyPage {
    pub l: PortalLayout,
    /// `YYYY-MM-DD`, for the date inputs.
    pub from: String,
    pub to: String,
    /// `dd/mm/yyyy`.
    /// Which dossiers, when the figures were computed, and what "on time" means.
    pub period_hint: String,
    pub sections: Vec<FigureSection>,
    /// Applicants' ratings of the dossiers finished in the period's months, per agency.
    pub satisfaction: Vec<SatisfactionRow>,
    /// The whole period: "82,5 % hài lòng trở lên (40 đánh giá, điểm trung bình 2,61/3)".
    pub satisfaction_total: String,
}

/// One agency's ratings.
#[derive(Debug, Clone, Default)]
pub struct SatisfactionRow {
    pub label: String,
    pub very_satisfied: u64,
    pub satisfied: u64,
    pub dissatisfied: u64,
    /// Share satisfied or very satisfied, e.g. "75,0 %".
    pub share: String,
    /// Average on the 3-point scale, e.g. "2,25".
    pub average: String,
}

/// The figures per agency or per field, with their chart.
#[derive(Debug, Clone, Default)]
pub struct FigureSection {
    pub id: String,
    pub heading: String,
    pub key_heading: String,
    /// A server-rendered SVG bar chart (built from numbers and escaped labels only).
    pub chart: String,
    pub rows: Vec<FigureRow>,
}

#[derive(Debug, Clone, Default)]
pub struct FigureRow {
    pub label: String,
    pub received: i64,
    pub on_time: i64,
    pub late: i64,
    pub in_progress: i64,
    pub overdue: i64,
    pub apologies: i64,
    /// "95,2 %" or "—".
    pub rate: String,
}
