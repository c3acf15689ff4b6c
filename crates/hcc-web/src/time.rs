//! Instants as the API shows them: RFC 3339 in Asia/Ho_Chi_Minh (`2026-02-24T09:30:00+07:00`).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

/// Vietnam has kept UTC+07:00 without daylight saving since 1975.
const VIETNAM: Offset = Offset::constant(7);

fn civil(t: Timestamp) -> DateTime {
    VIETNAM.to_datetime(t)
}

/// Formats an instant in local time with its offset.
pub fn local(t: Timestamp) -> String {
    format!("{}+07:00", civil(t).strftime("%Y-%m-%dT%H:%M:%S"))
}

pub fn local_opt(t: Option<Timestamp>) -> Option<String> {
    t.map(local)
}

/// `dd/mm/yyyy HH:MM`, as Vietnamese forms print it.
pub fn display(t: Timestamp) -> String {
    civil(t).strftime("%d/%m/%Y %H:%M").to_string()
}

/// `dd/mm/yyyy`.
pub fn display_date(t: Timestamp) -> String {
    civil(t).strftime("%d/%m/%Y").to_string()
}

/// Reads an RFC 3339 instant (any offset), or a local `YYYY-MM-DD HH:MM` / `YYYY-MM-DD` (start of day).
pub fn parse(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let dt = s
        .replace('T', " ")
        .parse::<DateTime>()
        .ok()
        .or_else(|| s.parse::<jiff::civil::Date>().ok().map(|d| d.to_datetime(jiff::civil::Time::midnight())))?;
    VIETNAM.to_timestamp(dt).ok()
}

/// The instant a local day starts.
pub fn start_of_local_day(d: jiff::civil::Date) -> Timestamp {
    VIETNAM.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())).unwrap_or(Timestamp::MAX)
}

/// The local date of an instant.
pub fn local_date(t: Timestamp) -> jiff::civil::Date {
    civil(t).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_reads_local_time() {
        let t: Timestamp = "2026-02-24T02:30:00Z".parse().unwrap();
        assert_eq!(local(t), "2026-02-24T09:30:00+07:00");
        assert_eq!(display(t), "24/02/2026 09:30");
        assert_eq!(parse("2026-02-24 09:30"), Some(t));
        assert_eq!(parse("2026-02-24T09:30:00+07:00"), Some(t));
        assert_eq!(parse("nonsense"), None);
    }
}
