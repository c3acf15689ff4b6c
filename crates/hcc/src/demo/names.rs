//! Vietnamese names for demo applicants.

pub const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Tạ", "Lương", "Chu", "Kiều",
];
pub const MIDDLE_MALE: &[&str] = &["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Ngọc", "Tiến"];
pub const MIDDLE_FEMALE: &[&str] = &["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Bích", "Diệu"];
pub const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu", "Trung", "Toàn", "Đạt", "Khoa", "Lâm",
];
pub const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân", "Nhung", "Oanh",
    "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến", "Huyền", "Thư", "Ánh", "Hằng",
];
pub const COMPANY_KIND: &[&str] = &["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Hợp tác xã"];
pub const COMPANY_NAME: &[&str] = &[
    "Xây dựng Thăng Long",
    "Đầu tư Hồng Hà",
    "Bất động sản Tây Hồ",
    "Phát triển Đô thị Sông Đà",
    "Thương mại Hoàn Kiếm",
    "Kiến trúc Việt",
    "Nông nghiệp Sóc Sơn",
    "Công nghệ Cầu Giấy",
    "Địa ốc Long Biên",
    "Vận tải Gia Lâm",
];
pub const STREETS: &[&str] = &[
    "Phố Huế",
    "Tràng Thi",
    "Kim Mã",
    "Láng Hạ",
    "Nguyễn Trãi",
    "Giải Phóng",
    "Xuân Thủy",
    "Trần Duy Hưng",
    "Lạc Long Quân",
    "Nguyễn Văn Cừ",
    "Minh Khai",
    "Đội Cấn",
    "Hoàng Quốc Việt",
    "Tây Sơn",
    "Bạch Mai",
];
