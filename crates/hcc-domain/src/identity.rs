//! Identity data checked at the boundary: citizen ID (CCCD), tax code (MST), mobile phone.
//! Each is a validated newtype, so the inside of the program never sees an unchecked string.

use serde::{Deserialize, Serialize};

/// Why an identity value was refused. Messages are Vietnamese, for the person at the counter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("Số định danh cá nhân (CCCD) phải gồm 12 chữ số")]
    CccdLength,
    #[error("Mã tỉnh nơi đăng ký khai sinh trong số CCCD không hợp lệ")]
    CccdProvince,
    #[error("Số CMND cũ phải gồm 9 chữ số")]
    CmndLength,
    #[error("Mã số thuế phải gồm 10 chữ số hoặc 13 ký tự dạng 0123456789-001")]
    TaxCodeFormat,
    #[error("Mã số thuế sai chữ số kiểm tra")]
    TaxCodeCheckDigit,
    #[error("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09")]
    Phone,
}

/// Province codes of birth registration used in CCCD numbers (the 63 pre-2025 provinces).
const CCCD_PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
    46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
    93, 94, 95, 96,
];

/// Số định danh cá nhân / Căn cước công dân: 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cccd(String);

impl Cccd {
    pub fn parse(s: &str) -> Result<Cccd, IdentityError> {
        let s = s.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentityError::CccdLength);
        }
        let province: u16 = s[0..3].parse().map_err(|_| IdentityError::CccdLength)?;
        if !CCCD_PROVINCES.contains(&province) {
            return Err(IdentityError::CccdProvince);
        }
        Ok(Cccd(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth century and sex from the fourth digit: (is_female, first year of the century).
    pub fn sex_and_century(&self) -> (bool, u16) {
        let d = u16::from(self.0.as_bytes()[3] - b'0');
        (d % 2 == 1, 1900 + (d / 2) * 100)
    }
}

/// Identity number of a person: a 12-digit CCCD, or an old 9-digit CMND still on old papers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PersonalId {
    Cccd(Cccd),
    Cmnd(String),
}

impl PersonalId {
    pub fn parse(s: &str) -> Result<PersonalId, IdentityError> {
        let t = s.trim();
        if t.len() == 9 {
            return if t.bytes().all(|b| b.is_ascii_digit()) {
                Ok(PersonalId::Cmnd(t.to_owned()))
            } else {
                Err(IdentityError::CmndLength)
            };
        }
        Cccd::parse(t).map(PersonalId::Cccd)
    }

    pub fn as_str(&self) -> &str {
        match self {
            PersonalId::Cccd(c) => c.as_str(),
            PersonalId::Cmnd(s) => s,
        }
    }
}

/// Mã số thuế: 10 digits with a mod-11 check digit, or 13 with a branch suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxCode(String);

impl TaxCode {
    pub fn parse(s: &str) -> Result<TaxCode, IdentityError> {
        let s = s.trim();
        let (main, branch) = match s.len() {
            10 => (s, None),
            13 => (&s[..10], Some(&s[10..])),
            14 if s.as_bytes()[10] == b'-' => (&s[..10], Some(&s[11..])),
            _ => return Err(IdentityError::TaxCodeFormat),
        };
        if !main.bytes().all(|b| b.is_ascii_digit()) || !branch.unwrap_or("").bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentityError::TaxCodeFormat);
        }
        const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
        let digits: Vec<u32> = main.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits[..9].iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        let check = 10 - (sum % 11);
        // A remainder of 1 gives 10, which no digit can hold: such numbers are never issued.
        if check == 10 || digits[9] != check {
            return Err(IdentityError::TaxCodeCheckDigit);
        }
        Ok(TaxCode(match branch {
            Some(b) => format!("{main}-{b}"),
            None => main.to_owned(),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Vietnamese mobile number, stored in its 10-digit national form (0xxxxxxxxx).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, IdentityError> {
        let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if let Some(rest) = compact.strip_prefix("84").filter(|r| r.len() == 9) {
            format!("0{rest}")
        } else {
            compact
        };
        let b = national.as_bytes();
        if b.len() != 10
            || !b.iter().all(u8::is_ascii_digit)
            || b[0] != b'0'
            || !matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9')
        {
            return Err(IdentityError::Phone);
        }
        Ok(Phone(national))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Masks all but the last `keep` characters (for personal data on screens that may not show it).
pub fn mask_tail(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    s.chars().enumerate().map(|(i, c)| if i + keep < n { '*' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cccd() {
        assert!(Cccd::parse("001099012345").is_ok());
        assert_eq!(Cccd::parse("00109901234"), Err(IdentityError::CccdLength));
        assert_eq!(Cccd::parse("00109901234a"), Err(IdentityError::CccdLength));
        assert_eq!(Cccd::parse("003099012345"), Err(IdentityError::CccdProvince));
        assert_eq!(Cccd::parse("001301012345").unwrap().sex_and_century(), (true, 2000));
        assert!(matches!(PersonalId::parse("012345678"), Ok(PersonalId::Cmnd(_))));
    }

    #[test]
    fn tax_code_check_digit() {
        // 0100109106 (Viettel) is a real, valid tax code.
        assert!(TaxCode::parse("0100109106").is_ok());
        assert_eq!(TaxCode::parse("0100109107"), Err(IdentityError::TaxCodeCheckDigit));
        assert_eq!(TaxCode::parse("0100109106-001").unwrap().as_str(), "0100109106-001");
        assert!(TaxCode::parse("0100109106001").is_ok());
        assert_eq!(TaxCode::parse("01001091"), Err(IdentityError::TaxCodeFormat));
    }

    #[test]
    fn every_single_digit_change_breaks_a_tax_code() {
        let good = "0100109106";
        for pos in 0..10 {
            for d in b'0'..=b'9' {
                let mut b = good.as_bytes().to_vec();
                if b[pos] == d {
                    continue;
                }
                b[pos] = d;
                let s = String::from_utf8(b).unwrap();
                // weights are all distinct mod 11 and coprime to 11, so one changed digit always fails
                assert!(TaxCode::parse(&s).is_err(), "{s} should fail");
            }
        }
    }

    #[test]
    fn phone() {
        assert_eq!(Phone::parse("0912 345 678").unwrap().as_str(), "0912345678");
        assert_eq!(Phone::parse("+84912345678").unwrap().as_str(), "0912345678");
        assert!(Phone::parse("0212345678").is_err());
        assert!(Phone::parse("091234567").is_err());
        assert_eq!(mask_tail("0912345678", 3), "*******678");
    }
}
