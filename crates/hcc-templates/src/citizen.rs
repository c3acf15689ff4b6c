//! The citizen's pages of the portal: sign-up with a one-time code, sign-in, online submission,
//! the citizen's dossiers with the supplement form and the receipt, and the satisfaction rating.
//! Their texts in Vietnamese and English ([`CitizenMsg`]), chosen with the language switch.

use crate::Lang;
use crate::portal::PortalLayout;
use askama::Template;
use askama_web::WebTemplate;

/// A page with one message (an error or a confirmation) and a way on.
#[derive(Template, WebTemplate)]
#[template(path = "portal/message.html")]
pub struct MessagePage {
    pub l: PortalLayout,
    pub heading: String,
    pub message: String,
    /// The stable error code (`data-code`), empty for a confirmation.
    pub code: String,
    pub back_href: String,
    pub back_label: String,
}

/// Which account form a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMode {
    SignUp,
    Verify,
    SignIn,
}

/// `/cong-dan/dang-ky`, `/cong-dan/xac-thuc`, `/cong-dan/dang-nhap`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/account.html")]
pub struct AccountPage {
    pub l: PortalLayout,
    pub mode: AccountMode,
    pub name: String,
    pub contact: String,
    pub next: String,
    pub error: String,
    pub error_code: String,
    pub notice: String,
    /// Sign-in with the identity provider is configured.
    pub oidc: bool,
}

/// `/nop-ho-so`: the procedures that can be submitted online.
#[derive(Template, WebTemplate)]
#[template(path = "portal/submit_list.html")]
pub struct SubmitListPage {
    pub l: PortalLayout,
    pub q: String,
    pub items: Vec<SubmitItem>,
}

#[derive(Debug, Clone)]
pub struct SubmitItem {
    pub code: String,
    pub name: String,
    pub field: String,
    pub limit: String,
    pub fee: String,
}

/// `/nop-ho-so/{code}`: the application form.
#[derive(Template, WebTemplate)]
#[template(path = "portal/submit_form.html")]
pub struct SubmitFormPage {
    pub l: PortalLayout,
    pub code: String,
    pub name: String,
    pub limit: String,
    pub fee: String,
    pub fee_due: bool,
    /// The draft's key (the dossier's idempotency key).
    pub key: String,
    pub f: SubmitFields,
    pub papers: Vec<SubmitPaper>,
    pub cases: Vec<String>,
    pub error: String,
    pub error_code: String,
    pub resumed: bool,
}

/// What the citizen typed, as the form shows it and the draft keeps it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SubmitFields {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub commune_code: String,
    pub subject_commune: String,
    pub request_summary: String,
    pub case: String,
    pub return_method: String,
    pub payment_method: String,
    pub payment_reference: String,
}

impl SubmitFields {
    /// Sets the field a form part is named after; `false` when no field has that name.
    pub fn set(&mut self, name: &str, value: String) -> bool {
        let slot = match name {
            "name" => &mut self.name,
            "id_number" => &mut self.id_number,
            "phone" => &mut self.phone,
            "email" => &mut self.email,
            "address" => &mut self.address,
            "commune_code" => &mut self.commune_code,
            "subject_commune" => &mut self.subject_commune,
            "request_summary" => &mut self.request_summary,
            "case" => &mut self.case,
            "return_method" => &mut self.return_method,
            "payment_method" => &mut self.payment_method,
            "payment_reference" => &mut self.payment_reference,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// One required paper on the form.
#[derive(Debug, Clone)]
pub struct SubmitPaper {
    pub no: u32,
    pub name: String,
    pub mandatory: bool,
    pub group: String,
    /// The file already uploaded for it (kept in the draft), if any.
    pub uploaded: String,
    /// Papers of the applicant's earlier dossiers that may be reused: (document id, label).
    pub reusable: Vec<(i64, String)>,
}

/// `/cong-dan`: the citizen's dossiers and unfinished drafts.
#[derive(Template, WebTemplate)]
#[template(path = "portal/my_dossiers.html")]
pub struct MyDossiersPage {
    pub l: PortalLayout,
    pub rows: Vec<MyDossierRow>,
    pub drafts: Vec<MyDraftRow>,
}

#[derive(Debug, Clone)]
pub struct MyDossierRow {
    pub code: String,
    pub procedure: String,
    pub status: String,
    pub submitted_at: String,
    pub due_at: String,
}

#[derive(Debug, Clone)]
pub struct MyDraftRow {
    pub href: String,
    pub procedure: String,
    pub updated_at: String,
}

/// `/cong-dan/ho-so/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/my_dossier.html")]
pub struct MyDossierPage {
    pub l: PortalLayout,
    pub code: String,
    pub secret: String,
    pub procedure: String,
    pub status: String,
    pub submitted_at: String,
    pub due_at: String,
    pub notice: String,
    pub receipt_href: String,
    /// The supplement request, when one is open: its items and reason.
    pub supplement: Option<SupplementForm>,
    pub documents: Vec<(String, String)>,
    /// The rating link, when the result was returned and no rating given yet.
    pub rating_href: String,
    /// The rating given, as words.
    pub rated: String,
    /// The agency's answer to the feedback left with the rating, once answered.
    pub feedback_answer: String,
    /// By when the agency answers the feedback still waiting; empty otherwise.
    pub feedback_answer_due: String,
    pub error: String,
    pub error_code: String,
}

#[derive(Debug, Clone)]
pub struct SupplementForm {
    pub items: Vec<String>,
    pub reason: String,
    pub at: String,
    /// The checklist's papers the upload may be filed under: (no, name).
    pub papers: Vec<(u32, String)>,
}

/// `/danh-gia/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "portal/rate.html")]
pub struct RatePage {
    pub l: PortalLayout,
    pub code: String,
    pub procedure: String,
    /// The link's token, carried in the form (empty for the signed-in owner).
    pub token: String,
    pub choice: String,
    pub reason: String,
    pub comment: String,
    pub error: String,
    pub error_code: String,
}

/// The texts of the citizen's pages.
pub struct CitizenMsg {
    pub brand: &'static str,
    pub skip: &'static str,
    pub nav_label: &'static str,
    pub footer: &'static str,
    pub menu_track: &'static str,
    pub menu_guide: &'static str,
    pub menu_submit: &'static str,
    pub menu_transparency: &'static str,
    pub sign_in: &'static str,
    pub sign_up: &'static str,
    pub sign_out: &'static str,
    pub my_dossiers: &'static str,
    pub full_name: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub confirm: &'static str,
    pub code: &'static str,
    pub code_hint: &'static str,
    pub verify: &'static str,
    pub resend: &'static str,
    pub sign_in_oidc: &'static str,
    pub no_account: &'static str,
    pub submit_title: &'static str,
    pub submit_intro: &'static str,
    pub search: &'static str,
    pub time_limit: &'static str,
    pub fee: &'static str,
    pub apply: &'static str,
    pub applicant: &'static str,
    pub id_number: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub address: &'static str,
    pub commune_code: &'static str,
    pub subject_commune: &'static str,
    pub request_summary: &'static str,
    pub case_label: &'static str,
    pub papers: &'static str,
    pub mandatory: &'static str,
    pub uploaded: &'static str,
    pub reuse: &'static str,
    pub return_method: &'static str,
    pub return_counter: &'static str,
    pub return_post: &'static str,
    pub return_online: &'static str,
    pub payment: &'static str,
    pub pay_counter: &'static str,
    pub pay_transfer: &'static str,
    pub transfer_ref: &'static str,
    pub send: &'static str,
    pub resumed: &'static str,
    pub dossier: &'static str,
    pub procedure: &'static str,
    pub status: &'static str,
    pub submitted_at: &'static str,
    pub due_at: &'static str,
    pub tracking_code: &'static str,
    pub receipt: &'static str,
    pub supplement_title: &'static str,
    pub supplement_reason: &'static str,
    pub supplement_send: &'static str,
    pub paper_for: &'static str,
    pub documents: &'static str,
    pub rate_title: &'static str,
    pub rate_link: &'static str,
    pub rated: &'static str,
    pub very_satisfied: &'static str,
    pub satisfied: &'static str,
    pub dissatisfied: &'static str,
    pub reason: &'static str,
    pub comment: &'static str,
    pub complaint: &'static str,
    pub rate_send: &'static str,
    pub drafts: &'static str,
    pub continue_draft: &'static str,
    pub none: &'static str,
    pub back: &'static str,
    pub error_title: &'static str,
    /// Followed by the contact the code went to.
    pub code_sent: &'static str,
    pub code_resent: &'static str,
    pub submitted_notice: &'static str,
    pub supplement_received: &'static str,
    pub thanks: &'static str,
    pub feedback_answer: &'static str,
    /// Followed by the deadline.
    pub feedback_answer_due: &'static str,
}

impl CitizenMsg {
    pub fn of(lang: Lang) -> &'static CitizenMsg {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

pub static VI: CitizenMsg = CitizenMsg {
    brand: "Trung tâm Phục vụ Hành chính công",
    skip: "Chuyển đến nội dung chính",
    nav_label: "Dịch vụ công",
    footer: "Trang công khai: không hiển thị thông tin cá nhân ngoài họ tên đã che. Đường dây nóng hỗ trợ: 1022.",
    menu_track: "Tra cứu hồ sơ",
    menu_guide: "Thủ tục hành chính",
    menu_submit: "Nộp hồ sơ trực tuyến",
    menu_transparency: "Công khai kết quả",
    sign_in: "Đăng nhập",
    sign_up: "Đăng ký",
    sign_out: "Đăng xuất",
    my_dossiers: "Hồ sơ của tôi",
    full_name: "Họ và tên",
    contact: "Số điện thoại di động hoặc thư điện tử",
    contact_hint: "Mã xác thực sẽ được gửi đến đây",
    password: "Mật khẩu",
    password_hint: "Ít nhất 10 ký tự",
    confirm: "Nhập lại mật khẩu",
    code: "Mã xác thực",
    code_hint: "6 chữ số, có hiệu lực trong 10 phút",
    verify: "Xác thực",
    resend: "Gửi lại mã",
    sign_in_oidc: "Đăng nhập bằng tài khoản định danh điện tử",
    no_account: "Chưa có tài khoản?",
    submit_title: "Nộp hồ sơ trực tuyến",
    submit_intro: "Chọn thủ tục được tiếp nhận trực tuyến. Hồ sơ được cán bộ tiếp nhận kiểm tra trước khi tính thời hạn giải quyết.",
    search: "Tìm",
    time_limit: "Thời hạn giải quyết",
    fee: "Phí, lệ phí",
    apply: "Nộp hồ sơ",
    applicant: "Người nộp hồ sơ",
    id_number: "Số định danh cá nhân (CCCD) hoặc mã số thuế",
    phone: "Số điện thoại",
    email: "Thư điện tử",
    address: "Địa chỉ",
    commune_code: "Mã xã/phường nơi cư trú",
    subject_commune: "Mã xã/phường nơi có đất, công trình",
    request_summary: "Nội dung yêu cầu",
    case_label: "Trường hợp",
    papers: "Thành phần hồ sơ",
    mandatory: "bắt buộc",
    uploaded: "Đã tải lên",
    reuse: "Dùng lại giấy tờ đã nộp",
    return_method: "Hình thức nhận kết quả",
    return_counter: "Tại bộ phận một cửa",
    return_post: "Qua dịch vụ bưu chính",
    return_online: "Trực tuyến",
    payment: "Nộp phí, lệ phí",
    pay_counter: "Nộp tại quầy khi nhận kết quả",
    pay_transfer: "Đã chuyển khoản ngân hàng",
    transfer_ref: "Mã giao dịch chuyển khoản",
    send: "Nộp hồ sơ",
    resumed: "Đã khôi phục hồ sơ đang soạn: các thông tin và giấy tờ đã tải lên được giữ nguyên.",
    dossier: "Hồ sơ",
    procedure: "Thủ tục",
    status: "Trạng thái",
    submitted_at: "Ngày nộp",
    due_at: "Hẹn trả kết quả",
    tracking_code: "Mã tra cứu",
    receipt: "Giấy tiếp nhận hồ sơ (Mẫu 01)",
    supplement_title: "Bổ sung hồ sơ",
    supplement_reason: "Lý do",
    supplement_send: "Gửi bổ sung",
    paper_for: "Thuộc thành phần",
    documents: "Giấy tờ đã nộp",
    rate_title: "Đánh giá mức độ hài lòng",
    rate_link: "Đánh giá việc giải quyết hồ sơ",
    rated: "Đánh giá của bạn",
    very_satisfied: "Rất hài lòng",
    satisfied: "Hài lòng",
    dissatisfied: "Không hài lòng",
    reason: "Lý do (bắt buộc khi không hài lòng)",
    comment: "Ý kiến khác",
    complaint: "Đây là phản ánh, kiến nghị cần được xử lý",
    rate_send: "Gửi đánh giá",
    drafts: "Hồ sơ đang soạn",
    continue_draft: "Tiếp tục",
    none: "Chưa có hồ sơ nào.",
    back: "Quay lại",
    error_title: "Không thực hiện được",
    code_sent: "Mã xác thực đã được gửi đến",
    code_resent: "Nếu tài khoản đang chờ xác thực, một mã mới đã được gửi đến",
    submitted_notice: "Hồ sơ đã được gửi. Cán bộ tiếp nhận sẽ kiểm tra và thông báo kết quả tiếp nhận.",
    supplement_received: "Đã nhận hồ sơ bổ sung.",
    thanks: "Cảm ơn ông/bà đã đánh giá.",
    feedback_answer: "Trả lời phản ánh, kiến nghị của cơ quan giải quyết",
    feedback_answer_due: "Cơ quan giải quyết sẽ trả lời phản ánh, kiến nghị của ông/bà trước",
};

pub static EN: CitizenMsg = CitizenMsg {
    brand: "Public Administrative Service Center",
    skip: "Skip to main content",
    nav_label: "Public services",
    footer: "Public page: no personal data beyond masked names. Support hotline: 1022.",
    menu_track: "Track a dossier",
    menu_guide: "Procedures",
    menu_submit: "Apply online",
    menu_transparency: "Published results",
    sign_in: "Sign in",
    sign_up: "Sign up",
    sign_out: "Sign out",
    my_dossiers: "My dossiers",
    full_name: "Full name",
    contact: "Mobile phone or e-mail",
    contact_hint: "The verification code is sent here",
    password: "Password",
    password_hint: "At least 10 characters",
    confirm: "Repeat the password",
    code: "Verification code",
    code_hint: "6 digits, valid for 10 minutes",
    verify: "Verify",
    resend: "Send a new code",
    sign_in_oidc: "Sign in with your electronic identity",
    no_account: "No account yet?",
    submit_title: "Apply online",
    submit_intro: "Choose a procedure offered online. A reception officer checks the dossier before its time limit starts.",
    search: "Search",
    time_limit: "Time limit",
    fee: "Fees",
    apply: "Apply",
    applicant: "Applicant",
    id_number: "Citizen ID (CCCD) or tax code",
    phone: "Phone",
    email: "E-mail",
    address: "Address",
    commune_code: "Commune/ward code of residence",
    subject_commune: "Commune/ward code of the land or works",
    request_summary: "Request",
    case_label: "Case",
    papers: "Papers",
    mandatory: "required",
    uploaded: "Uploaded",
    reuse: "Reuse a paper handed in before",
    return_method: "Receive the result",
    return_counter: "At the one-stop counter",
    return_post: "By post",
    return_online: "Online",
    payment: "Fee payment",
    pay_counter: "Pay at the counter when collecting the result",
    pay_transfer: "Paid by bank transfer",
    transfer_ref: "Transfer reference",
    send: "Submit",
    resumed: "Your unfinished application was restored: what you typed and uploaded is kept.",
    dossier: "Dossier",
    procedure: "Procedure",
    status: "Status",
    submitted_at: "Submitted",
    due_at: "Result due",
    tracking_code: "Tracking secret",
    receipt: "Receipt (Form 01)",
    supplement_title: "Supplement the dossier",
    supplement_reason: "Reason",
    supplement_send: "Send the supplement",
    paper_for: "For the paper",
    documents: "Papers handed in",
    rate_title: "Rate your satisfaction",
    rate_link: "Rate how the dossier was handled",
    rated: "Your rating",
    very_satisfied: "Very satisfied",
    satisfied: "Satisfied",
    dissatisfied: "Dissatisfied",
    reason: "Reason (required when dissatisfied)",
    comment: "Other comments",
    complaint: "This is a complaint to be handled",
    rate_send: "Send the rating",
    drafts: "Unfinished applications",
    continue_draft: "Continue",
    none: "No dossiers yet.",
    back: "Back",
    error_title: "Could not be done",
    code_sent: "The verification code was sent to",
    code_resent: "If the account awaits verification, a new code was sent to",
    submitted_notice: "Your dossier was sent. A reception officer will check it and tell you whether it is received.",
    supplement_received: "Your supplement was received.",
    thanks: "Thank you for your rating.",
    feedback_answer: "The agency's answer to your feedback",
    feedback_answer_due: "The agency will answer your feedback by",
};
