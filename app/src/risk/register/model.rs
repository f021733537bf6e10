//! Register and assessment (5.1): the types the pages and the server share, the
//! validation of forms and the pure calculations (expected loss, the score that
//! counts, quarters of assessment rounds), unit-tested without a database.
use crate::core::error::{AppError, Checks};
use crate::core::i18n::K;
use crate::core::list::Page;
use crate::core::money::Money;
use crate::risk::model::{AssessmentKind, Bands, Level, RiskAccess, RiskStatus};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Expected loss = probability × loss (5.1-c quantitative estimate), with the
/// probability in basis points (0..=10000), rounded half up to the minor unit.
pub fn expected_loss(probability_bp: i64, loss_minor: i64) -> i64 {
    let p = probability_bp.clamp(0, 10_000) as i128;
    ((loss_minor as i128 * p + 5_000) / 10_000) as i64
}

/// "12.5" or "12.5 %" → 1250 basis points; at most two decimals, 0..=100.
pub fn parse_percent_bp(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() || frac.len() > 2 || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    let bp = i.checked_mul(100)?.checked_add(f)?;
    (bp <= 10_000).then_some(bp)
}

/// "12.50 %" from basis points.
pub fn percent_text(bp: i64) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

/// The score that counts (5.1-c): the residual score when a residual
/// assessment exists, else the inherent one.
pub fn current_score(inherent: Option<i64>, residual: Option<i64>) -> Option<i64> {
    residual.or(inherent)
}

/// The status after an assessment: an identified risk becomes assessed; later
/// stages stay as they are.
pub fn status_after_assessment(s: RiskStatus) -> RiskStatus {
    if s == RiskStatus::Identified { RiskStatus::Assessed } else { s }
}

/// The calendar quarter of a date, "2026-Q4".
pub fn quarter_of(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

/// The first day of the quarter of `d`.
pub fn quarter_start(d: NaiveDate) -> NaiveDate {
    let m = (d.month() - 1) / 3 * 3 + 1;
    NaiveDate::from_ymd_opt(d.year(), m, 1).unwrap_or(d)
}

/// The first day of the quarter before the quarter of `d`.
pub fn previous_quarter_start(d: NaiveDate) -> NaiveDate {
    let s = quarter_start(d);
    quarter_start(s.pred_opt().unwrap_or(s))
}

// ===== categories (5.1-b) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub builtin: bool,
    pub active: bool,
    pub sort: i64,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CategoryData {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// Validates a category (code: lower-case letters, digits and `_`, from a letter).
pub fn validate_category(code: &str, name_zh: &str, name_en: &str) -> Result<CategoryData, AppError> {
    let mut c = Checks::new();
    let code = code.trim().to_string();
    c.require("code", &code);
    c.max_len("code", &code, 40);
    let well_formed = code.chars().next().is_some_and(|x| x.is_ascii_lowercase())
        && code.chars().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_');
    if !code.is_empty() && !well_formed {
        c.add("code", K::ValCode);
    }
    let (zh, en) = (name_zh.trim().to_string(), name_en.trim().to_string());
    c.require("name_zh", &zh);
    c.max_len("name_zh", &zh, 60);
    c.require("name_en", &en);
    c.max_len("name_en", &en, 60);
    c.finish()?;
    Ok(CategoryData { code, name_zh: zh, name_en: en })
}

// ===== the register =====

/// A row of the register list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RiskRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub category_zh: String,
    pub category_en: String,
    pub department_zh: String,
    pub department_en: String,
    pub owner_name: String,
    pub inherent_score: Option<i64>,
    pub residual_score: Option<i64>,
    pub current_score: Option<i64>,
}

impl RiskRow {
    pub fn status(&self) -> RiskStatus {
        RiskStatus::parse(&self.status).unwrap_or(RiskStatus::Identified)
    }
}

/// One risk with the names of what it links to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Risk {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub description: String,
    pub source: String,
    pub category_id: i64,
    pub category_zh: String,
    pub category_en: String,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub project_id: Option<i64>,
    pub project_number: Option<String>,
    pub project_name: Option<String>,
    pub round_id: Option<i64>,
    pub round_name: Option<String>,
    pub status: String,
    pub inherent_likelihood: Option<i64>,
    pub inherent_impact: Option<i64>,
    pub inherent_score: Option<i64>,
    pub residual_likelihood: Option<i64>,
    pub residual_impact: Option<i64>,
    pub residual_score: Option<i64>,
    pub current_score: Option<i64>,
    pub probability_bp: Option<i64>,
    pub loss_minor: Option<i64>,
    pub expected_loss_minor: Option<i64>,
    pub last_assessed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_reason: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl Risk {
    pub fn status(&self) -> RiskStatus {
        RiskStatus::parse(&self.status).unwrap_or(RiskStatus::Identified)
    }
}

/// One assessment in a risk's history (5.1-c, 5.2-e).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Assessment {
    pub id: i64,
    pub kind: String,
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub level: String,
    pub probability_bp: Option<i64>,
    pub loss_minor: Option<i64>,
    pub expected_loss_minor: Option<i64>,
    pub rationale: String,
    pub round_name: Option<String>,
    pub assessed_by_name: String,
    pub assessed_at: DateTime<Utc>,
}

impl Assessment {
    pub fn kind(&self) -> AssessmentKind {
        AssessmentKind::parse(&self.kind).unwrap_or(AssessmentKind::Inherent)
    }
    pub fn level(&self) -> Level {
        Level::parse(&self.level).unwrap_or(Level::Low)
    }
}

/// The trend (5.1-c): after each assessment, the inherent and residual score in
/// force — what the chart draws and its table lists.
pub fn trend(history_oldest_first: &[Assessment]) -> Vec<(DateTime<Utc>, Option<i64>, Option<i64>)> {
    let (mut inh, mut res) = (None, None);
    history_oldest_first
        .iter()
        .map(|a| {
            match a.kind() {
                AssessmentKind::Inherent => inh = Some(a.score),
                AssessmentKind::Residual => res = Some(a.score),
            }
            (a.assessed_at, inh, res)
        })
        .collect()
}

/// The register form as posted (all text; validated on the server).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskInput {
    pub name: String,
    pub description: String,
    pub source: String,
    pub category_id: String,
    pub department_id: String,
    pub owner_id: String,
    pub customer_id: String,
    pub contract_id: String,
    pub project_id: String,
    pub round_id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskData {
    pub name: String,
    pub description: String,
    pub source: String,
    pub category_id: i64,
    pub department_id: i64,
    pub owner_id: i64,
    pub customer_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub project_id: Option<i64>,
    pub round_id: Option<i64>,
}

fn opt_id(c: &mut Checks, field: &str, s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            c.add(field, K::ValInvalid);
            None
        }
    }
}

fn req_id(c: &mut Checks, field: &str, s: &str) -> i64 {
    if s.trim().is_empty() {
        c.add(field, K::ValRequired);
        return 0;
    }
    opt_id(c, field, s).unwrap_or(0)
}

impl RiskInput {
    pub fn from_risk(r: &Risk) -> RiskInput {
        let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        RiskInput {
            name: r.name.clone(),
            description: r.description.clone(),
            source: r.source.clone(),
            category_id: r.category_id.to_string(),
            department_id: r.department_id.to_string(),
            owner_id: r.owner_id.to_string(),
            customer_id: o(r.customer_id),
            contract_id: o(r.contract_id),
            project_id: o(r.project_id),
            round_id: o(r.round_id),
        }
    }

    pub fn validate(&self) -> Result<RiskData, AppError> {
        let mut c = Checks::new();
        let name = self.name.trim().to_string();
        c.require("name", &name);
        c.max_len("name", &name, 200);
        let description = self.description.trim().to_string();
        c.max_len("description", &description, 4000);
        let source = self.source.trim().to_string();
        c.max_len("source", &source, 1000);
        let category_id = req_id(&mut c, "category_id", &self.category_id);
        let department_id = req_id(&mut c, "department_id", &self.department_id);
        let owner_id = req_id(&mut c, "owner_id", &self.owner_id);
        let customer_id = opt_id(&mut c, "customer_id", &self.customer_id);
        let contract_id = opt_id(&mut c, "contract_id", &self.contract_id);
        let project_id = opt_id(&mut c, "project_id", &self.project_id);
        let round_id = opt_id(&mut c, "round_id", &self.round_id);
        c.finish()?;
        Ok(RiskData { name, description, source, category_id, department_id, owner_id, customer_id, contract_id, project_id, round_id })
    }
}

/// The assessment form as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessInput {
    /// "inherent" or "residual".
    pub kind: String,
    pub likelihood: String,
    pub impact: String,
    /// Optional probability in per cent ("12.5").
    pub probability: String,
    /// Optional loss if it happens (yuan).
    pub loss: String,
    pub rationale: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AssessData {
    pub kind: AssessmentKind,
    pub likelihood: i64,
    pub impact: i64,
    pub probability_bp: Option<i64>,
    pub loss_minor: Option<i64>,
    pub rationale: String,
}

impl AssessData {
    pub fn score(&self) -> i64 {
        self.likelihood * self.impact
    }
    /// Both probability and loss given → their product; else none.
    pub fn expected_loss_minor(&self) -> Option<i64> {
        Some(expected_loss(self.probability_bp?, self.loss_minor?))
    }
}

impl AssessInput {
    pub fn validate(&self) -> Result<AssessData, AppError> {
        let mut c = Checks::new();
        let kind = AssessmentKind::parse(self.kind.trim()).unwrap_or_else(|| {
            c.add("kind", K::ValInvalid);
            AssessmentKind::Inherent
        });
        let scale = |c: &mut Checks, field: &str, s: &str| -> i64 {
            match s.trim().parse::<i64>() {
                Ok(v) if (1..=5).contains(&v) => v,
                _ => {
                    c.add(field, if s.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
                    1
                }
            }
        };
        let likelihood = scale(&mut c, "likelihood", &self.likelihood);
        let impact = scale(&mut c, "impact", &self.impact);
        let probability_bp = if self.probability.trim().is_empty() {
            None
        } else {
            let p = parse_percent_bp(&self.probability);
            if p.is_none() {
                c.add("probability", K::RiskRegValPercent);
            }
            p
        };
        let loss_minor = if self.loss.trim().is_empty() {
            None
        } else {
            match Money::parse(self.loss.trim(), "CNY") {
                Ok(m) if m.minor >= 0 => Some(m.minor),
                _ => {
                    c.add("loss", K::RiskRegValAmount);
                    None
                }
            }
        };
        let rationale = self.rationale.trim().to_string();
        c.require("rationale", &rationale);
        c.max_len("rationale", &rationale, 2000);
        c.finish()?;
        Ok(AssessData { kind, likelihood, impact, probability_bp, loss_minor, rationale })
    }
}

/// A choice in a select: id and label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

/// A department in a select or a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Dept {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A person and their department (owners are people of the risk's department).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Person {
    pub id: i64,
    pub display_name: String,
    pub department_id: i64,
}

/// What the register list shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterView {
    pub page: Page<RiskRow>,
    pub bands: Bands,
    pub categories: Vec<Category>,
    pub departments: Vec<Dept>,
    pub owners: Vec<Person>,
}

/// What the register form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskFormData {
    pub risk: Option<Risk>,
    pub categories: Vec<Category>,
    /// The departments the user may register risks for (their own, or all for the risk office).
    pub departments: Vec<Dept>,
    pub people: Vec<Person>,
    pub customers: Vec<Choice>,
    pub contracts: Vec<Choice>,
    pub projects: Vec<Choice>,
    pub rounds: Vec<Choice>,
    pub own_department_id: i64,
}

/// What a risk's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskView {
    pub risk: Risk,
    pub access: RiskAccess,
    pub bands: Bands,
    /// Newest first.
    pub history: Vec<Assessment>,
    pub open_rounds: Vec<Choice>,
    pub time_zone: String,
}

// ===== assessment rounds (5.1-a) =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundDeptStatus {
    Pending,
    Submitted,
    Returned,
}

impl RoundDeptStatus {
    pub fn parse(s: &str) -> RoundDeptStatus {
        match s {
            "submitted" => RoundDeptStatus::Submitted,
            "returned" => RoundDeptStatus::Returned,
            _ => RoundDeptStatus::Pending,
        }
    }
    pub fn key(self) -> K {
        match self {
            RoundDeptStatus::Pending => K::RiskRegRdPending,
            RoundDeptStatus::Submitted => K::RiskRegRdSubmitted,
            RoundDeptStatus::Returned => K::RiskRegRdReturned,
        }
    }
    pub fn tone(self) -> crate::core::ui::Tone {
        use crate::core::ui::Tone;
        match self {
            RoundDeptStatus::Pending => Tone::Warn,
            RoundDeptStatus::Submitted => Tone::Good,
            RoundDeptStatus::Returned => Tone::Bad,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
    pub note: String,
    pub opened_by_name: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Participating departments and how many submitted.
    pub departments: i64,
    pub submitted: i64,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

/// A department's progress in a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RoundDept {
    pub id: i64,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub status: String,
    pub risk_count: i64,
    pub comment: String,
    pub submitted_by_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Open risks of the department now, and those assessed since the round started.
    pub open_risks: i64,
    pub assessed: i64,
}

impl RoundDept {
    pub fn status(&self) -> RoundDeptStatus {
        RoundDeptStatus::parse(&self.status)
    }
}

/// The round form as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundInput {
    pub name: String,
    pub period: String,
    pub starts_on: String,
    pub due_on: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RoundData {
    pub name: String,
    pub period: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub note: String,
}

impl RoundInput {
    pub fn validate(&self) -> Result<RoundData, AppError> {
        let mut c = Checks::new();
        let name = self.name.trim().to_string();
        c.require("name", &name);
        c.max_len("name", &name, 100);
        let period = self.period.trim().to_string();
        c.require("period", &period);
        c.max_len("period", &period, 20);
        let date = |c: &mut Checks, f: &str, s: &str| match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                c.add(f, if s.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
                None
            }
        };
        let starts_on = date(&mut c, "starts_on", &self.starts_on);
        let due_on = date(&mut c, "due_on", &self.due_on);
        if let (Some(s), Some(d)) = (starts_on, due_on)
            && d < s
        {
            c.add("due_on", K::RiskRegValDueBeforeStart);
        }
        let note = self.note.trim().to_string();
        c.max_len("note", &note, 2000);
        c.finish()?;
        let (Some(starts_on), Some(due_on)) = (starts_on, due_on) else { return Err(AppError::Internal) };
        Ok(RoundData { name, period, starts_on, due_on, note })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundsView {
    pub rounds: Vec<Round>,
    pub can_open: bool,
    /// For the form: active departments (default all ticked but the admin-like ones).
    pub departments: Vec<Dept>,
    pub today: NaiveDate,
}

/// A risk of a department that has no assessment since a round started (5.1-a).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Unassessed {
    pub id: i64,
    pub number: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub round: Round,
    pub departments: Vec<RoundDept>,
    pub risk_office: bool,
    /// The viewer's department's row, when the viewer is its manager (may submit).
    pub my_row: Option<i64>,
    /// Open risks of the viewer's department not assessed since the round started.
    pub my_unassessed: Vec<Unassessed>,
    pub time_zone: String,
}

/// Departments that take part by default: every active one except the
/// administrative ones with no operational risks of their own (HR runs the
/// system's administration here) — the risk office ticks what it wants.
pub fn default_participant(code: &str) -> bool {
    code != "hr"
}

/// A project plan risk's register link, as the plan page shows it (2.4.3-d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterLink {
    pub risk_id: i64,
    pub number: String,
    pub level: Option<Level>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_loss_is_probability_times_loss() {
        // 30 % of ¥2,000,000.00 = ¥600,000.00
        assert_eq!(expected_loss(3_000, 200_000_000), 60_000_000);
        // 12.5 % of ¥10.00 = ¥1.25
        assert_eq!(expected_loss(1_250, 1_000), 125);
        // rounding half up: 0.05 % of ¥0.10 = 0.005 → 0.01
        assert_eq!(expected_loss(5, 10), 0);
        assert_eq!(expected_loss(50, 100), 1);
        assert_eq!(expected_loss(10_000, 7), 7);
        assert_eq!(expected_loss(0, 1_000_000), 0);
    }

    #[test]
    fn percents() {
        assert_eq!(parse_percent_bp("12.5"), Some(1250));
        assert_eq!(parse_percent_bp("12.5 %"), Some(1250));
        assert_eq!(parse_percent_bp("100"), Some(10_000));
        assert_eq!(parse_percent_bp("0.05"), Some(5));
        assert_eq!(parse_percent_bp("100.01"), None);
        assert_eq!(parse_percent_bp("1.234"), None);
        assert_eq!(parse_percent_bp("-3"), None);
        assert_eq!(parse_percent_bp("abc"), None);
        assert_eq!(percent_text(1250), "12.50 %");
    }

    #[test]
    fn current_score_prefers_residual() {
        assert_eq!(current_score(Some(16), None), Some(16));
        assert_eq!(current_score(Some(16), Some(6)), Some(6));
        assert_eq!(current_score(None, None), None);
        assert_eq!(status_after_assessment(RiskStatus::Identified), RiskStatus::Assessed);
        assert_eq!(status_after_assessment(RiskStatus::Monitoring), RiskStatus::Monitoring);
    }

    #[test]
    fn quarters() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        assert_eq!(quarter_of(d), "2026-Q4");
        assert_eq!(quarter_start(d), NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"));
        assert_eq!(previous_quarter_start(d), NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"));
        let j = NaiveDate::from_ymd_opt(2027, 2, 10).expect("date");
        assert_eq!(previous_quarter_start(j), NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"));
    }

    #[test]
    fn assessment_validation() {
        let ok = AssessInput {
            kind: "inherent".into(),
            likelihood: "4".into(),
            impact: "4".into(),
            probability: "30".into(),
            loss: "2,000,000".into(),
            rationale: "大客户回款已逾期 60 天".into(),
        };
        let d = ok.validate().expect("valid");
        assert_eq!(d.score(), 16);
        assert_eq!(Bands::default().level(d.score()), Level::High);
        assert_eq!(d.expected_loss_minor(), Some(60_000_000));
        let bad = AssessInput { likelihood: "6".into(), impact: String::new(), probability: "120".into(), rationale: " ".into(), ..ok.clone() };
        match bad.validate() {
            Err(e) => {
                for f in ["likelihood", "impact", "probability", "rationale"] {
                    assert!(e.field_error(f).is_some(), "{f}");
                }
            }
            Ok(_) => panic!("should fail"),
        }
        let no_quant = AssessInput { probability: String::new(), ..ok };
        assert_eq!(no_quant.validate().expect("valid").expected_loss_minor(), None);
    }

    #[test]
    fn trend_carries_the_other_kind() {
        let at = |d: i64| DateTime::from_timestamp(1_700_000_000 + d * 86_400, 0).expect("time");
        let a = |kind: &str, score: i64, d: i64| Assessment {
            id: d,
            kind: kind.into(),
            likelihood: 1,
            impact: score,
            score,
            level: "low".into(),
            probability_bp: None,
            loss_minor: None,
            expected_loss_minor: None,
            rationale: String::new(),
            round_name: None,
            assessed_by_name: String::new(),
            assessed_at: at(d),
        };
        let t = trend(&[a("inherent", 16, 1), a("residual", 9, 2), a("residual", 4, 3), a("inherent", 20, 4)]);
        assert_eq!(t.iter().map(|x| (x.1, x.2)).collect::<Vec<_>>(), vec![(Some(16), None), (Some(16), Some(9)), (Some(16), Some(4)), (Some(20), Some(4))]);
    }

    #[test]
    fn register_and_round_validation() {
        let e = RiskInput { name: " ".into(), category_id: "x".into(), ..RiskInput::default() }.validate().expect_err("invalid");
        for f in ["name", "category_id", "department_id", "owner_id"] {
            assert!(e.field_error(f).is_some(), "{f}");
        }
        let r = RoundInput { name: "2026 年第四季度风险评估".into(), period: "2026-Q4".into(), starts_on: "2026-10-08".into(), due_on: "2026-10-01".into(), note: String::new() };
        assert!(r.validate().expect_err("due before start").field_error("due_on").is_some());
        assert!(validate_category("Bad Code", "x", "y").expect_err("bad").field_error("code").is_some());
        assert!(validate_category("supply_chain", "供应链风险", "Supply chain risk").is_ok());
    }
}
