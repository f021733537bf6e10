//! Plain types of the pipeline part (2.2.2): stages with their win probability,
//! the product catalogue, opportunities with objections, quotations with their
//! totals and approval state machine, and the board. Validation and the money
//! arithmetic live here so they can be tested without a database.
use crate::core::error::{AppError, Checks};
use crate::core::i18n::{K, Lang};
use crate::core::money::{Money, MoneyParseError};
use crate::org::model::pick;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

// ----- stages -----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn parse(s: &str) -> StageKind {
        match s {
            "won" => StageKind::Won,
            "lost" => StageKind::Lost,
            _ => StageKind::Open,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }
    pub fn closed(self) -> bool {
        !matches!(self, StageKind::Open)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Stage {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub probability: i64,
    pub position: i64,
    pub kind: String,
    pub active: bool,
    pub version: i64,
}

impl Stage {
    pub fn name(&self, lang: Lang) -> String {
        pick(lang, &self.name_zh, &self.name_en)
    }
    pub fn kind(&self) -> StageKind {
        StageKind::parse(&self.kind)
    }
}

/// (code, Chinese name, English name, win probability %, kind): the stages
/// every installation starts with (2.2.2-a; editable at /admin/stages).
pub const DEFAULT_STAGES: &[(&str, &str, &str, i64, StageKind)] = &[
    ("lead", "线索", "Lead", 10, StageKind::Open),
    ("qualified", "合格商机", "Qualified", 20, StageKind::Open),
    ("needs_analysis", "需求分析", "Needs analysis", 40, StageKind::Open),
    ("proposal", "方案报价", "Proposal", 60, StageKind::Open),
    ("negotiation", "商务谈判", "Negotiation", 80, StageKind::Open),
    ("won", "赢单", "Won", 100, StageKind::Won),
    ("lost", "输单", "Lost", 0, StageKind::Lost),
];

/// What the stage form sends (numbers as text, parsed here).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageInput {
    /// Only used when adding a stage (codes are fixed afterwards: opportunities refer to them).
    #[serde(default)]
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub probability: String,
    pub position: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageData {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub probability: i64,
    pub position: i64,
}

fn parse_int(c: &mut Checks, field: &str, s: &str, min: i64, max: i64) -> i64 {
    match s.trim().parse::<i64>() {
        Ok(v) if (min..=max).contains(&v) => v,
        Ok(_) => {
            c.add(field, K::ValOutOfRange);
            0
        }
        Err(_) if s.trim().is_empty() => {
            c.add(field, K::ValRequired);
            0
        }
        Err(_) => {
            c.add(field, K::ValInvalid);
            0
        }
    }
}

fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 32 && code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

impl StageInput {
    pub fn validate(&self, creating: bool) -> Result<StageData, AppError> {
        let mut c = Checks::new();
        let code = self.code.trim().to_lowercase();
        if creating {
            if code.is_empty() {
                c.add("code", K::ValRequired);
            } else if !valid_code(&code) {
                c.add("code", K::ValCode);
            }
        }
        c.require("name_zh", &self.name_zh);
        c.require("name_en", &self.name_en);
        c.max_len("name_zh", self.name_zh.trim(), 30);
        c.max_len("name_en", self.name_en.trim(), 50);
        let probability = parse_int(&mut c, "probability", &self.probability, 0, 100);
        let position = parse_int(&mut c, "position", &self.position, 0, 1000);
        c.finish()?;
        Ok(StageData {
            code,
            name_zh: self.name_zh.trim().into(),
            name_en: self.name_en.trim().into(),
            probability,
            position,
        })
    }
}

// ----- catalogue -----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub specification: String,
    pub unit: String,
    pub list_price_minor: i64,
    pub currency: String,
    pub delivery_days: i64,
    pub active: bool,
    pub version: i64,
}

impl Product {
    pub fn name(&self, lang: Lang) -> String {
        pick(lang, &self.name_zh, &self.name_en)
    }
    pub fn price(&self) -> Money {
        Money::new(self.list_price_minor, &self.currency)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub specification: String,
    #[serde(default)]
    pub unit: String,
    pub list_price: String,
    pub delivery_days: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProductData {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub specification: String,
    pub unit: String,
    pub list_price_minor: i64,
    pub delivery_days: i64,
}

/// A money field: required, not negative, at most two decimals.
pub fn money_field(c: &mut Checks, field: &str, s: &str) -> i64 {
    match Money::parse(s, "CNY") {
        Ok(m) if m.minor >= 0 => m.minor,
        Ok(_) => {
            c.add(field, K::ValOutOfRange);
            0
        }
        Err(MoneyParseError::Empty) => {
            c.add(field, K::ValRequired);
            0
        }
        Err(MoneyParseError::TooManyDecimals) => {
            c.add(field, K::PipelineValMoneyDecimals);
            0
        }
        Err(_) => {
            c.add(field, K::PipelineValMoney);
            0
        }
    }
}

impl ProductInput {
    pub fn validate(&self) -> Result<ProductData, AppError> {
        let mut c = Checks::new();
        let code = self.code.trim().to_uppercase();
        if code.is_empty() {
            c.add("code", K::ValRequired);
        } else if code.len() > 32 || !code.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            c.add("code", K::PipelineValProductCode);
        }
        c.require("name_zh", &self.name_zh);
        c.require("name_en", &self.name_en);
        c.max_len("name_zh", self.name_zh.trim(), 60);
        c.max_len("name_en", self.name_en.trim(), 100);
        c.max_len("specification", self.specification.trim(), 500);
        c.max_len("unit", self.unit.trim(), 10);
        let list_price_minor = money_field(&mut c, "list_price", &self.list_price);
        let delivery_days = parse_int(&mut c, "delivery_days", &self.delivery_days, 0, 730);
        c.finish()?;
        Ok(ProductData {
            code,
            name_zh: self.name_zh.trim().into(),
            name_en: self.name_en.trim().into(),
            specification: self.specification.trim().into(),
            unit: self.unit.trim().into(),
            list_price_minor,
            delivery_days,
        })
    }
}

// ----- opportunities -----

/// An opportunity as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Opportunity {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub title: String,
    pub stage_code: String,
    pub amount_minor: i64,
    pub currency: String,
    pub expected_close: NaiveDate,
    pub needs_analysis: String,
    pub proposed_solution: String,
    pub lost_reason: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub department_id: i64,
    pub stage_changed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Opportunity {
    pub fn amount(&self) -> Money {
        Money::new(self.amount_minor, &self.currency)
    }
}

/// What the opportunity form sends (2.2.2-a: needs analysis and proposed solution).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpportunityInput {
    /// Only when creating; an opportunity stays with its customer.
    #[serde(default)]
    pub customer_id: String,
    pub title: String,
    pub amount: String,
    pub expected_close: String,
    #[serde(default)]
    pub needs_analysis: String,
    #[serde(default)]
    pub proposed_solution: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpportunityData {
    pub customer_id: i64,
    pub title: String,
    pub amount_minor: i64,
    pub expected_close: NaiveDate,
    pub needs_analysis: String,
    pub proposed_solution: String,
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl OpportunityInput {
    pub fn validate(&self, creating: bool) -> Result<OpportunityData, AppError> {
        let mut c = Checks::new();
        let customer_id = if creating {
            match self.customer_id.trim().parse::<i64>() {
                Ok(v) if v > 0 => v,
                _ if self.customer_id.trim().is_empty() => {
                    c.add("customer_id", K::ValRequired);
                    0
                }
                _ => {
                    c.add("customer_id", K::ValInvalid);
                    0
                }
            }
        } else {
            0
        };
        c.require("title", &self.title);
        c.max_len("title", self.title.trim(), 100);
        let amount_minor = money_field(&mut c, "amount", &self.amount);
        let expected_close = match parse_date(&self.expected_close) {
            Some(d) => d,
            None => {
                c.add("expected_close", if self.expected_close.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
                NaiveDate::default()
            }
        };
        c.max_len("needs_analysis", self.needs_analysis.trim(), 4000);
        c.max_len("proposed_solution", self.proposed_solution.trim(), 4000);
        c.finish()?;
        Ok(OpportunityData {
            customer_id,
            title: self.title.trim().into(),
            amount_minor,
            expected_close,
            needs_analysis: self.needs_analysis.trim().into(),
            proposed_solution: self.proposed_solution.trim().into(),
        })
    }
}

/// What a stage change does to the record: the new `closed_at` and lost reason.
#[derive(Clone, Debug, PartialEq)]
pub struct StageMove {
    pub closed_at: Option<DateTime<Utc>>,
    pub lost_reason: String,
}

/// Checks a move from `from` to `to`: the target stage must be active, and
/// moving to a lost stage needs the reason. `closed_at` is set on won/lost and
/// cleared when the opportunity is reopened.
pub fn plan_move(to: &Stage, lost_reason: &str, now: DateTime<Utc>) -> Result<StageMove, AppError> {
    if !to.active {
        return Err(AppError::field("stage", K::PipelineValStageInactive));
    }
    let reason = lost_reason.trim();
    match to.kind() {
        StageKind::Lost if reason.is_empty() => Err(AppError::field("lost_reason", K::PipelineValLostReason)),
        StageKind::Lost if reason.chars().count() > 1000 => {
            Err(AppError::Validation(vec![crate::core::error::FieldError {
                field: "lost_reason".into(),
                key: K::ValTooLong,
                params: vec![("max".into(), "1000".into())],
            }]))
        }
        StageKind::Lost => Ok(StageMove { closed_at: Some(now), lost_reason: reason.into() }),
        StageKind::Won => Ok(StageMove { closed_at: Some(now), lost_reason: String::new() }),
        StageKind::Open => Ok(StageMove { closed_at: None, lost_reason: String::new() }),
    }
}

/// Amount × win probability, in minor units (truncated, as the SQL does).
pub fn weighted(amount_minor: i64, probability: i64) -> i64 {
    ((amount_minor as i128 * probability as i128) / 100) as i64
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StageChange {
    pub id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub changed_at: DateTime<Utc>,
    pub changed_by_name: Option<String>,
}

/// 2.2.2-b: a customer's objection and how it was answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Objection {
    pub id: i64,
    pub opportunity_id: i64,
    pub objection: String,
    pub answer: String,
    pub resolved: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

// ----- quotations -----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuotationStatus {
    Draft,
    PendingApproval,
    Approved,
    Rejected,
    Sent,
}

impl QuotationStatus {
    pub const ALL: [QuotationStatus; 5] = [
        QuotationStatus::Draft,
        QuotationStatus::PendingApproval,
        QuotationStatus::Approved,
        QuotationStatus::Rejected,
        QuotationStatus::Sent,
    ];
    pub fn code(self) -> &'static str {
        match self {
            QuotationStatus::Draft => "draft",
            QuotationStatus::PendingApproval => "pending_approval",
            QuotationStatus::Approved => "approved",
            QuotationStatus::Rejected => "rejected",
            QuotationStatus::Sent => "sent",
        }
    }
    pub fn parse(s: &str) -> QuotationStatus {
        QuotationStatus::ALL.into_iter().find(|q| q.code() == s).unwrap_or(QuotationStatus::Draft)
    }
    pub fn key(self) -> K {
        match self {
            QuotationStatus::Draft => K::PipelineQstatusDraft,
            QuotationStatus::PendingApproval => K::PipelineQstatusPendingApproval,
            QuotationStatus::Approved => K::PipelineQstatusApproved,
            QuotationStatus::Rejected => K::PipelineQstatusRejected,
            QuotationStatus::Sent => K::PipelineQstatusSent,
        }
    }
    pub fn tone(self) -> crate::core::ui::Tone {
        use crate::core::ui::Tone;
        match self {
            QuotationStatus::Draft => Tone::Neutral,
            QuotationStatus::PendingApproval => Tone::Warn,
            QuotationStatus::Approved | QuotationStatus::Sent => Tone::Good,
            QuotationStatus::Rejected => Tone::Bad,
        }
    }
    /// Lines can be changed in a draft and after a rejection.
    pub fn editable(self) -> bool {
        matches!(self, QuotationStatus::Draft | QuotationStatus::Rejected)
    }
    /// 2.2.2-c: a discount beyond the limit needs approval; otherwise the
    /// quotation is approved at once.
    pub fn submit(self, needs_approval: bool) -> Result<QuotationStatus, AppError> {
        if !self.editable() {
            return Err(AppError::field("status", K::PipelineValNotEditable));
        }
        Ok(if needs_approval { QuotationStatus::PendingApproval } else { QuotationStatus::Approved })
    }
    pub fn decide(self, approve: bool) -> Result<QuotationStatus, AppError> {
        if self != QuotationStatus::PendingApproval {
            return Err(AppError::field("status", K::PipelineValNotPending));
        }
        Ok(if approve { QuotationStatus::Approved } else { QuotationStatus::Rejected })
    }
    /// Only an approved quotation goes to the customer.
    pub fn send(self) -> Result<QuotationStatus, AppError> {
        if self != QuotationStatus::Approved {
            return Err(AppError::field("status", K::PipelineValNotApproved));
        }
        Ok(QuotationStatus::Sent)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Quotation {
    pub id: i64,
    pub number: String,
    pub opportunity_id: i64,
    pub opportunity_title: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub owner_id: i64,
    pub department_id: i64,
    pub status: String,
    pub valid_until: NaiveDate,
    pub currency: String,
    pub total_minor: i64,
    pub max_discount_bp: i64,
    pub notes: String,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approval_comment: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl Quotation {
    pub fn status(&self) -> QuotationStatus {
        QuotationStatus::parse(&self.status)
    }
    pub fn total(&self) -> Money {
        Money::new(self.total_minor, &self.currency)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct QuotationLine {
    pub id: i64,
    pub position: i64,
    pub product_id: i64,
    pub product_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub specification: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i64,
    pub line_total_minor: i64,
    pub delivery_days: i64,
}

impl QuotationLine {
    pub fn name(&self, lang: Lang) -> String {
        pick(lang, &self.name_zh, &self.name_en)
    }
}

/// A line's total: quantity × unit price less the discount, rounded half up to
/// the minor unit. `discount_bp` is in basis points (1250 = 12.5 %).
pub fn line_total(unit_price_minor: i64, quantity: i64, discount_bp: i64) -> i64 {
    let gross = unit_price_minor as i128 * quantity as i128;
    let net_scaled = gross * (10_000 - discount_bp as i128);
    ((net_scaled + 5_000) / 10_000) as i64
}

/// Totals of a quotation from its lines: (total, largest discount, longest delivery).
pub fn totals(lines: &[(i64, i64, i64, i64)]) -> (i64, i64, i64) {
    // (unit_price_minor, quantity, discount_bp, delivery_days)
    let total = lines.iter().map(|(p, q, d, _)| line_total(*p, *q, *d)).sum();
    let max_discount = lines.iter().map(|l| l.2).max().unwrap_or(0);
    let delivery = lines.iter().map(|l| l.3).max().unwrap_or(0);
    (total, max_discount, delivery)
}

/// 2.2.2-c: does the largest discount exceed the configured limit (in %)?
pub fn needs_approval(max_discount_bp: i64, limit_pct: i64) -> bool {
    max_discount_bp > limit_pct * 100
}

/// A discount as typed ("12.5", "12.5%", "0") in basis points.
pub fn parse_discount(s: &str) -> Result<i64, K> {
    let s = s.trim().trim_end_matches(['%', '％']).trim();
    if s.is_empty() {
        return Ok(0);
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(K::ValInvalid);
    }
    if frac.len() > 2 || int.len() > 3 {
        return Err(K::PipelineValDiscount);
    }
    let int_v: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| K::ValInvalid)? };
    let frac_v: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| K::ValInvalid)? };
    let bp = int_v * 100 + frac_v;
    if bp > 10_000 { Err(K::PipelineValDiscount) } else { Ok(bp) }
}

/// "12.5%" from basis points.
pub fn discount_text(bp: i64) -> String {
    if bp % 100 == 0 { format!("{}%", bp / 100) } else if bp % 10 == 0 { format!("{}.{}%", bp / 100, (bp % 100) / 10) } else { format!("{}.{:02}%", bp / 100, bp % 100) }
}

// ----- the board -----

/// The board's filters (2.2.2 pipeline): owner, department and the
/// expected-close period. Won and lost columns are always limited to a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub owner_id: Option<i64>,
    pub department_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Per-column cursors ("load more" without JavaScript): stage code → cursor.
    pub after: Vec<(String, String)>,
}

/// Days back the won and lost columns reach when no period is chosen.
pub const CLOSED_DEFAULT_DAYS: i64 = 90;
pub const BOARD_PAGE: i64 = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Card {
    pub id: i64,
    pub stage_code: String,
    pub title: String,
    pub customer_name: String,
    pub owner_name: String,
    pub amount_minor: i64,
    pub currency: String,
    pub expected_close: NaiveDate,
    pub version: i64,
}

impl Card {
    pub fn amount(&self) -> Money {
        Money::new(self.amount_minor, &self.currency)
    }
}

/// A board cursor: the last card's expected close and id.
pub fn card_cursor(c: &Card) -> String {
    format!("{}_{}", c.expected_close.format("%Y-%m-%d"), c.id)
}

pub fn parse_card_cursor(s: &str) -> Option<(NaiveDate, i64)> {
    let (d, id) = s.split_once('_')?;
    Some((parse_date(d)?, id.parse().ok()?))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    pub count: i64,
    pub amount_minor: i64,
    pub weighted_minor: i64,
    pub cards: Vec<Card>,
    /// Cursor for the next cards of this column, if there are more.
    pub next: Option<String>,
    /// True when this column shows a later page (a no-JavaScript "load more").
    pub paged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub columns: Vec<Column>,
    /// The period the won and lost columns show (from, to).
    pub closed_from: NaiveDate,
    pub closed_to: Option<NaiveDate>,
    pub currency: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_totals_round_half_up() {
        // 3 × ¥1,234.56 = ¥3,703.68; less 12.5 % = ¥3,240.72
        assert_eq!(line_total(123_456, 3, 1250), 324_072);
        // 1 × ¥0.05 less 50 % = 2.5 fen -> 3 fen (half up)
        assert_eq!(line_total(5, 1, 5000), 3);
        // 1 × ¥0.03 less 50 % = 1.5 fen -> 2 fen; 1 × ¥0.01 less 33 % = 0.67 -> 1
        assert_eq!(line_total(3, 1, 5000), 2);
        assert_eq!(line_total(1, 1, 3300), 1);
        // 7 × ¥99.99 less 0.01 % = 699.93 - 0.069993 = 699.860007 -> ¥699.86
        assert_eq!(line_total(9_999, 7, 1), 69_986);
        // no discount, full discount
        assert_eq!(line_total(580_000_00, 2, 0), 1_160_000_00);
        assert_eq!(line_total(580_000_00, 2, 10_000), 0);
        // large amounts do not overflow
        assert_eq!(line_total(i64::MAX / 1000, 100, 0), (i64::MAX / 1000) * 100);
    }

    #[test]
    fn quotation_totals() {
        // CNC machine ¥580,000 × 2 at 5 %, robot arm ¥268,000 × 1 at 15 %, spare parts ¥1,250.50 × 10
        let lines = [(58_000_000, 2, 500, 60), (26_800_000, 1, 1500, 45), (125_050, 10, 0, 7)];
        let (total, max_disc, delivery) = totals(&lines);
        assert_eq!(total, 110_200_000 + 22_780_000 + 1_250_500);
        assert_eq!(max_disc, 1500);
        assert_eq!(delivery, 60);
        assert!(needs_approval(max_disc, 10));
        assert!(!needs_approval(1000, 10), "exactly at the limit is allowed");
        assert_eq!(totals(&[]), (0, 0, 0));
    }

    #[test]
    fn discounts_parse() {
        assert_eq!(parse_discount("12.5"), Ok(1250));
        assert_eq!(parse_discount("12.5%"), Ok(1250));
        assert_eq!(parse_discount(" 8 "), Ok(800));
        assert_eq!(parse_discount("0.05"), Ok(5));
        assert_eq!(parse_discount(""), Ok(0));
        assert_eq!(parse_discount("100"), Ok(10_000));
        assert_eq!(parse_discount("100.01"), Err(K::PipelineValDiscount));
        assert_eq!(parse_discount("1.234"), Err(K::PipelineValDiscount));
        assert_eq!(parse_discount("-5"), Err(K::ValInvalid));
        assert_eq!(parse_discount("abc"), Err(K::ValInvalid));
        assert_eq!(discount_text(1250), "12.5%");
        assert_eq!(discount_text(800), "8%");
        assert_eq!(discount_text(5), "0.05%");
    }

    #[test]
    fn quotation_status_machine() {
        use QuotationStatus::*;
        assert_eq!(Draft.submit(true), Ok(PendingApproval));
        assert_eq!(Draft.submit(false), Ok(Approved));
        assert_eq!(Rejected.submit(false), Ok(Approved), "a rejected quotation is edited and submitted again");
        assert!(Approved.submit(false).is_err());
        assert_eq!(PendingApproval.decide(true), Ok(Approved));
        assert_eq!(PendingApproval.decide(false), Ok(Rejected));
        assert!(Draft.decide(true).is_err());
        assert_eq!(Approved.send(), Ok(Sent));
        for s in [Draft, PendingApproval, Rejected, Sent] {
            assert_eq!(s.send().err().and_then(|e| e.field_error("status").map(|f| f.key)), Some(K::PipelineValNotApproved));
        }
        for s in QuotationStatus::ALL {
            assert_eq!(QuotationStatus::parse(s.code()), s);
        }
    }

    fn stage(code: &str, kind: &str, active: bool) -> Stage {
        Stage { id: 1, code: code.into(), name_zh: "x".into(), name_en: "x".into(), probability: 50, position: 1, kind: kind.into(), active, version: 1 }
    }

    #[test]
    fn moves() {
        let now = Utc::now();
        let lost = stage("lost", "lost", true);
        let e = plan_move(&lost, "  ", now).expect_err("reason required");
        assert_eq!(e.field_error("lost_reason").map(|f| f.key), Some(K::PipelineValLostReason));
        let m = plan_move(&lost, " 价格太高 ", now).expect("ok");
        assert_eq!(m, StageMove { closed_at: Some(now), lost_reason: "价格太高".into() });
        assert_eq!(plan_move(&stage("won", "won", true), "", now).expect("ok").closed_at, Some(now));
        assert_eq!(plan_move(&stage("proposal", "open", true), "", now).expect("ok").closed_at, None, "reopening clears closed_at");
        assert!(plan_move(&stage("old", "open", false), "", now).is_err());
        assert_eq!(weighted(1_000_001, 60), 600_000);
    }

    #[test]
    fn inputs_are_checked() {
        let p = ProductInput {
            code: " cnc-v850 ".into(),
            name_zh: "立式加工中心".into(),
            name_en: "Vertical machining centre".into(),
            specification: "".into(),
            unit: "台".into(),
            list_price: "580,000".into(),
            delivery_days: "60".into(),
        };
        let d = p.validate().expect("valid");
        assert_eq!((d.code.as_str(), d.list_price_minor, d.delivery_days), ("CNC-V850", 58_000_000, 60));
        let bad = ProductInput { list_price: "1.234".into(), delivery_days: "-1".into(), ..p };
        let Err(AppError::Validation(v)) = bad.validate() else { panic!("should fail") };
        assert_eq!(v.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["list_price", "delivery_days"]);

        let o = OpportunityInput { customer_id: "".into(), title: "".into(), amount: "x".into(), expected_close: "2026-13-01".into(), ..Default::default() };
        let Err(AppError::Validation(v)) = o.validate(true) else { panic!("should fail") };
        assert_eq!(v.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["customer_id", "title", "amount", "expected_close"]);
        let s = StageInput { code: "Trial Run".into(), name_zh: "试用".into(), name_en: "Trial".into(), probability: "101".into(), position: "3".into() };
        let Err(AppError::Validation(v)) = s.validate(true) else { panic!("should fail") };
        assert_eq!(v.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["code", "probability"]);
    }

    #[test]
    fn numbers_and_cursors() {
        let c = Card {
            id: 7,
            stage_code: "lead".into(),
            title: "t".into(),
            customer_name: "c".into(),
            owner_name: "o".into(),
            amount_minor: 1,
            currency: "CNY".into(),
            expected_close: NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
            version: 1,
        };
        assert_eq!(card_cursor(&c), "2026-03-09_7");
        assert_eq!(parse_card_cursor("2026-03-09_7"), Some((c.expected_close, 7)));
        assert_eq!(parse_card_cursor("junk"), None);
    }
}
