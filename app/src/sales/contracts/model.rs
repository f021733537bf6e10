//! Contracts (2.2.3): records, statuses and their transitions, the required
//! terms and their checks, line and instalment arithmetic. Pure, shared by
//! browser and server, unit-tested below.
use crate::core::error::{Checks, FieldError};
use crate::core::i18n::{K, Lang};
use crate::core::money::Money;
use crate::core::ui::Tone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// draft -> in_review -> approved -> signed; a rejection returns to draft, an
/// amendment of a signed contract starts the next revision in draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContractStatus {
    Draft,
    InReview,
    Approved,
    Signed,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 4] = [ContractStatus::Draft, ContractStatus::InReview, ContractStatus::Approved, ContractStatus::Signed];
    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::InReview => "in_review",
            ContractStatus::Approved => "approved",
            ContractStatus::Signed => "signed",
        }
    }
    pub fn parse(s: &str) -> Option<ContractStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            ContractStatus::Draft => K::ContractsStatusDraft,
            ContractStatus::InReview => K::ContractsStatusInReview,
            ContractStatus::Approved => K::ContractsStatusApproved,
            ContractStatus::Signed => K::ContractsStatusSigned,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            ContractStatus::Draft => Tone::Neutral,
            ContractStatus::InReview => Tone::Warn,
            ContractStatus::Approved => Tone::Good,
            ContractStatus::Signed => Tone::Good,
        }
    }
}

/// The transitions, each refusing from the wrong state (the store repeats the
/// state in its WHERE clause, so a race cannot slip past either).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Reject,
    ApproveAll,
    Sign,
    Amend,
}

pub fn transition(from: ContractStatus, t: Transition) -> Result<ContractStatus, K> {
    use ContractStatus::*;
    match (from, t) {
        (Draft, Transition::Submit) => Ok(InReview),
        (InReview, Transition::Reject) => Ok(Draft),
        (InReview, Transition::ApproveAll) => Ok(Approved),
        // 2.2.3-c: only a contract whose reviews all approved can be signed.
        (Approved, Transition::Sign) => Ok(Signed),
        (Signed, Transition::Amend) => Ok(Draft),
        _ => Err(K::ContractsErrWrongStatus),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl ReviewStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Approved => "approved",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        [ReviewStatus::Pending, ReviewStatus::Approved, ReviewStatus::Rejected, ReviewStatus::Withdrawn].into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            ReviewStatus::Pending => K::ContractsReviewPending,
            ReviewStatus::Approved => K::ContractsReviewApproved,
            ReviewStatus::Rejected => K::ContractsReviewRejected,
            ReviewStatus::Withdrawn => K::ContractsReviewWithdrawn,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            ReviewStatus::Pending => Tone::Warn,
            ReviewStatus::Approved => Tone::Good,
            ReviewStatus::Rejected => Tone::Bad,
            ReviewStatus::Withdrawn => Tone::Neutral,
        }
    }
}

/// What the reviews of one round add up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundOutcome {
    Pending,
    Rejected,
    Approved,
}

/// 2.2.3-c: any rejection sends the contract back; all approved lets it be signed.
pub fn round_outcome(statuses: &[ReviewStatus]) -> RoundOutcome {
    if statuses.contains(&ReviewStatus::Rejected) {
        RoundOutcome::Rejected
    } else if !statuses.is_empty() && statuses.iter().all(|s| *s == ReviewStatus::Approved) {
        RoundOutcome::Approved
    } else {
        RoundOutcome::Pending
    }
}

/// Department name in the reader's language.
pub fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contract {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub opportunity_id: Option<i64>,
    pub opportunity_title: Option<String>,
    pub status: String,
    pub revision: i64,
    pub review_round: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub rights_obligations: String,
    pub payment_terms: String,
    pub delivery_date: Option<NaiveDate>,
    pub breach_liability: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<i64>,
    pub signer_name: Option<String>,
    pub owner_id: i64,
    pub owner_name: String,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Contract {
    pub fn status(&self) -> ContractStatus {
        ContractStatus::parse(&self.status).unwrap_or(ContractStatus::Draft)
    }
    pub fn amount(&self) -> Money {
        Money::new(self.amount_minor, &self.currency)
    }
    pub fn department(&self, lang: Lang) -> String {
        pick(lang, &self.department_zh, &self.department_en)
    }
}

/// One row of the contract list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub customer_name: String,
    pub status: String,
    pub revision: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub owner_name: String,
    pub delivery_date: Option<NaiveDate>,
}

impl ContractRow {
    pub fn status(&self) -> ContractStatus {
        ContractStatus::parse(&self.status).unwrap_or(ContractStatus::Draft)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Line {
    pub position: i64,
    pub product_id: Option<i64>,
    pub description: String,
    pub specification: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i64,
    pub line_total_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Instalment {
    pub seq: i64,
    pub due_date: NaiveDate,
    pub amount_minor: i64,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Review {
    pub id: i64,
    pub revision: i64,
    pub review_round: i64,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub status: String,
    pub over_credit_limit: bool,
    pub reviewer_id: Option<i64>,
    pub reviewer_name: Option<String>,
    pub comment: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl Review {
    pub fn status(&self) -> ReviewStatus {
        ReviewStatus::parse(&self.status).unwrap_or(ReviewStatus::Pending)
    }
    pub fn department(&self, lang: Lang) -> String {
        pick(lang, &self.department_zh, &self.department_en)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractCopy {
    pub id: i64,
    pub revision: i64,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub sent_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by_name: Option<String>,
    pub version: i64,
}

impl ContractCopy {
    pub fn department(&self, lang: Lang) -> String {
        pick(lang, &self.department_zh, &self.department_en)
    }
}

/// One frozen revision, as listed on the contract page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VersionInfo {
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signer_name: Option<String>,
}

/// What a frozen revision holds (contract_versions.snapshot_json).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub number: String,
    pub title: String,
    pub customer_name: String,
    pub revision: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub rights_obligations: String,
    pub payment_terms: String,
    pub delivery_date: Option<NaiveDate>,
    pub breach_liability: String,
    pub lines: Vec<Line>,
    pub instalments: Vec<Instalment>,
}

impl Snapshot {
    pub fn of(c: &Contract, lines: &[Line], instalments: &[Instalment]) -> Snapshot {
        Snapshot {
            number: c.number.clone(),
            title: c.title.clone(),
            customer_name: c.customer_name.clone(),
            revision: c.revision,
            amount_minor: c.amount_minor,
            currency: c.currency.clone(),
            rights_obligations: c.rights_obligations.clone(),
            payment_terms: c.payment_terms.clone(),
            delivery_date: c.delivery_date,
            breach_liability: c.breach_liability.clone(),
            lines: lines.to_vec(),
            instalments: instalments.to_vec(),
        }
    }
}

/// A signing authority (2.2.3-d) as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SigningAuthority {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub username: String,
    pub limit_minor: i64,
    pub currency: String,
    pub active: bool,
    pub version: i64,
}

/// Line total: quantity x unit price less the discount, rounded half up to the
/// minor unit. Computed in i128 so large amounts cannot overflow on the way.
pub fn line_total(quantity: i64, unit_price_minor: i64, discount_bp: i64) -> i64 {
    let gross = quantity as i128 * unit_price_minor as i128;
    let net = gross * (10_000 - discount_bp as i128);
    ((net + 5_000) / 10_000) as i64
}

/// 2.2.3-b: the price is the sum of the lines.
pub fn amount_of(lines: &[Line]) -> i64 {
    lines.iter().map(|l| l.line_total_minor).sum()
}

/// Parses a discount percentage ("5", "2.5", "12.75") into basis points.
pub fn parse_discount_bp(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return Some(0);
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 2 {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    let bp = i.checked_mul(100)?.checked_add(f)?;
    (0..=10_000).contains(&bp).then_some(bp)
}

/// "5" / "2.5" for a basis-point discount.
pub fn discount_text(bp: i64) -> String {
    if bp % 100 == 0 { (bp / 100).to_string() } else { format!("{}.{:02}", bp / 100, bp % 100).trim_end_matches('0').to_string() }
}

/// Money as typed in a form ("1234.50", no symbol, no grouping).
pub fn money_input(minor: i64, currency: &str) -> String {
    let d = Money::decimals(currency);
    if d == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(d);
    format!("{}.{:0w$}", minor / scale, (minor % scale).abs(), w = d as usize)
}

/// One specification line as the form posts it (every value is text, checked here).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineInput {
    pub product_id: String,
    pub description: String,
    pub specification: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_pct: String,
    /// "on" when the row's remove box is ticked.
    pub remove: String,
}

impl LineInput {
    fn blank(&self) -> bool {
        [&self.description, &self.specification, &self.unit, &self.quantity, &self.unit_price, &self.discount_pct]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstalmentInput {
    pub due_date: String,
    pub amount: String,
    pub description: String,
    pub remove: String,
}

impl InstalmentInput {
    fn blank(&self) -> bool {
        [&self.due_date, &self.amount, &self.description].iter().all(|s| s.trim().is_empty())
    }
}

/// The terms form of a draft (2.2.3-b).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermsInput {
    pub title: String,
    pub rights_obligations: String,
    pub payment_terms: String,
    pub delivery_date: String,
    pub breach_liability: String,
    pub lines: Vec<LineInput>,
    pub instalments: Vec<InstalmentInput>,
}

/// Checked terms, ready to store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub title: String,
    pub rights_obligations: String,
    pub payment_terms: String,
    pub delivery_date: Option<NaiveDate>,
    pub breach_liability: String,
    pub lines: Vec<Line>,
    pub instalments: Vec<Instalment>,
}

impl Terms {
    pub fn amount_minor(&self) -> i64 {
        amount_of(&self.lines)
    }
}

pub const MAX_TEXT: usize = 4000;
pub const MAX_SHORT: usize = 200;
pub const MAX_ROWS: usize = 200;

/// Field names of rows: "lines.3.quantity" (the index is the posted row's).
pub fn row_field(list: &str, i: usize, name: &str) -> String {
    format!("{list}.{i}.{name}")
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl TermsInput {
    /// Checks what was typed (numbers, dates, lengths), drops blank and removed
    /// rows. Missing terms are allowed here: a draft may be incomplete; see
    /// `missing_terms` for submission.
    pub fn parse(&self, currency: &str) -> Result<Terms, Vec<FieldError>> {
        let mut c = Checks::new();
        c.max_len("title", &self.title, MAX_SHORT);
        c.max_len("rights_obligations", &self.rights_obligations, MAX_TEXT);
        c.max_len("payment_terms", &self.payment_terms, MAX_TEXT);
        c.max_len("breach_liability", &self.breach_liability, MAX_TEXT);
        let delivery_date = if self.delivery_date.trim().is_empty() {
            None
        } else {
            let d = date(&self.delivery_date);
            if d.is_none() {
                c.add("delivery_date", K::ValInvalid);
            }
            d
        };
        if self.lines.len() > MAX_ROWS || self.instalments.len() > MAX_ROWS {
            c.add("lines", K::ValInvalid);
        }
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            if l.remove == "on" || l.remove == "true" || l.blank() {
                continue;
            }
            let f = |n: &str| row_field("lines", i, n);
            if l.description.trim().is_empty() {
                c.add(&f("description"), K::ValRequired);
            }
            c.max_len(&f("description"), &l.description, MAX_SHORT);
            c.max_len(&f("specification"), &l.specification, MAX_SHORT);
            c.max_len(&f("unit"), &l.unit, 20);
            let quantity = match l.quantity.trim().parse::<i64>() {
                Ok(q) if q > 0 && q <= 1_000_000_000 => q,
                _ => {
                    c.add(&f("quantity"), K::ContractsValQuantity);
                    0
                }
            };
            let unit_price = match Money::parse(&l.unit_price, currency) {
                Ok(m) if m.minor >= 0 && m.minor <= 1_000_000_000_000_000 => m.minor,
                Ok(_) => {
                    c.add(&f("unit_price"), K::ContractsValMoney);
                    0
                }
                Err(crate::core::money::MoneyParseError::Empty) => {
                    c.add(&f("unit_price"), K::ValRequired);
                    0
                }
                Err(_) => {
                    c.add(&f("unit_price"), K::ContractsValMoney);
                    0
                }
            };
            let discount_bp = match parse_discount_bp(&l.discount_pct) {
                Some(d) => d,
                None => {
                    c.add(&f("discount_pct"), K::ContractsValDiscount);
                    0
                }
            };
            lines.push(Line {
                position: lines.len() as i64 + 1,
                product_id: l.product_id.trim().parse().ok(),
                description: l.description.trim().to_string(),
                specification: l.specification.trim().to_string(),
                unit: l.unit.trim().to_string(),
                quantity,
                unit_price_minor: unit_price,
                discount_bp,
                line_total_minor: line_total(quantity, unit_price, discount_bp),
            });
        }
        let mut instalments = Vec::new();
        for (i, p) in self.instalments.iter().enumerate() {
            if p.remove == "on" || p.remove == "true" || p.blank() {
                continue;
            }
            let f = |n: &str| row_field("instalments", i, n);
            let due = if p.due_date.trim().is_empty() {
                c.add(&f("due_date"), K::ValRequired);
                None
            } else {
                let d = date(&p.due_date);
                if d.is_none() {
                    c.add(&f("due_date"), K::ValInvalid);
                }
                d
            };
            let amount = match Money::parse(&p.amount, currency) {
                Ok(m) if m.minor > 0 => Some(m.minor),
                Err(crate::core::money::MoneyParseError::Empty) => {
                    c.add(&f("amount"), K::ValRequired);
                    None
                }
                _ => {
                    c.add(&f("amount"), K::ContractsValInstalmentAmount);
                    None
                }
            };
            c.max_len(&f("description"), &p.description, MAX_SHORT);
            if let (Some(due_date), Some(amount_minor)) = (due, amount) {
                instalments.push(Instalment {
                    seq: instalments.len() as i64 + 1,
                    due_date,
                    amount_minor,
                    description: p.description.trim().to_string(),
                });
            }
        }
        c.finish().map_err(|e| match e {
            crate::core::error::AppError::Validation(v) => v,
            _ => vec![],
        })?;
        Ok(Terms {
            title: self.title.trim().to_string(),
            rights_obligations: self.rights_obligations.trim().to_string(),
            payment_terms: self.payment_terms.trim().to_string(),
            delivery_date,
            breach_liability: self.breach_liability.trim().to_string(),
            lines,
            instalments,
        })
    }
}

/// 2.2.3-b: the terms a contract must state before it leaves draft, as
/// messages at the fields that lack them.
pub fn missing_terms(t: &Terms, currency: &str) -> Vec<FieldError> {
    let mut c = Checks::new();
    c.require("title", &t.title);
    c.require("rights_obligations", &t.rights_obligations);
    if t.lines.is_empty() {
        c.add("lines", K::ContractsValNoLines);
    } else if t.amount_minor() <= 0 {
        c.add("lines", K::ContractsValZeroAmount);
    }
    if t.delivery_date.is_none() {
        c.add("delivery_date", K::ValRequired);
    }
    c.require("breach_liability", &t.breach_liability);
    if t.instalments.is_empty() {
        c.add("instalments", K::ContractsValNoInstalments);
    } else {
        let sum: i64 = t.instalments.iter().map(|i| i.amount_minor).sum();
        if sum != t.amount_minor() {
            c.add_with(
                "instalments",
                K::ContractsValInstalmentSum,
                vec![
                    ("sum".into(), Money::new(sum, currency).display()),
                    ("amount".into(), Money::new(t.amount_minor(), currency).display()),
                ],
            );
        }
    }
    c.0
}

/// The stored contract's terms (to check a submission without a form).
pub fn terms_of(c: &Contract, lines: &[Line], instalments: &[Instalment]) -> Terms {
    Terms {
        title: c.title.clone(),
        rights_obligations: c.rights_obligations.clone(),
        payment_terms: c.payment_terms.clone(),
        delivery_date: c.delivery_date,
        breach_liability: c.breach_liability.clone(),
        lines: lines.to_vec(),
        instalments: instalments.to_vec(),
    }
}

/// 2.2.3-c: a review is flagged when this contract plus what the customer still
/// owes would exceed the customer's credit limit (when one is set).
pub fn over_credit_limit(amount_minor: i64, open_receivables_minor: i64, credit_limit_minor: Option<i64>) -> bool {
    credit_limit_minor.is_some_and(|limit| amount_minor.saturating_add(open_receivables_minor) > limit)
}

/// 2.2.3-d: an authority covers a contract when it is active, in the same
/// currency and its limit is at least the amount.
pub fn authority_covers(limit_minor: i64, limit_currency: &str, active: bool, amount_minor: i64, currency: &str) -> bool {
    active && limit_currency == currency && amount_minor <= limit_minor
}

/// A receivable as it stands before a (re-)signing.
#[derive(Clone, Debug, PartialEq)]
pub struct Receivable {
    pub seq: i64,
    pub amount_minor: i64,
    pub paid_minor: i64,
    pub status: String,
}

/// What signing does to the receivables of a contract (2.2.3-b: the payment
/// schedule generates receivables; on an amendment, rows are matched by seq).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReceivablePlan {
    /// (seq, due date, amount, status) to insert or update.
    pub upserts: Vec<(i64, NaiveDate, i64, &'static str)>,
    /// Seqs no longer in the schedule and not paid at all: cancelled.
    pub cancel: Vec<i64>,
}

pub fn plan_receivables(existing: &[Receivable], instalments: &[Instalment]) -> ReceivablePlan {
    let mut plan = ReceivablePlan::default();
    for i in instalments {
        let paid = existing.iter().find(|r| r.seq == i.seq).map(|r| r.paid_minor).unwrap_or(0);
        // Never below what was already paid.
        let amount = i.amount_minor.max(paid);
        let status = if paid >= amount { "paid" } else { "open" };
        plan.upserts.push((i.seq, i.due_date, amount, status));
    }
    for r in existing {
        if !instalments.iter().any(|i| i.seq == r.seq) && r.paid_minor == 0 && r.status != "cancelled" {
            plan.cancel.push(r.seq);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn status_machine() {
        use ContractStatus::*;
        assert_eq!(transition(Draft, Transition::Submit), Ok(InReview));
        assert_eq!(transition(InReview, Transition::Reject), Ok(Draft));
        assert_eq!(transition(InReview, Transition::ApproveAll), Ok(Approved));
        assert_eq!(transition(Approved, Transition::Sign), Ok(Signed));
        assert_eq!(transition(Signed, Transition::Amend), Ok(Draft));
        assert!(transition(Draft, Transition::Sign).is_err(), "2.2.3-c: no signing before review");
        assert!(transition(InReview, Transition::Sign).is_err());
        assert!(transition(Signed, Transition::Sign).is_err(), "no double signing");
        assert!(transition(Approved, Transition::Submit).is_err());
        for s in ContractStatus::ALL {
            assert_eq!(ContractStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn round_outcomes() {
        use ReviewStatus::*;
        assert_eq!(round_outcome(&[Approved, Pending, Approved]), RoundOutcome::Pending);
        assert_eq!(round_outcome(&[Approved, Rejected, Pending]), RoundOutcome::Rejected);
        assert_eq!(round_outcome(&[Approved, Approved, Approved]), RoundOutcome::Approved);
        assert_eq!(round_outcome(&[]), RoundOutcome::Pending, "no reviews is not approval");
    }

    #[test]
    fn line_arithmetic() {
        assert_eq!(line_total(2, 380_000_00, 0), 760_000_00);
        assert_eq!(line_total(3, 999, 1_000), 2_697); // 2997 * 0.9 = 2697.3
        assert_eq!(line_total(1, 5, 5_000), 3, "half up");
        assert_eq!(line_total(1, 100, 10_000), 0);
        assert_eq!(parse_discount_bp("5"), Some(500));
        assert_eq!(parse_discount_bp("2.5"), Some(250));
        assert_eq!(parse_discount_bp("12.75%"), Some(1275));
        assert_eq!(parse_discount_bp(""), Some(0));
        assert_eq!(parse_discount_bp("101"), None);
        assert_eq!(parse_discount_bp("1.234"), None);
        assert_eq!(parse_discount_bp("x"), None);
        assert_eq!(discount_text(250), "2.5");
        assert_eq!(discount_text(1275), "12.75");
        assert_eq!(discount_text(500), "5");
        assert_eq!(money_input(123_450, "CNY"), "1234.50");
    }

    fn line(desc: &str, qty: &str, price: &str) -> LineInput {
        LineInput { description: desc.into(), quantity: qty.into(), unit_price: price.into(), ..Default::default() }
    }

    fn inst(due: &str, amount: &str) -> InstalmentInput {
        InstalmentInput { due_date: due.into(), amount: amount.into(), ..Default::default() }
    }

    #[test]
    fn parse_skips_blank_and_removed_rows_and_reports_bad_cells() {
        let input = TermsInput {
            title: "X".into(),
            lines: vec![
                line("数控机床", "2", "380000"),
                LineInput::default(),
                LineInput { remove: "on".into(), ..line("旧行", "1", "1") },
                line("", "0", "abc"),
            ],
            instalments: vec![inst("2026-13-01", "")],
            ..Default::default()
        };
        let errs = input.parse("CNY").expect_err("bad rows");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"lines.3.description"), "{fields:?}");
        assert!(fields.contains(&"lines.3.quantity"));
        assert!(fields.contains(&"lines.3.unit_price"));
        assert!(fields.contains(&"instalments.0.due_date"));
        assert!(fields.contains(&"instalments.0.amount"));
        assert!(!fields.iter().any(|f| f.starts_with("lines.0") || f.starts_with("lines.1") || f.starts_with("lines.2")));

        let ok = TermsInput { lines: vec![line("数控机床", "2", "380000"), LineInput::default()], ..Default::default() }
            .parse("CNY")
            .expect("fine");
        assert_eq!(ok.lines.len(), 1);
        assert_eq!(ok.amount_minor(), 760_000_00);
    }

    #[test]
    fn required_terms_are_named_at_their_fields() {
        let empty = TermsInput::default().parse("CNY").expect("a blank draft parses");
        let fields: Vec<String> = missing_terms(&empty, "CNY").into_iter().map(|e| e.field).collect();
        for f in ["title", "rights_obligations", "lines", "delivery_date", "breach_liability", "instalments"] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
        let full = TermsInput {
            title: "设备采购合同".into(),
            rights_obligations: "甲方付款，乙方交货".into(),
            delivery_date: "2026-12-31".into(),
            breach_liability: "违约金为合同金额的5%".into(),
            lines: vec![line("数控机床", "2", "380000")],
            instalments: vec![inst("2026-12-01", "228000"), inst("2027-01-31", "500000")],
            ..Default::default()
        }
        .parse("CNY")
        .expect("parses");
        let errs = missing_terms(&full, "CNY");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "instalments");
        assert_eq!(errs[0].key, K::ContractsValInstalmentSum);
        let mut fixed = full.clone();
        fixed.instalments[1].amount_minor = 532_000_00;
        assert!(missing_terms(&fixed, "CNY").is_empty());
    }

    #[test]
    fn credit_and_authority() {
        assert!(!over_credit_limit(100, 0, None), "no limit set");
        assert!(!over_credit_limit(100, 50, Some(150)));
        assert!(over_credit_limit(100, 51, Some(150)));
        assert!(authority_covers(500_000_00, "CNY", true, 500_000_00, "CNY"));
        assert!(!authority_covers(500_000_00, "CNY", true, 500_000_01, "CNY"));
        assert!(!authority_covers(500_000_00, "CNY", false, 1, "CNY"), "inactive");
        assert!(!authority_covers(500_000_00, "USD", true, 1, "CNY"), "other currency");
    }

    #[test]
    fn receivables_follow_the_schedule_by_seq() {
        let existing = vec![
            Receivable { seq: 1, amount_minor: 100, paid_minor: 100, status: "paid".into() },
            Receivable { seq: 2, amount_minor: 200, paid_minor: 50, status: "open".into() },
            Receivable { seq: 3, amount_minor: 300, paid_minor: 0, status: "open".into() },
            Receivable { seq: 4, amount_minor: 400, paid_minor: 10, status: "open".into() },
        ];
        let schedule = vec![
            Instalment { seq: 1, due_date: d("2026-01-01"), amount_minor: 80, description: String::new() },
            Instalment { seq: 2, due_date: d("2026-02-01"), amount_minor: 250, description: String::new() },
            Instalment { seq: 5, due_date: d("2026-05-01"), amount_minor: 500, description: String::new() },
        ];
        let plan = plan_receivables(&existing, &schedule);
        assert_eq!(plan.upserts[0], (1, d("2026-01-01"), 100, "paid"), "never below what was paid");
        assert_eq!(plan.upserts[1], (2, d("2026-02-01"), 250, "open"));
        assert_eq!(plan.upserts[2], (5, d("2026-05-01"), 500, "open"), "new seq inserted");
        assert_eq!(plan.cancel, vec![3], "removed unpaid one cancelled; part-paid seq 4 kept");
    }
}
