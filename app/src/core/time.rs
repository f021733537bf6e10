//! Times are stored in UTC and shown in the reader's time zone.
use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

/// The company's zone, used where no person is involved (e.g. "this year" for 3.1-a).
pub const COMPANY_TZ: Tz = chrono_tz::Asia::Shanghai;

pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// "2026-11-28 09:34" in the given zone (falls back to the company's).
pub fn format_in(t: DateTime<Utc>, tz_name: &str) -> String {
    let tz = parse_tz(tz_name).unwrap_or(COMPANY_TZ);
    tz.from_utc_datetime(&t.naive_utc()).format("%Y-%m-%d %H:%M").to_string()
}

pub fn format_date_in(t: DateTime<Utc>, tz_name: &str) -> String {
    let tz = parse_tz(tz_name).unwrap_or(COMPANY_TZ);
    tz.from_utc_datetime(&t.naive_utc()).format("%Y-%m-%d").to_string()
}

/// The calendar year at `t` in the company's zone.
pub fn company_year(t: DateTime<Utc>) -> i32 {
    COMPANY_TZ.from_utc_datetime(&t.naive_utc()).year()
}

/// Zones offered in the profile form.
pub const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_in_zone() {
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 0).single().expect("valid");
        assert_eq!(format_in(t, "Asia/Shanghai"), "2027-01-01 01:30");
        assert_eq!(format_in(t, "UTC"), "2026-12-31 17:30");
        assert_eq!(format_in(t, "Not/AZone"), "2027-01-01 01:30");
        assert_eq!(company_year(t), 2027, "new year in Beijing before it is in London");
        for z in ZONES {
            assert!(parse_tz(z).is_some(), "{z}");
        }
    }
}
