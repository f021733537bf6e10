//! Dashboard figures as plain types, and the pure calculations over them.
use crate::core::i18n::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the dashboard is filtered by: whole months, `from` the first day of the
/// first month, `to` the last day of the last (closed-deal figures are kept per month).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub department_id: Option<i64>,
    pub owner_id: Option<i64>,
}

/// The first day of `d`'s month.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// "2026-03" or "2026-03-15" as a date in that month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

impl DashFilter {
    /// This calendar year up to its end, everyone.
    pub fn default_for(today: NaiveDate) -> DashFilter {
        DashFilter {
            from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
            to: NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today),
            department_id: None,
            owner_id: None,
        }
    }
}

/// One stage of the funnel. Open stages count deals expected to close in the
/// period; won and lost count deals closed in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StageFigure {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub probability: i64,
    pub count: i64,
    pub amount_minor: i64,
}

impl StageFigure {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
    /// Amount times the stage's win probability, rounded to the nearest minor unit.
    pub fn weighted_minor(&self) -> i64 {
        weighted(self.amount_minor, self.probability)
    }
}

pub fn weighted(amount_minor: i64, probability_pct: i64) -> i64 {
    let p = amount_minor as i128 * probability_pct as i128;
    ((p + 50) / 100) as i64
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthFigure {
    /// "2026-03".
    pub month: String,
    pub won_count: i64,
    pub won_minor: i64,
    pub target_minor: i64,
}

/// Win rate and cycle time for one owner or department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PerfFigure {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub won: i64,
    pub lost: i64,
    pub won_minor: i64,
    pub avg_cycle_days: Option<f64>,
}

impl PerfFigure {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
    /// Won as a share of closed (won + lost), in whole per cent; None with nothing closed.
    pub fn win_rate_pct(&self) -> Option<i64> {
        win_rate_pct(self.won, self.lost)
    }
}

pub fn win_rate_pct(won: i64, lost: i64) -> Option<i64> {
    let closed = won + lost;
    (closed > 0).then(|| (won * 100 + closed / 2) / closed)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DealFigure {
    pub id: i64,
    pub title: String,
    pub customer: String,
    pub owner: String,
    pub stage_zh: String,
    pub stage_en: String,
    pub amount_minor: i64,
    pub expected_close: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReviewFigure {
    pub department_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub decided: i64,
    pub pending: i64,
    pub avg_days: Option<f64>,
}

/// Receivables by how long they are overdue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgeingFigure {
    pub not_due: i64,
    pub d0_30: i64,
    pub d31_60: i64,
    pub d61_90: i64,
    pub over_90: i64,
}

impl AgeingFigure {
    pub fn total(&self) -> i64 {
        self.not_due + self.d0_30 + self.d31_60 + self.d61_90 + self.over_90
    }
    pub fn overdue(&self) -> i64 {
        self.total() - self.not_due
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filter: DashFilter,
    pub stages: Vec<StageFigure>,
    pub months: Vec<MonthFigure>,
    pub by_owner: Vec<PerfFigure>,
    pub by_department: Vec<PerfFigure>,
    pub top_deals: Vec<DealFigure>,
    pub slipping: Vec<DealFigure>,
    pub slipping_count: i64,
    pub slipping_minor: i64,
    pub reviews: Vec<ReviewFigure>,
    pub ageing: AgeingFigure,
}

/// The months ("YYYY-MM") the period touches, in order.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) && out.len() < 120 {
        out.push(format!("{y:04}-{m:02}"));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

/// Money as yuan with thousands separators, for tables ("¥1,234,567").
pub fn yuan(minor: i64) -> String {
    let whole = (minor + if minor >= 0 { 50 } else { -50 }) / 100;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}¥{out}", if whole < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn weighted_amount_rounds_to_the_minor_unit() {
        // ¥1,000.05 at 60% = ¥600.03 (600.030).
        assert_eq!(weighted(100_005, 60), 60_003);
        // ¥0.05 at 50% = 2.5 fen -> 3 fen.
        assert_eq!(weighted(5, 50), 3);
        assert_eq!(weighted(123_456_789, 100), 123_456_789);
        assert_eq!(weighted(123_456_789, 0), 0);
    }

    #[test]
    fn win_rate_is_won_over_closed() {
        assert_eq!(win_rate_pct(3, 1), Some(75));
        assert_eq!(win_rate_pct(1, 2), Some(33));
        assert_eq!(win_rate_pct(2, 1), Some(67));
        assert_eq!(win_rate_pct(0, 0), None);
    }

    #[test]
    fn month_bounds() {
        assert_eq!(month_start(d("2026-02-17")), d("2026-02-01"));
        assert_eq!(month_end(d("2026-02-17")), d("2026-02-28"));
        assert_eq!(month_end(d("2028-02-01")), d("2028-02-29"));
        assert_eq!(month_end(d("2026-12-05")), d("2026-12-31"));
        assert_eq!(parse_month("2026-03"), Some(d("2026-03-01")));
        assert_eq!(parse_month("2026-03-09"), Some(d("2026-03-09")));
        assert_eq!(parse_month("March"), None);
    }

    #[test]
    fn months_of_a_period() {
        assert_eq!(months_between(d("2026-11-15"), d("2027-02-01")), vec!["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(months_between(d("2026-01-01"), d("2026-12-31")).len(), 12);
        assert!(months_between(d("2026-05-01"), d("2026-04-01")).is_empty());
    }

    #[test]
    fn ageing_totals() {
        let a = AgeingFigure { not_due: 5, d0_30: 1, d31_60: 2, d61_90: 3, over_90: 4 };
        assert_eq!(a.total(), 15);
        assert_eq!(a.overdue(), 10);
    }

    #[test]
    fn yuan_formatting() {
        assert_eq!(yuan(123_456_789), "¥1,234,568");
        assert_eq!(yuan(99), "¥1");
        assert_eq!(yuan(0), "¥0");
        assert_eq!(yuan(-150_000), "-¥1,500");
    }
}
