//! Customer credit evaluation (5.2-c): the scoring model, ratings, suggested
//! limits, the evaluation's workflow and the receivables ageing with the
//! bad-debt provision. Pure: no database, unit-tested with worked examples.
//!
//! # The scoring model
//! A score of 0–100 from five parts (maximum points in brackets):
//!
//! - **Payment history (35)**: the share of the amount paid on receivables that
//!   are settled which arrived by its due date (`on_time_bp`, basis points):
//!   `round(35 × on_time_bp / 10 000)`. A customer that has never paid a
//!   receivable has no history: the 35 points are taken from the rated factors
//!   instead (see below), so a new customer is judged on the evaluator's rating.
//! - **Overdue (15)**: from the worst overdue days of its open receivables:
//!   none overdue 15, 1–30 days 10, 31–60 days 6, 61–90 days 3, over 90 days 0;
//!   halved (rounded down) when the overdue amount exceeds a quarter of the
//!   signed contract volume of the last 12 months (or anything is overdue and
//!   nothing was signed).
//! - **Volume (15)**: contracts signed in the last 12 months: ≥ ¥5 million 15,
//!   ≥ ¥1 million 12, ≥ ¥500,000 9, ≥ ¥100,000 6, anything 3, nothing 0.
//! - **Tenure (10)**: 2 points per full year as a customer, at most 10.
//! - **Rated factors (25)**: financial standing, management quality and
//!   industry outlook, each 1 (poor) to 5 (excellent): with `s` their sum
//!   (3–15), `round(25 × (s − 3) / 12)`. Without payment history they weigh 60:
//!   `round(60 × (s − 3) / 12)` in place of the payment and factor parts.
//!
//! Ratings: AAA ≥ 90, AA ≥ 80, A ≥ 70, BBB ≥ 60, BB ≥ 50, B ≥ 40, C below.
//!
//! # The suggested limit
//! The larger of a share of the 12-month volume (AAA 50 %, AA 40 %, A 30 %,
//! BBB 20 %, BB 10 %, B 5 %) and a floor for customers with little volume (AAA
//! ¥1,000,000, AA ¥500,000, A ¥300,000, BBB ¥200,000, BB ¥100,000, B ¥50,000),
//! rounded down to whole ¥10,000; C gets no credit (0: cash in advance).
use crate::core::i18n::K;
use crate::core::ui::Tone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest comment, note or reason.
pub const MAX_TEXT: usize = 2000;
/// ¥10,000 in minor units: limits are rounded down to this.
pub const LIMIT_STEP_MINOR: i64 = 1_000_000;
/// The largest limit an approver may set (¥10 billion), to keep sums in range.
pub const MAX_LIMIT_MINOR: i64 = 1_000_000_000_000;

/// What the data says about a customer, as of the evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Share (basis points) of the amount paid on settled receivables that was
    /// paid by the due date; `None`: nothing paid yet (no payment history).
    pub on_time_bp: Option<i64>,
    /// The worst overdue days among open receivables (0: none overdue).
    pub max_overdue_days: i64,
    /// Outstanding amount of open receivables past their due date.
    pub overdue_minor: i64,
    /// Contracts signed in the last 12 months.
    pub volume_12m_minor: i64,
    /// Full years as a customer.
    pub years_as_customer: i64,
}

/// The evaluator's rating of the three qualitative factors, each 1..=5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    pub financial_standing: i64,
    pub management_quality: i64,
    pub industry_outlook: i64,
}

impl Rated {
    pub fn sum(&self) -> i64 {
        self.financial_standing + self.management_quality + self.industry_outlook
    }
}

/// Points per part of the score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub payment: i64,
    pub overdue: i64,
    pub volume: i64,
    pub tenure: i64,
    pub rated: i64,
    /// No payment history: the payment part's weight went to the rated factors.
    pub without_history: bool,
}

impl Breakdown {
    pub fn total(&self) -> i64 {
        (self.payment + self.overdue + self.volume + self.tenure + self.rated).clamp(0, 100)
    }
}

/// Credit rating (5.2-c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Aaa,
    Aa,
    A,
    Bbb,
    Bb,
    B,
    C,
}

impl Rating {
    pub const ALL: [Rating; 7] = [Rating::Aaa, Rating::Aa, Rating::A, Rating::Bbb, Rating::Bb, Rating::B, Rating::C];
    pub fn code(self) -> &'static str {
        match self {
            Rating::Aaa => "AAA",
            Rating::Aa => "AA",
            Rating::A => "A",
            Rating::Bbb => "BBB",
            Rating::Bb => "BB",
            Rating::B => "B",
            Rating::C => "C",
        }
    }
    pub fn parse(s: &str) -> Option<Rating> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
    /// The lowest score of the rating.
    pub fn min_score(self) -> i64 {
        match self {
            Rating::Aaa => 90,
            Rating::Aa => 80,
            Rating::A => 70,
            Rating::Bbb => 60,
            Rating::Bb => 50,
            Rating::B => 40,
            Rating::C => 0,
        }
    }
    pub fn of(score: i64) -> Rating {
        Self::ALL.into_iter().find(|r| score >= r.min_score()).unwrap_or(Rating::C)
    }
    /// Share of the 12-month volume granted as credit, in percent.
    pub fn volume_pct(self) -> i64 {
        match self {
            Rating::Aaa => 50,
            Rating::Aa => 40,
            Rating::A => 30,
            Rating::Bbb => 20,
            Rating::Bb => 10,
            Rating::B => 5,
            Rating::C => 0,
        }
    }
    /// The limit a customer of this rating gets even with little volume (yuan).
    pub fn floor_yuan(self) -> i64 {
        match self {
            Rating::Aaa => 1_000_000,
            Rating::Aa => 500_000,
            Rating::A => 300_000,
            Rating::Bbb => 200_000,
            Rating::Bb => 100_000,
            Rating::B => 50_000,
            Rating::C => 0,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            Rating::Aaa | Rating::Aa | Rating::A => Tone::Good,
            Rating::Bbb | Rating::Bb => Tone::Neutral,
            Rating::B => Tone::Warn,
            Rating::C => Tone::Bad,
        }
    }
}

/// `round(num / den)` for non-negative integers.
fn div_round(num: i64, den: i64) -> i64 {
    (num + den / 2) / den
}

/// Overdue points from the worst overdue days (before the amount's halving).
pub fn overdue_points(max_overdue_days: i64) -> i64 {
    match max_overdue_days {
        d if d <= 0 => 15,
        1..=30 => 10,
        31..=60 => 6,
        61..=90 => 3,
        _ => 0,
    }
}

/// Volume points from the 12-month signed volume (minor units, CNY).
pub fn volume_points(volume_minor: i64) -> i64 {
    let yuan = volume_minor / 100;
    match yuan {
        y if y >= 5_000_000 => 15,
        y if y >= 1_000_000 => 12,
        y if y >= 500_000 => 9,
        y if y >= 100_000 => 6,
        _ if volume_minor > 0 => 3,
        _ => 0,
    }
}

/// The score's parts (see the module's documentation).
pub fn breakdown(f: &Facts, r: &Rated) -> Breakdown {
    let s = (r.sum() - 3).clamp(0, 12);
    let mut overdue = overdue_points(f.max_overdue_days);
    if f.overdue_minor > 0 && (f.volume_12m_minor == 0 || f.overdue_minor.saturating_mul(4) > f.volume_12m_minor) {
        overdue /= 2;
    }
    let volume = volume_points(f.volume_12m_minor);
    let tenure = (f.years_as_customer.max(0) * 2).min(10);
    match f.on_time_bp {
        Some(bp) => Breakdown {
            payment: div_round(35 * bp.clamp(0, 10_000), 10_000),
            overdue,
            volume,
            tenure,
            rated: div_round(25 * s, 12),
            without_history: false,
        },
        None => Breakdown { payment: 0, overdue, volume, tenure, rated: div_round(60 * s, 12), without_history: true },
    }
}

/// The suggested limit (minor units) for a rating and 12-month volume.
pub fn suggested_limit(rating: Rating, volume_12m_minor: i64) -> i64 {
    if rating == Rating::C {
        return 0;
    }
    let share = volume_12m_minor.max(0) / 100 * rating.volume_pct();
    let raw = share.max(rating.floor_yuan() * 100);
    (raw / LIMIT_STEP_MINOR * LIMIT_STEP_MINOR).min(MAX_LIMIT_MINOR)
}

/// Score, rating and suggested limit together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scored {
    pub breakdown: Breakdown,
    pub score: i64,
    pub rating: Rating,
    pub suggested_limit_minor: i64,
}

pub fn score(f: &Facts, r: &Rated) -> Scored {
    let breakdown = breakdown(f, r);
    let score = breakdown.total();
    let rating = Rating::of(score);
    Scored { breakdown, score, rating, suggested_limit_minor: suggested_limit(rating, f.volume_12m_minor) }
}

/// Stored form of `Facts::on_time_bp`: the column is NOT NULL, so "no payment
/// history" is kept as -1.
pub fn on_time_to_db(v: Option<i64>) -> i64 {
    v.unwrap_or(-1)
}

pub fn on_time_from_db(v: i64) -> Option<i64> {
    (v >= 0).then_some(v)
}

// ---------- the workflow ----------

/// An evaluation's life: draft → submitted → approved or rejected. A draft and
/// a rejected evaluation may be edited and (re)submitted by those who prepare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvalStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

impl EvalStatus {
    pub const ALL: [EvalStatus; 4] = [EvalStatus::Draft, EvalStatus::Submitted, EvalStatus::Approved, EvalStatus::Rejected];
    pub fn code(self) -> &'static str {
        match self {
            EvalStatus::Draft => "draft",
            EvalStatus::Submitted => "submitted",
            EvalStatus::Approved => "approved",
            EvalStatus::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<EvalStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            EvalStatus::Draft => K::CreditStatusDraft,
            EvalStatus::Submitted => K::CreditStatusSubmitted,
            EvalStatus::Approved => K::CreditStatusApproved,
            EvalStatus::Rejected => K::CreditStatusRejected,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            EvalStatus::Draft => Tone::Neutral,
            EvalStatus::Submitted => Tone::Warn,
            EvalStatus::Approved => Tone::Good,
            EvalStatus::Rejected => Tone::Bad,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalAction {
    Edit,
    Submit,
    Approve,
    Reject,
}

/// The status after `action`, or the message why not.
pub fn transition(from: EvalStatus, action: EvalAction) -> Result<EvalStatus, K> {
    use EvalAction::*;
    use EvalStatus::*;
    match (from, action) {
        (Draft | Rejected, Edit) => Ok(from),
        (Draft | Rejected, Submit) => Ok(Submitted),
        (Submitted, Approve) => Ok(Approved),
        (Submitted, Reject) => Ok(Rejected),
        _ => Err(K::CreditErrWrongStatus),
    }
}

/// Who may approve or reject an evaluation: an executive, or a manager of a
/// department named in the setting — never the person who prepared it (5.2-c).
pub fn may_approve(is_executive: bool, is_manager: bool, in_approver_department: bool, viewer_id: i64, prepared_by: Option<i64>) -> bool {
    (is_executive || (is_manager && in_approver_department)) && prepared_by != Some(viewer_id)
}

/// A rated factor as typed (1..=5).
pub fn parse_factor(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|v| (1..=5).contains(v))
}

// ---------- ageing ----------

/// The ageing buckets as the sales module defines them (company today).
pub use crate::sales::orders::model::{Bucket, bucket, cutoffs};

/// Open receivables of one group by bucket (minor units).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgeingLine {
    /// Customer, department or owner id (0 on the totals row).
    pub group_id: i64,
    pub label: String,
    /// English label (departments have both names; others repeat `label`).
    pub label_en: String,
    pub currency: String,
    pub not_due: i64,
    pub d1_30: i64,
    pub d31_60: i64,
    pub d61_90: i64,
    pub over_90: i64,
    pub total: i64,
}

impl AgeingLine {
    pub fn amounts(&self) -> [i64; 5] {
        [self.not_due, self.d1_30, self.d31_60, self.d61_90, self.over_90]
    }
    /// The provision per bucket and in total.
    pub fn provision(&self, pct: &[i64; 5]) -> ([i64; 5], i64) {
        let a = self.amounts();
        let p = [0, 1, 2, 3, 4].map(|i| provision(a[i], pct[i]));
        (p, p.iter().sum())
    }
}

/// The provision on `amount` at `pct` percent, rounded half up to the minor unit.
pub fn provision(amount_minor: i64, pct: i64) -> i64 {
    if amount_minor <= 0 {
        return 0;
    }
    div_round(amount_minor.saturating_mul(pct.clamp(0, 100)), 100)
}

/// How the ageing is grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupBy {
    Customer,
    Department,
    Owner,
}

impl GroupBy {
    pub const ALL: [GroupBy; 3] = [GroupBy::Customer, GroupBy::Department, GroupBy::Owner];
    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Customer => "customer",
            GroupBy::Department => "department",
            GroupBy::Owner => "owner",
        }
    }
    pub fn parse(s: &str) -> GroupBy {
        Self::ALL.into_iter().find(|g| g.code() == s).unwrap_or(GroupBy::Customer)
    }
    pub fn key(self) -> K {
        match self {
            GroupBy::Customer => K::CreditByCustomer,
            GroupBy::Department => K::CreditByDepartment,
            GroupBy::Owner => K::CreditByOwner,
        }
    }
}

/// The ageing a viewer sees: totals (per currency) and one page of groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgeingReport {
    pub today: NaiveDate,
    pub group: GroupBy,
    /// Provision percentages per bucket (settings `risk.provision_*`).
    pub pct: [i64; 5],
    pub totals: Vec<AgeingLine>,
    pub rows: Vec<AgeingLine>,
    /// Groups in all (all pages).
    pub count: i64,
    pub next: Option<String>,
}

/// A customer whose open receivables exceed its credit limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Breach {
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub limit_minor: i64,
    pub exposure_minor: i64,
    pub rating: Option<String>,
    pub evaluation_id: Option<i64>,
}

impl Breach {
    pub fn excess(&self) -> i64 {
        self.exposure_minor - self.limit_minor
    }
}


// ---------- records ----------

/// What an evaluation needs of its customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerCredit {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub currency: String,
    pub owner_id: i64,
    pub department_id: i64,
    pub credit_limit_minor: Option<i64>,
    pub credit_rating: Option<String>,
    pub credit_evaluation_id: Option<i64>,
    pub credit_evaluated_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Evaluation {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub status: String,
    pub on_time_bp: i64,
    pub max_overdue_days: i64,
    pub overdue_minor: i64,
    pub volume_12m_minor: i64,
    pub years_as_customer: i64,
    pub financial_standing: i64,
    pub management_quality: i64,
    pub industry_outlook: i64,
    pub score: i64,
    pub rating: String,
    pub suggested_limit_minor: i64,
    pub proposed_limit_minor: i64,
    pub approved_limit_minor: Option<i64>,
    pub comments: String,
    pub review_note: String,
    pub computed_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<i64>,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_by: Option<i64>,
    pub preparer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl Evaluation {
    pub fn status(&self) -> EvalStatus {
        EvalStatus::parse(&self.status).unwrap_or(EvalStatus::Draft)
    }
    pub fn facts(&self) -> Facts {
        Facts {
            on_time_bp: on_time_from_db(self.on_time_bp),
            max_overdue_days: self.max_overdue_days,
            overdue_minor: self.overdue_minor,
            volume_12m_minor: self.volume_12m_minor,
            years_as_customer: self.years_as_customer,
        }
    }
    pub fn rated(&self) -> Rated {
        Rated {
            financial_standing: self.financial_standing,
            management_quality: self.management_quality,
            industry_outlook: self.industry_outlook,
        }
    }
}

/// A line of the evaluations list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EvalRow {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub status: String,
    pub score: i64,
    pub rating: String,
    pub proposed_limit_minor: i64,
    pub approved_limit_minor: Option<i64>,
    pub preparer_name: Option<String>,
    pub created_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// A customer without a current evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Unevaluated {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub credit_limit_minor: Option<i64>,
    pub currency: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(a: i64, b: i64, c: i64) -> Rated {
        Rated { financial_standing: a, management_quality: b, industry_outlook: c }
    }

    #[test]
    fn worked_example_a_good_long_standing_customer() {
        // 96 % paid on time, nothing overdue, ¥3.2 million signed in 12 months,
        // 6 years, rated 4/4/3.
        let f = Facts {
            on_time_bp: Some(9_600),
            max_overdue_days: 0,
            overdue_minor: 0,
            volume_12m_minor: 320_000_000,
            years_as_customer: 6,
        };
        let s = score(&f, &rated(4, 4, 3));
        // payment round(35 × 0.96) = round(33.6) = 34; overdue 15; volume 12;
        // tenure 10; rated round(25 × 8 / 12) = round(16.67) = 17 → 88.
        assert_eq!(
            s.breakdown,
            Breakdown { payment: 34, overdue: 15, volume: 12, tenure: 10, rated: 17, without_history: false }
        );
        assert_eq!((s.score, s.rating), (88, Rating::Aa));
        // AA: 40 % of ¥3.2 million = ¥1.28 million → ¥1,280,000 (already whole ¥10,000).
        assert_eq!(s.suggested_limit_minor, 128_000_000);
    }

    #[test]
    fn worked_example_a_slow_payer() {
        // 55 % on time, 75 days overdue on ¥400,000 against ¥1.2 million volume
        // (more than a quarter: halved), 2 years, rated 2/3/3.
        let f = Facts {
            on_time_bp: Some(5_500),
            max_overdue_days: 75,
            overdue_minor: 40_000_000,
            volume_12m_minor: 120_000_000,
            years_as_customer: 2,
        };
        let s = score(&f, &rated(2, 3, 3));
        // payment round(19.25) = 19; overdue 3 → 1; volume 12; tenure 4;
        // rated round(25 × 5 / 12) = round(10.42) = 10 → 46: B.
        assert_eq!((s.breakdown.payment, s.breakdown.overdue, s.breakdown.volume, s.breakdown.tenure, s.breakdown.rated), (19, 1, 12, 4, 10));
        assert_eq!((s.score, s.rating), (46, Rating::B));
        // B: 5 % of ¥1.2 million = ¥60,000, above the ¥50,000 floor.
        assert_eq!(s.suggested_limit_minor, 6_000_000);
    }

    #[test]
    fn worked_example_a_new_customer_relies_on_rated_factors() {
        // Nothing paid, nothing signed yet, rated 5/4/4 (sum 13).
        let f = Facts::default();
        let s = score(&f, &rated(5, 4, 4));
        // rated round(60 × 10 / 12) = 50; overdue 15 (none) → 65: BBB; limit = BBB floor.
        assert_eq!(s.breakdown, Breakdown { payment: 0, overdue: 15, volume: 0, tenure: 0, rated: 50, without_history: true });
        assert_eq!((s.score, s.rating, s.suggested_limit_minor), (65, Rating::Bbb, 20_000_000));
        // All factors poor: 15 → C, no credit.
        let poor = score(&f, &rated(1, 1, 1));
        assert_eq!((poor.score, poor.rating, poor.suggested_limit_minor), (15, Rating::C, 0));
    }

    #[test]
    fn ratings_and_bounds() {
        assert_eq!(Rating::of(100), Rating::Aaa);
        assert_eq!(Rating::of(90), Rating::Aaa);
        assert_eq!(Rating::of(89), Rating::Aa);
        assert_eq!(Rating::of(70), Rating::A);
        assert_eq!(Rating::of(60), Rating::Bbb);
        assert_eq!(Rating::of(59), Rating::Bb);
        assert_eq!(Rating::of(40), Rating::B);
        assert_eq!(Rating::of(39), Rating::C);
        // The best possible customer scores 100.
        let best = Facts { on_time_bp: Some(10_000), max_overdue_days: 0, overdue_minor: 0, volume_12m_minor: 900_000_000, years_as_customer: 12 };
        assert_eq!(score(&best, &rated(5, 5, 5)).score, 100);
        // The worst: 0.
        let worst = Facts { on_time_bp: Some(0), max_overdue_days: 200, overdue_minor: 1, volume_12m_minor: 0, years_as_customer: 0 };
        assert_eq!(score(&worst, &rated(1, 1, 1)).score, 0);
        assert_eq!((overdue_points(0), overdue_points(30), overdue_points(31), overdue_points(90), overdue_points(91)), (15, 10, 6, 3, 0));
        assert_eq!((volume_points(0), volume_points(1), volume_points(10_000_000), volume_points(500_000_000)), (0, 3, 6, 15));
        // Limits round down to whole ¥10,000; AAA on ¥7,777,777 → 50 % = ¥3,888,888 → ¥3,880,000.
        assert_eq!(suggested_limit(Rating::Aaa, 777_777_700), 388_000_000);
        assert_eq!(suggested_limit(Rating::C, 777_777_700), 0);
        assert_eq!(on_time_from_db(on_time_to_db(None)), None);
        assert_eq!(on_time_from_db(on_time_to_db(Some(0))), Some(0));
    }

    #[test]
    fn workflow_and_approvers() {
        assert_eq!(transition(EvalStatus::Draft, EvalAction::Submit), Ok(EvalStatus::Submitted));
        assert_eq!(transition(EvalStatus::Rejected, EvalAction::Submit), Ok(EvalStatus::Submitted));
        assert_eq!(transition(EvalStatus::Submitted, EvalAction::Approve), Ok(EvalStatus::Approved));
        assert_eq!(transition(EvalStatus::Submitted, EvalAction::Reject), Ok(EvalStatus::Rejected));
        assert!(transition(EvalStatus::Approved, EvalAction::Approve).is_err());
        assert!(transition(EvalStatus::Draft, EvalAction::Approve).is_err());
        assert!(transition(EvalStatus::Submitted, EvalAction::Edit).is_err());
        // Executives and approver-department managers, never the preparer.
        assert!(may_approve(true, false, false, 1, Some(2)));
        assert!(may_approve(false, true, true, 1, Some(2)));
        assert!(!may_approve(false, true, false, 1, Some(2)));
        assert!(!may_approve(false, false, true, 1, Some(2)));
        assert!(!may_approve(true, false, false, 2, Some(2)));
        assert_eq!((parse_factor(" 3 "), parse_factor("0"), parse_factor("6"), parse_factor("x")), (Some(3), None, None, None));
    }

    #[test]
    fn provision_per_bucket() {
        let l = AgeingLine { not_due: 100_000, d1_30: 50_050, d31_60: 33_333, d61_90: 10_000, over_90: 999, total: 194_382, ..Default::default() };
        let (p, total) = l.provision(&[0, 2, 10, 30, 60]);
        // 2 % of 500.50 = 10.01; 10 % of 333.33 = 33.333 → 33.33; 30 % of 100 = 30; 60 % of 9.99 = 5.994 → 5.99.
        assert_eq!(p, [0, 1_001, 3_333, 3_000, 599]);
        assert_eq!(total, 7_933);
        assert_eq!(provision(-5, 50), 0);
        assert_eq!(provision(1, 50), 1, "half a fen rounds up");
    }
}
