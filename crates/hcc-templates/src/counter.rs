//! The counter's pages: reception (`/tiep-nhan`), the documents panel of a dossier and the return
//! of results (`/tra-ket-qua`), with their own message table (Vietnamese, English).

use crate::i18n::Lang;
use crate::pages::{Layout, Opt};
use askama::Template;
use askama_web::WebTemplate;

/// `/tiep-nhan`: find a procedure, enter the applicant, tick the papers, receive. The block
/// `procedures` (the search results) is also rendered alone for htmx.
#[derive(Template, WebTemplate)]
#[template(path = "counter.html", blocks = ["procedures"])]
pub struct CounterPage {
    pub l: Layout,
    pub m: &'static CounterMsg,
    pub q: String,
    pub searched: bool,
    pub results: Vec<ProcedureHit>,
    /// The procedure chosen, with its papers for the chosen channel.
    pub p: Option<ChosenProcedure>,
    pub f: ApplicantForm,
    /// An error not tied to one field.
    pub error: String,
}

/// A procedure found by the search.
#[derive(Debug, Clone)]
pub struct ProcedureHit {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub href: String,
}

/// The procedure the officer chose.
#[derive(Debug, Clone)]
pub struct ChosenProcedure {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub agency: String,
    pub channels: Vec<ChannelChoice>,
    /// The chosen channel (`counter`, `post`, `online`).
    pub channel: String,
    pub time_limit: String,
    pub fee: String,
    pub groups: Vec<PaperGroup>,
    /// The cases (blank first) when the papers are published per case.
    pub cases: Vec<Opt>,
}

/// A channel of the procedure, as a link.
#[derive(Debug, Clone)]
pub struct ChannelChoice {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// Papers under one heading: the common ones, or one case's.
#[derive(Debug, Clone)]
pub struct PaperGroup {
    pub heading: String,
    pub papers: Vec<Paper>,
}

/// One required paper with its tick.
#[derive(Debug, Clone)]
pub struct Paper {
    pub no: u32,
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    pub mandatory: bool,
    pub template: String,
    pub checked: bool,
}

/// What was typed in the applicant form, and the errors beside each field.
#[derive(Debug, Clone, Default)]
pub struct ApplicantForm {
    pub organization: bool,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub commune_q: String,
    pub communes: Vec<Opt>,
    pub subject_q: String,
    pub subject_communes: Vec<Opt>,
    pub request: String,
    pub return_methods: Vec<Opt>,
    pub items: String,
    pub reasons: String,
    pub idempotency_key: String,
    pub e: FieldErrors,
}

/// An error per field (empty: none).
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub commune: String,
    pub subject: String,
    pub documents: String,
    pub case: String,
    pub items: String,
    pub reasons: String,
}

/// The `<option>`s of a commune picker (htmx fragment).
#[derive(Template, WebTemplate)]
#[template(path = "commune_options.html")]
pub struct CommuneOptions {
    pub options: Vec<Opt>,
}

/// The documents panel of a dossier page.
#[derive(Debug, Clone, Default)]
pub struct DocsPanel {
    pub rows: Vec<DocumentRow>,
    /// Papers handed in still without a file (`no. name`).
    pub missing: Vec<String>,
    /// The papers one may upload a file for, one form each.
    pub upload_items: Vec<UploadItem>,
    pub can_upload: bool,
    pub can_attach_result: bool,
    /// The result is approved but not digitized yet.
    pub result_missing: bool,
    pub upload_href: String,
    pub reuse_href: String,
    pub vault: Vec<VaultRow>,
    pub error: String,
    pub prints: Vec<PrintLink>,
}

/// A stored document.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: i64,
    pub is_result: bool,
    pub item: String,
    pub copy_kind: String,
    pub pages: String,
    pub file_name: String,
    pub size: String,
    pub by: String,
    pub unit: String,
    pub at: String,
    /// Where a reused document came from (dossier code), or empty.
    pub reused_from: String,
    pub href: String,
    pub is_image: bool,
}

/// A paper to upload a file for.
#[derive(Debug, Clone)]
pub struct UploadItem {
    pub no: u32,
    pub name: String,
    pub has_file: bool,
}

/// A reusable document of the applicant's store.
#[derive(Debug, Clone)]
pub struct VaultRow {
    pub id: i64,
    pub file_name: String,
    pub from_dossier: String,
    pub item: String,
    pub at: String,
    pub valid_until: String,
}

/// A printable form of the record.
#[derive(Debug, Clone)]
pub struct PrintLink {
    pub href: String,
    pub label: String,
}

/// `/tra-ket-qua`: dossiers whose result waits at the user's point.
#[derive(Template, WebTemplate)]
#[template(path = "returns.html")]
pub struct ReturnPage {
    pub l: Layout,
    pub m: &'static CounterMsg,
    pub rows: Vec<ReturnRow>,
}

/// One dossier to return, with its form.
#[derive(Debug, Clone)]
pub struct ReturnRow {
    pub code: String,
    pub href: String,
    pub applicant: String,
    pub id_number: String,
    pub procedure: String,
    pub status: String,
    pub appointment: String,
    pub wants: String,
    pub post_href: String,
    pub version: i64,
    pub by_post: bool,
    pub recipient: String,
    pub recipient_id: String,
    pub postal_no: String,
    pub confirmed: bool,
    pub open: bool,
    pub error: String,
    pub e_recipient: String,
    pub e_recipient_id: String,
    pub e_postal_no: String,
    pub e_confirmed: String,
}

/// The counter's messages in one language.
#[derive(Debug)]
pub struct CounterMsg {
    pub menu_counter: &'static str,
    pub menu_returns: &'static str,
    pub counter_title: &'static str,
    pub find_procedure: &'static str,
    pub find_hint: &'static str,
    pub find_button: &'static str,
    pub no_procedure: &'static str,
    pub choose: &'static str,
    pub competent: &'static str,
    pub channel: &'static str,
    pub time_limit: &'static str,
    pub fee: &'static str,
    pub papers: &'static str,
    pub papers_hint: &'static str,
    pub common_papers: &'static str,
    pub case: &'static str,
    pub case_auto: &'static str,
    pub mandatory: &'static str,
    pub conditional: &'static str,
    pub originals: &'static str,
    pub copies: &'static str,
    pub template: &'static str,
    pub applicant: &'static str,
    pub person: &'static str,
    pub organization: &'static str,
    pub name: &'static str,
    pub id_number: &'static str,
    pub id_hint: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub address: &'static str,
    pub commune: &'static str,
    pub commune_search: &'static str,
    pub subject: &'static str,
    pub subject_hint: &'static str,
    pub request: &'static str,
    pub return_method: &'static str,
    pub receive: &'static str,
    pub not_receivable: &'static str,
    pub supplement_items: &'static str,
    pub supplement_hint: &'static str,
    pub hand_supplement: &'static str,
    pub refuse_reasons: &'static str,
    pub refuse: &'static str,
    pub required: &'static str,
    pub fix_errors: &'static str,
    pub draft_found: &'static str,
    pub draft_restore: &'static str,
    // documents panel
    pub documents: &'static str,
    pub no_documents: &'static str,
    pub missing_files: &'static str,
    pub handover_blocked: &'static str,
    pub all_digitized: &'static str,
    pub item: &'static str,
    pub result: &'static str,
    pub copy_kind: &'static str,
    pub pages: &'static str,
    pub file: &'static str,
    pub digitized: &'static str,
    pub reused_from: &'static str,
    pub view: &'static str,
    pub upload: &'static str,
    pub upload_title: &'static str,
    pub has_file: &'static str,
    pub no_file: &'static str,
    pub attach_result: &'static str,
    pub result_missing: &'static str,
    pub vault: &'static str,
    pub vault_hint: &'static str,
    pub reuse: &'static str,
    pub for_item: &'static str,
    pub valid_until: &'static str,
    pub prints: &'static str,
    pub copy_copy: &'static str,
    pub copy_certified: &'static str,
    pub copy_original: &'static str,
    pub copy_electronic: &'static str,
    // returns
    pub returns_title: &'static str,
    pub no_returns: &'static str,
    pub wants: &'static str,
    pub return_counter: &'static str,
    pub return_post: &'static str,
    pub recipient: &'static str,
    pub recipient_id: &'static str,
    pub confirmed: &'static str,
    pub signature_pad: &'static str,
    pub signature_help: &'static str,
    pub signature_clear: &'static str,
    pub postal_no: &'static str,
    pub return_button: &'static str,
    pub col_code: &'static str,
    pub col_applicant: &'static str,
    pub col_procedure: &'static str,
    pub col_status: &'static str,
    pub col_appointment: &'static str,
}

impl CounterMsg {
    /// The messages of `lang`.
    pub fn of(lang: Lang) -> &'static CounterMsg {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

pub static VI: CounterMsg = CounterMsg {
    menu_counter: "Tiếp nhận hồ sơ",
    menu_returns: "Trả kết quả",
    counter_title: "Tiếp nhận hồ sơ",
    find_procedure: "Tìm thủ tục",
    find_hint: "Tên hoặc mã thủ tục — gõ có dấu hay không dấu đều được",
    find_button: "Tìm",
    no_procedure: "Không tìm thấy thủ tục nào.",
    choose: "Chọn",
    competent: "Cơ quan giải quyết",
    channel: "Kênh nộp",
    time_limit: "Thời hạn giải quyết",
    fee: "Phí, lệ phí",
    papers: "Thành phần hồ sơ",
    papers_hint: "Đánh dấu giấy tờ người nộp đã nộp.",
    common_papers: "Giấy tờ chung",
    case: "Trường hợp của người nộp",
    case_auto: "— Tự xác định theo giấy tờ đã nộp —",
    mandatory: "Bắt buộc",
    conditional: "Nếu có",
    originals: "Bản chính",
    copies: "Bản sao",
    template: "Mẫu",
    applicant: "Người nộp hồ sơ",
    person: "Cá nhân",
    organization: "Tổ chức, doanh nghiệp",
    name: "Họ và tên / Tên tổ chức",
    id_number: "Số CCCD / Mã số thuế",
    id_hint: "CCCD 12 chữ số (hoặc CMND 9 số); tổ chức: mã số thuế 10 hoặc 13 số",
    phone: "Số điện thoại",
    email: "Thư điện tử",
    address: "Địa chỉ",
    commune: "Xã/phường (địa chỉ)",
    commune_search: "Tìm xã/phường",
    subject: "Xã/phường nơi có đất, công trình",
    subject_hint: "Quyết định cơ quan có thẩm quyền với thủ tục cấp xã",
    request: "Nội dung yêu cầu",
    return_method: "Nhận kết quả",
    receive: "Tiếp nhận hồ sơ",
    not_receivable: "Hồ sơ chưa đủ điều kiện tiếp nhận",
    supplement_items: "Giấy tờ cần bổ sung, hoàn thiện",
    supplement_hint: "Mỗi dòng một giấy tờ; nêu đầy đủ trong một lần (Mẫu 02).",
    hand_supplement: "Lập phiếu yêu cầu bổ sung",
    refuse_reasons: "Lý do từ chối tiếp nhận",
    refuse: "Từ chối tiếp nhận (Mẫu 03)",
    required: "(bắt buộc)",
    fix_errors: "Hồ sơ chưa được tiếp nhận: vui lòng sửa các mục được đánh dấu.",
    draft_found: "Có hồ sơ đang nhập dở chưa được tiếp nhận (ví dụ do phiên đăng nhập hết hạn).",
    draft_restore: "Khôi phục thông tin đã nhập",
    documents: "Tài liệu điện tử (số hóa)",
    no_documents: "Chưa có tài liệu nào được số hóa.",
    missing_files: "Giấy tờ đã nộp chưa có bản số hóa",
    handover_blocked: "Hồ sơ chỉ được phân công hoặc chuyển xử lý khi mọi giấy tờ đã nộp đều đã được số hóa (Nghị định 45/2020/NĐ-CP).",
    all_digitized: "Mọi giấy tờ đã nộp đều đã được số hóa.",
    item: "Giấy tờ",
    result: "Kết quả giải quyết",
    copy_kind: "Loại bản",
    pages: "Số trang",
    file: "Tệp",
    digitized: "Số hóa bởi",
    reused_from: "Tái sử dụng từ hồ sơ",
    view: "Xem",
    upload: "Tải lên",
    upload_title: "Quét, tải lên giấy tờ",
    has_file: "Đã có bản số hóa",
    no_file: "Chưa số hóa",
    attach_result: "Đính kèm kết quả đã ký",
    result_missing: "Kết quả đã được phê duyệt nhưng chưa được số hóa: đính kèm bản đã ký trước khi chuyển trả kết quả.",
    vault: "Kho dữ liệu của người nộp",
    vault_hint: "Giấy tờ còn hiệu lực đã số hóa ở hồ sơ khác: dùng lại thay vì quét lại.",
    reuse: "Dùng lại",
    for_item: "Cho giấy tờ",
    valid_until: "Hiệu lực đến",
    prints: "Biểu mẫu in",
    copy_copy: "Bản sao",
    copy_certified: "Bản sao chứng thực",
    copy_original: "Bản chính",
    copy_electronic: "Bản điện tử",
    returns_title: "Trả kết quả",
    no_returns: "Không có hồ sơ nào chờ trả kết quả tại điểm của bạn.",
    wants: "Đăng ký nhận",
    return_counter: "Trả tại quầy",
    return_post: "Chuyển bưu điện",
    recipient: "Họ tên người nhận",
    recipient_id: "Số CCCD người nhận",
    confirmed: "Người nhận đã ký nhận trên giấy",
    signature_pad: "Chữ ký của người nhận",
    signature_help: "Người nhận ký vào khung trên; nếu ký trên giấy, đánh dấu ô dưới đây.",
    signature_clear: "Ký lại",
    postal_no: "Số hiệu bưu gửi",
    return_button: "Trả kết quả",
    col_code: "Mã hồ sơ",
    col_applicant: "Người nộp",
    col_procedure: "Thủ tục",
    col_status: "Trạng thái",
    col_appointment: "Hẹn trả",
};

pub static EN: CounterMsg = CounterMsg {
    menu_counter: "Receive dossiers",
    menu_returns: "Return results",
    counter_title: "Receive a dossier",
    find_procedure: "Find a procedure",
    find_hint: "Name or code of the procedure — with or without diacritics",
    find_button: "Find",
    no_procedure: "No procedure found.",
    choose: "Choose",
    competent: "Competent agency",
    channel: "Channel",
    time_limit: "Time limit",
    fee: "Fees",
    papers: "Required papers",
    papers_hint: "Tick the papers the applicant handed in.",
    common_papers: "Common papers",
    case: "The applicant's case",
    case_auto: "— From the papers handed in —",
    mandatory: "Mandatory",
    conditional: "If any",
    originals: "Originals",
    copies: "Copies",
    template: "Form",
    applicant: "Applicant",
    person: "Person",
    organization: "Organization",
    name: "Full name / organization",
    id_number: "Citizen ID / tax code",
    id_hint: "12-digit citizen ID (or 9-digit old ID); organizations: 10- or 13-digit tax code",
    phone: "Phone",
    email: "Email",
    address: "Address",
    commune: "Commune/ward (address)",
    commune_search: "Find a commune/ward",
    subject: "Commune/ward of the land or works",
    subject_hint: "Decides the competent agency for commune-level procedures",
    request: "Request",
    return_method: "Result returned",
    receive: "Receive the dossier",
    not_receivable: "The dossier cannot be received",
    supplement_items: "Papers to supplement",
    supplement_hint: "One paper per line; list them all at once (Form 02).",
    hand_supplement: "Hand a supplement list",
    refuse_reasons: "Reasons for refusing",
    refuse: "Refuse to receive (Form 03)",
    required: "(required)",
    fix_errors: "The dossier was not received: please correct the marked fields.",
    draft_found: "A dossier being entered was not received (for instance, the session expired).",
    draft_restore: "Bring back what was typed",
    documents: "Digitized documents",
    no_documents: "No document digitized yet.",
    missing_files: "Papers handed in without a digitized copy",
    handover_blocked: "The dossier can be assigned or forwarded only once every paper handed in is digitized (Decree 45/2020).",
    all_digitized: "Every paper handed in is digitized.",
    item: "Paper",
    result: "Result",
    copy_kind: "Copy kind",
    pages: "Pages",
    file: "File",
    digitized: "Digitized by",
    reused_from: "Reused from dossier",
    view: "View",
    upload: "Upload",
    upload_title: "Scan or upload papers",
    has_file: "Digitized",
    no_file: "Not digitized",
    attach_result: "Attach the signed result",
    result_missing: "The result is approved but not digitized: attach the signed copy before handing it to the counter.",
    vault: "The applicant's data store",
    vault_hint: "Valid papers digitized in other dossiers: reuse them instead of scanning again.",
    reuse: "Reuse",
    for_item: "For paper",
    valid_until: "Valid until",
    prints: "Printable forms",
    copy_copy: "Copy",
    copy_certified: "Certified copy",
    copy_original: "Original",
    copy_electronic: "Electronic",
    returns_title: "Return results",
    no_returns: "No result waits at your point.",
    wants: "Wants the result",
    return_counter: "At the counter",
    return_post: "Through the post office",
    recipient: "Recipient's name",
    recipient_id: "Recipient's citizen ID",
    confirmed: "The recipient signed for the result on paper",
    signature_pad: "Recipient's signature",
    signature_help: "The recipient signs in the box above; if they sign on paper, tick the box below.",
    signature_clear: "Clear",
    postal_no: "Postal item number",
    return_button: "Return the result",
    col_code: "Dossier code",
    col_applicant: "Applicant",
    col_procedure: "Procedure",
    col_status: "Status",
    col_appointment: "Appointment",
};
