//! Instants as the API shows them: RFC 3339 in Asia/Ho_Chi_Minh (`2026-02-24T09:30:00+07:00`).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

/// Vietnam has kept UTC+07:00 without daylight saving since 1975.
const VIETNAM: Offset = Offset::constant(7);

fn civil(t: Timestamp) -> DateTime {
    VIETNAM.to_datetime(t)
}

/// Formats an instant in local time with its offset. Digit by digit: every API answer shows
/// several instants (a list page 150), and `strftime` reads its pattern again each time.
pub fn local(t: Timestamp) -> String {
    let d = civil(t);
    if !(0..=9999).contains(&d.year()) {
        return format!("{}+07:00", d.strftime("%Y-%m-%dT%H:%M:%S"));
    }
    let mut out = String::with_capacity(25);
    let year = d.year();
    push_two(&mut out, year / 100);
    push_two(&mut out, year % 100);
    for (separator, part) in [('-', d.month()), ('-', d.day()), ('T', d.hour()), (':', d.minute()), (':', d.second())] {
        out.push(separator);
        push_two(&mut out, i16::from(part));
    }
    out.push_str("+07:00");
    out
}

/// Two decimal digits of `n` (0 to 99).
fn push_two(out: &mut String, n: i16) {
    for digit in [n / 10, n % 10] {
        out.push(char::from_digit(u32::try_from(digit).unwrap_or(0), 10).unwrap_or('0'));
    }
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
    fn local_time_is_written_as_strftime_writes_it() {
        let by_strftime = |t: Timestamp| format!("{}+07:00", civil(t).strftime("%Y-%m-%dT%H:%M:%S"));
        // Every few months from 1970 to 2100 at an odd second, and around each New Year in Hanoi.
        let mut t = 0_i64;
        while t < 4_102_444_800 {
            let at = Timestamp::from_second(t).unwrap();
            assert_eq!(local(at), by_strftime(at));
            t += 7_919_011;
        }
        for year in [1999, 2000, 2024, 2025, 2026, 2099] {
            let new_year: Timestamp = format!("{year}-12-31T16:59:59Z").parse().unwrap();
            for s in 0..3 {
                let at = new_year + jiff::SignedDuration::from_secs(s);
                assert_eq!(local(at), by_strftime(at));
            }
        }
        let early: Timestamp = "0009-03-04T05:06:07Z".parse().unwrap();
        assert_eq!(local(early), "0009-03-04T12:06:07+07:00");
        assert_eq!(local(Timestamp::MIN), by_strftime(Timestamp::MIN));
        assert_eq!(local(Timestamp::MAX), by_strftime(Timestamp::MAX));
    }

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
