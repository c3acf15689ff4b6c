//! Time limits as procedures state them: a value and a unit (Thời hạn giải quyết).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The unit a time limit is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeUnit {
    /// Ngày làm việc — counted in office hours, 8 working hours a day.
    WorkingDays,
    /// Ngày — calendar days (Civil Code 2015 Art. 147–148).
    Days,
    /// Giờ làm việc — counted in office hours.
    WorkingHours,
    /// Tháng — calendar months.
    Months,
}

impl TimeUnit {
    /// The stable, kebab-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working-days",
            TimeUnit::Days => "days",
            TimeUnit::WorkingHours => "working-hours",
            TimeUnit::Months => "months",
        }
    }

    /// Vietnamese label as the national portal writes it.
    pub fn label_vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "ngày làm việc",
            TimeUnit::Days => "ngày",
            TimeUnit::WorkingHours => "giờ làm việc",
            TimeUnit::Months => "tháng",
        }
    }
}

impl FromStr for TimeUnit {
    type Err = TimeLimitParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "working-days" | "working-day" => Ok(TimeUnit::WorkingDays),
            "days" | "day" => Ok(TimeUnit::Days),
            "working-hours" | "working-hour" => Ok(TimeUnit::WorkingHours),
            "months" | "month" => Ok(TimeUnit::Months),
            other => Err(TimeLimitParseError::Unit(other.to_owned())),
        }
    }
}

/// A time limit: `value` units. Values are whole numbers except working days, which the portal
/// sometimes gives as halves ("0,5 ngày làm việc"): those are kept in tenths to stay exact.
/// In JSON it is `{"value": 17, "unit": "working-days"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeLimit {
    /// The amount in tenths of the unit (`15` = 1.5). Kept integral so arithmetic is exact.
    pub tenths: u32,
    pub unit: TimeUnit,
}

#[derive(Serialize, Deserialize)]
struct TimeLimitJson {
    value: serde_json::Number,
    unit: TimeUnit,
}

impl Serialize for TimeLimit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = if self.tenths.is_multiple_of(10) {
            serde_json::Number::from(self.tenths / 10)
        } else {
            serde_json::Number::from_f64(self.value()).unwrap_or_else(|| serde_json::Number::from(0))
        };
        TimeLimitJson { value, unit: self.unit }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TimeLimit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = TimeLimitJson::deserialize(deserializer)?;
        let tenths = parse_tenths(&raw.value.to_string())
            .ok_or_else(|| serde::de::Error::custom(format!("invalid time limit value {}", raw.value)))?;
        Ok(TimeLimit { tenths, unit: raw.unit })
    }
}

impl TimeLimit {
    /// A whole number of units.
    pub const fn new(value: u32, unit: TimeUnit) -> Self {
        TimeLimit { tenths: value * 10, unit }
    }

    /// The value as a number (e.g. `1.5`).
    pub fn value(&self) -> f64 {
        f64::from(self.tenths) / 10.0
    }

    /// Working minutes this limit stands for, when it is counted in office hours
    /// (`minutes_per_day` is the length of a working day, 480 by default). `None` for calendar units.
    pub fn working_minutes(&self, minutes_per_day: u32) -> Option<u64> {
        match self.unit {
            TimeUnit::WorkingDays => Some(u64::from(self.tenths) * u64::from(minutes_per_day) / 10),
            TimeUnit::WorkingHours => Some(u64::from(self.tenths) * 6),
            TimeUnit::Days | TimeUnit::Months => None,
        }
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tenths.is_multiple_of(10) {
            write!(f, "{} {}", self.tenths / 10, self.unit.as_str())
        } else {
            write!(f, "{}.{} {}", self.tenths / 10, self.tenths % 10, self.unit.as_str())
        }
    }
}

/// Why a time limit could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeLimitParseError {
    #[error("đơn vị thời hạn không hợp lệ: {0:?} (dùng working-days, days, working-hours hoặc months)")]
    Unit(String),
    #[error("giá trị thời hạn không hợp lệ: {0:?}")]
    Value(String),
}

impl FromStr for TimeLimit {
    type Err = TimeLimitParseError;
    /// Reads `"N UNIT"`, e.g. `"20 working-days"` or `"1.5 working-days"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split_whitespace();
        let value = parts.next().ok_or_else(|| TimeLimitParseError::Value(s.to_owned()))?;
        let unit: TimeUnit = parts.next().unwrap_or("").parse()?;
        if parts.next().is_some() {
            return Err(TimeLimitParseError::Value(s.to_owned()));
        }
        let tenths = parse_tenths(value).ok_or_else(|| TimeLimitParseError::Value(value.to_owned()))?;
        Ok(TimeLimit { tenths, unit })
    }
}

/// Parses a non-negative decimal with at most one fractional digit ("17", "0.5", "0,5") into tenths.
pub fn parse_tenths(s: &str) -> Option<u32> {
    let s = s.trim().replace(',', ".");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s.as_str(), ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || int.len() > 6 {
        return None;
    }
    let frac_digit = match frac.len() {
        0 => 0,
        1 if frac.as_bytes()[0].is_ascii_digit() => u32::from(frac.as_bytes()[0] - b'0'),
        _ => return None,
    };
    int.parse::<u32>().ok().map(|i| i * 10 + frac_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cli_limits() {
        assert_eq!("20 working-days".parse(), Ok(TimeLimit::new(20, TimeUnit::WorkingDays)));
        assert_eq!("3 months".parse(), Ok(TimeLimit::new(3, TimeUnit::Months)));
        let half: TimeLimit = "0.5 working-days".parse().unwrap();
        assert_eq!(half.tenths, 5);
        assert_eq!(half.working_minutes(480), Some(240));
        assert!("20 weeks".parse::<TimeLimit>().is_err());
        assert!("x days".parse::<TimeLimit>().is_err());
        assert!("5".parse::<TimeLimit>().is_err());
    }

    #[test]
    fn json_shape_is_value_and_unit() {
        let limit = TimeLimit::new(17, TimeUnit::WorkingDays);
        let json = serde_json::to_string(&limit).unwrap();
        assert_eq!(json, r#"{"value":17,"unit":"working-days"}"#);
        assert_eq!(serde_json::from_str::<TimeLimit>(&json).unwrap(), limit);
        let half: TimeLimit = serde_json::from_str(r#"{"value":0.5,"unit":"working-days"}"#).unwrap();
        assert_eq!(half.tenths, 5);
    }
}
