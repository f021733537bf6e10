//! Monitoring (5.3): key risk indicators with their pure evaluation, escalation
//! rows, department risk reports (5.3-b) and the company risk warning report
//! (5.3-c). Snapshots hold codes and numbers only; labels come from the
//! reader's language when they are shown.
use crate::core::i18n::{K, Lang};
use crate::core::ui::Tone;
use crate::risk::model::{Bands, HeatMapData, Level};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The unit an indicator's value and thresholds are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// Money in minor units (fen).
    Minor,
    /// A share in basis points (1/100 of a percent).
    Bp,
    Count,
}

/// The built-in measurements over live data (5.3-a). Complaints per month
/// come with customer service (not built yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KriCode {
    OverdueReceivables,
    Overdue90Share,
    CreditLimitBreaches,
    ProjectsRed,
    ProjectsSpiBelow,
    OrderExceptionsMonth,
}

impl KriCode {
    pub const ALL: [KriCode; 6] = [
        KriCode::OverdueReceivables,
        KriCode::Overdue90Share,
        KriCode::CreditLimitBreaches,
        KriCode::ProjectsRed,
        KriCode::ProjectsSpiBelow,
        KriCode::OrderExceptionsMonth,
    ];
    pub fn code(self) -> &'static str {
        match self {
            KriCode::OverdueReceivables => "overdue_receivables",
            KriCode::Overdue90Share => "overdue_90_share",
            KriCode::CreditLimitBreaches => "credit_limit_breaches",
            KriCode::ProjectsRed => "projects_red",
            KriCode::ProjectsSpiBelow => "projects_spi_below",
            KriCode::OrderExceptionsMonth => "order_exceptions_month",
        }
    }
    pub fn parse(s: &str) -> Option<KriCode> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            KriCode::OverdueReceivables => K::RiskMonKriOverdueReceivables,
            KriCode::Overdue90Share => K::RiskMonKriOverdue90Share,
            KriCode::CreditLimitBreaches => K::RiskMonKriCreditLimitBreaches,
            KriCode::ProjectsRed => K::RiskMonKriProjectsRed,
            KriCode::ProjectsSpiBelow => K::RiskMonKriProjectsSpiBelow,
            KriCode::OrderExceptionsMonth => K::RiskMonKriOrderExceptionsMonth,
        }
    }
    /// What the indicator measures, in a sentence.
    pub fn help(self) -> K {
        match self {
            KriCode::OverdueReceivables => K::RiskMonKriOverdueReceivablesHelp,
            KriCode::Overdue90Share => K::RiskMonKriOverdue90ShareHelp,
            KriCode::CreditLimitBreaches => K::RiskMonKriCreditLimitBreachesHelp,
            KriCode::ProjectsRed => K::RiskMonKriProjectsRedHelp,
            KriCode::ProjectsSpiBelow => K::RiskMonKriProjectsSpiBelowHelp,
            KriCode::OrderExceptionsMonth => K::RiskMonKriOrderExceptionsMonthHelp,
        }
    }
    pub fn unit(self) -> Unit {
        match self {
            KriCode::OverdueReceivables => Unit::Minor,
            KriCode::Overdue90Share => Unit::Bp,
            _ => Unit::Count,
        }
    }
    /// Default (warning, breach) thresholds of a new indicator.
    pub fn default_thresholds(self) -> (i64, i64) {
        match self {
            // ¥500,000 / ¥1,000,000 overdue
            KriCode::OverdueReceivables => (50_000_000, 100_000_000),
            // 10 % / 20 % of the open amount more than 90 days overdue
            KriCode::Overdue90Share => (1_000, 2_000),
            KriCode::CreditLimitBreaches => (1, 3),
            KriCode::ProjectsRed => (1, 2),
            KriCode::ProjectsSpiBelow => (1, 3),
            KriCode::OrderExceptionsMonth => (3, 6),
        }
    }
}

/// An indicator's status from its value: higher is worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KriStatus {
    Ok,
    Warning,
    Breached,
}

impl KriStatus {
    pub fn code(self) -> &'static str {
        match self {
            KriStatus::Ok => "ok",
            KriStatus::Warning => "warning",
            KriStatus::Breached => "breached",
        }
    }
    pub fn parse(s: &str) -> Option<KriStatus> {
        match s {
            "ok" => Some(KriStatus::Ok),
            "warning" => Some(KriStatus::Warning),
            "breached" => Some(KriStatus::Breached),
            _ => None,
        }
    }
    pub fn key(self) -> K {
        match self {
            KriStatus::Ok => K::RiskMonStatusOk,
            KriStatus::Warning => K::RiskMonStatusWarning,
            KriStatus::Breached => K::RiskMonStatusBreached,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            KriStatus::Ok => Tone::Good,
            KriStatus::Warning => Tone::Warn,
            KriStatus::Breached => Tone::Bad,
        }
    }
}

/// 5.3-a: the status of a value against the thresholds (higher is worse): at
/// or above the breach threshold it is breached, at or above the warning
/// threshold a warning, else ok.
pub fn status_of(value: i64, warn: i64, breach: i64) -> KriStatus {
    if value >= breach {
        KriStatus::Breached
    } else if value >= warn {
        KriStatus::Warning
    } else {
        KriStatus::Ok
    }
}

/// Share in basis points of `part` in `whole` (0 when the whole is 0).
pub fn share_bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { ((part as i128 * 10_000) / whole as i128) as i64 }
}

fn grouped(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A value in its unit as text: "¥1,234,567.89", "12.50%", "3".
pub fn format_value(unit: Unit, v: i64) -> String {
    match unit {
        Unit::Minor => format!("¥{}.{:02}", grouped(v / 100), (v % 100).abs()),
        Unit::Bp => format!("{}.{:02}%", v / 100, (v % 100).abs()),
        Unit::Count => grouped(v),
    }
}

/// Parses a threshold typed in the indicator's unit (yuan, percent or a
/// count) into the stored unit; `None` when it is not a number ≥ 0.
pub fn parse_threshold(unit: Unit, s: &str) -> Option<i64> {
    let s = s.trim().replace([',', '¥', '%'], "");
    if s.is_empty() {
        return None;
    }
    let scaled = |s: &str, places: u32| -> Option<i64> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if frac.len() > places as usize || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f = frac.to_string();
        while f.len() < places as usize {
            f.push('0');
        }
        let f: i64 = if f.is_empty() { 0 } else { f.parse().ok()? };
        int.checked_mul(10i64.pow(places))?.checked_add(f)
    };
    match unit {
        Unit::Minor | Unit::Bp => scaled(&s, 2),
        Unit::Count => scaled(&s, 0),
    }
}

/// A threshold as typed in a form (without symbols).
pub fn threshold_input(unit: Unit, v: i64) -> String {
    match unit {
        Unit::Minor | Unit::Bp => format!("{}.{:02}", v / 100, v % 100),
        Unit::Count => v.to_string(),
    }
}

/// The breach in words for notes and escalations (stored text, shown as is,
/// so both languages): "逾期应收账款 / Overdue receivables: ¥1,200,000.00 ≥ ¥1,000,000.00".
pub fn breach_detail(code: KriCode, value: i64, breach: i64) -> String {
    let u = code.unit();
    format!("{} / {}: {} ≥ {}", Lang::Zh.t(code.key()), Lang::En.t(code.key()), format_value(u, value), format_value(u, breach))
}

/// One indicator as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Indicator {
    pub id: i64,
    pub code: String,
    pub risk_id: Option<i64>,
    pub risk_number: Option<String>,
    pub risk_name: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub warn_threshold: i64,
    pub breach_threshold: i64,
    pub last_value: Option<i64>,
    pub last_status: Option<String>,
    pub last_evaluated_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl Indicator {
    pub fn kri(&self) -> Option<KriCode> {
        KriCode::parse(&self.code)
    }
    pub fn status(&self) -> Option<KriStatus> {
        self.last_status.as_deref().and_then(KriStatus::parse)
    }
    pub fn unit(&self) -> Unit {
        self.kri().map(|k| k.unit()).unwrap_or(Unit::Count)
    }
    pub fn name(&self, lang: Lang) -> String {
        self.kri().map(|k| lang.t(k.key()).to_string()).unwrap_or_else(|| self.code.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct IndicatorValue {
    pub id: i64,
    pub measured_at: DateTime<Utc>,
    pub value: i64,
    pub status: String,
}

/// One escalation of a risk (5.3-d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EscalationRow {
    pub id: i64,
    pub risk_id: Option<i64>,
    pub risk_number: Option<String>,
    pub risk_name: Option<String>,
    pub reason: String,
    pub from_level: Option<String>,
    pub to_level: Option<String>,
    pub detail: String,
    pub escalated_to_name: String,
    pub escalated_at: DateTime<Utc>,
}

pub fn reason_key(reason: &str) -> K {
    if reason == "kri_breach" { K::RiskMonReasonKri } else { K::RiskMonReasonLevel }
}

/// A risk named in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskRef {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub score: Option<i64>,
    /// Level code (when scored).
    pub level: Option<String>,
}

/// A level change of a risk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelChange {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub from: Option<String>,
    pub to: String,
}

/// A measure past its due date and not done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueMeasure {
    pub risk_id: i64,
    pub risk_number: String,
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

/// A count per level (level code, count), in the order low → critical.
pub type LevelCounts = Vec<(String, i64)>;

pub fn level_counts(counts: &[i64; 4]) -> LevelCounts {
    Level::ALL.iter().zip(counts).map(|(l, n)| (l.code().to_string(), *n)).collect()
}

/// Counts per level from (score, count) pairs.
pub fn counts_by_level(bands: &Bands, rows: &[(i64, i64)]) -> [i64; 4] {
    let mut out = [0i64; 4];
    for (score, n) in rows {
        let i = Level::ALL.iter().position(|l| *l == bands.level(*score)).unwrap_or(0);
        out[i] += n;
    }
    out
}

/// 5.3-b: what a department report records (as of its creation or submission).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeptSnapshot {
    pub taken_at: Option<DateTime<Utc>>,
    /// Open risks by current level.
    pub by_level: LevelCounts,
    pub unassessed: i64,
    pub new_risks: i64,
    pub closed_risks: i64,
    pub level_changes: Vec<LevelChange>,
    pub top: Vec<RiskRef>,
    pub overdue_measures: Vec<OverdueMeasure>,
    pub overdue_measures_total: i64,
    pub escalations: Vec<EscalationRow>,
}

/// A count per named group (category or department) and level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupCount {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub by_level: LevelCounts,
}

impl GroupCount {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
    pub fn total(&self) -> i64 {
        self.by_level.iter().map(|x| x.1).sum()
    }
}

/// An indicator in breach when the report was issued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreachedKri {
    pub id: i64,
    pub code: String,
    pub value: i64,
    pub breach_threshold: i64,
    pub risk_number: Option<String>,
}

/// Changes since the previous warning report (5.3-c).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// When the previous report was issued (none: this is the first).
    pub since: Option<DateTime<Utc>>,
    pub since_number: Option<String>,
    pub new_total: i64,
    pub new: Vec<RiskRef>,
    pub rose: Vec<LevelChange>,
    pub fell: Vec<LevelChange>,
    pub closed_total: i64,
    pub closed: Vec<RiskRef>,
}

/// 5.3-c: the company risk warning report's frozen figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarningSnapshot {
    pub taken_at: DateTime<Utc>,
    pub inherent: HeatMapData,
    pub residual: HeatMapData,
    pub by_level: LevelCounts,
    pub by_category: Vec<GroupCount>,
    pub by_department: Vec<GroupCount>,
    pub top: Vec<RiskRef>,
    pub changes: Changes,
    pub breached: Vec<BreachedKri>,
    pub overdue_measures: Vec<OverdueMeasure>,
    pub overdue_measures_total: i64,
    pub escalations_total: i64,
    pub escalations: Vec<EscalationRow>,
}

/// A department report as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeptReportRow {
    pub id: i64,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub period: String,
    pub status: String,
    pub submitted_by_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl DeptReportRow {
    pub fn department(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.department_zh,
            Lang::En => &self.department_en,
        }
    }
}

/// A warning report as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WarningRow {
    pub id: i64,
    pub number: String,
    pub period: String,
    pub issued_by_name: String,
    pub issued_at: DateTime<Utc>,
}

/// Length limits of the reports' texts.
pub const SUMMARY_MAX: usize = 4000;

/// 'YYYY-MM' (a month) when valid.
pub fn parse_period(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    ((2000..=2100).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The first day of the period's month and of the month after.
pub fn period_bounds(y: i32, m: u32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
    let end = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    (start, end.unwrap_or_default())
}

pub fn period_of(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_thresholds_higher_is_worse() {
        assert_eq!(status_of(0, 3, 6), KriStatus::Ok);
        assert_eq!(status_of(2, 3, 6), KriStatus::Ok);
        assert_eq!(status_of(3, 3, 6), KriStatus::Warning);
        assert_eq!(status_of(5, 3, 6), KriStatus::Warning);
        assert_eq!(status_of(6, 3, 6), KriStatus::Breached);
        assert_eq!(status_of(100_000_001, 50_000_000, 100_000_000), KriStatus::Breached);
        // A warning threshold equal to the breach one: nothing in between.
        assert_eq!(status_of(4, 4, 4), KriStatus::Breached);
    }

    #[test]
    fn shares_and_units() {
        assert_eq!(share_bp(25, 100), 2_500);
        assert_eq!(share_bp(1, 3), 3_333);
        assert_eq!(share_bp(5, 0), 0);
        assert_eq!(format_value(Unit::Minor, 123_456_789), "¥1,234,567.89");
        assert_eq!(format_value(Unit::Bp, 1_250), "12.50%");
        assert_eq!(format_value(Unit::Count, 12_345), "12,345");
        assert_eq!(parse_threshold(Unit::Minor, "¥1,000,000"), Some(100_000_000));
        assert_eq!(parse_threshold(Unit::Minor, "12.5"), Some(1_250));
        assert_eq!(parse_threshold(Unit::Bp, "20%"), Some(2_000));
        assert_eq!(parse_threshold(Unit::Count, "3"), Some(3));
        assert_eq!(parse_threshold(Unit::Count, "3.5"), None);
        assert_eq!(parse_threshold(Unit::Count, "-1"), None);
        assert_eq!(parse_threshold(Unit::Minor, ""), None);
        assert_eq!(threshold_input(Unit::Minor, 100_000_000), "1000000.00");
        assert_eq!(parse_threshold(Unit::Minor, &threshold_input(Unit::Minor, 123_45)), Some(123_45));
    }

    #[test]
    fn periods_and_levels() {
        assert_eq!(parse_period("2026-11"), Some((2026, 11)));
        assert_eq!(parse_period("2026-13"), None);
        assert_eq!(parse_period("26-1"), None);
        let (s, e) = period_bounds(2026, 12);
        assert_eq!((s.to_string(), e.to_string()), ("2026-12-01".into(), "2027-01-01".into()));
        let b = Bands::default();
        // scores 4 (low) ×2, 9 (medium), 16 (high) ×3, 25 (critical)
        let c = counts_by_level(&b, &[(4, 2), (9, 1), (16, 3), (25, 1)]);
        assert_eq!(c, [2, 1, 3, 1]);
        assert_eq!(level_counts(&c)[3], ("critical".to_string(), 1));
        for k in KriCode::ALL {
            let (w, br) = k.default_thresholds();
            assert!(br > w, "{}", k.code());
            assert_eq!(KriCode::parse(k.code()), Some(k));
        }
    }
}
