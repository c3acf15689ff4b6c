//! What can go wrong with a document: each error has a stable snake_case code for programs and a
//! Vietnamese message for people. Internal details (paths, store errors) never reach the message.

use crate::media::MediaType;

/// An error of the document store. `Display` is the message shown to people; [`FileError::code`]
/// is the stable code for the API envelope; [`FileError::detail`] is for logs only.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The upload had no bytes.
    #[error("Tệp rỗng (0 byte), vui lòng chọn lại tệp")]
    Empty,
    /// The upload went past the allowed size; it was stopped there.
    #[error("Tệp vượt quá dung lượng cho phép (tối đa {})", human_size(*max))]
    TooLarge { max: u64 },
    /// The content is not one of the accepted kinds (judged from the bytes, never the name).
    #[error("Loại tệp không được chấp nhận; chỉ nhận PDF, ảnh (JPEG, PNG, TIFF) và văn bản Office/OpenDocument")]
    UnsupportedType,
    /// The name's extension does not fit the content (e.g. "a.pdf" holding a JPEG).
    #[error("Phần mở rộng của tên tệp (.{extension}) không khớp với nội dung tệp ({})", media.label_vi())]
    NameMismatch { extension: String, media: MediaType },
    /// The file name is empty, "..", too long or holds control characters.
    #[error("Tên tệp không hợp lệ (không được để trống, chứa ký tự điều khiển, \"..\" hoặc dài quá 255 byte)")]
    BadName,
    /// The body stream broke off before its end; nothing was kept.
    #[error("Việc tải tệp lên bị gián đoạn, vui lòng thử lại")]
    Truncated,
    /// No blob with that address.
    #[error("Không tìm thấy tệp trong kho lưu trữ")]
    NotFound,
    /// The stored bytes no longer match their hash or size.
    #[error("Tệp trong kho lưu trữ đã bị thay đổi hoặc hư hỏng (mã băm không khớp)")]
    Altered,
    /// A byte range outside the object.
    #[error("Khoảng dữ liệu yêu cầu nằm ngoài tệp")]
    InvalidRange,
    /// A scan page could not be read as an image.
    #[error("Không đọc được ảnh quét trang {page}")]
    BadImage { page: usize, reason: String },
    /// The storage setting (HCC_STORAGE) cannot be used.
    #[error("Cấu hình kho lưu trữ tệp không hợp lệ")]
    Config(String),
    /// The storage backend failed or did not answer.
    #[error("Kho lưu trữ tệp tạm thời không truy cập được, vui lòng thử lại sau")]
    Storage(String),
}

impl FileError {
    /// The stable code for the API's error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Empty => "file_empty",
            FileError::TooLarge { .. } => "file_too_large",
            FileError::UnsupportedType => "file_type_not_allowed",
            FileError::NameMismatch { .. } => "file_name_mismatch",
            FileError::BadName => "file_name_invalid",
            FileError::Truncated => "upload_truncated",
            FileError::NotFound => "file_not_found",
            FileError::Altered => "file_altered",
            FileError::InvalidRange => "file_range_invalid",
            FileError::BadImage { .. } => "scan_image_invalid",
            FileError::Config(_) => "storage_config_invalid",
            FileError::Storage(_) => "storage_unavailable",
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, FileError::Truncated | FileError::Storage(_))
    }

    /// Internal detail for logs (never for people): the backend's own error text.
    pub fn detail(&self) -> Option<&str> {
        match self {
            FileError::Storage(s) | FileError::Config(s) | FileError::BadImage { reason: s, .. } => Some(s),
            _ => None,
        }
    }
}

impl From<object_store::Error> for FileError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => FileError::NotFound,
            other => FileError::Storage(other.to_string()),
        }
    }
}

/// Sizes as people read them: "200 MB", "1,5 MB", "512 KB" (1 MB = 1024 × 1024 bytes).
pub(crate) fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    const GB: u64 = 1024 * MB;
    let (unit, name) = match bytes {
        b if b >= GB => (GB, "GB"),
        b if b >= MB => (MB, "MB"),
        b if b >= KB => (KB, "KB"),
        _ => return format!("{bytes} byte"),
    };
    let tenths = (bytes * 10 + unit / 2) / unit;
    if tenths.is_multiple_of(10) {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{},{} {name}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_codes() {
        let e = FileError::TooLarge { max: 200 * 1024 * 1024 };
        assert_eq!(e.to_string(), "Tệp vượt quá dung lượng cho phép (tối đa 200 MB)");
        assert_eq!(e.code(), "file_too_large");
        assert!(!e.is_retryable());
        assert!(FileError::Storage("x".into()).is_retryable());
        assert!(!FileError::Storage("secret path".into()).to_string().contains("secret"));
        assert_eq!(human_size(1536 * 1024), "1,5 MB");
        assert_eq!(human_size(512), "512 byte");
        let m = FileError::NameMismatch { extension: "pdf".into(), media: MediaType::Jpeg };
        assert_eq!(m.code(), "file_name_mismatch");
        assert!(m.to_string().contains(".pdf"), "{m}");
    }
}
