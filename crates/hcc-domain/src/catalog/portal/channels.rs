//! Cách thức thực hiện: the table of channels, flattened.
//!
//! The text is a header "Hình thức nộpThời gianPhí, lệ phíMô tả" followed by rows
//! `<channel><time><fee>(<fee note>)<description>` with nothing between cells or rows:
//!
//! ```text
//! Trực tuyến17 Ngày làm việcMiễn phí(Theo quy định …)Dịch vụ bưu chính30 Ngày làm việcMiễn phí(…)
//! ```
//!
//! A row starts at a channel label ("Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính") *immediately*
//! followed by a time cell — a number (with or without unit) or "Không có thông tin". Descriptions
//! mention channels too ("- Trực tuyến (áp dụng trong trường hợp …)", "Qua dịch vụ bưu chính công
//! ích"), but never glued to a number, so they do not start rows.
//!
//! Choices for ambiguous rows:
//! - A channel listed in several rows (one procedure lists each channel twice, for two sub-cases):
//!   the first row is kept — it is the portal's primary row — and every further row is reported
//!   with its full text, so nothing is lost and an administrator can split the procedure.
//! - A time cell with a number but no unit ("Trực tuyến1Miễn phí" — mostly a bare "1" that looks
//!   like a placeholder): if the row's description states a limit with that same number ("03 ngày
//!   làm việc…" for "3"), its unit is taken; if it states a different number, the row gets no limit
//!   (conflict). Without a limit in the description, the procedure's steps text (trình tự thực
//!   hiện) is consulted: a single step that takes longer than the whole limit proves the number
//!   wrong (no limit, conflict); a step limit with the same number gives the unit. Otherwise
//!   working days are assumed. Every case is reported.
//! - Zero or unreadable limits, and "Không có thông tin", give no limit and a problem.
//! - The fee cell is its amount ("Miễn phí", "300,000 VNĐ", "Lệ phí : 100.000 Đồng",
//!   "Không có thông tin") plus the parenthesised note the portal prints after it; both are kept in
//!   [`ChannelOffer::fee`]. `fee_vnd` is 0 for "Miễn phí", the amount when exactly one amount is
//!   named, `None` otherwise.

use super::{ImportProblem, ProblemKind, is_absent, quote};
use crate::catalog::{Channel, ChannelOffer};
use crate::time_limit::{TimeLimit, TimeUnit, parse_tenths};
use regex::Regex;
use std::sync::LazyLock;

const FIELD: &str = "cach_thuc_thuc_hien";
const HEADER: &str = "Hình thức nộpThời gianPhí, lệ phíMô tả";

static ROW_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(trực tiếp|trực tuyến|dịch vụ bưu chính)(\d+(?:[.,]\d+)?|không có thông tin)")
        .expect("valid row regex")
});
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(ngày làm việc|giờ làm việc|ngày|giờ|tháng)").expect("valid unit regex"));
static MENTIONED_LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+(?:[.,]\d)?)\s*(ngày làm việc|giờ làm việc|ngày|giờ|tháng)").expect("valid limit regex")
});
static FEE_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:lệ phí|phí)\s*:?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:vnđ|vnd|việt nam đồng|đồng)")
        .expect("valid fee regex")
});
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(vnđ|vnd|việt nam đồng|đồng)").expect("valid money regex")
});
static FREE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^miễn phí").expect("valid free regex"));
static NO_INFO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^không có thông tin").expect("valid no-info regex"));

/// Reads `cach_thuc_thuc_hien` into channel offers (in published order, one per channel).
/// `steps_text` (trình tự thực hiện) is only consulted for time cells without a unit.
pub fn parse_channels(text: &str, steps_text: &str) -> (Vec<ChannelOffer>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let trimmed = text.trim();
    let body = trimmed.strip_prefix(HEADER).unwrap_or(trimmed);

    let starts: Vec<_> = ROW_START.captures_iter(body).collect();
    let Some(first) = starts.first() else {
        let message = if is_absent(body) {
            "không có bảng cách thức thực hiện: không có kênh nộp hồ sơ nào".to_owned()
        } else {
            format!(
                "không tìm thấy dòng kênh nào (Trực tiếp / Trực tuyến / Dịch vụ bưu chính + thời hạn) trong {}",
                quote(body)
            )
        };
        problems.push(ImportProblem::new(FIELD, ProblemKind::NoChannels, message));
        return (Vec::new(), problems);
    };
    let lead = body[..first.get(0).map_or(0, |m| m.start())].trim();
    if !lead.is_empty() {
        problems.push(ImportProblem::new(
            FIELD,
            ProblemKind::UnreadText,
            format!("văn bản trước dòng kênh đầu tiên không thuộc dòng nào: {}", quote(lead)),
        ));
    }

    let mut offers: Vec<ChannelOffer> = Vec::new();
    for (i, caps) in starts.iter().enumerate() {
        let (Some(whole), Some(label), Some(time)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let row_end = starts.get(i + 1).and_then(|c| c.get(0)).map_or(body.len(), |m| m.start());
        let row_text = &body[whole.start()..row_end];
        let kind = channel_of(label.as_str());
        let label = kind.label_vi();

        // The time cell: "Không có thông tin", or a number and maybe its unit.
        let mut cell_end = time.end();
        let time_cell = if time.as_str().chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let unit = UNIT.captures(&body[time.end()..row_end]).and_then(|u| u.get(1).map(|g| (u, g)));
            let unit = unit.map(|(all, g)| {
                cell_end = time.end() + all.get(0).map_or(0, |m| m.end());
                unit_of(g.as_str())
            });
            TimeCell::Number { raw: time.as_str().to_owned(), unit }
        } else {
            TimeCell::NoInfo
        };

        let mut row_problems = Vec::new();
        let fee = read_fee_cell(&body[cell_end..row_end], label, &mut row_problems);
        let time_limit = read_time_limit(&time_cell, &fee.description, steps_text, label, &mut row_problems);
        let offer = ChannelOffer { kind, time_limit, fee: fee.fee, fee_vnd: fee.fee_vnd, description: fee.description };

        if let Some(kept) = offers.iter().find(|o| o.kind == kind) {
            let kept_limit = kept.time_limit.map_or_else(|| "không có thời hạn".to_owned(), describe_limit);
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::DuplicateChannelRow,
                format!("kênh {label} có nhiều dòng; giữ dòng đầu ({kept_limit}), bỏ qua dòng {}", quote(row_text)),
            ));
        } else {
            problems.extend(row_problems);
            offers.push(offer);
        }
    }
    (offers, problems)
}

enum TimeCell {
    NoInfo,
    Number { raw: String, unit: Option<TimeUnit> },
}

fn channel_of(label: &str) -> Channel {
    match label.to_lowercase().as_str() {
        "trực tuyến" => Channel::Online,
        "dịch vụ bưu chính" => Channel::Post,
        _ => Channel::Counter,
    }
}

fn unit_of(word: &str) -> TimeUnit {
    match word.to_lowercase().as_str() {
        "ngày làm việc" => TimeUnit::WorkingDays,
        "ngày" => TimeUnit::Days,
        "tháng" => TimeUnit::Months,
        _ => TimeUnit::WorkingHours,
    }
}

/// "17 ngày làm việc".
fn describe_limit(limit: TimeLimit) -> String {
    let value = if limit.tenths.is_multiple_of(10) {
        (limit.tenths / 10).to_string()
    } else {
        format!("{},{}", limit.tenths / 10, limit.tenths % 10)
    };
    format!("{value} {}", limit.unit.label_vi())
}

fn read_time_limit(
    cell: &TimeCell,
    description: &str,
    steps_text: &str,
    label: &str,
    problems: &mut Vec<ImportProblem>,
) -> Option<TimeLimit> {
    let mut report = |kind, message: String| {
        problems.push(ImportProblem::new(FIELD, kind, format!("{label}: {message}")));
    };
    let (raw, unit) = match cell {
        TimeCell::NoInfo => {
            report(ProblemKind::TimeLimitMissing, "thời hạn «Không có thông tin»; kênh chưa có thời hạn".into());
            return None;
        }
        TimeCell::Number { raw, unit } => (raw, *unit),
    };
    let Some(tenths) = parse_tenths(raw) else {
        report(ProblemKind::TimeLimitUnreadable, format!("không đọc được thời hạn «{raw}»"));
        return None;
    };
    if tenths == 0 {
        report(ProblemKind::TimeLimitUnreadable, format!("thời hạn «{raw}» bằng 0; kênh chưa có thời hạn"));
        return None;
    }
    let limit = match unit {
        Some(unit) => TimeLimit { tenths, unit },
        None => {
            let in_description = mentioned_limits(description);
            let in_steps = mentioned_limits(steps_text);
            if let Some((_, unit, text)) = in_description.iter().find(|(v, _, _)| *v == tenths) {
                let limit = TimeLimit { tenths, unit: *unit };
                report(
                    ProblemKind::TimeLimitUnitInferred,
                    format!(
                        "thời hạn «{raw}» không có đơn vị; lấy đơn vị theo mô tả «{text}»: {}",
                        describe_limit(limit)
                    ),
                );
                limit
            } else if let Some((_, _, text)) = in_description.first() {
                report(
                    ProblemKind::TimeLimitConflict,
                    format!(
                        "thời hạn «{raw}» không có đơn vị và khác thời hạn nêu trong mô tả «{text}»; kênh chưa có thời hạn"
                    ),
                );
                return None;
            } else if let Some((_, _, text)) = in_steps.iter().find(|(v, _, _)| *v > tenths) {
                report(
                    ProblemKind::TimeLimitConflict,
                    format!(
                        "thời hạn «{raw}» không có đơn vị và ngắn hơn thời hạn một bước trong trình tự thực hiện «{text}»; kênh chưa có thời hạn"
                    ),
                );
                return None;
            } else if let Some((_, unit, text)) = in_steps.iter().find(|(v, _, _)| *v == tenths) {
                let limit = TimeLimit { tenths, unit: *unit };
                report(
                    ProblemKind::TimeLimitUnitInferred,
                    format!(
                        "thời hạn «{raw}» không có đơn vị; lấy đơn vị theo trình tự thực hiện «{text}»: {}",
                        describe_limit(limit)
                    ),
                );
                limit
            } else {
                let limit = TimeLimit { tenths, unit: TimeUnit::WorkingDays };
                report(
                    ProblemKind::TimeLimitUnitAssumed,
                    format!(
                        "thời hạn «{raw}» không có đơn vị, mô tả và trình tự thực hiện không nêu thời hạn này; tạm hiểu là {} — cần kiểm tra",
                        describe_limit(limit)
                    ),
                );
                limit
            }
        }
    };
    if tenths % 10 != 0 && limit.unit != TimeUnit::WorkingDays {
        report(
            ProblemKind::TimeLimitUnreadable,
            format!("thời hạn lẻ «{raw}» chỉ dùng được với ngày làm việc; kênh chưa có thời hạn"),
        );
        return None;
    }
    Some(limit)
}

/// Limits a text states ("03 ngày làm việc"), as (tenths, unit, text). A time of day is not a
/// limit: "nếu tiếp nhận hồ sơ sau 15 giờ thì …" (birth registration) names 15:00, and read as
/// 15 hours it made the channel's bare "1" look shorter than one of its steps.
fn mentioned_limits(text: &str) -> Vec<(u32, TimeUnit, &str)> {
    MENTIONED_LIMIT
        .captures_iter(text)
        .filter(|c| !c.get(0).is_some_and(|m| is_time_of_day(text, m.start(), m.as_str())))
        .filter_map(|c| {
            let value = parse_tenths(c.get(1)?.as_str())?;
            Some((value, unit_of(c.get(2)?.as_str()), c.get(0)?.as_str()))
        })
        .collect()
}

/// Whether the "N giờ" at `start` of `text` is a time of day: plain hours (not "giờ làm việc"),
/// at most 24, after a word that places a moment ("sau 15 giờ", "trước 16 giờ", "lúc 8 giờ",
/// "từ 7 giờ 30 đến 17 giờ").
fn is_time_of_day(text: &str, start: usize, mention: &str) -> bool {
    let folded = crate::text::fold(mention);
    let Some(hours) = folded.strip_suffix(" gio").or_else(|| folded.strip_suffix("gio")) else { return false };
    if hours.trim().parse::<u32>().map_or(true, |h| h > 24) {
        return false;
    }
    let before = crate::text::fold(text.get(..start).unwrap_or_default());
    let previous = before.split_whitespace().next_back().unwrap_or_default();
    matches!(previous, "sau" | "truoc" | "luc" | "tu" | "den" | "toi")
}

struct FeeCell {
    fee: String,
    fee_vnd: Option<u64>,
    description: String,
}

/// Splits what follows the time cell into fee (amount and its parenthesised note) and description.
fn read_fee_cell(rest: &str, label: &str, problems: &mut Vec<ImportProblem>) -> FeeCell {
    let rest = rest.trim_start();
    let mut report = |kind, message: String| {
        problems.push(ImportProblem::new(FIELD, kind, format!("{label}: {message}")));
    };
    let amount_len = if let Some(m) = FREE.find(rest) {
        m.end()
    } else if let Some(m) = NO_INFO.find(rest) {
        m.end()
    } else if let Some(m) = FEE_AMOUNT.find(rest) {
        m.end()
    } else {
        report(ProblemKind::FeeUnreadable, format!("không đọc được phí, lệ phí trong {}", quote(rest)));
        return FeeCell { fee: rest.trim().to_owned(), fee_vnd: None, description: String::new() };
    };
    let amount = &rest[..amount_len];
    let mut after = &rest[amount_len..];

    // The portal prints the fee's note in parentheses right after the amount.
    let mut note = "";
    if after.starts_with('(') {
        let end = closing_paren(after);
        if end.is_none() {
            report(ProblemKind::UnreadText, format!("ghi chú phí thiếu dấu đóng ngoặc: {}", quote(after)));
        }
        let mut end = end.unwrap_or(after.len());
        let stray = after[end..].chars().take_while(|&c| c == ')').count();
        if stray > 0 {
            report(ProblemKind::UnreadText, format!("ghi chú phí thừa dấu «)»: {}", quote(&after[..end + stray])));
            end += stray;
        }
        note = &after[..end];
        after = &after[end..];
    }
    let fee = if note.is_empty() { amount.trim().to_owned() } else { format!("{} {}", amount.trim(), note.trim()) };
    let fee_vnd = if NO_INFO.is_match(amount) {
        report(ProblemKind::FeeUnknown, "phí, lệ phí «Không có thông tin»".into());
        None
    } else {
        let vnd = parse_fee(&fee);
        match vnd {
            None => report(ProblemKind::FeeUnreadable, format!("phí nêu nhiều mức khác nhau: {}", quote(&fee))),
            Some(v) if (1..1000).contains(&v) => report(
                ProblemKind::FeeSuspicious,
                format!("mức phí {} đồng thấp bất thường (có thể là nghìn đồng); giữ như công bố", v),
            ),
            Some(_) => {}
        }
        vnd
    };
    FeeCell { fee, fee_vnd, description: after.trim().to_owned() }
}

/// The fee in đồng when `fee` states exactly one amount: 0 for "Miễn phí" (unless an amount is also
/// named), the amount when all amounts named agree, `None` otherwise.
///
/// ```
/// use hcc_domain::catalog::portal::parse_fee;
/// assert_eq!(parse_fee("Miễn phí"), Some(0));
/// assert_eq!(parse_fee("Lệ phí : 100.000 Đồng"), Some(100_000));
/// assert_eq!(parse_fee("300,000 VNĐ (Phí thực hiện là 300.000 đồng/chứng chỉ)"), Some(300_000));
/// assert_eq!(parse_fee("Lệ phí 100.000 đồng, phí 50.000 đồng"), None);
/// assert_eq!(parse_fee("Không có thông tin"), None);
/// // A year followed by "đồng thời" (at the same time) is not an amount.
/// assert_eq!(parse_fee("Miễn phí (đến hết năm 2026 đồng thời giảm lệ phí)"), Some(0));
/// ```
pub fn parse_fee(fee: &str) -> Option<u64> {
    let mut amounts: Vec<u64> = MONEY
        .captures_iter(fee)
        .filter_map(|c| {
            let (number, currency, whole) = (c.get(1)?.as_str(), c.get(2)?, c.get(0)?);
            // "2025 đồng thời …" is a year followed by a word, not an amount: a bare "đồng" counts
            // only with thousands separators or when no word follows it.
            let bare_dong = currency.as_str().chars().count() == 4;
            let word_follows = fee[whole.end()..].starts_with(|c: char| c.is_whitespace())
                && fee[whole.end()..].trim_start().starts_with(char::is_lowercase);
            if bare_dong && word_follows && !number.contains(['.', ',']) {
                return None;
            }
            number.replace(['.', ','], "").parse().ok()
        })
        .collect();
    amounts.sort_unstable();
    amounts.dedup();
    match amounts.as_slice() {
        [] if FREE.is_match(fee.trim_start()) => Some(0),
        [one] => Some(*one),
        _ => None,
    }
}

/// Byte index just after the parenthesis closing the one `s` starts with.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(problems: &[ImportProblem]) -> Vec<ProblemKind> {
        problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn reads_three_rows() {
        let text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến17 Ngày làm việcMiễn phí(Theo luật)Dịch vụ bưu chính30 Ngày làm việcMiễn phí(Theo luật)Trực tiếp20 Ngày làm việcMiễn phí(Theo luật)";
        let (offers, problems) = parse_channels(text, "");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(offers.len(), 3);
        assert_eq!(offers[0].kind, Channel::Online);
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(17, TimeUnit::WorkingDays)));
        assert_eq!(offers[0].fee, "Miễn phí (Theo luật)");
        assert_eq!(offers[0].fee_vnd, Some(0));
        assert_eq!(offers[1].kind, Channel::Post);
        assert_eq!(offers[2].kind, Channel::Counter);
        assert_eq!(offers[2].time_limit, Some(TimeLimit::new(20, TimeUnit::WorkingDays)));
    }

    #[test]
    fn channel_words_inside_descriptions_do_not_split_rows() {
        let text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15 NgàyMiễn phí- Trực tuyến: 10 ngày; Trực tiếp 15 ngày; qua Dịch vụ bưu chính công íchTrực tuyến10 NgàyMiễn phí";
        let (offers, problems) = parse_channels(text, "");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(offers.len(), 2);
        assert_eq!(offers[0].description, "- Trực tuyến: 10 ngày; Trực tiếp 15 ngày; qua Dịch vụ bưu chính công ích");
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(15, TimeUnit::Days)));
        assert_eq!(offers[1].time_limit, Some(TimeLimit::new(10, TimeUnit::Days)));
    }

    #[test]
    fn half_days_hours_and_months() {
        let (offers, problems) = parse_channels(
            "Trực tiếp0,5 Ngày làm việcMiễn phíTrực tuyến4 GiờMiễn phíDịch vụ bưu chính2 ThángMiễn phí",
            "",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(offers[0].time_limit, Some(TimeLimit { tenths: 5, unit: TimeUnit::WorkingDays }));
        assert_eq!(offers[1].time_limit, Some(TimeLimit::new(4, TimeUnit::WorkingHours)));
        assert_eq!(offers[2].time_limit, Some(TimeLimit::new(2, TimeUnit::Months)));
    }

    #[test]
    fn bare_numbers() {
        // Unit stated in the description with the same number.
        let (offers, problems) = parse_channels("Trực tiếp3Miễn phí03 ngày làm việc kể từ ngày nhận hồ sơ", "");
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(3, TimeUnit::WorkingDays)));
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitUnitInferred]);
        // Description states another number: no limit.
        let (offers, problems) =
            parse_channels("Trực tiếp1Miễn phí(Không có)03 ngày làm việc kể từ ngày nhận hồ sơ", "");
        assert_eq!(offers[0].time_limit, None);
        assert_eq!(offers[0].description, "03 ngày làm việc kể từ ngày nhận hồ sơ");
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitConflict]);
        // Nothing said: working days assumed and reported.
        let (offers, problems) = parse_channels("Trực tuyến17Miễn phí(Không có)", "");
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(17, TimeUnit::WorkingDays)));
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitUnitAssumed]);
        // The steps text: a step longer than the whole limit, or a step limit giving the unit.
        let steps = "Bước 2: Trong thời hạn 05 ngày làm việc…";
        let (offers, problems) = parse_channels("Trực tiếp1Miễn phí", steps);
        assert_eq!(offers[0].time_limit, None);
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitConflict]);
        // A time of day in the steps is not a step's limit (birth registration: same day, or the
        // next working day when received after 15:00).
        let steps = "nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo; từ 7 giờ 30";
        let (offers, problems) = parse_channels("Trực tuyến1Miễn phíTrực tiếp1Miễn phí", steps);
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(1, TimeUnit::WorkingDays)));
        assert_eq!(offers[1].time_limit, Some(TimeLimit::new(1, TimeUnit::WorkingDays)));
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitUnitAssumed, ProblemKind::TimeLimitUnitAssumed]);
        let steps = "Bước 3: trong thời hạn 15 giờ kể từ khi nhận đủ hồ sơ";
        let (offers, _) = parse_channels("Trực tiếp1Miễn phí", steps);
        assert_eq!(offers[0].time_limit, None, "a duration in hours still counts");
        let steps = "Bước 2: Trong thời hạn 02 ngày làm việc… Bước 4: Trong thời hạn 17 ngày làm việc";
        let (offers, problems) = parse_channels("Trực tiếp17Miễn phí", steps);
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(17, TimeUnit::WorkingDays)));
        assert_eq!(kinds(&problems), vec![ProblemKind::TimeLimitUnitInferred]);
        // Zero.
        let (offers, problems) = parse_channels("Trực tuyến0Không có thông tin", "");
        assert_eq!(offers[0].time_limit, None);
        assert_eq!(kinds(&problems), vec![ProblemKind::FeeUnknown, ProblemKind::TimeLimitUnreadable]);
    }

    #[test]
    fn no_information() {
        let (offers, problems) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tinKhông có thông tin\tkhông quy định",
            "",
        );
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].time_limit, None);
        assert_eq!(offers[0].fee, "Không có thông tin");
        assert_eq!(offers[0].fee_vnd, None);
        assert_eq!(offers[0].description, "không quy định");
        assert_eq!(kinds(&problems), vec![ProblemKind::FeeUnknown, ProblemKind::TimeLimitMissing]);
    }

    #[test]
    fn duplicate_rows_keep_the_first() {
        let (offers, problems) = parse_channels(
            "Trực tiếp15 NgàyKhông có thông tinThẩm định nhiệm vụTrực tiếp20 Ngày làm việcKhông có thông tinThẩm định quy hoạch",
            "",
        );
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].time_limit, Some(TimeLimit::new(15, TimeUnit::Days)));
        let dup: Vec<_> = problems.iter().filter(|p| p.kind == ProblemKind::DuplicateChannelRow).collect();
        assert_eq!(dup.len(), 1);
        assert!(dup[0].message.contains("Trực tiếp20 Ngày làm việcKhông có thông tinThẩm định quy hoạch"));
    }

    #[test]
    fn fees() {
        let (offers, problems) =
            parse_channels("Trực tuyến6 Ngày làm việc300,000 VNĐ(Theo quy định cụ thể của Bộ Tài chính.)", "");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(offers[0].fee, "300,000 VNĐ (Theo quy định cụ thể của Bộ Tài chính.)");
        assert_eq!(offers[0].fee_vnd, Some(300_000));
        let (offers, problems) = parse_channels("Trực tiếp5 NgàyLệ phí : 100.000 ĐồngNộp tại quầy", "");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(offers[0].fee, "Lệ phí : 100.000 Đồng");
        assert_eq!(offers[0].fee_vnd, Some(100_000));
        assert_eq!(offers[0].description, "Nộp tại quầy");
        let (offers, problems) = parse_channels("Trực tiếp5 Ngày45 VNĐ(Thông tư 64/2025/TT-BTC)", "");
        assert_eq!(offers[0].fee_vnd, Some(45));
        assert_eq!(kinds(&problems), vec![ProblemKind::FeeSuspicious]);
        let (offers, problems) = parse_channels("Trực tiếp5 NgàyTheo quy định của HĐND tỉnh", "");
        assert_eq!(offers[0].fee_vnd, None);
        assert_eq!(offers[0].fee, "Theo quy định của HĐND tỉnh");
        assert_eq!(kinds(&problems), vec![ProblemKind::FeeUnreadable]);
    }

    #[test]
    fn stray_parenthesis_is_kept_in_the_note() {
        let (offers, problems) =
            parse_channels("Dịch vụ bưu chính20 NgàyMiễn phí(Theo quy định của HĐND))Trực tiếp20 NgàyMiễn phí", "");
        assert_eq!(offers[0].fee, "Miễn phí (Theo quy định của HĐND))");
        assert_eq!(offers[0].description, "");
        assert_eq!(kinds(&problems), vec![ProblemKind::UnreadText]);
        assert_eq!(offers[1].kind, Channel::Counter);
    }

    #[test]
    fn nothing_to_read() {
        let (offers, problems) = parse_channels("Không có thông tin", "");
        assert!(offers.is_empty());
        assert_eq!(kinds(&problems), vec![ProblemKind::NoChannels]);
        let (_, problems) = parse_channels("Nộp tại bộ phận một cửa", "");
        assert!(problems[0].message.contains("Nộp tại bộ phận một cửa"));
    }
}
