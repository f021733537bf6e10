//! Customers (companies), their contacts and visits (clause 2.2.1): records,
//! enums with their labels, form validation, duplicate keys and the calendar
//! month grid. Pure and shared by browser and server.
use crate::core::error::{AppError, Checks};
use crate::core::i18n::K;
use crate::core::money::Money;
use crate::core::ui::Tone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Declares a closed set of stored codes with their translation keys.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal => $key:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($v),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),* }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($code => Some($name::$v),)* _ => None }
            }
            pub fn key(self) -> K {
                match self { $($name::$v => K::$key),* }
            }
        }
    };
}

code_enum!(
    /// Where the customer stands (2.2.1-a).
    CustomerStatus { Prospect = "prospect" => CustomerStatusProspect, Customer = "customer" => CustomerStatusCustomer, Inactive = "inactive" => CustomerStatusInactive }
);
code_enum!(
    /// Purchase intent (2.2.1-a).
    Intent { Low = "low" => CustomerIntentLow, Medium = "medium" => CustomerIntentMedium, High = "high" => CustomerIntentHigh }
);
code_enum!(
    /// How the customer was found (2.2.1-a, 2.2.1-c: trade shows and events).
    SourceChannel {
        Referral = "referral" => CustomerSourceReferral,
        Website = "website" => CustomerSourceWebsite,
        TradeShow = "trade_show" => CustomerSourceTradeShow,
        Campaign = "campaign" => CustomerSourceCampaign,
        ColdCall = "cold_call" => CustomerSourceColdCall,
        Other = "other" => CustomerSourceOther,
    }
);
code_enum!(
    /// Company size by head count.
    CompanySize { Micro = "micro" => CustomerSizeMicro, Small = "small" => CustomerSizeSmall, Medium = "medium" => CustomerSizeMedium, Large = "large" => CustomerSizeLarge }
);
code_enum!(
    VisitStatus { Planned = "planned" => VisitStatusPlanned, Done = "done" => VisitStatusDone, Cancelled = "cancelled" => VisitStatusCancelled }
);

impl CustomerStatus {
    pub fn tone(self) -> Tone {
        match self {
            CustomerStatus::Prospect => Tone::Warn,
            CustomerStatus::Customer => Tone::Good,
            CustomerStatus::Inactive => Tone::Neutral,
        }
    }
}

impl Intent {
    pub fn tone(self) -> Tone {
        match self {
            Intent::High => Tone::Good,
            Intent::Medium => Tone::Neutral,
            Intent::Low => Tone::Neutral,
        }
    }
}

impl VisitStatus {
    pub fn tone(self) -> Tone {
        match self {
            VisitStatus::Planned => Tone::Warn,
            VisitStatus::Done => Tone::Good,
            VisitStatus::Cancelled => Tone::Neutral,
        }
    }
}

/// A customer as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub tax_id: String,
    pub phone: String,
    pub industry: String,
    pub region: String,
    pub size: String,
    pub source_channel: String,
    pub source_detail: String,
    pub campaign_id: Option<i64>,
    pub needs: String,
    pub preferences: String,
    pub intent: String,
    pub status: String,
    pub key_account: bool,
    pub credit_limit_minor: Option<i64>,
    pub currency: String,
    pub address: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub department_id: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Customer {
    pub fn status(&self) -> CustomerStatus {
        CustomerStatus::parse(&self.status).unwrap_or(CustomerStatus::Prospect)
    }
    pub fn intent(&self) -> Intent {
        Intent::parse(&self.intent).unwrap_or(Intent::Medium)
    }
    pub fn credit_limit(&self) -> Option<Money> {
        self.credit_limit_minor.map(|m| Money::new(m, &self.currency))
    }
}

/// A line of the customer list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub tax_id: String,
    pub phone: String,
    pub industry: String,
    pub region: String,
    pub intent: String,
    pub status: String,
    pub key_account: bool,
    pub owner_name: String,
    pub updated_at: DateTime<Utc>,
}

/// What the customer form sends (all text, parsed in `validate`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerInput {
    pub name: String,
    pub tax_id: String,
    pub phone: String,
    pub industry: String,
    pub region: String,
    pub size: String,
    pub source_channel: String,
    pub source_detail: String,
    pub needs: String,
    pub preferences: String,
    pub intent: String,
    pub status: String,
    /// A checkbox: present ("on", "true") when ticked.
    pub key_account: String,
    pub address: String,
    /// Empty: keep the current owner (or, when creating, the creator).
    pub owner_id: String,
}

/// The validated customer form.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerData {
    pub name: String,
    pub name_norm: String,
    pub tax_id: String,
    pub phone: String,
    pub industry: String,
    pub region: String,
    pub size: Option<CompanySize>,
    pub source_channel: Option<SourceChannel>,
    pub source_detail: String,
    pub needs: String,
    pub preferences: String,
    pub intent: Intent,
    pub status: CustomerStatus,
    pub key_account: bool,
    pub address: String,
    pub owner_id: Option<i64>,
}

/// Minor units as the form shows them again ("1000000.50"; CNY has two decimals).
pub fn minor_to_input(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub fn checkbox(v: &str) -> bool {
    matches!(v.trim(), "on" | "true" | "1" | "yes")
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

/// Checks a phone number and returns it as stored: digits with an optional
/// leading "+", the separators people type (spaces, dashes, dots, brackets)
/// removed, so that the same number always matches (2.2.1-a duplicates).
pub fn normalise_phone(s: &str) -> Result<String, K> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let mut out = String::new();
    for (i, ch) in t.chars().enumerate() {
        match ch {
            '0'..='9' => out.push(ch),
            '+' if i == 0 => out.push(ch),
            ' ' | '-' | '.' | '(' | ')' | '（' | '）' => {}
            _ => return Err(K::CustomerValPhone),
        }
    }
    let digits = out.chars().filter(|c| c.is_ascii_digit()).count();
    if (5..=20).contains(&digits) { Ok(out) } else { Err(K::CustomerValPhone) }
}

/// Unified social credit codes (18) and older tax registration numbers (15–20):
/// letters and digits, stored upper-case without spaces.
pub fn normalise_tax_id(s: &str) -> Result<String, K> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if t.is_empty() {
        return Ok(t);
    }
    if (15..=20).contains(&t.chars().count()) && t.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(t)
    } else {
        Err(K::CustomerValTaxId)
    }
}

/// Legal-form words at the end of a company name that do not tell companies apart.
const LATIN_SUFFIXES: &[&str] = &["co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company", "llc", "plc", "gmbh"];
const CHINESE_SUFFIXES: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司"];

/// The duplicate key of a company name (2.2.1-a): lower case, without spaces and
/// punctuation, without legal-form suffixes (有限公司, 有限责任公司, 股份有限公司,
/// "Co., Ltd." …). "华辰智能装备有限公司" and "华辰智能装备 股份有限公司" share a key.
pub fn normalise_name(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| LATIN_SUFFIXES.contains(w)) {
        words.pop();
    }
    let mut key: String = words.concat();
    // The longest legal form only, and never the whole name ("有限公司" stays).
    if !CHINESE_SUFFIXES.contains(&key.as_str())
        && let Some(suffix) = CHINESE_SUFFIXES.iter().find(|s| key.len() > s.len() && key.ends_with(*s))
    {
        key.truncate(key.len() - suffix.len());
    }
    if key.is_empty() { lower.split_whitespace().collect() } else { key }
}

fn text(c: &mut Checks, field: &str, v: &str, max: usize) -> String {
    let v = v.trim();
    c.max_len(field, v, max);
    v.to_string()
}

impl CustomerInput {
    pub fn validate(&self) -> Result<CustomerData, AppError> {
        let mut c = Checks::new();
        c.require("name", &self.name);
        let name = text(&mut c, "name", &self.name, 100);
        let tax_id = normalise_tax_id(&self.tax_id).unwrap_or_else(|k| {
            c.add("tax_id", k);
            String::new()
        });
        let phone = normalise_phone(&self.phone).unwrap_or_else(|k| {
            c.add("phone", k);
            String::new()
        });
        let industry = text(&mut c, "industry", &self.industry, 50);
        let region = text(&mut c, "region", &self.region, 50);
        let size = match self.size.trim() {
            "" => None,
            s => CompanySize::parse(s).or_else(|| {
                c.add("size", K::ValInvalid);
                None
            }),
        };
        let source_channel = match self.source_channel.trim() {
            "" => None,
            s => SourceChannel::parse(s).or_else(|| {
                c.add("source_channel", K::ValInvalid);
                None
            }),
        };
        let source_detail = text(&mut c, "source_detail", &self.source_detail, 200);
        let needs = text(&mut c, "needs", &self.needs, 2000);
        let preferences = text(&mut c, "preferences", &self.preferences, 2000);
        let intent = Intent::parse(&self.intent).unwrap_or_else(|| {
            c.add("intent", K::ValRequired);
            Intent::Medium
        });
        let status = CustomerStatus::parse(&self.status).unwrap_or_else(|| {
            c.add("status", K::ValRequired);
            CustomerStatus::Prospect
        });
        // The credit limit is not typed here: an approved credit evaluation sets it (5.2-c).
        let address = text(&mut c, "address", &self.address, 200);
        let owner_id = opt_id(&mut c, "owner_id", &self.owner_id);
        c.finish()?;
        Ok(CustomerData {
            name_norm: normalise_name(&name),
            name,
            tax_id,
            phone,
            industry,
            region,
            size,
            source_channel,
            source_detail,
            needs,
            preferences,
            intent,
            status,
            key_account: checkbox(&self.key_account),
            address,
            owner_id,
        })
    }
}

/// Why an existing customer looks like the one being created (2.2.1-a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DuplicateReason {
    Name,
    TaxId,
    Phone,
    ContactPhone,
}

impl DuplicateReason {
    pub fn code(self) -> &'static str {
        match self {
            DuplicateReason::Name => "name",
            DuplicateReason::TaxId => "tax_id",
            DuplicateReason::Phone => "phone",
            DuplicateReason::ContactPhone => "contact_phone",
        }
    }
    pub fn parse(s: &str) -> Option<DuplicateReason> {
        [DuplicateReason::Name, DuplicateReason::TaxId, DuplicateReason::Phone, DuplicateReason::ContactPhone]
            .into_iter()
            .find(|r| r.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            DuplicateReason::Name => K::CustomerDupName,
            DuplicateReason::TaxId => K::CustomerDupTaxId,
            DuplicateReason::Phone => K::CustomerDupPhone,
            DuplicateReason::ContactPhone => K::CustomerDupContactPhone,
        }
    }
}

/// The field name duplicate warnings travel under inside `AppError::Validation`
/// (so that they reach the form with and without JavaScript).
pub const DUPLICATE_FIELD: &str = "duplicate";

/// One existing customer that matches, with every reason it matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateMatch {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub reasons: Vec<DuplicateReason>,
    /// Whether the person creating may open it (otherwise no link is shown).
    pub visible: bool,
}

/// Merges match rows (one per reason) into one entry per customer, in first-seen order.
pub fn merge_matches(rows: Vec<(i64, String, String, DuplicateReason, bool)>) -> Vec<DuplicateMatch> {
    let mut out: Vec<DuplicateMatch> = Vec::new();
    for (id, name, owner_name, reason, visible) in rows {
        match out.iter_mut().find(|m| m.id == id) {
            Some(m) => {
                if !m.reasons.contains(&reason) {
                    m.reasons.push(reason);
                }
            }
            None => out.push(DuplicateMatch { id, name, owner_name, reasons: vec![reason], visible }),
        }
    }
    out
}

/// The warning as a validation error: one entry per match, the details in params.
pub fn duplicates_error(matches: &[DuplicateMatch]) -> AppError {
    AppError::Validation(
        matches
            .iter()
            .map(|m| crate::core::error::FieldError {
                field: DUPLICATE_FIELD.into(),
                key: K::CustomerDupWarning,
                params: vec![
                    ("id".into(), m.id.to_string()),
                    ("name".into(), m.name.clone()),
                    ("owner".into(), m.owner_name.clone()),
                    ("reasons".into(), m.reasons.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")),
                    ("visible".into(), m.visible.to_string()),
                ],
            })
            .collect(),
    )
}

/// Reads the matches back from an error (the form shows them as a warning list).
pub fn duplicates_of(e: &AppError) -> Vec<DuplicateMatch> {
    let AppError::Validation(v) = e else { return vec![] };
    v.iter()
        .filter(|f| f.field == DUPLICATE_FIELD)
        .map(|f| {
            let p = |k: &str| f.params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            DuplicateMatch {
                id: p("id").parse().unwrap_or(0),
                name: p("name"),
                owner_name: p("owner"),
                reasons: p("reasons").split(',').filter_map(DuplicateReason::parse).collect(),
                visible: p("visible") == "true",
            }
        })
        .collect()
}

/// True when the error is only a duplicate warning (nothing else is wrong).
pub fn only_duplicates(e: &AppError) -> bool {
    matches!(e, AppError::Validation(v) if !v.is_empty() && v.iter().all(|f| f.field == DUPLICATE_FIELD))
}

// ---------- contacts ----------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
    pub is_primary: bool,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    /// yyyy-mm-dd or empty.
    pub birthday: String,
    pub is_primary: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContactData {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
    pub is_primary: bool,
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl ContactInput {
    /// `today` bounds the birthday (not in the future).
    pub fn validate(&self, today: NaiveDate) -> Result<ContactData, AppError> {
        let mut c = Checks::new();
        c.require("name", &self.name);
        let name = text(&mut c, "name", &self.name, 50);
        let title = text(&mut c, "title", &self.title, 50);
        let phone = normalise_phone(&self.phone).unwrap_or_else(|k| {
            c.add("phone", k);
            String::new()
        });
        let email = self.email.trim().to_string();
        if !email.is_empty() && !crate::org::model::valid_email(&email) {
            c.add("email", K::ValEmail);
        }
        let birthday = match self.birthday.trim() {
            "" => None,
            s => match parse_date(s) {
                Some(d) if d <= today => Some(d),
                Some(_) => {
                    c.add("birthday", K::CustomerValDateFuture);
                    None
                }
                None => {
                    c.add("birthday", K::ValInvalid);
                    None
                }
            },
        };
        c.finish()?;
        Ok(ContactData { name, title, phone, email, birthday, is_primary: checkbox(&self.is_primary) })
    }
}

// ---------- visits ----------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Visit {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub owner_id: i64,
    pub owner_name: String,
    pub planned_date: NaiveDate,
    pub purpose: String,
    pub status: String,
    pub visited_on: Option<NaiveDate>,
    pub outcome: String,
    pub next_step: String,
    pub version: i64,
}

impl Visit {
    pub fn status(&self) -> VisitStatus {
        VisitStatus::parse(&self.status).unwrap_or(VisitStatus::Planned)
    }
    /// A planned visit whose day has passed.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status() == VisitStatus::Planned && self.planned_date < today
    }
    /// The day it appears on in the calendar: when it happened, else when planned.
    pub fn day(&self) -> NaiveDate {
        self.visited_on.unwrap_or(self.planned_date)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitPlanInput {
    pub planned_date: String,
    pub purpose: String,
    pub contact_id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VisitPlan {
    pub planned_date: NaiveDate,
    pub purpose: String,
    pub contact_id: Option<i64>,
}

impl VisitPlanInput {
    /// A visit is planned for today or later (2.2.1-b).
    pub fn validate(&self, today: NaiveDate) -> Result<VisitPlan, AppError> {
        let mut c = Checks::new();
        let planned_date = match self.planned_date.trim() {
            "" => {
                c.add("planned_date", K::ValRequired);
                None
            }
            s => match parse_date(s) {
                Some(d) if d < today => {
                    c.add("planned_date", K::VisitValPast);
                    None
                }
                Some(d) if d > today + Duration::days(366) => {
                    c.add("planned_date", K::VisitValTooFar);
                    None
                }
                Some(d) => Some(d),
                None => {
                    c.add("planned_date", K::ValInvalid);
                    None
                }
            },
        };
        c.require("purpose", &self.purpose);
        let purpose = text(&mut c, "purpose", &self.purpose, 500);
        let contact_id = opt_id(&mut c, "contact_id", &self.contact_id);
        c.finish()?;
        Ok(VisitPlan { planned_date: planned_date.unwrap_or(today), purpose, contact_id })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitRecordInput {
    pub visited_on: String,
    pub outcome: String,
    pub next_step: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VisitRecord {
    pub visited_on: NaiveDate,
    pub outcome: String,
    pub next_step: String,
}

impl VisitRecordInput {
    /// A visit is recorded when it happened: not in the future, with its outcome.
    pub fn validate(&self, today: NaiveDate) -> Result<VisitRecord, AppError> {
        let mut c = Checks::new();
        let visited_on = match self.visited_on.trim() {
            "" => {
                c.add("visited_on", K::ValRequired);
                None
            }
            s => match parse_date(s) {
                Some(d) if d > today => {
                    c.add("visited_on", K::CustomerValDateFuture);
                    None
                }
                Some(d) => Some(d),
                None => {
                    c.add("visited_on", K::ValInvalid);
                    None
                }
            },
        };
        c.require("outcome", &self.outcome);
        let outcome = text(&mut c, "outcome", &self.outcome, 2000);
        let next_step = text(&mut c, "next_step", &self.next_step, 500);
        c.finish()?;
        Ok(VisitRecord { visited_on: visited_on.unwrap_or(today), outcome, next_step })
    }
}

// ---------- calendar ----------

/// "2026-11" → the first of that month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

pub fn month_code(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

pub fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 { (first.year() + 1, 1) } else { (first.year(), first.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

pub fn prev_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 1 { (first.year() - 1, 12) } else { (first.year(), first.month() - 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// The month as weeks (Monday first); days outside the month are `None`.
pub fn month_weeks(first: NaiveDate) -> Vec<[Option<NaiveDate>; 7]> {
    let first = first.with_day(1).unwrap_or(first);
    let end = next_month(first);
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut weeks = Vec::new();
    let mut week: [Option<NaiveDate>; 7] = [None; 7];
    let mut col = lead;
    let mut d = first;
    while d < end {
        week[col] = Some(d);
        col += 1;
        if col == 7 {
            weeks.push(week);
            week = [None; 7];
            col = 0;
        }
        d = d.succ_opt().unwrap_or(end);
    }
    if col > 0 {
        weeks.push(week);
    }
    weeks
}

/// The weekday headers, Monday first.
pub const WEEKDAYS: [K; 7] =
    [K::VisitMon, K::VisitTue, K::VisitWed, K::VisitThu, K::VisitFri, K::VisitSat, K::VisitSun];

// ---------- related records (read-only sections of the customer page) ----------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpportunityLine {
    pub id: i64,
    pub title: String,
    pub stage_zh: String,
    pub stage_en: String,
    pub amount_minor: i64,
    pub currency: String,
    pub expected_close: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractLine {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderLine {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub planned_delivery_date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReceivableLine {
    pub id: i64,
    pub contract_id: i64,
    pub contract_number: String,
    pub seq: i64,
    pub due_date: NaiveDate,
    pub amount_minor: i64,
    pub paid_minor: i64,
    pub currency: String,
}

impl ReceivableLine {
    pub fn outstanding(&self) -> Money {
        Money::new(self.amount_minor - self.paid_minor, &self.currency)
    }
}

/// Translation of contract and order status codes shown on the customer page.
pub fn contract_status_key(code: &str) -> Option<K> {
    Some(match code {
        "draft" => K::CustomerContractDraft,
        "in_review" => K::CustomerContractInReview,
        "approved" => K::CustomerContractApproved,
        "signed" => K::CustomerContractSigned,
        _ => return None,
    })
}

pub fn order_status_key(code: &str) -> Option<K> {
    Some(match code {
        "confirmed" => K::CustomerOrderConfirmed,
        "in_production" => K::CustomerOrderInProduction,
        "shipped" => K::CustomerOrderShipped,
        "delivered" => K::CustomerOrderDelivered,
        "closed" => K::CustomerOrderClosed,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn names_normalise_to_one_key() {
        let key = normalise_name("华辰智能装备有限公司");
        assert_eq!(key, "华辰智能装备");
        assert_eq!(normalise_name(" 华辰智能装备 股份有限公司 "), key);
        assert_eq!(normalise_name("华辰智能装备有限责任公司"), key);
        assert_eq!(normalise_name("华辰 智能装备"), key);
        assert_eq!(normalise_name("Huachen Smart Equipment Co., Ltd."), "huachensmartequipment");
        assert_eq!(normalise_name("HUACHEN smart-equipment co ltd"), "huachensmartequipment");
        assert_eq!(normalise_name("Acme Inc."), "acme");
        // Only whole trailing words are legal forms: "Deco" keeps its "co".
        assert_eq!(normalise_name("Deco"), "deco");
        assert_eq!(normalise_name("Co"), "co", "a name that is only a suffix stays");
        assert_eq!(normalise_name("有限公司"), "有限公司");
        assert_ne!(normalise_name("华辰机械有限公司"), key);
        // Brackets around a city are punctuation, not part of the key.
        assert_eq!(normalise_name("华为技术（深圳）有限公司"), "华为技术深圳");
    }

    #[test]
    fn phones_and_tax_ids() {
        assert_eq!(normalise_phone("138-0013 8000"), Ok("13800138000".into()));
        assert_eq!(normalise_phone("(021) 6234.5678"), Ok("02162345678".into()));
        assert_eq!(normalise_phone("+86 21 6234 5678"), Ok("+862162345678".into()));
        assert_eq!(normalise_phone(""), Ok(String::new()));
        assert_eq!(normalise_phone("12"), Err(K::CustomerValPhone));
        assert_eq!(normalise_phone("call me"), Err(K::CustomerValPhone));
        assert_eq!(normalise_tax_id(" 91310000 mA1FL1234x "), Ok("91310000MA1FL1234X".into()));
        assert_eq!(normalise_tax_id("123"), Err(K::CustomerValTaxId));
        assert_eq!(normalise_tax_id("9131000-0MA1FL1234X"), Err(K::CustomerValTaxId));
    }

    fn input() -> CustomerInput {
        CustomerInput {
            name: " 华辰智能装备有限公司 ".into(),
            tax_id: "91310000MA1FL1234X".into(),
            phone: "021-6234 5678".into(),
            intent: "high".into(),
            status: "prospect".into(),
            source_channel: "trade_show".into(),
            source_detail: "2026 上海工博会".into(),
            key_account: "on".into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_customer() {
        let c = input().validate().expect("valid");
        assert_eq!(c.name, "华辰智能装备有限公司");
        assert_eq!(c.name_norm, "华辰智能装备");
        assert_eq!(c.phone, "02162345678");
        assert_eq!(c.intent, Intent::High);
        assert_eq!(c.source_channel, Some(SourceChannel::TradeShow));
        assert!(c.key_account);
        assert_eq!(minor_to_input(100_000_050), "1000000.50");
        assert_eq!(Money::parse(&minor_to_input(7), "CNY").map(|m| m.minor), Ok(7));
        assert_eq!(c.owner_id, None);
    }

    #[test]
    fn each_bad_customer_field_is_named() {
        let mut i = input();
        i.name = " ".into();
        i.tax_id = "x".into();
        i.phone = "abc".into();
        i.size = "huge".into();
        i.source_channel = "tv".into();
        i.intent = "".into();
        i.status = "gone".into();
        i.owner_id = "x".into();
        let Err(AppError::Validation(errs)) = i.validate() else { panic!("should fail") };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "tax_id", "phone", "size", "source_channel", "intent", "status", "owner_id"]);
    }

    #[test]
    fn duplicates_round_trip_through_the_error() {
        let m = merge_matches(vec![
            (3, "华辰".into(), "王芳".into(), DuplicateReason::Name, true),
            (5, "Other".into(), "张磊".into(), DuplicateReason::Phone, false),
            (3, "华辰".into(), "王芳".into(), DuplicateReason::TaxId, true),
            (3, "华辰".into(), "王芳".into(), DuplicateReason::Name, true),
        ]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].reasons, vec![DuplicateReason::Name, DuplicateReason::TaxId]);
        let e = duplicates_error(&m);
        assert!(only_duplicates(&e));
        assert_eq!(duplicates_of(&e), m);
        let json = serde_json::to_string(&e).expect("ser");
        assert_eq!(duplicates_of(&serde_json::from_str(&json).expect("de")), m);
        assert!(!only_duplicates(&AppError::field("name", K::ValRequired)));
    }

    #[test]
    fn contacts_and_visits_validate() {
        let today = d("2026-11-20");
        let ok = ContactInput { name: "李经理".into(), phone: "139 0000 1111".into(), email: "li@example.cn".into(), birthday: "1980-02-29".into(), is_primary: "on".into(), ..Default::default() };
        let c = ok.validate(today).expect("valid");
        assert!(c.is_primary);
        assert_eq!(c.birthday, Some(d("1980-02-29")));
        let bad = ContactInput { name: "".into(), email: "x".into(), birthday: "2030-01-01".into(), ..Default::default() };
        let Err(AppError::Validation(errs)) = bad.validate(today) else { panic!() };
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "email", "birthday"]);

        let plan = VisitPlanInput { planned_date: "2026-11-25".into(), purpose: "产品演示".into(), contact_id: "".into() };
        assert_eq!(plan.validate(today).expect("valid").planned_date, d("2026-11-25"));
        let past = VisitPlanInput { planned_date: "2026-11-19".into(), purpose: "".into(), contact_id: "".into() };
        let Err(AppError::Validation(errs)) = past.validate(today) else { panic!() };
        assert_eq!(errs[0].key, K::VisitValPast);
        assert_eq!(errs[1].field, "purpose");

        let rec = VisitRecordInput { visited_on: "2026-11-21".into(), outcome: "".into(), next_step: "".into() };
        let Err(AppError::Validation(errs)) = rec.validate(today) else { panic!() };
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["visited_on", "outcome"]);
        let rec = VisitRecordInput { visited_on: "2026-11-20".into(), outcome: "有意向".into(), next_step: "报价".into() };
        assert!(rec.validate(today).is_ok());
    }

    #[test]
    fn overdue_planned_visits() {
        let v = Visit {
            id: 1,
            customer_id: 1,
            customer_name: "x".into(),
            contact_id: None,
            contact_name: None,
            owner_id: 1,
            owner_name: "x".into(),
            planned_date: d("2026-11-10"),
            purpose: "x".into(),
            status: "planned".into(),
            visited_on: None,
            outcome: String::new(),
            next_step: String::new(),
            version: 1,
        };
        assert!(v.overdue(d("2026-11-11")));
        assert!(!v.overdue(d("2026-11-10")));
        let done = Visit { status: "done".into(), visited_on: Some(d("2026-11-12")), ..v };
        assert!(!done.overdue(d("2026-12-01")));
        assert_eq!(done.day(), d("2026-11-12"));
    }

    #[test]
    fn month_grid() {
        let nov = parse_month("2026-11").expect("month");
        assert_eq!(nov, d("2026-11-01"));
        assert_eq!(month_code(nov), "2026-11");
        assert_eq!(month_code(next_month(nov)), "2026-12");
        assert_eq!(month_code(next_month(d("2026-12-01"))), "2027-01");
        assert_eq!(month_code(prev_month(d("2026-01-01"))), "2025-12");
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("junk"), None);
        // 1 November 2026 is a Sunday: the first week has six empty days.
        let weeks = month_weeks(nov);
        assert_eq!(weeks[0][6], Some(d("2026-11-01")));
        assert!(weeks[0][..6].iter().all(Option::is_none));
        assert_eq!(weeks.last().and_then(|w| w[0]), Some(d("2026-11-30")));
        assert_eq!(weeks.len(), 6);
        let days: usize = weeks.iter().map(|w| w.iter().flatten().count()).sum();
        assert_eq!(days, 30);
        // February 2027 starts on a Monday and fills exactly four weeks.
        assert_eq!(month_weeks(d("2027-02-01")).len(), 4);
    }

    #[test]
    fn codes_round_trip() {
        for s in CustomerStatus::ALL {
            assert_eq!(CustomerStatus::parse(s.code()), Some(*s));
        }
        for s in SourceChannel::ALL {
            assert_eq!(SourceChannel::parse(s.code()), Some(*s));
        }
        for s in VisitStatus::ALL {
            assert_eq!(VisitStatus::parse(s.code()), Some(*s));
        }
        assert_eq!(Intent::parse("urgent"), None);
    }
}
