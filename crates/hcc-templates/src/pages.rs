//! The pages and the data each shows. Every page carries a [`Layout`] (header, menu, language,
//! form token); the rest is display-ready text.

use crate::assets::{APP_CSS_PATH, HTMX_PATH};
use crate::i18n::{Lang, Msg};
use askama::Template;
use askama_web::WebTemplate;

/// What the base layout shows around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub t: &'static Msg,
    pub lang: Lang,
    pub title: String,
    /// The logged-in staff member; `None` on the login page.
    pub user: Option<UserBar>,
    /// Only the entries the role may use.
    pub menu: Vec<MenuItem>,
    /// The session's form token, sent back by every form that changes something.
    pub csrf: String,
    /// This page's path and query, percent-encoded, for the language switch to come back to.
    pub here: String,
    /// A one-line notice at the top of the page (e.g. after an action succeeded).
    pub notice: String,
}

impl Layout {
    pub fn css(&self) -> &'static str {
        APP_CSS_PATH
    }
    pub fn htmx(&self) -> &'static str {
        HTMX_PATH
    }
}

/// The staff member in the header.
#[derive(Debug, Clone)]
pub struct UserBar {
    pub name: String,
    pub role: String,
    pub unit: String,
}

/// A menu entry.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// An option of a `<select>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `/dang-nhap`.
#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub l: Layout,
    /// What was typed (never the password).
    pub username: String,
    /// Where to go after logging in.
    pub next: String,
    pub error: String,
}

/// `/doi-mat-khau`.
#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub l: Layout,
    pub current_error: String,
    pub new_error: String,
    pub confirm_error: String,
}

/// `/`.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub l: Layout,
    pub name: String,
    pub is_admin: bool,
}

/// An error page (404, 403, 500 …).
#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub l: Layout,
    pub heading: String,
    pub message: String,
}

/// `/ho-so`: the inbox. The block `results` (table and pager) is also rendered alone for htmx.
#[derive(Template, WebTemplate)]
#[template(path = "inbox.html", blocks = ["results"])]
pub struct InboxPage {
    pub l: Layout,
    pub text: String,
    pub procedure: String,
    pub mine: bool,
    pub show_mine: bool,
    pub statuses: Vec<Opt>,
    pub fields: Vec<Opt>,
    pub dues: Vec<Opt>,
    pub points: Vec<Opt>,
    pub rows: Vec<InboxRow>,
    /// The next page's address, when there is one.
    pub next_href: String,
    /// The first page's address, when this is not it.
    pub first_href: String,
    /// A filter error (shown beside the filters).
    pub error: String,
}

/// One dossier in the inbox.
#[derive(Debug, Clone)]
pub struct InboxRow {
    pub code: String,
    pub href: String,
    pub applicant: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: String,
    /// The step due time, `dd/mm/yyyy HH:MM`, or empty.
    pub step_due: String,
    /// `late`, `today`, `ontime`, `stopped` or `none`: the colour, always with [`Self::due_label`].
    pub due_class: &'static str,
    pub due_label: String,
    pub appointment: String,
    pub received: String,
    pub point: String,
}

/// `/ho-so/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "dossier.html")]
pub struct DossierPage {
    pub l: Layout,
    pub d: DossierInfo,
    pub docs: Vec<DocRow>,
    pub events: Vec<EventRow>,
    pub deadline_limit: String,
    pub deadline: Vec<String>,
    pub adjusted: Vec<String>,
    pub forms: Vec<ActionForm>,
    pub m: &'static crate::counter::CounterMsg,
    /// Digitized papers and results, uploads, reuse, printable forms.
    pub files: crate::counter::DocsPanel,
}

/// The dossier's facts, display-ready.
#[derive(Debug, Clone, Default)]
pub struct DossierInfo {
    pub code: String,
    pub status: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub field: String,
    pub channel: String,
    pub point: String,
    pub agency: String,
    pub assignee: String,
    pub applicant_name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub request: String,
    pub received_at: String,
    pub appointment: String,
    pub original_appointment: String,
    pub step: String,
    pub step_due: String,
    pub due_class: &'static str,
    pub due_label: String,
    pub progress: String,
    pub receipt_href: String,
}

/// A required document on the checklist.
#[derive(Debug, Clone)]
pub struct DocRow {
    pub no: u32,
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    pub mandatory: bool,
    pub provided: bool,
}

/// A row of the control sheet.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub unit: String,
    pub action: String,
    pub handed_to: String,
    pub step: String,
    pub step_due: String,
    /// `early`, `on_time`, `late` or empty.
    pub outcome_class: String,
    pub outcome: String,
    pub note: String,
}

/// The form of one action the user may take now.
#[derive(Debug, Clone)]
pub struct ActionForm {
    pub action: &'static str,
    pub label: String,
    pub post_href: String,
    pub fields: Vec<FormField>,
    /// An error not tied to one field (e.g. a concurrent change).
    pub error: String,
    /// The dossier version the form was drawn from (lost updates are refused).
    pub version: i64,
    /// Shown expanded (it has an error to fix).
    pub open: bool,
}

/// A field of an action form.
#[derive(Debug, Clone)]
pub struct FormField {
    pub name: &'static str,
    pub label: String,
    /// `text`, `textarea`, `select`, `number`, `datetime-local`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub required: bool,
    pub hint: String,
    pub error: String,
}

/// `/canh-bao`: the early warnings still standing for the signed-in officer.
#[derive(Template, WebTemplate)]
#[template(path = "warnings.html")]
pub struct WarningsPage {
    pub l: Layout,
    pub heading: &'static str,
    pub rows: Vec<WarningRow>,
    /// The next page, or empty.
    pub next_href: String,
}

/// One warning as listed.
#[derive(Debug, Clone)]
pub struct WarningRow {
    pub kind: &'static str,
    /// The inbox's due colour: `today` (due soon) or `late`.
    pub class: &'static str,
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status: &'static str,
    pub due: String,
    pub given: String,
}
