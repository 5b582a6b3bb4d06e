//! Time, read and written one way: RFC 3339 instants within the years 0000–9999, durations as
//! people write them (`5m`, `90s`, `1h30m`), UTC days and weeks (a week starts on Monday 00:00).
//!
//! Instants are seconds since the Unix epoch, in UTC; they are written as RFC 3339, RFC 5322
//! (an email's `Date`), an mbox `From ` line, file-name stamps and readable email text.

use std::ops::Range;

/// Seconds in a minute, an hour, a day and a week.
pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
pub const WEEK: i64 = 7 * DAY;

/// The earliest time pimrules reads, 0000-01-01T00:00:00Z (seconds since the Unix epoch):
/// RFC 3339 and RFC 5322 write years with four digits.
pub const EARLIEST_TIME: i64 = -62_167_219_200;
/// The latest time pimrules reads, 9999-12-31T23:59:59Z; nothing is scheduled after it.
pub const LATEST_TIME: i64 = 253_402_300_799;

/// The longest duration accepted (a year): enough for any delay or window, far from overflow.
pub const MAX_DURATION: i64 = 366 * DAY;

/// Why a time is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// not written as RFC 3339 says
    NotRfc3339,
    /// before [`EARLIEST_TIME`] once its offset is applied
    TooEarly,
    /// after [`LATEST_TIME`] once its offset is applied
    TooLate,
}

impl TimeError {
    /// What is wrong with the time `text` of `field`, for a message.
    pub fn describe(self, field: &str, text: &str) -> String {
        match self {
            TimeError::NotRfc3339 => format!("`{field}` is not an RFC 3339 time: `{text}`"),
            TimeError::TooEarly => format!(
                "`{field}` {text} is before 0000-01-01T00:00:00Z, the earliest time pimrules reads"
            ),
            TimeError::TooLate => format!(
                "`{field}` {text} is after 9999-12-31T23:59:59Z, the latest time pimrules reads"
            ),
        }
    }
}

/// How to write a time.
pub const TIME_HELP: &str = "write it as `2025-01-07T09:30:00Z` or with an offset, `+01:00`";

/// The help for a time out of range.
pub const TIME_RANGE_HELP: &str = "times are read from 0000-01-01T00:00:00Z to \
9999-12-31T23:59:59Z, after their offset is applied (`9999-12-31T23:59:59-01:00` is in the year 10000)";

/// Seconds since the Unix epoch of an RFC 3339 time (`2025-01-07T09:30:00Z`,
/// `2025-01-07T10:30:00.5+01:00`) within [`EARLIEST_TIME`]..=[`LATEST_TIME`]; fractions of a
/// second are dropped.
pub fn parse_rfc3339(text: &str) -> Result<i64, TimeError> {
    let at = parse_rfc3339_syntax(text).ok_or(TimeError::NotRfc3339)?;
    if at < EARLIEST_TIME {
        Err(TimeError::TooEarly)
    } else if at > LATEST_TIME {
        Err(TimeError::TooLate)
    } else {
        Ok(at)
    }
}

/// Seconds since the Unix epoch of an RFC 3339 time, its offset applied (so possibly outside
/// the years 0000–9999).
fn parse_rfc3339_syntax(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let number = |range: Range<usize>| digits(text, range);
    let separators_ok = bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't' | b' ')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !separators_ok {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            let (hours, minutes) = (digits(rest, 1..3)?, digits(rest, 4..6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * HOUR + minutes * MINUTE)
        }
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second - offset)
}

/// The number written with ASCII digits only in `range` of `text`.
fn digits(text: &str, range: Range<usize>) -> Option<i64> {
    let digits = text.get(range)?;
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Seconds in a duration written as numbers with units, largest first or not: `5m`, `90s`,
/// `1h30m`, `2d`; `0` alone is zero.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(0);
    }
    let invalid = || {
        format!(
            "`{text}` is not a duration; write a number with a unit: `90s`, `5m`, `1h`, `1h30m`, `2d`"
        )
    };
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => MINUTE,
            'h' => HOUR,
            'd' => DAY,
            _ => return Err(invalid()),
        };
        let amount: i64 = digits.parse().map_err(|_| invalid())?;
        digits.clear();
        total = amount
            .checked_mul(unit)
            .and_then(|seconds| total.checked_add(seconds))
            .filter(|total| *total <= MAX_DURATION)
            .ok_or_else(|| format!("`{text}` is longer than the limit of 366 days"))?;
    }
    if !digits.is_empty() || text.is_empty() {
        return Err(invalid());
    }
    Ok(total)
}

/// A duration as [`parse_duration`] reads it, shortest form: `5m`, `1h30m`, `0s`.
pub fn format_duration(seconds: i64) -> String {
    let mut text = String::new();
    let mut rest = seconds;
    for (unit, name) in [(DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm'), (1, 's')] {
        if rest >= unit {
            text.push_str(&format!("{}{name}", rest / unit));
            rest %= unit;
        }
    }
    if text.is_empty() {
        "0s".to_owned()
    } else {
        text
    }
}

/// The start (00:00 UTC) of the day of `at`.
pub fn day_start(at: i64) -> i64 {
    at.div_euclid(DAY) * DAY
}

/// The start (Monday 00:00 UTC) of the week of `at`.
pub fn week_start(at: i64) -> i64 {
    let day = at.div_euclid(DAY);
    // 1970-01-01 was a Thursday: three days after a Monday
    (day - (day + 3).rem_euclid(7)) * DAY
}

/// A date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Monday … 6 = Sunday
    pub weekday: u32,
}

impl Civil {
    /// The UTC date and time of `at` (seconds since the Unix epoch); Howard Hinnant's
    /// `civil_from_days`.
    pub fn of(at: i64) -> Civil {
        let days = at.div_euclid(DAY);
        let seconds = at.rem_euclid(DAY);
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month: month as u32,
            day: day as u32,
            hour: (seconds / HOUR) as u32,
            minute: (seconds % HOUR / MINUTE) as u32,
            second: (seconds % MINUTE) as u32,
            weekday: (days + 3).rem_euclid(7) as u32,
        }
    }

    pub fn weekday_name(&self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self.weekday as usize % 7]
    }

    /// `Mon`, as RFC 5322 writes a day of the week.
    fn weekday_abbreviation(&self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.weekday as usize % 7]
    }

    /// `Jan`, as RFC 5322 writes a month.
    fn month_abbreviation(&self) -> &'static str {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][(self.month as usize + 11) % 12]
    }

    /// `2025-01-06`
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `09:35:00`
    pub fn time(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// `2025-01-06T09:35:00Z`
pub fn rfc3339(at: i64) -> String {
    let civil = Civil::of(at);
    format!("{}T{}Z", civil.date(), civil.time())
}

/// `2025-01-06 09:35 UTC`, as the shipped examples write times in emails.
pub fn readable(at: i64) -> String {
    let civil = Civil::of(at);
    format!("{} {:02}:{:02} UTC", civil.date(), civil.hour, civil.minute)
}

/// `Mon, 6 Jan 2025 09:35:00 +0000`: an email's `Date` (RFC 5322 §3.3), in UTC.
pub fn rfc5322(at: i64) -> String {
    let civil = Civil::of(at);
    format!(
        "{}, {} {} {:04} {} +0000",
        civil.weekday_abbreviation(),
        civil.day,
        civil.month_abbreviation(),
        civil.year,
        civil.time()
    )
}

/// `Mon Jan  6 09:35:00 2025`: the date of an mbox `From ` line (C's `asctime`), in UTC.
pub fn asctime(at: i64) -> String {
    let civil = Civil::of(at);
    format!(
        "{} {} {:>2} {} {:04}",
        civil.weekday_abbreviation(),
        civil.month_abbreviation(),
        civil.day,
        civil.time(),
        civil.year
    )
}

/// `20250106T093500Z`: a file-name stamp that sorts as the time does (years 0000–9999).
pub fn compact(at: i64) -> String {
    rfc3339(at).replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("2025-01-07T09:30:00Z"), Ok(1_736_242_200));
        assert_eq!(
            parse_rfc3339("2025-01-07T10:30:00.250+01:00"),
            Ok(1_736_242_200)
        );
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
        for bad in [
            "2025-02-29T00:00:00Z",
            "2025-01-07",
            "2025-01-07T25:00:00Z",
            "2025-01-07T09:30:00",
            "2025-01-07T09:30:00+1:00",
            "2025-01-07T09:30:00+-1:00",
            "２０２５-01-07T09:30:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), Err(TimeError::NotRfc3339), "{bad}");
        }
    }

    #[test]
    fn times_are_read_within_the_years_0000_to_9999() {
        assert_eq!(parse_rfc3339("0000-01-01T00:00:00Z"), Ok(EARLIEST_TIME));
        assert_eq!(parse_rfc3339("9999-12-31T23:59:59Z"), Ok(LATEST_TIME));
        assert_eq!(parse_rfc3339("9999-12-31T23:59:59.999Z"), Ok(LATEST_TIME));
        assert_eq!(
            parse_rfc3339("0000-01-01T01:00:00+01:00"),
            Ok(EARLIEST_TIME)
        );
        assert_eq!(parse_rfc3339("9999-12-31T22:59:59-01:00"), Ok(LATEST_TIME));
        for late in [
            "9999-12-31T23:59:60Z",
            "9999-12-31T23:59:59-00:01",
            "9999-12-31T23:59:59-01:00",
        ] {
            assert_eq!(parse_rfc3339(late), Err(TimeError::TooLate), "{late}");
        }
        for early in ["0000-01-01T00:00:00+00:01", "0000-01-01T00:59:59+01:00"] {
            assert_eq!(parse_rfc3339(early), Err(TimeError::TooEarly), "{early}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(2 * DAY));
        assert_eq!(parse_duration("0"), Ok(0));
        for bad in [
            "",
            "5",
            "m",
            "5 m",
            "-5m",
            "5w",
            "1.5h",
            "99999999999999999999s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(parse_duration("367d").is_err());
        assert_eq!(format_duration(5400), "1h30m");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(DAY + 1), "1d1s");
    }

    #[test]
    fn civil_times_round_trip_through_the_parser() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2025-01-06T09:35:07Z",
            "2024-02-29T23:59:59Z",
            "1969-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            let at = parse_rfc3339(text).expect("valid");
            assert_eq!(rfc3339(at), text);
        }
        assert_eq!(compact(0), "19700101T000000Z");
        assert_eq!(rfc5322(1_736_242_200), "Tue, 7 Jan 2025 09:30:00 +0000");
        assert_eq!(rfc5322(LATEST_TIME), "Fri, 31 Dec 9999 23:59:59 +0000");
        assert_eq!(rfc5322(EARLIEST_TIME), "Sat, 1 Jan 0000 00:00:00 +0000");
        assert_eq!(asctime(1_736_242_200), "Tue Jan  7 09:30:00 2025");
        assert_eq!(asctime(1_764_400_000), "Sat Nov 29 07:06:40 2025");
        assert_eq!(readable(1_736_242_200), "2025-01-07 09:30 UTC");
    }

    #[test]
    fn weeks_start_on_monday_and_days_at_midnight() {
        // 2025-01-06 was a Monday
        let monday = parse_rfc3339("2025-01-06T00:00:00Z").expect("valid");
        assert_eq!(Civil::of(monday).weekday_name(), "Monday");
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK);
        assert_eq!(week_start(monday + WEEK - 1), monday);
        assert_eq!(day_start(monday + 5 * HOUR), monday);
        assert_eq!(
            week_start(-1),
            parse_rfc3339("1969-12-29T00:00:00Z").expect("valid")
        );
    }
}
