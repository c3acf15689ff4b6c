//! Dossier codes (Mã hồ sơ), Circular 01/2018/TT-VPCP Art. 19, kept by Circular 03/2025/TT-VPCP:
//! `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX` — the receiving unit's QCVN 102:2016 identifier, the receipt
//! date, and that unit's sequence for the day.

use jiff::civil::Date;
use std::fmt;

/// A dossier code such as `000.00.16.H26-241001-0001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    /// The receiving unit's identifier (`000.00.16.H26`).
    pub unit: String,
    pub date: Date,
    /// The unit's sequence for that day, from 1. Printed with at least four digits; a unit that
    /// receives more than 9,999 dossiers in a day gets more (the code stays unique).
    pub seq: u32,
}

/// Why a string is not a dossier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã hồ sơ không đúng định dạng V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX")]
pub struct DossierCodeError;

/// Is `s` a unit identifier under QCVN 102:2016: `DDD.DD.DD.XDD` (X a letter, D a digit)?
pub fn is_unit_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 13
        && b[0..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'.'
        && b[4..6].iter().all(u8::is_ascii_digit)
        && b[6] == b'.'
        && b[7..9].iter().all(u8::is_ascii_digit)
        && b[9] == b'.'
        && b[10].is_ascii_uppercase()
        && b[11..13].iter().all(u8::is_ascii_digit)
}

impl DossierCode {
    /// The day part `YYMMDD`.
    pub fn day_part(date: Date) -> String {
        format!("{:02}{:02}{:02}", date.year().rem_euclid(100), date.month(), date.day())
    }

    pub fn parse(s: &str) -> Result<DossierCode, DossierCodeError> {
        let s = s.trim();
        if !s.is_ascii() || s.len() < 13 + 1 + 6 + 1 + 4 {
            return Err(DossierCodeError);
        }
        let unit = &s[..13];
        if !is_unit_code(unit) || s.as_bytes()[13] != b'-' || s.as_bytes()[20] != b'-' {
            return Err(DossierCodeError);
        }
        let day = &s[14..20];
        let seq = &s[21..];
        // Exactly what `Display` prints: four digits, or more without a leading zero (a unit past
        // 9,999 dossiers in a day) — so every code the store hands out is one a reader can look up.
        if !day.bytes().all(|b| b.is_ascii_digit())
            || seq.len() < 4
            || (seq.len() > 4 && seq.starts_with('0'))
            || !seq.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(DossierCodeError);
        }
        let num = |r: std::ops::Range<usize>| day[r].parse::<i8>().map_err(|_| DossierCodeError);
        let date = Date::new(2000 + i16::from(num(0..2)?), num(2..4)?, num(4..6)?).map_err(|_| DossierCodeError)?;
        let seq: u32 = seq.parse().map_err(|_| DossierCodeError)?;
        if seq == 0 {
            return Err(DossierCodeError);
        }
        Ok(DossierCode { unit: unit.to_owned(), date, seq })
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.unit, Self::day_part(self.date), self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn formats_and_parses() {
        let c = DossierCode { unit: "000.00.16.H26".into(), date: date(2024, 10, 1), seq: 1 };
        assert_eq!(c.to_string(), "000.00.16.H26-241001-0001");
        assert_eq!(DossierCode::parse("000.00.16.H26-241001-0001"), Ok(c));
        for seq in [9_999, 10_000, 12_345, 999_999, 1_000_000, 1_189_609, u32::MAX] {
            let big = DossierCode { unit: "000.00.16.H26".into(), date: date(2025, 1, 2), seq };
            assert_eq!(DossierCode::parse(&big.to_string()), Ok(big), "{seq}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "000.00.16.H26-241001-000",
            "000.00.16.H26-241301-0001",
            "000.00.16.h26-241001-0001",
            "000.00.16.H26-241001-0000",
            "000.00.16.H26_241001-0001",
            "000.00.16.H26-241001-0001x",
            // Not as printed: a leading zero beyond four digits, or past the sequence's range.
            "000.00.16.H26-241001-00001",
            "000.00.16.H26-241001-4294967296",
            "000.00.16.H26-241001-99999999999999999999",
            "Nguyễn Văn An",
            "../../etc/passwd",
        ] {
            assert!(DossierCode::parse(bad).is_err(), "{bad}");
        }
    }
}
