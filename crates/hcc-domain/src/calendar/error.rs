//! Why a working calendar could not be built.

/// Why office hours or a holiday list were refused. Messages are Vietnamese: they reach the
/// administrator who edits the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("giờ hành chính phải có ít nhất một buổi làm việc")]
    NoSessions,
    #[error("buổi làm việc {start}–{end} không hợp lệ: giờ bắt đầu phải trước giờ kết thúc")]
    EmptySession { start: String, end: String },
    #[error("các buổi làm việc phải theo thứ tự và không chồng lên nhau: {first} và {second}")]
    OverlappingSessions { first: String, second: String },
    #[error("giờ của buổi làm việc phải là phút tròn: {0}")]
    SessionNotWholeMinute(String),
    #[error("danh sách {list}: dòng tiêu đề phải là \"date,name_vi,name_en\", nhận được {found:?}")]
    CsvHeader { list: &'static str, found: String },
    #[error("danh sách {list}, dòng {line}: thiếu cột (cần ngày và tên)")]
    CsvFields { list: &'static str, line: usize },
    #[error("danh sách {list}, dòng {line}: ngày không hợp lệ {value:?} (định dạng YYYY-MM-DD)")]
    CsvDate { list: &'static str, line: usize, value: String },
    #[error("danh sách {list}, dòng {line}: dấu ngoặc kép không được đóng")]
    CsvQuote { list: &'static str, line: usize },
    #[error("ngày {date} vừa là ngày nghỉ lễ vừa là ngày làm việc bù")]
    Conflict { date: String },
}
