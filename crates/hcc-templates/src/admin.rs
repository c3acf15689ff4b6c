//! The administration pages (`/quan-tri/…`): the catalog (search, edit and publish a version,
//! import, file rules), agencies, reception points, accounts and the holiday calendar, with their
//! message table (Vietnamese, English). Forms keep what was typed and show each error beside its
//! field ([`AdminForm`]).

use crate::i18n::Lang;
use crate::pages::{Layout, Opt};
use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

/// What was typed into a form and the error of each field, by field name.
#[derive(Debug, Clone, Default)]
pub struct AdminForm {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl AdminForm {
    /// A form filled from `pairs` (name, value).
    pub fn with(pairs: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>) -> AdminForm {
        AdminForm { values: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect(), errors: HashMap::new() }
    }
    /// The typed value of a field ("" when none).
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }
    /// The error of a field ("" when none).
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).map_or("", String::as_str)
    }
    /// Whether a checkbox field was ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.v(name).is_empty()
    }
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_owned(), value.into());
    }
    /// Records an error beside `name`; the first error of a field is kept.
    pub fn fail(&mut self, name: &str, message: impl Into<String>) {
        self.errors.entry(name.to_owned()).or_insert_with(|| message.into());
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
    /// The fields in error (for tests and logs).
    pub fn error_fields(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.errors.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

/// A row of the administrators' log.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: String,
    pub username: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// `/quan-tri`: the sections and the latest changes.
#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminIndexPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub log: Vec<AuditRow>,
}

/// A procedure in the administration list.
#[derive(Debug, Clone)]
pub struct ProcedureRow {
    pub code: String,
    pub name: String,
    pub field: String,
    pub version: u32,
    pub href: String,
}

/// `/quan-tri/thu-tuc`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/procedures.html")]
pub struct ProceduresPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub q: String,
    pub rows: Vec<ProcedureRow>,
    pub error: String,
}

/// One channel's row in the procedure form.
#[derive(Debug, Clone)]
pub struct ChannelRow {
    /// `counter`, `online`, `post`: the form fields are `offered_{kind}`, `limit_{kind}`, `unit_{kind}`, `fee_{kind}`.
    pub kind: &'static str,
    pub label: String,
    pub offered: bool,
    pub limit: String,
    pub units: Vec<Opt>,
    pub fee: String,
    pub error: String,
}

/// A stored version of a procedure.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub version: u32,
    pub at: String,
    pub current: bool,
}

/// `/quan-tri/thu-tuc/{code}`: view and edit a procedure, publish a version, its file rules.
#[derive(Template, WebTemplate)]
#[template(path = "admin/procedure.html")]
pub struct ProcedurePage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub code: String,
    pub version: u32,
    pub f: AdminForm,
    pub channels: Vec<ChannelRow>,
    pub policies: Vec<Opt>,
    pub versions: Vec<VersionRow>,
    pub rules: AdminForm,
    pub log: Vec<AuditRow>,
    pub error: String,
}

/// What importing one file did.
#[derive(Debug, Clone)]
pub struct ImportFileRow {
    pub file: String,
    /// Why the whole file was refused, or empty.
    pub error: String,
    pub items: Vec<ImportItemRow>,
}

/// One procedure of an imported file.
#[derive(Debug, Clone)]
pub struct ImportItemRow {
    pub code: String,
    pub outcome: String,
    /// `field: message` for each field that could not be read.
    pub problems: Vec<String>,
}

/// `/quan-tri/thu-tuc/nhap`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/import.html")]
pub struct ImportPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub files: Vec<ImportFileRow>,
    pub summary: String,
    pub error: String,
}

/// An agency or a reception point in its list.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub commune: String,
    pub address: String,
    pub href: String,
}

/// `/quan-tri/co-quan` and `/quan-tri/diem-tiep-nhan`: the list and the create/edit form.
#[derive(Template, WebTemplate)]
#[template(path = "admin/units.html")]
pub struct UnitsPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub heading: String,
    /// `/quan-tri/co-quan` or `/quan-tri/diem-tiep-nhan`.
    pub action: &'static str,
    /// Points have an address.
    pub with_address: bool,
    pub rows: Vec<UnitRow>,
    pub f: AdminForm,
    pub kinds: Vec<Opt>,
    /// Editing an existing one (its code is fixed).
    pub editing: bool,
    pub error: String,
}

/// An account in the list.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit: String,
    pub disabled: bool,
    pub href: String,
}

/// `/quan-tri/tai-khoan`: the accounts and the form for a new one.
#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub rows: Vec<AccountRow>,
    pub f: AdminForm,
    pub roles: Vec<Opt>,
    pub agencies: Vec<Opt>,
    pub points: Vec<Opt>,
    pub error: String,
}

/// `/quan-tri/tai-khoan/{username}`: role and scope, lock, password.
#[derive(Template, WebTemplate)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub username: String,
    pub disabled: bool,
    pub f: AdminForm,
    pub roles: Vec<Opt>,
    pub agencies: Vec<Opt>,
    pub points: Vec<Opt>,
    pub pw: AdminForm,
    pub log: Vec<AuditRow>,
    pub error: String,
}

/// A day of the calendar.
#[derive(Debug, Clone)]
pub struct DayRow {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `dd/mm/yyyy (weekday)`.
    pub label: String,
    pub kind: String,
    pub holiday: bool,
    pub name: String,
    pub edit_href: String,
}

/// `/quan-tri/lich?nam=YYYY`: a year's holidays and make-up Saturdays, and the form for a day.
#[derive(Template, WebTemplate)]
#[template(path = "admin/calendar.html")]
pub struct CalendarPage {
    pub l: Layout,
    pub m: &'static AdminMsg,
    pub year: i16,
    pub prev_href: String,
    pub next_href: String,
    pub rows: Vec<DayRow>,
    pub f: AdminForm,
    pub kinds: Vec<Opt>,
    pub error: String,
}

/// The administration pages' messages in one language.
#[derive(Debug)]
pub struct AdminMsg {
    pub menu_admin: &'static str,
    pub admin_title: &'static str,
    pub admin_intro: &'static str,
    pub nav_procedures: &'static str,
    pub nav_import: &'static str,
    pub nav_agencies: &'static str,
    pub nav_points: &'static str,
    pub nav_accounts: &'static str,
    pub nav_calendar: &'static str,
    pub log_title: &'static str,
    pub log_empty: &'static str,
    pub at: &'static str,
    pub who: &'static str,
    pub action: &'static str,
    pub target: &'static str,
    pub detail: &'static str,
    pub save: &'static str,
    pub create: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub cancel: &'static str,
    pub search: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub commune: &'static str,
    pub commune_hint: &'static str,
    pub address: &'static str,
    pub none: &'static str,
    pub fix_errors: &'static str,
    pub saved: &'static str,
    pub search_procedure: &'static str,
    pub search_hint: &'static str,
    pub field: &'static str,
    pub version: &'static str,
    pub no_procedure: &'static str,
    pub publish: &'static str,
    pub publish_hint: &'static str,
    pub level: &'static str,
    pub competent: &'static str,
    pub executing: &'static str,
    pub channels: &'static str,
    pub channel: &'static str,
    pub offered: &'static str,
    pub time_limit: &'static str,
    pub unit: &'static str,
    pub fee: &'static str,
    pub documents: &'static str,
    pub documents_hint: &'static str,
    pub steps: &'static str,
    pub steps_hint: &'static str,
    pub clock_policy: &'static str,
    pub versions: &'static str,
    pub current: &'static str,
    pub file_rules: &'static str,
    pub max_mb: &'static str,
    pub media_types: &'static str,
    pub media_hint: &'static str,
    pub archive_years: &'static str,
    pub archive_hint: &'static str,
    pub import_title: &'static str,
    pub import_hint: &'static str,
    pub import_file: &'static str,
    pub import_button: &'static str,
    pub import_refused: &'static str,
    pub problems: &'static str,
    pub agencies_title: &'static str,
    pub points_title: &'static str,
    pub new_unit: &'static str,
    pub edit_unit: &'static str,
    pub accounts_title: &'static str,
    pub new_account: &'static str,
    pub username: &'static str,
    pub username_hint: &'static str,
    pub full_name: &'static str,
    pub role: &'static str,
    pub agency: &'static str,
    pub point: &'static str,
    pub scope_hint: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub status: &'static str,
    pub active: &'static str,
    pub locked: &'static str,
    pub lock: &'static str,
    pub unlock: &'static str,
    pub role_scope: &'static str,
    pub reset_password: &'static str,
    pub calendar_title: &'static str,
    pub calendar_hint: &'static str,
    pub year: &'static str,
    pub prev_year: &'static str,
    pub next_year: &'static str,
    pub date: &'static str,
    pub day_kind: &'static str,
    pub holiday: &'static str,
    pub makeup: &'static str,
    pub day_name: &'static str,
    pub day_form: &'static str,
    pub no_days: &'static str,
}

impl AdminMsg {
    /// The messages of `lang`.
    pub fn of(lang: Lang) -> &'static AdminMsg {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

pub static VI: AdminMsg = AdminMsg {
    menu_admin: "Quản trị",
    admin_title: "Quản trị hệ thống",
    admin_intro: "Danh mục thủ tục, cơ quan, điểm tiếp nhận, tài khoản và lịch làm việc. Mọi thay đổi được ghi nhật ký: ai, lúc nào, sửa gì.",
    nav_procedures: "Thủ tục hành chính",
    nav_import: "Nhập danh mục",
    nav_agencies: "Cơ quan",
    nav_points: "Điểm tiếp nhận",
    nav_accounts: "Tài khoản",
    nav_calendar: "Lịch làm việc",
    log_title: "Nhật ký quản trị",
    log_empty: "Chưa có thay đổi nào.",
    at: "Thời điểm",
    who: "Người thực hiện",
    action: "Thao tác",
    target: "Đối tượng",
    detail: "Nội dung",
    save: "Lưu",
    create: "Thêm mới",
    edit: "Sửa",
    delete: "Xóa",
    cancel: "Hủy",
    search: "Tìm",
    code: "Mã",
    name: "Tên",
    kind: "Loại",
    commune: "Mã xã/phường",
    commune_hint: "Mã thống kê 5 chữ số, ví dụ 00004; bỏ trống nếu không gắn với xã/phường",
    address: "Địa chỉ",
    none: "(không)",
    fix_errors: "Chưa lưu: hãy sửa các ô được đánh dấu.",
    saved: "Đã lưu.",
    search_procedure: "Tìm thủ tục",
    search_hint: "Tên hoặc mã thủ tục; gõ không dấu cũng được",
    field: "Lĩnh vực",
    version: "Phiên bản",
    no_procedure: "Không có thủ tục nào khớp.",
    publish: "Lưu và ban hành phiên bản mới",
    publish_hint: "Hồ sơ đã tiếp nhận giữ phiên bản cũ; hồ sơ tiếp nhận từ nay dùng phiên bản mới.",
    level: "Cấp thực hiện",
    competent: "Cơ quan có thẩm quyền",
    executing: "Cơ quan thực hiện",
    channels: "Cách thức thực hiện",
    channel: "Kênh",
    offered: "Nhận hồ sơ",
    time_limit: "Thời hạn giải quyết",
    unit: "Đơn vị",
    fee: "Phí, lệ phí",
    documents: "Thành phần hồ sơ",
    documents_hint: "Mỗi dòng một giấy tờ: tên | số bản chính | số bản sao | bắt buộc hoặc không | mẫu đơn | trường hợp",
    steps: "Các bước xử lý",
    steps_hint: "Mỗi dòng một bước: tên | tỷ lệ thời gian % | tiếp nhận, chuyên viên hoặc lãnh đạo; tổng 100%. Bỏ trống: quy trình mặc định",
    clock_policy: "Khi yêu cầu bổ sung hồ sơ",
    versions: "Các phiên bản",
    current: "đang áp dụng",
    file_rules: "Quy định tệp tải lên",
    max_mb: "Dung lượng tối đa mỗi tệp (MB)",
    media_types: "Loại tệp được nhận",
    media_hint: "Cách nhau bởi dấu phẩy, ví dụ: pdf, jpeg, png; bỏ trống: mọi loại được hỗ trợ",
    archive_years: "Thời hạn bảo quản (năm)",
    archive_hint: "Tính từ khi kết thúc hồ sơ; bỏ trống: bảo quản vĩnh viễn",
    import_title: "Nhập danh mục thủ tục",
    import_hint: "Tệp JSON theo định dạng của HCC hoặc của Cổng Dịch vụ công quốc gia; chọn được nhiều tệp. Mỗi trường không đọc được đều được liệt kê.",
    import_file: "Tệp danh mục (.json)",
    import_button: "Nhập",
    import_refused: "Không nhập được tệp",
    problems: "Trường không đọc được",
    agencies_title: "Cơ quan giải quyết",
    points_title: "Điểm tiếp nhận",
    new_unit: "Thêm mới",
    edit_unit: "Sửa",
    accounts_title: "Tài khoản cán bộ",
    new_account: "Tạo tài khoản",
    username: "Tên đăng nhập",
    username_hint: "3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang",
    full_name: "Họ tên",
    role: "Vai trò",
    agency: "Cơ quan",
    point: "Điểm tiếp nhận",
    scope_hint: "Chuyên viên, lãnh đạo cần cơ quan; cán bộ tiếp nhận, nhân viên bưu điện cần điểm tiếp nhận; lãnh đạo, giám sát có thể gắn cơ quan",
    password: "Mật khẩu",
    password_hint: "Ít nhất 10 ký tự",
    status: "Trạng thái",
    active: "Đang hoạt động",
    locked: "Đã khóa",
    lock: "Khóa tài khoản",
    unlock: "Mở khóa tài khoản",
    role_scope: "Vai trò và phạm vi",
    reset_password: "Đặt lại mật khẩu",
    calendar_title: "Lịch làm việc",
    calendar_hint: "Ngày nghỉ lễ, Tết và ngày làm bù (thứ Bảy làm việc). Hạn giải quyết tính theo lịch này ngay sau khi lưu.",
    year: "Năm",
    prev_year: "Năm trước",
    next_year: "Năm sau",
    date: "Ngày",
    day_kind: "Loại ngày",
    holiday: "Ngày nghỉ",
    makeup: "Ngày làm bù",
    day_name: "Tên ngày",
    day_form: "Thêm hoặc sửa một ngày",
    no_days: "Năm này chưa có ngày nghỉ hay ngày làm bù nào.",
};

pub static EN: AdminMsg = AdminMsg {
    menu_admin: "Administration",
    admin_title: "Administration",
    admin_intro: "The procedure catalog, agencies, reception points, accounts and the working calendar. Every change is logged: who, when, what.",
    nav_procedures: "Procedures",
    nav_import: "Import the catalog",
    nav_agencies: "Agencies",
    nav_points: "Reception points",
    nav_accounts: "Accounts",
    nav_calendar: "Working calendar",
    log_title: "Administration log",
    log_empty: "No changes yet.",
    at: "When",
    who: "By",
    action: "Action",
    target: "Target",
    detail: "Change",
    save: "Save",
    create: "Create",
    edit: "Edit",
    delete: "Delete",
    cancel: "Cancel",
    search: "Search",
    code: "Code",
    name: "Name",
    kind: "Kind",
    commune: "Commune code",
    commune_hint: "5-digit statistics code, e.g. 00004; empty when not tied to a commune",
    address: "Address",
    none: "(none)",
    fix_errors: "Not saved: fix the marked fields.",
    saved: "Saved.",
    search_procedure: "Find a procedure",
    search_hint: "Name or code; diacritics are optional",
    field: "Field",
    version: "Version",
    no_procedure: "No procedure matches.",
    publish: "Save and publish a new version",
    publish_hint: "Dossiers already received keep their version; dossiers received from now on use the new one.",
    level: "Level",
    competent: "Competent agency",
    executing: "Executing agency",
    channels: "Channels",
    channel: "Channel",
    offered: "Takes dossiers",
    time_limit: "Time limit",
    unit: "Unit",
    fee: "Fees",
    documents: "Required papers",
    documents_hint: "One paper a line: name | originals | copies | bắt buộc (mandatory) or không (conditional) | form template | case",
    steps: "Processing steps",
    steps_hint: "One step a line: name | share % | tiếp nhận, chuyên viên or lãnh đạo; 100% in all. Empty: the default workflow",
    clock_policy: "When a supplement is requested",
    versions: "Versions",
    current: "in force",
    file_rules: "Upload rules",
    max_mb: "Largest file (MB)",
    media_types: "Accepted kinds",
    media_hint: "Comma-separated, e.g. pdf, jpeg, png; empty: every supported kind",
    archive_years: "Archive period (years)",
    archive_hint: "From the end of the dossier; empty: kept for good",
    import_title: "Import the procedure catalog",
    import_hint: "JSON files in HCC's format or the national public-service portal's; several files at once. Every field that cannot be read is listed.",
    import_file: "Catalog files (.json)",
    import_button: "Import",
    import_refused: "File not imported",
    problems: "Fields not read",
    agencies_title: "Agencies",
    points_title: "Reception points",
    new_unit: "New",
    edit_unit: "Edit",
    accounts_title: "Staff accounts",
    new_account: "Create an account",
    username: "Username",
    username_hint: "3–64 characters: letters without marks, digits, dot, underscore, hyphen",
    full_name: "Full name",
    role: "Role",
    agency: "Agency",
    point: "Reception point",
    scope_hint: "Specialists and leaders need an agency; reception and post-office staff need a point; leaders and supervisors may have an agency",
    password: "Password",
    password_hint: "At least 10 characters",
    status: "Status",
    active: "Active",
    locked: "Locked",
    lock: "Lock the account",
    unlock: "Unlock the account",
    role_scope: "Role and scope",
    reset_password: "Reset the password",
    calendar_title: "Working calendar",
    calendar_hint: "Public holidays, Tết and make-up working Saturdays. Due dates use this calendar as soon as it is saved.",
    year: "Year",
    prev_year: "Previous year",
    next_year: "Next year",
    date: "Date",
    day_kind: "Kind of day",
    holiday: "Day off",
    makeup: "Make-up working day",
    day_name: "Name",
    day_form: "Add or change a day",
    no_days: "No days off or make-up days in this year yet.",
};
