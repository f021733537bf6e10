//! The risk dashboard's figures (5.1-c heat maps, 5.3 consolidated view) and
//! the pure arithmetic behind them: folding scores into levels with the bands
//! in force, month periods in the company's zone, the trend series and the
//! links from a heat-map cell to the register.
use crate::risk::model::{AssessmentKind, Bands, HeatMapData, Level};
use serde::{Deserialize, Serialize};

/// The dashboard's filters (both optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashFilter {
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
}

/// Counts per level, indexed low, medium, high, critical (`Level::ALL` order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts(pub [i64; 4]);

impl LevelCounts {
    fn idx(level: Level) -> usize {
        match level {
            Level::Low => 0,
            Level::Medium => 1,
            Level::High => 2,
            Level::Critical => 3,
        }
    }
    pub fn get(&self, level: Level) -> i64 {
        self.0[Self::idx(level)]
    }
    pub fn add(&mut self, level: Level, n: i64) {
        self.0[Self::idx(level)] += n;
    }
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }
    /// High and critical together: what is escalated (5.3-d).
    pub fn escalating(&self) -> i64 {
        self.get(Level::High) + self.get(Level::Critical)
    }
}

/// One row of "by category" or "by department": the group and its open risks per level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub counts: LevelCounts,
}

/// High and critical risks at the end of a month (the current month: now).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// 'YYYY-MM'
    pub period: String,
    pub high: i64,
    pub critical: i64,
}

/// Everything the dashboard shows (the embedded indicator gauges, ageing and
/// credit breaches load their own data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filter: DashFilter,
    pub bands: Bands,
    /// Open risks by the level of their current score.
    pub levels: LevelCounts,
    /// Open risks not assessed yet (no current score, no level).
    pub unassessed: i64,
    pub inherent: HeatMapData,
    pub residual: HeatMapData,
    pub by_category: Vec<GroupRow>,
    pub by_department: Vec<GroupRow>,
    pub trend: Vec<TrendPoint>,
}

/// Number of months the trend shows (the current one included).
pub const TREND_MONTHS: u32 = 12;

/// Folds `(group id, current score, count)` rows into counts per level for
/// each group, with the bands in force (levels are never stored on risks).
pub fn fold_levels(rows: &[(i64, i64, i64)], bands: &Bands) -> Vec<(i64, LevelCounts)> {
    let mut out: Vec<(i64, LevelCounts)> = Vec::new();
    for &(group, score, n) in rows {
        let level = bands.level(score);
        match out.iter_mut().find(|(g, _)| *g == group) {
            Some((_, c)) => c.add(level, n),
            None => {
                let mut c = LevelCounts::default();
                c.add(level, n);
                out.push((group, c));
            }
        }
    }
    out
}

/// 'YYYY-MM' of a (year, month).
pub fn period_of(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The month `back` months before (year, month).
pub fn month_minus(year: i32, month: u32, back: u32) -> (i32, u32) {
    let total = year * 12 + month as i32 - 1 - back as i32;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// The first day of the month after (year, month).
pub fn next_month_start(year: i32, month: u32) -> chrono::NaiveDate {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
}

/// The last `n` periods up to and including (year, month), oldest first.
pub fn periods_back(year: i32, month: u32, n: u32) -> Vec<String> {
    (0..n).rev().map(|b| {
        let (y, m) = month_minus(year, month, b);
        period_of(y, m)
    }).collect()
}

/// The trend series over `periods` from `(period, level code, count)` rows;
/// a month without rows counts zero (no open high or critical risk then).
pub fn trend(periods: &[String], rows: &[(String, String, i64)]) -> Vec<TrendPoint> {
    periods
        .iter()
        .map(|p| {
            let sum = |lvl: Level| rows.iter().filter(|r| &r.0 == p && r.1 == lvl.code()).map(|r| r.2).sum();
            TrendPoint { period: p.clone(), high: sum(Level::High), critical: sum(Level::Critical) }
        })
        .collect()
}

/// The register filtered to one heat-map cell (and the dashboard's filters).
pub fn cell_link(kind: AssessmentKind, likelihood: i64, impact: i64, f: &DashFilter) -> String {
    let mut s = format!("/risks?kind={}&l={likelihood}&i={impact}", kind.code());
    if let Some(d) = f.department_id {
        s.push_str(&format!("&department={d}"));
    }
    if let Some(c) = f.category_id {
        s.push_str(&format!("&category={c}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_fold_into_levels_with_the_bands_in_force() {
        // Department 1: scores 4 (low), 6 and 9 (medium), 12 (high); department 2: 25 (critical).
        let rows = [(1, 4, 2), (1, 6, 1), (1, 9, 3), (1, 12, 5), (2, 25, 1)];
        let d = fold_levels(&rows, &Bands::default());
        assert_eq!(d, vec![(1, LevelCounts([2, 4, 5, 0])), (2, LevelCounts([0, 0, 0, 1]))]);
        assert_eq!(d[0].1.total(), 11);
        assert_eq!(d[0].1.escalating(), 5);
        // Stricter bands (an admin's change) re-level the same scores at once.
        let s = fold_levels(&rows, &Bands::new(4, 8, 12));
        assert_eq!(s[0].1, LevelCounts([0, 3, 3, 5]));
    }

    #[test]
    fn months_cross_the_year() {
        assert_eq!(month_minus(2026, 3, 2), (2026, 1));
        assert_eq!(month_minus(2026, 3, 3), (2025, 12));
        assert_eq!(month_minus(2026, 1, 13), (2024, 12));
        assert_eq!(next_month_start(2026, 12), chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"));
        assert_eq!(periods_back(2026, 2, 4), vec!["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn trend_fills_missing_months_with_zero() {
        let periods = periods_back(2026, 3, 3);
        let rows = vec![
            ("2026-01".to_string(), "high".to_string(), 2),
            ("2026-01".to_string(), "high".to_string(), 3),
            ("2026-01".to_string(), "critical".to_string(), 1),
            ("2026-03".to_string(), "critical".to_string(), 4),
            ("2026-03".to_string(), "medium".to_string(), 9),
        ];
        let t = trend(&periods, &rows);
        assert_eq!(
            t,
            vec![
                TrendPoint { period: "2026-01".into(), high: 5, critical: 1 },
                TrendPoint { period: "2026-02".into(), high: 0, critical: 0 },
                TrendPoint { period: "2026-03".into(), high: 0, critical: 4 },
            ]
        );
    }

    #[test]
    fn cells_link_to_the_filtered_register() {
        let f = DashFilter { department_id: Some(3), category_id: None };
        assert_eq!(cell_link(AssessmentKind::Residual, 4, 2, &f), "/risks?kind=residual&l=4&i=2&department=3");
        let f = DashFilter { department_id: None, category_id: Some(7) };
        assert_eq!(cell_link(AssessmentKind::Inherent, 5, 5, &f), "/risks?kind=inherent&l=5&i=5&category=7");
    }
}
