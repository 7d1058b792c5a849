//! Time as the core sees it: instants are unix milliseconds passed in by the caller, and
//! calendar days are [`Date`]s in China Standard Time (UTC+8, no daylight saving).
//!
//! Why not chrono: the crate only needs day arithmetic and month boundaries, and every
//! kilobyte is shipped to cheap phones over village links. The two conversions below are
//! Howard Hinnant's well-known `days_from_civil` / `civil_from_days` algorithms.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// An instant: milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// One hour in milliseconds.
pub const HOUR_MILLIS: Millis = 3_600_000;
/// One day in milliseconds.
pub const DAY_MILLIS: Millis = 24 * HOUR_MILLIS;

/// Every user of the app lives in China Standard Time, so "today" and "this month" mean
/// Beijing's calendar whatever the phone's time zone setting says.
const CST_OFFSET: Millis = 8 * HOUR_MILLIS;

/// A calendar day (China Standard Time), written and serialised as `YYYY-MM-DD`.
///
/// Field order makes the derived ordering chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts; refuses days that do not exist (2023-02-29) and years
    /// outside 1..=9999 so every date prints as `YYYY-MM-DD`.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DomainError> {
        let valid =
            (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        if valid {
            Ok(Date { year, month, day })
        } else {
            Err(DomainError::DateInvalid { input: format!("{year:04}-{month:02}-{day:02}") })
        }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(input: &str) -> Result<Date, DomainError> {
        let invalid = || DomainError::DateInvalid { input: input.to_owned() };
        let b = input.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(invalid());
        }
        let num = |r: std::ops::Range<usize>| input[r].parse::<i32>().map_err(|_| invalid());
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(y, m as u8, d as u8).map_err(|_| invalid())
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (i64::from(self.month) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (clamped to years 1..=9999).
    pub fn from_days(days: i64) -> Date {
        let z = days.clamp(-719_162, 2_932_896) + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// This date moved by `n` days (negative moves back).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
    }

    /// The China Standard Time calendar day containing the instant `at`.
    pub fn of_millis(at: Millis) -> Date {
        Date::from_days((at + CST_OFFSET).div_euclid(DAY_MILLIS))
    }

    /// The instant this day starts (midnight in China Standard Time).
    pub fn start_millis(self) -> Millis {
        self.days() * DAY_MILLIS - CST_OFFSET
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Date {
        Date { day: 1, ..self }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Date::parse(&value)
    }
}

impl From<Date> for String {
    fn from(value: Date) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_is_day_zero() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn day_numbers_round_trip_across_centuries() {
        for days in (-700_000..2_900_000).step_by(997) {
            assert_eq!(Date::from_days(days).days(), days);
        }
    }

    #[test]
    fn a_day_that_does_not_exist_is_rejected() {
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2024-13-01").is_err());
        assert!(Date::parse("2024-1-01").is_err());
        assert!(Date::parse("２０２４-01-01").is_err());
    }

    #[test]
    fn beijing_midnight_starts_the_day() {
        // 2024-05-31T16:00:00Z is 2024-06-01 00:00 in Beijing.
        let at = 1_717_171_200_000;
        assert_eq!(Date::of_millis(at).to_string(), "2024-06-01");
        assert_eq!(Date::of_millis(at - 1).to_string(), "2024-05-31");
        assert_eq!(Date::parse("2024-06-01").unwrap().start_millis(), at);
    }

    #[test]
    fn dates_serialise_as_iso_strings() {
        let d = Date::new(2024, 3, 9).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-03-09\"");
        assert!(serde_json::from_str::<Date>("\"2024-03-32\"").is_err());
    }
}
