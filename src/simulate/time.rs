//! Time for `simulate`: durations as people write them (`5m`, `90s`, `1h30m`), UTC days and
//! weeks (a week starts on Monday 00:00 UTC), and instants written back as RFC 3339.

/// Seconds in a minute, an hour, a day and a week.
pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
pub const WEEK: i64 = 7 * DAY;

/// The longest duration accepted (a year): enough for any delay or window, far from overflow.
pub const MAX_DURATION: i64 = 366 * DAY;

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

/// `20250106T093500Z`: sorts as the time does (years 0000–9999).
pub fn compact(at: i64) -> String {
    rfc3339(at).replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::parse_rfc3339;

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
