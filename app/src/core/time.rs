//! Times are stored in UTC and shown in the reader's time zone.
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
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

/// Today's date in the company's zone.
pub fn company_today(now: DateTime<Utc>) -> NaiveDate {
    COMPANY_TZ.from_utc_datetime(&now.naive_utc()).date_naive()
}

/// The date of `t` in the company's zone.
pub fn company_date(t: DateTime<Utc>) -> NaiveDate {
    company_today(t)
}

/// Working days are Monday to Friday (public holidays are not modelled).
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `n` working days after `d` (a deadline "within n working days").
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut d = d;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// The latest start date whose n-working-day deadline has passed by `today`:
/// something that started on or before the returned date is late today.
pub fn working_days_ago(today: NaiveDate, n: u32) -> NaiveDate {
    // Walk back until adding n working days no longer reaches today.
    let mut d = today;
    loop {
        d = d.pred_opt().unwrap_or(d);
        if add_working_days(d, n) < today {
            return d;
        }
    }
}

/// Midnight at the start of `d` in the company's zone, as UTC (for comparing
/// stored timestamps with calendar deadlines).
pub fn company_midnight(d: NaiveDate) -> DateTime<Utc> {
    COMPANY_TZ
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

#[cfg(test)]
mod working_day_tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn working_days_skip_weekends() {
        // Thursday 2026-11-26 + 3 working days = Tuesday 2026-12-01.
        assert_eq!(add_working_days(d("2026-11-26"), 3), d("2026-12-01"));
        // Friday + 1 = Monday.
        assert_eq!(add_working_days(d("2026-11-27"), 1), d("2026-11-30"));
        // Saturday + 2 = Tuesday.
        assert_eq!(add_working_days(d("2026-11-28"), 2), d("2026-12-01"));
    }

    #[test]
    fn working_days_ago_is_the_last_late_start() {
        // On Wednesday 2026-12-02 with 3 working days: started Thursday 11-26 has a
        // deadline of Tuesday 12-01 (late); Friday 11-27 -> Wednesday 12-02 (not yet late).
        assert_eq!(working_days_ago(d("2026-12-02"), 3), d("2026-11-26"));
        assert!(add_working_days(working_days_ago(d("2026-12-02"), 3), 3) < d("2026-12-02"));
    }
}
