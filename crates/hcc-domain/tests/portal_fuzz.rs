//! The portal importer never panics, whatever text the flattened tables hold: other procedures
//! than the 199 we ship will come, and a crash would lose the whole import.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use hcc_domain::catalog::import::parse_catalog_file;
use hcc_domain::catalog::portal::parse_portal_json;
use proptest::prelude::*;

/// Fragments the real tables are made of, so that random text hits the parser's real paths.
const PIECES: &[&str] = &[
    "Hình thức nộpThời gianPhí, lệ phíMô tả",
    "Trực tiếp",
    "Trực tuyến",
    "Dịch vụ bưu chính",
    "17 Ngày làm việc",
    "0,5 Ngày làm việc",
    "30 Ngày",
    "3 Tháng",
    "8 Giờ",
    "1",
    "Miễn phí",
    "Lệ phí : 100.000 Đồng",
    "Không có thông tin",
    "(Theo quy định)",
    "Thành phần hồ sơTên giấy tờMẫu đơn, tờ khaiSố lượng",
    "--",
    "1 bản chính,1 bản sao",
    "0 bản chính,0 bản sao",
    "Mẫu số 04/ĐK.docx",
    "Trường hợp ",
    "(nếu có)",
    "Mã: KQ.G10.001148",
    "Từ khóa",
    "Tên văn bản pháp lýMã văn bản",
    "31/2024/QH15",
    "118/2025/NĐ-C",
    "ngày 29/6/2024",
    "Đ",
    "ữ",
    "\u{0301}",
    "\n",
    " ",
];

fn table() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![prop::sample::select(PIECES).prop_map(str::to_owned), ".{0,12}"], 0..30)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_on_any_table_text(channels in table(), documents in table(), results in table(), legal in table(), level in table()) {
        let json = serde_json::json!({
            "ma_thu_tuc": "1.999999",
            "ten_thu_tuc": "Thủ tục thử",
            "linh_vuc": "Đất đai",
            "cap_thuc_hien": level,
            "cach_thuc_thuc_hien": channels,
            "thanh_phan_ho_so": documents,
            "ket_qua_xu_ly": results,
            "can_cu_phap_ly": legal,
            "trinh_tu_thuc_hien": "Bước 1",
        });
        let text = json.to_string();
        let _ = parse_portal_json(&text);
        let _ = parse_catalog_file("x.json", text.as_bytes());
    }

    #[test]
    fn never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_catalog_file("x.json", &bytes);
    }
}
